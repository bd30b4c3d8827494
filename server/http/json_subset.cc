#include "server/http/json_subset.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "verifiers/sdk/utf8.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

// SWAR over 8 bytes (Hacker's Delight / "bit twiddling hacks": a zero byte in x ^ c marks a
// byte equal to c). Bit 7 of a byte of the result is set iff that byte is '"', '\\' or < 0x20.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

uint64_t HasZeroByte(uint64_t x) { return (x - kOnes) & ~x & kHighs; }

uint64_t StopBytes(uint64_t word) {
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighs;
  return below_space | HasZeroByte(word ^ (kOnes * '"')) | HasZeroByte(word ^ (kOnes * '\\'));
}

// A recursive-descent reader; every method returns false when the text leaves the subset.
class Reader {
 public:
  Reader(absl::string_view text, int max_depth)
      : p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

  bool Document(json& out) {
    SkipWhitespace();
    if (!Value(out, 0)) return false;
    SkipWhitespace();
    return p_ == end_;
  }

 private:
  void SkipWhitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Consume(char c) {
    SkipWhitespace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // `depth`: arrays and objects around this value (the top level is 0).
  bool Value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return Object(out, depth);
      case '[':
        return Array(out, depth);
      case '"': {
        std::string text;
        if (!String(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't':
        return Literal("true", json(true), out);
      case 'f':
        return Literal("false", json(false), out);
      case 'n':
        return Literal("null", json(nullptr), out);
      default:
        return Integer(out);
    }
  }

  bool Literal(absl::string_view word, json value, json& out) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        absl::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    out = std::move(value);
    return true;
  }

  bool Object(json& out, int depth) {
    if (depth >= max_depth_) return false;  // this object nests deeper than max_depth_
    ++p_;                                   // '{'
    out = json::object();
    auto& members = *out.get_ptr<json::object_t*>();
    SkipWhitespace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      std::string key;
      if (p_ == end_ || *p_ != '"' || !String(key) || !Consume(':')) return false;
      auto [member, inserted] = members.emplace(std::move(key), json());
      if (!inserted) return false;  // nlohmann keeps the last; rare enough to leave to it
      SkipWhitespace();
      if (!Value(member->second, depth + 1)) return false;
      SkipWhitespace();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_++ != ',') return false;
    }
  }

  bool Array(json& out, int depth) {
    if (depth >= max_depth_) return false;
    ++p_;  // '['
    out = json::array();
    auto& elements = *out.get_ptr<json::array_t*>();
    SkipWhitespace();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      elements.emplace_back();
      if (!Value(elements.back(), depth + 1)) return false;
      SkipWhitespace();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_++ != ',') return false;
    }
  }

  // At the opening quote. Copies runs of plain bytes at once; nlohmann copies byte by byte.
  bool String(std::string& out) {
    ++p_;                    // '"'
    unsigned char seen = 0;  // OR of the plain bytes: bit 7 set when any is not ASCII
    while (true) {
      const char* run = p_;
      uint64_t seen_words = 0;
      while (end_ - p_ >= 8) {  // 8 plain bytes at a time
        uint64_t word;
        std::memcpy(&word, p_, sizeof(word));
        if (StopBytes(word) != 0) break;
        seen_words |= word;
        p_ += 8;
      }
      if (seen_words & kHighs) seen |= 0x80;
      while (p_ < end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20) break;
        seen |= c;
        ++p_;
      }
      out.append(run, static_cast<size_t>(p_ - run));
      if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
      if (*p_++ == '"') break;
      if (p_ == end_) return false;
      switch (*p_++) {  // after a backslash
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        default:
          return false;  // \u (surrogate pairs) and invalid escapes: nlohmann's
      }
    }
    // Escapes add ASCII only, so the text is well-formed iff its plain runs are.
    return (seen & 0x80) == 0 || sdk::IsValidUtf8(out);
  }

  // -?(0|[1-9][0-9]*), not followed by a fraction or exponent, within 64 bits.
  bool Integer(json& out) {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    uint64_t magnitude = 0;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
        const auto digit = static_cast<uint64_t>(*p_ - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) return false;  // nlohmann: a double
        magnitude = magnitude * 10 + digit;
        ++p_;
      }
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || (*p_ >= '0' && *p_ <= '9'))) {
      return false;
    }
    if (!negative) {
      out = static_cast<json::number_unsigned_t>(magnitude);
      return true;
    }
    if (magnitude > uint64_t{1} << 63) return false;  // nlohmann: a double
    out = static_cast<json::number_integer_t>(0 - magnitude);
    return true;
  }

  const char* p_;
  const char* const end_;
  const int max_depth_;
};

}  // namespace

std::optional<nlohmann::json> ParseJsonSubset(absl::string_view text, int max_depth) {
  json value;
  if (!Reader(text, max_depth).Document(value)) return std::nullopt;
  return value;
}

}  // namespace arbiter::server::http
