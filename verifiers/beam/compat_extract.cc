// ExtractCoefficients: BeamPERL's coefficient-of-P extractor (spec §3.4 step 4) as one linear
// pass per pattern over each \boxed{} content. Box contents are scanned one at a time instead of
// joined with " ; ": no pattern can cross the ';' separator and both sides of every boundary are
// non-word, non-digit characters, so the result is identical and nothing is copied.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "verifiers/beam/compat.h"
#include "verifiers/beam/internal/pytext.h"

namespace arbiter::beam {
namespace {

using internal::IsDigit;
using internal::IsWordAt;
using internal::IsWordBefore;
using internal::SkipSpaces;

constexpr size_t kNo = std::string_view::npos;

struct Item {
  size_t begin;
  size_t end;
  double value;
};
using Items = absl::InlinedVector<Item, 16>;

char At(std::string_view s, size_t i) { return i < s.size() ? s[i] : '\0'; }

size_t DigitsEnd(std::string_view s, size_t i) {
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i;
}

// `[+-]?\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?` at pos; returns its end or kNo. Greedy is exact: every
// continuation in the extractor's patterns starts with a character a number cannot contain.
size_t MatchNum(std::string_view s, size_t pos) {
  size_t p = pos;
  if (At(s, p) == '+' || At(s, p) == '-') ++p;
  if (!IsDigit(At(s, p))) return kNo;
  p = DigitsEnd(s, p);
  if (At(s, p) == '.' && IsDigit(At(s, p + 1))) p = DigitsEnd(s, p + 1);
  if (At(s, p) == '/' && IsDigit(At(s, p + 1))) {
    p = DigitsEnd(s, p + 1);
    if (At(s, p) == '.' && IsDigit(At(s, p + 1))) p = DigitsEnd(s, p + 1);
  }
  return p;
}

// Python float() of `[+-]?\d+(\.\d+)?`; correctly rounded like CPython.
double ParseDecimal(std::string_view t) {
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  (void)ptr;
  if (ec == std::errc::result_out_of_range) {
    // Overflow gives inf in Python; underflow (only "0.000…01" can) gives 0.
    const size_t dot = t.find('.');
    const std::string_view whole = t.substr(0, dot);
    v = whole.find_first_not_of('0') != std::string_view::npos ? HUGE_VAL : 0.0;
  }
  return negative ? -v : v;
}

// BeamPERL's _to_float: "a/b" divides; false where Python raises ZeroDivisionError.
bool ToFloat(std::string_view t, double* out) {
  const size_t slash = t.find('/');
  if (slash == std::string_view::npos) {
    *out = ParseDecimal(t);
    return true;
  }
  const double den = ParseDecimal(t.substr(slash + 1));
  if (den == 0.0) return false;
  *out = ParseDecimal(t.substr(0, slash)) / den;
  return true;
}

bool Ratio(std::string_view num, std::string_view den, double* out) {
  double n = 0.0;
  double d = 0.0;
  if (!ToFloat(num, &n) || !ToFloat(den, &d) || d == 0.0) return false;
  *out = n / d;
  return true;
}

// `\\[dt]?frac` at pos (the \dfrac/\tfrac → \frac normalisation folded into the match).
size_t MatchFrac(std::string_view s, size_t pos) {
  if (At(s, pos) != '\\') return kNo;
  size_t p = pos + 1;
  if ((At(s, p) == 'd' || At(s, p) == 't') && s.substr(p + 1, 4) == "frac") return p + 5;
  if (s.substr(p, 4) == "frac") return p + 4;
  return kNo;
}

// `\s*(?:\\cdot|\*)?\s*` then `P`; returns the position after P or kNo.
size_t MatchTimesP(std::string_view s, size_t p) {
  p = SkipSpaces(s, p);
  if (s.substr(p, 5) == "\\cdot") {
    p += 5;
  } else if (At(s, p) == '*') {
    ++p;
  }
  p = SkipSpaces(s, p);
  return At(s, p) == 'P' ? p + 1 : kNo;
}

// `\s*{\s*NUM\s*}`: sets the number's span; returns the position after '}' or kNo.
size_t MatchBracedNum(std::string_view s, size_t p, std::string_view* num) {
  p = SkipSpaces(s, p);
  if (At(s, p) != '{') return kNo;
  p = SkipSpaces(s, p + 1);
  const size_t e = MatchNum(s, p);
  if (e == kNo) return kNo;
  *num = s.substr(p, e - p);
  p = SkipSpaces(s, e);
  return At(s, p) == '}' ? p + 1 : kNo;
}

// Rules 1-3 at a \frac: \frac{c P}{d}, \frac{P}{d}, \frac{c}{d}P. Mutually exclusive.
bool MatchFracRules(std::string_view s, size_t f, Item* item) {
  const size_t brace = SkipSpaces(s, f);
  if (At(s, brace) != '{') return false;
  const size_t inner = SkipSpaces(s, brace + 1);
  std::string_view num, den;
  double value = 0.0;
  if (At(s, inner) == 'P') {  // \frac{P}{d}
    size_t p = SkipSpaces(s, inner + 1);
    if (At(s, p) != '}') return false;
    p = MatchBracedNum(s, p + 1, &den);
    if (p == kNo || !ToFloat(den, &value) || value == 0.0) return false;
    item->end = p;
    item->value = 1.0 / value;
    return true;
  }
  const size_t e = MatchNum(s, inner);
  if (e == kNo) return false;
  num = s.substr(inner, e - inner);
  size_t p = MatchTimesP(s, e);
  if (p != kNo) {  // \frac{c P}{d}
    p = SkipSpaces(s, p);
    if (At(s, p) != '}') return false;
    p = MatchBracedNum(s, p + 1, &den);
    if (p == kNo || !Ratio(num, den, &value)) return false;
    item->end = p;
    item->value = value;
    return true;
  }
  p = SkipSpaces(s, e);  // \frac{c}{d}P
  if (At(s, p) != '}') return false;
  p = MatchBracedNum(s, p + 1, &den);
  if (p == kNo) return false;
  p = MatchTimesP(s, p);
  if (p == kNo || IsWordAt(s, p) || !Ratio(num, den, &value)) return false;
  item->end = p;
  item->value = value;
  return true;
}

// Cursor over sorted, disjoint spans for "does [b, e) overlap any" queries with rising b.
class Covered {
 public:
  explicit Covered(const Items& spans) : spans_(spans) {}
  bool Overlaps(size_t b, size_t e) {
    while (next_ < spans_.size() && spans_[next_].end <= b) ++next_;
    return next_ < spans_.size() && spans_[next_].begin < e;
  }

