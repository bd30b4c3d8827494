#include "server/http/json_subset.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/json.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

constexpr int kDepth = 128;

// Same value and, at every level, the same nlohmann type (1u and 1 compare equal otherwise).
bool SameTyped(const json& a, const json& b) {
  if (a.type() != b.type() || a != b) return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!SameTyped(it.value(), b.at(it.key()))) return false;
    }
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameTyped(a[i], b[i])) return false;
    }
  }
  return true;
}

// The oracle: what nlohmann makes of `text`, or nullopt when it refuses it.
std::optional<json> Nlohmann(const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

// Accepted text must give nlohmann's value; refused text is nlohmann's to parse.
::testing::AssertionResult Agrees(const std::string& text) {
  const std::optional<json> fast = ParseJsonSubset(text, kDepth);
  if (!fast) return ::testing::AssertionSuccess();
  const std::optional<json> oracle = Nlohmann(text);
  if (!oracle) return ::testing::AssertionFailure() << "accepted what nlohmann refuses: " << text;
  if (!SameTyped(*fast, *oracle)) {
    return ::testing::AssertionFailure()
           << "for " << text << " got " << fast->dump() << ", nlohmann " << oracle->dump();
  }
  return ::testing::AssertionSuccess();
}

TEST(ParseJsonSubset, ReadsTrainerBodiesAsNlohmannDoes) {
  const std::vector<std::string> accepted = {
      R"({"prompt": "<|im_start|>user\nSolve\\boxed{} \"x\"\t/\/", "response": "[1] \\boxed{101}",
          "label": "!AB & C"})",
      R"({"query": ["p c"], "prompts": ["p"], "labels": [{"ground_truth": {"n": 3, "k": -5}}]})",
      R"({"prompt": [{"role": "user", "content": "x"}], "response": "y", "label": null})",
      " [true, false, null, 0, -0, 18446744073709551615, -9223372036854775808, {}, []] \r\n",
      "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
      R"("\b\f\n\r\t")",
      "7",
  };
  for (const std::string& text : accepted) {
    EXPECT_TRUE(ParseJsonSubset(text, kDepth).has_value()) << text;
    EXPECT_TRUE(Agrees(text));
  }
  const std::optional<json> value = ParseJsonSubset(accepted[3], kDepth);
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE((*value)[5].is_number_unsigned());
  EXPECT_TRUE((*value)[6].is_number_integer());
  EXPECT_EQ((*value)[6].get<int64_t>(), INT64_MIN);
}

TEST(ParseJsonSubset, LeavesTheRestToNlohmann) {
  const std::vector<std::string> refused = {
      "",
      "   ",
      R"("\u00e9")",           // \u escapes
      R"("\ud83d\ude00")",     // surrogate pair
      R"(["\x"])",             // invalid escape
      "1.5",                   // fraction
      "1e3",                   // exponent
      "01",                    // leading zero
      "18446744073709551616",  // past uint64: nlohmann makes a double
      "-9223372036854775809",  // past int64: a double
      R"({"a": 1, "a": 2})",   // repeated key
      "\xEF\xBB\xBF{}",        // byte-order mark
      "\"a\x01\"",             // control character
      "\"\xC0\x80\"",          // overlong
      "\"\xED\xA0\x80\"",      // UTF-16 surrogate in UTF-8
      "\"\xF4\x90\x80\x80\"",  // past U+10FFFF
      "\"\xE2\x82\"",          // truncated sequence
      "{} x",                  // trailing text
      "[1,]",
      "{\"a\" 1}",
      "tru",
      "-",
      "[",
  };
  for (const std::string& text : refused) {
    EXPECT_FALSE(ParseJsonSubset(text, kDepth).has_value()) << text;
  }
}

TEST(ParseJsonSubset, FindsQuotesEscapesAndBadBytesAtEveryOffsetOfALongString) {
  for (size_t at = 0; at < 40; ++at) {
    for (const std::string& inner :
         {std::string("\\\""), std::string("\\n"), std::string("\xC3\xA9"), std::string("\x01"),
          std::string("\xFF"), std::string("\"")}) {
      const std::string text = "\"" + std::string(at, 'a') + inner + std::string(17, 'b') + "\"";
      EXPECT_TRUE(Agrees(text)) << at;
      const bool valid = inner != "\x01" && inner != "\xFF" && inner != "\"";
      EXPECT_EQ(ParseJsonSubset(text, kDepth).has_value(), valid) << at << " " << inner;
    }
  }
}

