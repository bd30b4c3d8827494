// Saturn's training prompt (spec §1.6): the released template (the `prompt` field of every row of
// Saturn's data, Apache-2.0) followed by the problem as a JSON line. Thread-safe (pure).
#pragma once

#include <string>
#include <string_view>

namespace arbiter::sat {

// The fixed instruction text that precedes the problem line.
std::string_view SaturnPromptPrefix();

// Prefix + `{"n_sat": n, "k": k, "clause": "<clause>"}` + "\n", byte for byte as Saturn's
// json.dumps writes it. Precondition: `clause` is in Saturn's encoding (no character that JSON
// would escape).
std::string SaturnPrompt(int n, int k, std::string_view clause);

}  // namespace arbiter::sat