 private:
  const Items& spans_;
  size_t next_ = 0;
};

void ExtractFromHay(std::string_view s, std::vector<double>* out) {
  Items fracs, products, zeros, bare;
  for (size_t i = s.find('\\'); i != kNo; i = s.find('\\', i + 1)) {
    const size_t f = MatchFrac(s, i);
    Item item{i, 0, 0.0};
    if (f != kNo && MatchFracRules(s, f, &item)) {
      fracs.push_back(item);
      i = item.end - 1;
    }
  }
  // Rule 4: c P, c*P, c \cdot P, skipping spans rules 1-3 matched.
  Covered covered_fracs(fracs);
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (!IsDigit(c) && c != '+' && c != '-') {
      ++i;
      continue;
    }
    const size_t e = MatchNum(s, i);
    const size_t p = e == kNo ? kNo : MatchTimesP(s, e);
    if (p == kNo || IsWordAt(s, p)) {
      // Every later start inside the same leading digit run ends the number at the same place
      // and fails the same way: skip the run (keeps the scan linear).
      const size_t run = IsDigit(c) ? i : i + 1;
      i = IsDigit(At(s, run)) ? DigitsEnd(s, run) : i + 1;
      continue;
    }
    double value = 0.0;
    if (!covered_fracs.Overlaps(i, p) && ToFloat(s.substr(i, e - i), &value)) {
      products.push_back({i, p, value});
    }
    i = p;
  }
  // Rule 5: standalone 0 or 0.0…, `(?<![\d.])0(?:\.0+)?(?![\d.])`, no span skipping.
  for (size_t i = s.find('0'); i != kNo; i = s.find('0', i + 1)) {
    if (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == '.')) continue;
    size_t e = i + 1;
    if (At(s, e) == '.' && At(s, e + 1) == '0') {
      e = e + 1;
      while (At(s, e) == '0') ++e;
    }
    if (IsDigit(At(s, e)) || At(s, e) == '.') continue;
    zeros.push_back({i, e, 0.0});
    i = e - 1;
  }
  // Rule 6: bare P (`\bP\b`) outside the spans of rules 1-4.
  Items taken;
  std::merge(fracs.begin(), fracs.end(), products.begin(), products.end(),
             std::back_inserter(taken),
             [](const Item& a, const Item& b) { return a.begin < b.begin; });
  Covered covered(taken);
  for (size_t i = s.find('P'); i != kNo; i = s.find('P', i + 1)) {
    if (IsWordBefore(s, i) || IsWordAt(s, i + 1) || covered.Overlaps(i, i + 1)) continue;
    bare.push_back({i, i + 1, 1.0});
  }
  Items all;
  all.reserve(fracs.size() + products.size() + zeros.size() + bare.size());
  for (const Items* list : {&fracs, &products, &zeros, &bare}) {
    all.insert(all.end(), list->begin(), list->end());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Item& a, const Item& b) { return a.begin < b.begin; });
  for (const Item& item : all) out->push_back(item.value);
}

