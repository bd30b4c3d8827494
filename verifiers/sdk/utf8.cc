#include "verifiers/sdk/utf8.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace arbiter::sdk {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Bytes up to which an ASCII run starting at `pos` extends (8 bytes at a time).
size_t SkipAscii(absl::string_view text, size_t pos) {
  while (pos + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
    pos += 8;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
  return pos;
}

// Length of the maximal subpart of an ill-formed sequence at `pos` (at least 1): the lead byte
// plus the continuation bytes that could still have belonged to a well-formed sequence.
size_t IllFormedLength(absl::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  size_t n = 1;
  for (size_t k = 0; k < need && pos + n < text.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[pos + n]);
    if (c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF)) break;
    ++n;
  }
  return n;
}

int RepairString(const Reflection& reflection, Message& message, const FieldDescriptor& field) {
  int repaired = 0;
  if (field.is_repeated()) {
    const int size = reflection.FieldSize(message, &field);
    for (int i = 0; i < size; ++i) {
      std::string scratch;
      const std::string& value =
          reflection.GetRepeatedStringReference(message, &field, i, &scratch);
      if (IsValidUtf8(value)) continue;
      reflection.SetRepeatedString(&message, &field, i, ToValidUtf8(value));
      ++repaired;
    }
    return repaired;
  }
  std::string scratch;
  const std::string& value = reflection.GetStringReference(message, &field, &scratch);
  if (IsValidUtf8(value)) return 0;
  reflection.SetString(&message, &field, ToValidUtf8(value));
  return 1;
}

}  // namespace

size_t Utf8SequenceAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return 1;
  const size_t n = IllFormedLength(text, pos);
  size_t expected = 0;
  if (lead >= 0xC2 && lead <= 0xDF) expected = 2;
  if (lead >= 0xE0 && lead <= 0xEF) expected = 3;
  if (lead >= 0xF0 && lead <= 0xF4) expected = 4;
  return n == expected ? n : 0;
}

bool IsValidUtf8(absl::string_view text) {
  size_t pos = 0;
  while (true) {
    pos = SkipAscii(text, pos);
    if (pos >= text.size()) return true;
    const size_t n = Utf8SequenceAt(text, pos);
    if (n == 0) return false;
    pos += n;
  }
}

std::string ToValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t ascii_end = SkipAscii(text, pos);
    out.append(text.data() + pos, ascii_end - pos);
    pos = ascii_end;
    if (pos >= text.size()) break;
    const size_t n = Utf8SequenceAt(text, pos);
    if (n > 0) {
      out.append(text.data() + pos, n);
      pos += n;
    } else {
      out.append(kReplacementCharacter.data(), kReplacementCharacter.size());
      pos += IllFormedLength(text, pos);
    }
  }
  return out;
}

absl::string_view Utf8Prefix(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  // Step back over at most three continuation bytes to the lead byte of the cut character; keep
  // that character only if it ends before the cut.
  size_t lead = cut;
  while (lead > 0 && cut - lead < 3 && IsContinuation(static_cast<unsigned char>(text[lead]))) {
    --lead;
  }
  if (lead < cut) {
    const size_t n = Utf8SequenceAt(text, lead);
    if (n > 0 && lead + n > cut) cut = lead;
  }
  return text.substr(0, cut);
}

absl::string_view Utf8Suffix(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t start = text.size() - max_bytes;
  // Continuation bytes at the start belong to a character cut in two: skip them (at most 3).
  for (int k = 0;
       k < 3 && start < text.size() && IsContinuation(static_cast<unsigned char>(text[start]));
       ++k) {
    ++start;
  }
  return text.substr(start);
}

int RepairUtf8Fields(Message& message) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  int repaired = 0;
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      repaired += RepairString(reflection, message, *field);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        const int size = reflection.FieldSize(message, field);
        for (int i = 0; i < size; ++i) {
          repaired += RepairUtf8Fields(*reflection.MutableRepeatedMessage(&message, field, i));
        }
      } else {
        repaired += RepairUtf8Fields(*reflection.MutableMessage(&message, field));
      }
    }
  }
  return repaired;
}

void PackDetail(Message& detail, v1::SampleResult& result) {
  RepairUtf8Fields(detail);
  result.mutable_extension()->PackFrom(detail);
}

}  // namespace arbiter::sdk
