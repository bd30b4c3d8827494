#include "verifiers/code/python_value.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "verifiers/code/compare.h"
#include "verifiers/sdk/json.h"

namespace arbiter::code {
namespace {

using json = nlohmann::json;

bool IsContainer(const json& v) { return v.is_array(); }  // scalars are never arrays when tagged
const std::string& Tag(const json& v) { return v[0].get_ref<const std::string&>(); }
const json& Items(const json& v) { return v[1]; }
bool IsList(const json& v) { return IsContainer(v) && Tag(v) == "list"; }
bool IsTuple(const json& v) { return IsContainer(v) && Tag(v) == "tuple"; }

// Checks the untrusted encoding: every array is ["tuple"|"list"|"dict", [...]], dict items are
// [scalar key, value] pairs, and no object appears (JSON objects are always tagged as dicts).
bool WellFormed(const json& v) {
  if (v.is_object()) return false;
  if (!v.is_array()) return true;
  if (v.size() != 2 || !v[0].is_string() || !v[1].is_array()) return false;
  const std::string& tag = Tag(v);
  if (tag == "dict") {
    for (const json& item : Items(v)) {
      if (!item.is_array() || item.size() != 2 || item[0].is_array() || item[0].is_object() ||
          !WellFormed(item[1])) {
        return false;
      }
    }
    return true;
  }
  if (tag != "tuple" && tag != "list") return false;
  for (const json& item : Items(v)) {
    if (!WellFormed(item)) return false;
  }
  return true;
}

// A dict key's identity under Python's hashing and ==: 1, 1.0 and True are one key; "1" another.
// nullopt for NaN, which no other key equals.
std::optional<std::string> KeyIdentity(const json& key) {
  if (key.is_string()) return absl::StrCat("s", key.get_ref<const std::string&>());
  if (key.is_boolean()) return key.get<bool>() ? "n1" : "n0";
  if (key.is_null()) return "z";
  if (key.is_number_integer()) return absl::StrCat("n", key.dump());
  const double d = key.get<double>();
  if (std::isnan(d)) return std::nullopt;
  if (d == std::trunc(d) && std::fabs(d) < 9.2e18) {
    return absl::StrCat("n", static_cast<int64_t>(d));
  }
  return absl::StrCat("f", key.dump());
}

bool DictsEqual(const json& a, const json& b, bool strict_types) {
  if (Items(a).size() != Items(b).size()) return false;
  std::unordered_map<std::string, const json*> values;
  for (const json& item : Items(b)) {
    if (auto id = KeyIdentity(item[0])) values[*id] = &item[1];
  }
  for (const json& item : Items(a)) {
    auto id = KeyIdentity(item[0]);
    if (!id) return false;
    auto it = values.find(*id);
    if (it == values.end() || !PythonEqual(item[1], *it->second, strict_types)) return false;
  }
  return true;
}

json TopTupleAsList(const json& v) { return IsTuple(v) ? json::array({"list", Items(v)}) : v; }

// Python's int(text) for a dict key: surrounding whitespace, a sign, digits (underscores between
// them). nullopt when int() would raise, or the value does not fit 64 bits.
std::optional<json> IntKey(const std::string& text) {
  std::string digits;
  absl::string_view s = absl::StripAsciiWhitespace(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (absl::ascii_isdigit(s[i])) {
      digits += s[i];
    } else if (s[i] != '_' || i == 0 || i + 1 == s.size() || !absl::ascii_isdigit(s[i + 1])) {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  if (int64_t n; absl::SimpleAtoi(absl::StrCat(negative ? "-" : "", digits), &n)) return json(n);
  if (uint64_t n; !negative && absl::SimpleAtoi(digits, &n)) return json(n);
  return std::nullopt;
}

// APPS's `{int(k): v for k, v in d.items()}` wrapped in a list, if every key converts.
std::optional<json> IntKeyedInList(const json& object) {
  json items = json::array();
  for (auto it = object.begin(); it != object.end(); ++it) {
    std::optional<json> key = IntKey(it.key());
    if (!key) return std::nullopt;
    items.push_back(json::array({*key, Tagged(it.value())}));
  }
  return json::array({"list", json::array({json::array({"dict", std::move(items)})})});
}

// [list(x) for x in got] of APPS's tuple fallback; nullopt where list(x) would raise.
std::optional<json> ElementsAsLists(const json& got) {
  json out = json::array();
  for (const json& x : Items(got)) {
    if (IsContainer(x)) {
      json elements = json::array();
      for (const json& e : Items(x)) elements.push_back(Tag(x) == "dict" ? e[0] : e);
      out.push_back(json::array({"list", std::move(elements)}));
    } else if (x.is_string()) {
      json chars = json::array();  // list("ab") == ["a", "b"]: code points
      const auto& s = x.get_ref<const std::string&>();
      for (size_t i = 0; i < s.size();) {
        size_t n = 1;
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
        chars.push_back(s.substr(i, n));
        i += n;
      }
      out.push_back(json::array({"list", std::move(chars)}));
    } else {
      return std::nullopt;
    }
  }
  return json::array({"list", std::move(out)});
}

}  // namespace

json Tagged(const json& plain) {
  if (plain.is_array()) {
    json items = json::array();
    for (const json& v : plain) items.push_back(Tagged(v));
    return json::array({"list", std::move(items)});
  }
  if (plain.is_object()) {
    json items = json::array();
    for (auto it = plain.begin(); it != plain.end(); ++it) {
      items.push_back(json::array({it.key(), Tagged(it.value())}));
    }
    return json::array({"dict", std::move(items)});
  }
  return plain;
}

json PythonValue(const json& plain, absl::string_view python_types) {
  if (python_types.empty() || python_types == "exact") return Tagged(plain);
  // Tagging doubles the nesting of the value it encodes.
  absl::StatusOr<json> parsed =
      sdk::ParseUntrustedJson(python_types, "python_types", 2 * sdk::kMaxJsonDepth + 1);
  if (!parsed.ok() || !WellFormed(*parsed)) return Tagged(plain);
  return *std::move(parsed);
}

bool PythonEqual(const json& a, const json& b, bool strict_types) {
  if (IsContainer(a) != IsContainer(b)) return false;
  if (!IsContainer(a)) return JsonEqual(a, b, 0, strict_types);
  if (Tag(a) != Tag(b)) return false;
  if (Tag(a) == "dict") return DictsEqual(a, b, strict_types);
  if (Items(a).size() != Items(b).size()) return false;
  for (size_t i = 0; i < Items(a).size(); ++i) {
    if (!PythonEqual(Items(a)[i], Items(b)[i], strict_types)) return false;
  }
  return true;
}

bool LiveCodeBenchCallMatches(const json& got, const json& expected, bool first_element) {
  const json prediction = TopTupleAsList(got);
  if (PythonEqual(prediction, Tagged(expected))) return true;
  return first_element && expected.is_array() && !expected.empty() &&
         PythonEqual(prediction, Tagged(expected[0]));
}

bool AppsCallMatches(const json& got, const json& expected, bool first_element) {
  // "JSON forces dictionaries to have string keys; this undoes this" (their comment).
  std::optional<json> converted;
  if (expected.is_object()) {
    converted = IntKeyedInList(expected);
  } else if (expected.is_array() && !expected.empty() && expected[0].is_object()) {
    converted = IntKeyedInList(expected[0]);
  }
  const json want = converted ? *std::move(converted) : Tagged(expected);
  const json output = TopTupleAsList(got);
  if (PythonEqual(output, want)) return true;
  const bool has_first = IsList(want) && !Items(want).empty();
  if (first_element && has_first && PythonEqual(output, Items(want)[0])) return true;
  if (has_first && IsList(output) && !Items(output).empty() && IsTuple(Items(output)[0])) {
    std::optional<json> lists = ElementsAsLists(output);
    return lists && PythonEqual(*lists, Items(want)[0]);
  }
  return false;
}

}  // namespace arbiter::code
