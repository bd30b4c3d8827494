#include "verifiers/sat/boxed_answer.h"

#include <cstddef>

namespace arbiter::sat {
namespace {

constexpr std::string_view kOpen = "\\boxed{";

}  // namespace

// Why the backward scan is exact. Call a "\boxed{" at i a candidate when the first '}' or '\n'
// after it is a '}' (its close). Every candidate lying inside a match shares that match's close,
// so the last match ends at the close c of the last candidate. All candidates sharing c lie after
// the last '}' or '\n' before c (call it p), which the previous match cannot pass; the last match
// therefore starts at the first "\boxed{" after p. So: for each '}' c from the end, find p, look
// for the first "\boxed{" in (p, c); if there is none, continue with the last '}' at or before p.
// The ranges visited are disjoint, so the total cost is one pass.
std::optional<std::string_view> LastBoxed(std::string_view text) {
  const char* const data = text.data();
  size_t end = text.size();  // search for a '}' in [0, end)
  while (true) {
    size_t c = end;
    while (c > 0 && data[c - 1] != '}') --c;
    if (c == 0) return std::nullopt;
    --c;           // data[c] == '}'
    size_t p = c;  // data[p - 1] is the previous '}' or '\n' (p == 0: none)
    while (p > 0 && data[p - 1] != '}' && data[p - 1] != '\n') --p;
    const std::string_view segment = text.substr(p, c - p);
    const size_t open = segment.find(kOpen);
    if (open != std::string_view::npos) {
      const size_t from = p + open + kOpen.size();
      return text.substr(from, c - from);
    }
    if (p == 0) return std::nullopt;
    end = data[p - 1] == '}' ? p : p - 1;
  }
}

std::optional<std::string_view> LastBoxedForward(std::string_view text) {
  std::optional<std::string_view> last;
  size_t pos = 0;
  while (true) {
    const size_t i = text.find(kOpen, pos);
    if (i == std::string_view::npos) return last;
    const size_t from = i + kOpen.size();
    const size_t stop = text.find_first_of("}\n", from);
    if (stop != std::string_view::npos && text[stop] == '}') {
      last = text.substr(from, stop - from);
      pos = stop + 1;
    } else {
      // No match at i; the regex engine retries at i + 1, where "\boxed{" cannot start again
      // before i + kOpen.size().
      pos = i + 1;
    }
  }
}

}  // namespace arbiter::sat
