#include "tests/replicas/metrics_scrape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace arbiter::replicas {
namespace {

// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool WaitFor(int fd, short events, absl::Time deadline) {
  const int ms = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
  if (ms <= 0) return false;
  pollfd p{fd, events, 0};
  return poll(&p, 1, ms) == 1;
}

}  // namespace

absl::StatusOr<std::string> ScrapeMetrics(const std::string& ip, int port, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("not an IPv4 address: ", ip));
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  std::string answer;
  absl::Status status = [&]() -> absl::Status {
    const std::string where = absl::StrCat(ip, ":", port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 &&
        errno != EINPROGRESS) {
      return absl::UnavailableError(absl::StrCat("connect ", where, ": ", std::strerror(errno)));
    }
    if (!WaitFor(fd, POLLOUT, deadline)) return absl::DeadlineExceededError("connect " + where);
    int error = 0;
    socklen_t len = sizeof(error);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      return absl::UnavailableError(absl::StrCat("connect ", where, ": ", std::strerror(error)));
    }
    const std::string request = "GET /metrics HTTP/1.0\r\nHost: " + where + "\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      return absl::UnavailableError("send to " + where);
    }
    char buffer[16384];
    while (true) {  // HTTP/1.0: the server closes when the body is complete
      if (!WaitFor(fd, POLLIN, deadline)) return absl::DeadlineExceededError("read " + where);
      const ssize_t n = read(fd, buffer, sizeof(buffer));
      if (n < 0) return absl::UnavailableError(absl::StrCat("read: ", std::strerror(errno)));
      if (n == 0) return absl::OkStatus();
      answer.append(buffer, static_cast<size_t>(n));
    }
  }();
  close(fd);
  if (!status.ok()) return status;
  const size_t body = answer.find("\r\n\r\n");
  if (!absl::StartsWith(answer, "HTTP/1.") || answer.find(" 200 ") > answer.find("\r\n") ||
      body == std::string::npos) {
    return absl::InternalError(absl::StrCat("bad answer: ", answer.substr(0, 200)));
  }
  return answer.substr(body + 4);
}

double SumOfFamily(absl::string_view exposition, absl::string_view name) {
  double sum = 0;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::ConsumePrefix(&line, name) || line.empty()) continue;
    if (line[0] == '{') {
      const size_t close = line.rfind('}');
      if (close == absl::string_view::npos) continue;
      line.remove_prefix(close + 1);
    } else if (line[0] != ' ') {
      continue;  // another family sharing the prefix (name_bucket, name_total2, ...)
    }
    double value = 0;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(absl::StripAsciiWhitespace(line), ' ');
    if (!fields.empty() && absl::SimpleAtod(fields[0], &value)) sum += value;
  }
  return sum;
}

}  // namespace arbiter::replicas
