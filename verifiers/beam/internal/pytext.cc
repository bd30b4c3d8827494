#include "verifiers/beam/internal/pytext.h"

#include <cstdint>

namespace arbiter::beam::internal {
namespace {

// Decodes the UTF-8 sequence at pos; returns the code point and sets *len (1 for an invalid byte,
// whose code point is reported as 0xFFFD, a non-word, non-space character).
uint32_t DecodeAt(std::string_view s, size_t pos, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  *len = 1;
  if (b0 < 0x80) return b0;
  int extra = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    return 0xFFFD;
  }
  if (pos + extra >= s.size()) return 0xFFFD;
  for (int i = 1; i <= extra; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = static_cast<size_t>(extra) + 1;
  return cp;
}

bool IsSpaceCodePoint(uint32_t cp) {
  if (cp < 0x80) return (cp >= 9 && cp <= 13) || (cp >= 28 && cp <= 32);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

struct Range {
  uint32_t lo, hi;
};
// Blocks of punctuation, symbols, spaces and controls (not \w in Python).
constexpr Range kNonWord[] = {
    {0x80, 0xA9},     {0xAB, 0xB1},     {0xB4, 0xB4},      {0xB6, 0xB8},     {0xBB, 0xBB},
    {0xBF, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},      {0x2000, 0x206F}, {0x207A, 0x207E},
    {0x208A, 0x208E}, {0x20A0, 0x20FF}, {0x2190, 0x245F},  {0x2500, 0x2775}, {0x2794, 0x2BFF},
    {0x2E00, 0x2E7F}, {0x3000, 0x3004}, {0x3008, 0x3020},  {0x3030, 0x3030}, {0x303D, 0x303F},
    {0xFE10, 0xFE1F}, {0xFE30, 0xFE6F}, {0xFF01, 0xFF0F},  {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40},
    {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}};

bool IsWordCodePoint(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '_';
  }
  for (const Range& r : kNonWord) {
    if (cp < r.lo) return true;
    if (cp <= r.hi) return false;
  }
  return true;
}

}  // namespace

size_t IsSpaceAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return IsSpaceCodePoint(c) ? 1 : 0;
  size_t len = 0;
  const uint32_t cp = DecodeAt(text, pos, &len);
  return IsSpaceCodePoint(cp) ? len : 0;
}

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (size_t n = IsSpaceAt(text, pos)) pos += n;
  return pos;
}

bool IsWordAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  size_t len = 0;
  return IsWordCodePoint(DecodeAt(text, pos, &len));
}

bool IsWordBefore(std::string_view text, size_t pos) {
  if (pos == 0 || pos > text.size()) return false;
  size_t start = pos - 1;
  // Step back over at most three continuation bytes to the lead byte.
  for (int i = 0; i < 3 && start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80;
       ++i) {
    --start;
  }
  size_t len = 0;
  const uint32_t cp = DecodeAt(text, start, &len);
  if (start + len != pos) return false;  // invalid sequence: not a word character
  return IsWordCodePoint(cp);
}

}  // namespace arbiter::beam::internal