TEST(ParseJsonSubset, AcceptsNestingUpToItsLimitOnly) {
  for (int depth : {1, 2, 127, 128, 129, 300}) {
    const std::string arrays = std::string(static_cast<size_t>(depth), '[') + "1" +
                               std::string(static_cast<size_t>(depth), ']');
    std::string objects = "0";
    for (int i = 0; i < depth; ++i) objects = absl::StrCat(R"({"k": )", objects, "}");
    for (const std::string& text : {arrays, objects}) {
      EXPECT_EQ(ParseJsonSubset(text, kDepth).has_value(), depth <= kDepth) << depth;
      EXPECT_EQ(sdk::JsonNestsDeeperThan(text, kDepth), depth > kDepth) << depth;
      EXPECT_TRUE(Agrees(text));
    }
  }
}

// Random values (as nlohmann writes them, with whitespace sprinkled in), then random byte edits.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  json Value(int depth) {
    switch (Pick(depth > 3 ? 5 : 7)) {
      case 0:
        return nullptr;
      case 1:
        return Pick(2) == 0;
      case 2:
        return Number();
      case 3:
      case 4:
        return Text();
      case 5: {
        json array = json::array();
        for (int i = Pick(4); i > 0; --i) array.push_back(Value(depth + 1));
        return array;
      }
      default: {
        json object = json::object();
        for (int i = Pick(4); i > 0; --i) object[Text()] = Value(depth + 1);
        return object;
      }
    }
  }

  std::string Spaced(const std::string& text) {
    std::string out;
    for (char c : text) {
      out.push_back(c);
      if ((c == ',' || c == ':' || c == '[' || c == '{') && Pick(3) == 0) out += " \n\t\r"[Pick(4)];
    }
    return out;
  }

  std::string Mutate(std::string text) {
    static const char kBytes[] = "\"\\{}[],:0-.eE \x01\x7F\x80\xC3\xA9\xED\xF4uatn/";
    for (int edits = 1 + Pick(3); edits > 0 && !text.empty(); --edits) {
      const size_t at = rng_() % text.size();
      const char byte = kBytes[Pick(sizeof(kBytes) - 1)];
      switch (Pick(3)) {
        case 0:
          text[at] = byte;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), byte);
          break;
        default:
          text.erase(at, 1);
      }
    }
    return text;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  json Number() {
    switch (Pick(5)) {
      case 0:
        return static_cast<int64_t>(rng_()) - (int64_t{1} << 31);
      case 1:
        return static_cast<uint64_t>(rng_()) << 32 | rng_();
      case 2:
        return INT64_MIN + Pick(3);
      case 3:
        return static_cast<double>(rng_()) / 7.0;
      default:
        return Pick(10);
    }
  }

  std::string Text() {
    static const std::vector<std::string> kPieces = {"a",
                                                     "Z",
                                                     " ",
                                                     "\"",
                                                     "\\",
                                                     "/",
                                                     "\n",
                                                     "\t",
                                                     "\b",
                                                     "\x1F",
                                                     "\xC3\xA9",
                                                     "\xE2\x82\xAC",
                                                     "\xF0\x9F\x98\x80",
                                                     "<|im_end|>",
                                                     "\\boxed{1}",
                                                     "!A & B"};
    std::string out;
    for (int i = Pick(6); i > 0; --i) out += kPieces[static_cast<size_t>(Pick(16))];
    return out;
  }

  std::mt19937 rng_;
};

TEST(ParseJsonSubset, AgreesWithNlohmannOnRandomAndMutatedText) {
  const uint32_t seed = std::random_device{}();
  Generator generator(seed);
  int accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = generator.Spaced(generator.Value(0).dump());
    ASSERT_TRUE(Agrees(text)) << "seed " << seed;
    ASSERT_TRUE(Agrees(generator.Mutate(text))) << "seed " << seed;
    accepted += ParseJsonSubset(text, kDepth).has_value();
  }
  // Most of what nlohmann writes is in the subset (not \u escapes of control bytes, doubles).
  EXPECT_GT(accepted, 1000) << "seed " << seed;
}

}  // namespace
}  // namespace arbiter::server::http
