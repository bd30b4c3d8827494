// The generator's pseudo-random source, fully specified so that a seed gives the same tasks on
// every platform and standard library: std::mt19937_64 (whose output sequence the C++ standard
// fixes) and our own unbiased integer draw instead of std::uniform_int_distribution (whose
// algorithm is implementation-defined). Not thread-safe: one instance per generation.
#pragma once

#include <cstdint>
#include <random>

namespace arbiter::sat {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n) by rejection: draws x until x >= 2^64 mod n, returns x mod n.
  // Precondition: n >= 1.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (true) {
      const uint64_t x = engine_();
      if (x >= threshold) return x % n;
    }
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace arbiter::sat
