#include "verifiers/sat/saturn_check.h"

#include <cstdint>

namespace arbiter::sat {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

constexpr uint64_t kAllVars = (uint64_t{1} << kMaxSaturnVars) - 1;

void Render(uint64_t ones, uint64_t zeros, int k, SaturnVerdict& verdict) {
  for (int i = 0; i < k; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    verdict.assignment[i] = (ones & bit) ? '1' : (zeros & bit) ? '0' : '?';
  }
  verdict.assignment_size = k;
}

}  // namespace

SaturnVerdict CheckSaturnStrict(const SaturnFormula& formula, int k, std::string_view capture) {
  SaturnVerdict verdict;
  size_t b = 0;
  size_t e = capture.size();
  while (b < e && IsAsciiSpace(capture[b])) ++b;
  while (e > b && IsAsciiSpace(capture[e - 1])) --e;
  if (e - b != static_cast<size_t>(k)) return verdict;
  uint64_t ones = 0;
  for (int i = 0; i < k; ++i) {
    const char c = capture[b + i];
    if (c == '1') {
      ones |= uint64_t{1} << i;
    } else if (c != '0') {
      return verdict;
    }
  }
  const uint64_t zeros = ~ones & kAllVars;
  verdict.format_ok = true;
  verdict.unsatisfied = CountUnsatisfied(formula, ones, zeros);
  verdict.satisfied = verdict.unsatisfied == 0;
  Render(ones, zeros, k, verdict);
  return verdict;
}

SaturnVerdict CheckSaturnCompat(const SaturnFormula& formula, int k, std::string_view capture) {
  SaturnVerdict verdict;
  uint64_t ones = 0;
  uint64_t zeros = 0;
  int index = 0;  // code points seen
  for (const char ch : capture) {
    const auto byte = static_cast<unsigned char>(ch);
    if ((byte & 0xC0) == 0x80) continue;  // UTF-8 continuation: same code point
    if (index >= kMaxSaturnVars) break;
    if (byte == '1') {
      ones |= uint64_t{1} << index;
    } else if (byte == '0') {
      zeros |= uint64_t{1} << index;
    }
    ++index;
  }
  zeros |= kAllVars & ~((uint64_t{1} << index) - 1);  // past the end reads as '0'
  verdict.format_ok = true;
  verdict.unsatisfied = CountUnsatisfied(formula, ones, zeros);
  verdict.satisfied = verdict.unsatisfied == 0;
  Render(ones, zeros, k, verdict);
  return verdict;
}

}  // namespace arbiter::sat
