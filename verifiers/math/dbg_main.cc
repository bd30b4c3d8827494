#include <iostream>
#include "verifiers/math/compare.h"
#include "verifiers/math/latex_parser.h"
using namespace arbiter::math;
int main(int argc, char** argv) {
  auto a = ParseAnswer(argv[1]); auto b = ParseAnswer(argv[2]);
  if (!a.ok()) { std::cout << "gold: " << a.status() << "\n"; return 1; }
  if (!b.ok()) { std::cout << "pred: " << b.status() << "\n"; return 1; }
  std::cout << ToString(*a) << " | " << ToString(*b) << "\n";
  Budget budget(absl::Seconds(1), nullptr);
  auto c = Compare(*a, *b, {}, budget);
  std::cout << c.equal << " " << c.method << "\n";
}
