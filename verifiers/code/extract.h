// Finding the program, and its language, in a completion.
//
// A fenced block opens with a line starting with ``` (after any indentation) followed by an
// optional info string, and closes with a line holding only backticks (three or more) after any
// indentation: the datasets' own extractors (LiveCodeBench, DeepCoder, SandboxFusion) accept a
// closing fence at any indentation, CommonMark at up to three spaces. An unclosed block (a
// truncated completion) is not a program. A block's language is the first word of its info
// string, any case (tags in language.h: python/py/python3/py3, cpp/c++/cc/cxx, ...).
// Rules (CodeTask.Extract):
//   last block (default)  the last non-empty block tagged with an `allowed` language; if there
//                         is none, the last non-empty untagged block, run as `untagged`;
//   first block           the same, first instead of last;
//   whole                 the whole completion, when it is not blank, run as `untagged`.
// Blocks tagged with other languages are ignored; untagged blocks are ignored when `untagged`
// is LANGUAGE_UNSPECIFIED. No program → std::nullopt, which the verifier reports as NO_ANSWER.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "verifiers/code/code.pb.h"

namespace arbiter::code {

struct ExtractedProgram {
  v1::CodeTask::Language language = v1::CodeTask::LANGUAGE_UNSPECIFIED;
  std::string code;
};

std::optional<ExtractedProgram> ExtractProgram(absl::string_view completion,
                                               absl::Span<const v1::CodeTask::Language> allowed,
                                               v1::CodeTask::Language untagged,
                                               v1::CodeTask::Extract rule);

}  // namespace arbiter::code
