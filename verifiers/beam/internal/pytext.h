// Python `re` character classes over UTF-8 text, for reproducing BeamPERL's regular expressions
// with hand-written scanners (compat mode must match the authors' Python bit for bit).
//
//   IsSpaceAt    `\s` (str.isspace(): ASCII 9-13, 28-32, U+0085, U+00A0, U+1680, U+2000-U+200A,
//                U+2028, U+2029, U+202F, U+205F, U+3000); returns the byte length, 0 if none.
//   IsWordAt / IsWordBefore   `\w` (str.isalnum() or '_'). ASCII is exact; other code points are
//                word characters unless a table of punctuation/symbol/space blocks says otherwise
//                (an approximation of Unicode's categories, good for the characters models write).
// Digits (`\d`) are ASCII only here: Python also accepts other Unicode decimal digits (README).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace arbiter::beam::internal {

size_t IsSpaceAt(std::string_view text, size_t pos);
size_t SkipSpaces(std::string_view text, size_t pos);
bool IsWordAt(std::string_view text, size_t pos);
bool IsWordBefore(std::string_view text, size_t pos);
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace arbiter::beam::internal