// Contents of every `\\boxed\s*{` with brace-balanced matching, in order; unbalanced ones are
// dropped. One pass with a stack (counting from each box separately would be quadratic).
// Nested boxes repeat their inner text in every enclosing box's content, so a model stuck
// repeating `\boxed{` would make every later scan quadratic: a box is kept only while the kept
// contents add up to at most twice the text (disjoint boxes never add up to more than once).
absl::InlinedVector<std::string_view, 8> BoxContents(std::string_view s) {
  absl::InlinedVector<size_t, 8> opens;
  for (size_t i = s.find("\\boxed"); i != kNo; i = s.find("\\boxed", i + 1)) {
    const size_t p = SkipSpaces(s, i + 6);
    if (At(s, p) == '{') opens.push_back(p);
  }
  absl::InlinedVector<std::string_view, 8> contents;
  if (opens.empty()) return contents;
  absl::InlinedVector<size_t, 8> closes(opens.size(), kNo);
  absl::InlinedVector<int64_t, 32> stack;
  size_t next_open = 0;
  for (size_t i = opens[0]; i < s.size(); ++i) {
    if (s[i] == '{') {
      const bool is_box = next_open < opens.size() && opens[next_open] == i;
      stack.push_back(is_box ? static_cast<int64_t>(next_open++) : -1);
    } else if (s[i] == '}' && !stack.empty()) {
      if (stack.back() >= 0) closes[stack.back()] = i;
      stack.pop_back();
    }
  }
  const size_t budget = 2 * s.size();
  size_t kept = 0;
  for (size_t k = 0; k < opens.size(); ++k) {
    if (closes[k] == kNo) continue;
    const size_t length = closes[k] - opens[k] - 1;
    if (kept + length > budget) continue;
    kept += length;
    contents.push_back(s.substr(opens[k] + 1, length));
  }
  return contents;
}

}  // namespace

std::vector<std::string_view> BoxedContents(std::string_view text) {
  const auto boxes = BoxContents(text);
  return {boxes.begin(), boxes.end()};
}

void ExtractCoefficients(std::string_view text, bool gold, std::vector<double>* out) {
  const auto boxes = BoxContents(text);
  if (boxes.empty()) {
    if (gold) ExtractFromHay(text, out);
    return;
  }
  for (std::string_view box : boxes) ExtractFromHay(box, out);
}

}  // namespace arbiter::beam
