#include "verifiers/sat/boxed_answer.h"

#include <cstddef>
#include <cstring>  // memrchr (GNU)

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
  // Position + 1 of the last '\n' before the current '}' (0: none), memoised so that the
  // backward searches for '\n' never revisit bytes: while it lies below the current '}', no
  // '\n' was found between them.
  size_t newline = std::string_view::npos;
  while (end > 0) {
    const void* hit = memrchr(data, '}', end);
    if (hit == nullptr) return std::nullopt;
    const size_t c = static_cast<const char*>(hit) - data;
    if (newline == std::string_view::npos || newline > c) {
      const void* nl = memrchr(data, '\n', c);
      newline = nl == nullptr ? 0 : static_cast<const char*>(nl) - data + 1;
    }
    const void* brace = memrchr(data + newline, '}', c - newline);
    const size_t p = brace == nullptr ? newline : static_cast<const char*>(brace) - data + 1;
    // data[p - 1] is the previous '}' or '\n' (p == 0: none); look for "\boxed{" in (p, c).
    const std::string_view segment = text.substr(p, c - p);
    const size_t open = segment.find(kOpen);
    if (open != std::string_view::npos) {
      const size_t from = p + open + kOpen.size();
      return text.substr(from, c - from);
    }
    end = p;  // the next '}' is data[p - 1] or lies before the newline at p - 1
  }
  return std::nullopt;
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
