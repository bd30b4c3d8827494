#include "verifiers/sdk/json.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace arbiter::sdk {
namespace {

absl::Status NotJson(absl::string_view what, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(what, " is not valid JSON (", why, ")"));
}

// nlohmann's SAX events → an ordered_json, with Python's rule for a repeated key. An object's
// keys are found by a scan while it is small and through a hash index once it is not, so parsing
// stays linear however many keys an object has.
class OrderedBuilder {
 public:
  using Json = nlohmann::ordered_json;

  explicit OrderedBuilder(Json& root) : root_(root) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool value) { return Put(value); }
  bool number_integer(Json::number_integer_t value) { return Put(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& /*lexeme*/) {
    return Put(value);
  }
  // Copied, not moved: the lexer reuses the buffer, which keeps its capacity only if left alone.
  bool string(Json::string_t& value) { return Put(value); }
  bool binary(Json::binary_t& value) { return Put(Json::binary(std::move(value))); }
  bool start_object(std::size_t /*size*/) { return Open(Json::object()); }
  bool key(Json::string_t& key);
  bool end_object() {
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*size*/) { return Open(Json::array()); }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const Json::exception& error) {
    error_ = error.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr size_t kScanKeys = 16;  // beyond this many keys an object gets an index

  struct Container {
    Json* value;                                     // the array or object being filled
    Json* pending;                                   // objects: the slot of the key just read
    absl::flat_hash_map<std::string, size_t> index;  // key -> position, once large
  };

  // Stores `value` where the next value goes and returns its address, which stays valid while
  // the value is open: its container grows only after it is closed.
  Json* Place(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Container& top = open_.back();
    if (top.value->is_array()) {
      auto& array = top.value->get_ref<Json::array_t&>();
      array.push_back(std::move(value));
      return &array.back();
    }
    *top.pending = std::move(value);
    return top.pending;
  }
  bool Put(Json value) {
    Place(std::move(value));
    return true;
  }
  bool Open(Json empty) {
    Json* value = Place(std::move(empty));
    open_.push_back({value, nullptr, {}});
    return true;
  }

  Json& root_;
  std::vector<Container> open_;
  std::string error_;
};

bool OrderedBuilder::key(Json::string_t& key) {
  Container& top = open_.back();
  // ordered_map is a vector of pairs; its own emplace scans every key. Appending through the
  // vector and finding repeats here keeps the first position of a repeated key (its value is
  // then replaced), as a Python dict built from the pairs does.
  auto& pairs = static_cast<Json::object_t::Container&>(top.value->get_ref<Json::object_t&>());
  size_t at = pairs.size();
  if (top.index.empty() && pairs.size() < kScanKeys) {
    for (size_t i = 0; i < pairs.size() && at == pairs.size(); ++i) {
      if (pairs[i].first == key) at = i;
    }
  } else {
    if (top.index.empty()) {
      for (size_t i = 0; i < pairs.size(); ++i) top.index.emplace(pairs[i].first, i);
    }
    at = top.index.try_emplace(key, pairs.size()).first->second;
  }
  if (at == pairs.size()) pairs.emplace_back(key, nullptr);
  top.pending = &pairs[at].second;
  return true;
}

}  // namespace

bool JsonNestsDeeperThan(absl::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

absl::StatusOr<nlohmann::json> ParseUntrustedJson(absl::string_view text, absl::string_view what,
                                                  int max_depth) {
  if (JsonNestsDeeperThan(text, max_depth)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is nested deeper than ", max_depth, " levels"));
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return NotJson(what, e.what());
  }
}

absl::StatusOr<nlohmann::ordered_json> ParseUntrustedOrderedJson(absl::string_view text,
                                                                 absl::string_view what,
                                                                 int max_depth) {
  if (JsonNestsDeeperThan(text, max_depth)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " is nested deeper than ", max_depth, " levels"));
  }
  nlohmann::ordered_json root;
  OrderedBuilder builder(root);
  try {
    if (!nlohmann::ordered_json::sax_parse(text.begin(), text.end(), &builder)) {
      return NotJson(what, builder.error());
    }
  } catch (const nlohmann::ordered_json::exception& e) {  // not expected from sax_parse
    return NotJson(what, e.what());
  }
  return root;
}

}  // namespace arbiter::sdk
