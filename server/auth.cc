#include "server/auth.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/file_fingerprint.h"

namespace arbiter::server {
namespace {

// Equal strings of equal length, looking at every byte whatever the first difference.
bool SameBytes(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TokenFile>> TokenFile::Open(std::string path, sdk::Clock* clock) {
  std::unique_ptr<TokenFile> file(new TokenFile(std::move(path), clock));
  absl::MutexLock lock(&file->mu_);
  if (absl::Status status = file->Reload(); !status.ok()) return status;
  file->last_check_ = clock->Now();
  return file;
}

absl::Status TokenFile::Reload() const {
  const std::string fingerprint = FileFingerprint({path_});
  if (fingerprint.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth tokens file '", path_, "' cannot be read"));
  }
  if (fingerprint == fingerprint_) return absl::OkStatus();
  std::ifstream in(path_);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth tokens file '", path_, "' cannot be read"));
  }
  std::vector<std::string> tokens;
  for (absl::string_view line : absl::StrSplit(text.str(), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line[0] != '#') tokens.emplace_back(line);
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth tokens file '", path_, "' holds no token"));
  }
  tokens_ = std::move(tokens);
  fingerprint_ = fingerprint;
  return absl::OkStatus();
}

bool TokenFile::Allows(absl::string_view authorization) const {
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  const absl::string_view presented =
      absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  if (now - last_check_ >= absl::Seconds(1)) {
    last_check_ = now;
    if (absl::Status status = Reload(); !status.ok()) {
      std::fprintf(stderr, "arbiterd: keeping the previous tokens: %s\n",
                   std::string(status.message()).c_str());
    }
  }
  bool allowed = false;
  for (const std::string& token : tokens_) allowed |= SameBytes(presented, token);
  return allowed;
}

}  // namespace arbiter::server
