#include "verifiers/code/extract.h"

#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "verifiers/code/language.h"

namespace arbiter::code {
namespace {

struct Block {
  std::string tag;  // lower-case first word of the info string; empty = untagged
  std::string body;
};

// Returns the text after the backticks when `line` opens or closes a fence.
std::optional<absl::string_view> FenceRest(absl::string_view line) {
  line = absl::StripLeadingAsciiWhitespace(line);
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
      blocks.push_back(std::move(*open));
      open.reset();
    } else {
      open->body.append(line.data(), line.size());
      open->body.push_back('\n');
    }
  }
  return blocks;  // an unclosed block is dropped
}

bool Blank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

}  // namespace

std::optional<ExtractedProgram> ExtractProgram(absl::string_view completion,
                                               absl::Span<const v1::CodeTask::Language> allowed,
                                               v1::CodeTask::Language untagged,
                                               v1::CodeTask::Extract rule) {
  if (rule == v1::CodeTask::EXTRACT_WHOLE) {
    if (Blank(completion) || untagged == v1::CodeTask::LANGUAGE_UNSPECIFIED) return std::nullopt;
    return ExtractedProgram{untagged, std::string(completion)};
  }
  const std::vector<Block> blocks = FencedBlocks(completion);
  const bool first = rule == v1::CodeTask::EXTRACT_FIRST_BLOCK;
  std::optional<ExtractedProgram> found;
  for (const Block& block : blocks) {  // tagged blocks of an allowed language
    if (Blank(block.body) || block.tag.empty()) continue;
    const std::optional<v1::CodeTask::Language> language = LanguageFromTag(block.tag);
    if (!language.has_value() || absl::c_find(allowed, *language) == allowed.end()) continue;
    found = ExtractedProgram{*language, block.body};
    if (first) break;
  }
  if (found.has_value() || untagged == v1::CodeTask::LANGUAGE_UNSPECIFIED) return found;
  for (const Block& block : blocks) {
    if (Blank(block.body) || !block.tag.empty()) continue;
    found = ExtractedProgram{untagged, block.body};
    if (first) break;
  }
  return found;
}

}  // namespace arbiter::code
