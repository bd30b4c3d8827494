// Includes GiNaC without leaking CLN's `Mutable` macro, which breaks protobuf headers included
// afterwards. Include this instead of <ginac/ginac.h>.
#pragma once

#include <ginac/ginac.h>

#undef Mutable
