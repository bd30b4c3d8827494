#include "verifiers/code/limits.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {
namespace {

absl::Status Check(const char* name, double value, double cap) {
  if (!std::isfinite(value) || value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: limits.", name, " = ", value, " must be a finite value >= 0"));
  }
  if (value > cap) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: limits.", name, " = ", value, " exceeds the server cap ", cap));
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<T> Pick(const char* name, T requested, T fallback, T cap) {
  ARBITER_RETURN_IF_ERROR(Check(name, static_cast<double>(requested), static_cast<double>(cap)));
  return requested == 0 ? fallback : requested;
}

absl::StatusOr<absl::Duration> PickSeconds(const char* name, double requested,
                                           absl::Duration fallback, absl::Duration cap) {
  ARBITER_RETURN_IF_ERROR(Check(name, requested, absl::ToDoubleSeconds(cap)));
  return requested == 0 ? fallback : absl::Seconds(requested);
}

}  // namespace

absl::StatusOr<RunLimits> ResolveLimits(const v1::CodeLimits& in, const RunLimits& defaults,
                                        const RunLimits& caps) {
  RunLimits out;
  ARBITER_ASSIGN_OR_RETURN(out.cpu,
                           PickSeconds("cpu_seconds", in.cpu_seconds(), defaults.cpu, caps.cpu));
  ARBITER_ASSIGN_OR_RETURN(
      out.wall, PickSeconds("wall_seconds", in.wall_seconds(), defaults.wall, caps.wall));
  ARBITER_ASSIGN_OR_RETURN(
      out.memory_bytes,
      Pick<int64_t>("memory_bytes", in.memory_bytes(), defaults.memory_bytes, caps.memory_bytes));
  ARBITER_ASSIGN_OR_RETURN(
      out.max_processes,
      Pick<int>("max_processes", in.max_processes(), defaults.max_processes, caps.max_processes));
  ARBITER_ASSIGN_OR_RETURN(out.max_open_files,
                           Pick<int>("max_open_files", in.max_open_files(), defaults.max_open_files,
                                     caps.max_open_files));
  ARBITER_ASSIGN_OR_RETURN(out.max_file_bytes,
                           Pick<int64_t>("max_file_bytes", in.max_file_bytes(),
                                         defaults.max_file_bytes, caps.max_file_bytes));
  ARBITER_ASSIGN_OR_RETURN(out.max_stdout_bytes,
                           Pick<int64_t>("max_stdout_bytes", in.max_stdout_bytes(),
                                         defaults.max_stdout_bytes, caps.max_stdout_bytes));
  ARBITER_ASSIGN_OR_RETURN(out.max_stderr_bytes,
                           Pick<int64_t>("max_stderr_bytes", in.max_stderr_bytes(),
                                         defaults.max_stderr_bytes, caps.max_stderr_bytes));
  return out;
}

absl::Status ValidateDefaults(const RunLimits& defaults, const RunLimits& caps) {
  const v1::CodeLimits proto = LimitsToProto(defaults);
  ARBITER_ASSIGN_OR_RETURN(const RunLimits resolved, ResolveLimits(proto, defaults, caps));
  (void)resolved;
  if (defaults.cpu <= absl::ZeroDuration() || defaults.wall <= absl::ZeroDuration() ||
      defaults.memory_bytes <= 0 || defaults.max_processes <= 0 || defaults.max_open_files <= 0 ||
      defaults.max_file_bytes <= 0 || defaults.max_stdout_bytes <= 0 ||
      defaults.max_stderr_bytes <= 0) {
    return absl::InvalidArgumentError("code: every default limit must be positive");
  }
  return absl::OkStatus();
}

v1::CodeLimits LimitsToProto(const RunLimits& limits) {
  v1::CodeLimits out;
  out.set_cpu_seconds(absl::ToDoubleSeconds(limits.cpu));
  out.set_wall_seconds(absl::ToDoubleSeconds(limits.wall));
  out.set_memory_bytes(limits.memory_bytes);
  out.set_max_processes(limits.max_processes);
  out.set_max_open_files(limits.max_open_files);
  out.set_max_file_bytes(limits.max_file_bytes);
  out.set_max_stdout_bytes(limits.max_stdout_bytes);
  out.set_max_stderr_bytes(limits.max_stderr_bytes);
  return out;
}

}  // namespace arbiter::code
