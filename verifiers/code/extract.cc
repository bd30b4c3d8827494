#include "verifiers/code/extract.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace arbiter::code {
namespace {

struct Block {
  std::string tag;  // lower-case first word of the info string; empty = untagged
  std::string body;
};

// Returns the text after the opening fence when `line` opens or closes a fence.
std::optional<absl::string_view> FenceRest(absl::string_view line) {
  size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  line.remove_prefix(indent);
  if (!absl::StartsWith(line, "```")) return std::nullopt;
  while (!line.empty() && line.front() == '`') line.remove_prefix(1);
  return line;
}

std::vector<Block> FencedBlocks(absl::string_view text) {
  std::vector<Block> blocks;
  std::optional<Block> open;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const std::optional<absl::string_view> rest = FenceRest(line);
    if (!open.has_value()) {
      if (!rest.has_value()) continue;
      const absl::string_view info = absl::StripAsciiWhitespace(*rest);
      const absl::string_view first = info.substr(0, info.find_first_of(" \t{"));
      open = Block{absl::AsciiStrToLower(first), ""};
    } else if (rest.has_value() && absl::StripAsciiWhitespace(*rest).empty()) {
      blocks.push_back(*std::move(open));
      open.reset();
    } else {
      open->body.append(line.data(), line.size());
      open->body.push_back('\n');
    }
  }
  return blocks;  // an unclosed block is dropped
}

bool TagMatches(const std::string& tag, v1::CodeTask::Language language) {
  switch (language) {
    case v1::CodeTask::LANGUAGE_CPP:
      return tag == "cpp" || tag == "c++" || tag == "cc" || tag == "cxx";
    case v1::CodeTask::LANGUAGE_C:
      return tag == "c";
    case v1::CodeTask::LANGUAGE_JAVA:
      return tag == "java";
    case v1::CodeTask::LANGUAGE_JAVASCRIPT:
      return tag == "javascript" || tag == "js";
    case v1::CodeTask::LANGUAGE_GO:
      return tag == "go";
    case v1::CodeTask::LANGUAGE_RUST:
      return tag == "rust" || tag == "rs";
    default:  // LANGUAGE_UNSPECIFIED, LANGUAGE_PYTHON
      return tag == "python" || tag == "py" || tag == "python3" || tag == "py3";
  }
}

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

}  // namespace

std::optional<std::string> ExtractProgram(absl::string_view completion,
                                          v1::CodeTask::Language language,
                                          v1::CodeTask::Extract rule) {
  if (rule == v1::CodeTask::EXTRACT_WHOLE) {
    if (Blank(completion)) return std::nullopt;
    return std::string(completion);
  }
  const std::vector<Block> blocks = FencedBlocks(completion);
  const bool first = rule == v1::CodeTask::EXTRACT_FIRST_BLOCK;
  for (bool tagged : {true, false}) {
    const Block* found = nullptr;
    for (const Block& block : blocks) {
      if (Blank(block.body)) continue;
      if (tagged ? !TagMatches(block.tag, language) : !block.tag.empty()) continue;
      found = &block;
      if (first) break;
    }
    if (found != nullptr) return found->body;
  }
  return std::nullopt;
}

}  // namespace arbiter::code
