// Finding the program in a completion.
//
// A fenced block opens with a line starting with ``` (after up to 3 spaces) followed by an
// optional info string, and closes with a line holding only ``` (after optional spaces; more
// backticks allowed). An unclosed block (a truncated completion) is not a program. Tags:
//   Python: python, py, python3, py3        C++: cpp, c++, cc, cxx
// (case-insensitive, first word of the info string). Rules (CodeTask.Extract):
//   last block (default)  the last non-empty block tagged with the task's language; if there is
//                         none, the last non-empty untagged block;
//   first block           the same, first instead of last;
//   whole                 the whole completion, when it is not blank.
// Blocks tagged with another language are ignored. No program → std::nullopt, which the
// verifier reports as NO_ANSWER.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "verifiers/code/code.pb.h"

namespace arbiter::code {

std::optional<std::string> ExtractProgram(absl::string_view completion,
                                          v1::CodeTask::Language language,
                                          v1::CodeTask::Extract rule);

}  // namespace arbiter::code
