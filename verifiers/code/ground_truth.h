// Parsing a dataset's own test label (Task.ground_truth) into a typed CodeTask.
//
// Accepted forms (README.md has examples; testdata/ has one file per form):
//   APPS / TACO     {"inputs": [...], "outputs": [...], "fn_name": "f"?}
//       stdin tests: each input / output is a string (a list of strings is joined with "\n",
//       as APPS' testing_util does; other scalars are written as JSON text).
//       call-based (fn_name present and not null): each input is the positional-argument list
//       (a non-list is one argument) and each output the expected value; as in APPS/TACO's
//       testing_util, a return equal to the first element of a non-empty expected list also
//       passes (CodeTest.accept_first_element), because TACO wraps many outputs in a list.
//   LiveCodeBench   [{"input": "...", "output": "...", "testtype": "stdin"|"functional"}, ...]
//       functional: the input holds one JSON value per line (the arguments), the output one
//       JSON value; fn_name comes from a wrapper (below). The whole list may also arrive as a
//       JSON string holding the JSON text, as some datasets store it.
//   Wrapper         {"language": "python"|"cpp", "fn_name"?: "...", "metadata"?: {"func_name"},
//                    "tests": <any form above>}   or the APPS keys with "language" beside them.
// Language defaults to Python. Anything else is INVALID_ARGUMENT with a message naming the
// problem (never an exception).
//
// Thread-safety: pure function.
#pragma once

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "verifiers/code/code.pb.h"

namespace arbiter::code {

absl::StatusOr<v1::CodeTask> ParseGroundTruth(absl::string_view ground_truth);

}  // namespace arbiter::code
