#include "server/http/target.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      const int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("malformed percent escape at byte ", i, " of the query string"));
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  if (!sdk::IsValidUtf8(out)) {
    return absl::InvalidArgumentError("query string parameter is not valid UTF-8");
  }
  return out;
}

}  // namespace

std::string Target::Param(absl::string_view name, absl::string_view fallback) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string(fallback) : it->second;
}

absl::StatusOr<Target> ParseTarget(absl::string_view target) {
  Target out;
  const size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question == absl::string_view::npos) return out;
  absl::string_view query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t equals = pair.find('=');
    absl::StatusOr<std::string> name = PercentDecode(pair.substr(0, equals));
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value = PercentDecode(
        equals == absl::string_view::npos ? absl::string_view() : pair.substr(equals + 1));
    if (!value.ok()) return value.status();
    out.params[*std::move(name)] = *std::move(value);
  }
  return out;
}

}  // namespace arbiter::server::http
