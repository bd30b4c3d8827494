#include "server/wire.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/proto_buffer_writer.h"
#include "rpc/status_conversion.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

constexpr int kMaxDiagnosisDepth = 64;

std::string FieldPath(const std::string& parent, const FieldDescriptor& field, int index) {
  std::string path = parent.empty() ? field.name() : absl::StrCat(parent, ".", field.name());
  if (field.is_repeated()) absl::StrAppend(&path, "[", index, "]");
  return path;
}

// Walks the wire data of one message; returns the first problem found, or "".
std::string Walk(const Descriptor& type, absl::string_view bytes, const std::string& path,
                 int depth) {
  if (depth > kMaxDiagnosisDepth) return "";
  CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                         static_cast<int>(bytes.size()));
  absl::flat_hash_map<int, int> seen;  // field number -> occurrences so far (repeated index)
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) {
      if (input.CurrentPosition() < static_cast<int>(bytes.size())) {
        return absl::StrCat(path.empty() ? "the request" : path,
                            " holds malformed protobuf data (at byte ", input.CurrentPosition(),
                            ")");
      }
      return "";
    }
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (field == nullptr || !delimited ||
        (field->type() != FieldDescriptor::TYPE_STRING &&
         field->type() != FieldDescriptor::TYPE_MESSAGE)) {
      if (!WireFormatLite::SkipField(&input, tag)) {
        return absl::StrCat(path.empty() ? "the request" : path,
                            " holds malformed protobuf data (field ", number, ")");
      }
      if (field != nullptr) ++seen[number];
      continue;
    }
    uint32_t length = 0;
    if (!input.ReadVarint32(&length)) return "malformed protobuf data (length)";
    const int start = input.CurrentPosition();
    if (length > bytes.size() - start) {
      return absl::StrCat(FieldPath(path, *field, seen[number]), " is truncated");
    }
    const absl::string_view value = bytes.substr(start, length);
    input.Skip(static_cast<int>(length));
    const std::string here = FieldPath(path, *field, seen[number]++);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (!sdk::IsValidUtf8(value)) {
        size_t at = 0;
        while (at < value.size()) {
          const size_t n = sdk::Utf8SequenceAt(value, at);
          if (n == 0) break;
          at += n;
        }
        return absl::StrCat(here, " is not valid UTF-8 (at byte ", at,
                            " of the field): protobuf string fields must hold UTF-8 text");
      }
      continue;
    }
    std::string inner = Walk(*field->message_type(), value, here, depth + 1);
    if (!inner.empty()) return inner;
  }
}

}  // namespace

std::string DescribeParseFailure(const Descriptor& type, absl::string_view bytes) {
  return Walk(type, bytes, "", 0);
}

absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message) {
  // The reader needs a mutable buffer; a ByteBuffer copy shares the slices (reference counts).
  grpc::ByteBuffer copy(bytes);
  grpc::ProtoBufferReader reader(&copy);
  if (message.ParseFromZeroCopyStream(&reader)) return absl::OkStatus();
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (bytes.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      flat.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  std::string why = DescribeParseFailure(*message.GetDescriptor(), flat);
  if (why.empty()) why = "the bytes are not a valid message of that type";
  return absl::InvalidArgumentError(
      absl::StrCat("cannot parse the ", message.GetDescriptor()->full_name(), ": ", why));
}

absl::Status SerializeMessage(const google::protobuf::Message& message, grpc::ByteBuffer& bytes) {
  bool own_buffer = false;
  const grpc::Status status =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &bytes, &own_buffer);
  return rpc::FromGrpcStatus(status);
}

int64_t EncodedGroupSize(const v1::GroupResult& group) {
  const auto size = static_cast<int64_t>(group.ByteSizeLong());
  return 1 + WireFormatLite::UInt64Size(static_cast<uint64_t>(size)) + size;
}

void FailOversizeGroup(v1::GroupResult& group, int64_t size, int64_t limit) {
  const std::string message = absl::StrCat(
      "this group's result is ", size, " bytes and the response may hold ", limit,
      " (--max_message_bytes): its verdicts were dropped; send it in a request of its own or "
      "with fewer samples");
  v1::GroupResult failed;
  failed.set_group_index(group.group_index());
  failed.set_group_id(group.group_id());
  *failed.mutable_status() = rpc::ToRpcStatus(absl::ResourceExhaustedError(message));
  for (const v1::SampleResult& sample : group.samples()) {
    v1::SampleResult* out = failed.add_samples();
    out->set_outcome(v1::INFRA_ERROR);
    out->set_sample_id(sample.sample_id());
    out->set_message("result too large for one response");
  }
  group = std::move(failed);
}

int FitGroupsToLimit(std::vector<v1::GroupResult>& groups, int64_t limit_bytes) {
  std::vector<int64_t> sizes(groups.size());
  int64_t total = 0;
  for (size_t i = 0; i < groups.size(); ++i) total += sizes[i] = EncodedGroupSize(groups[i]);
  if (total <= limit_bytes) return 0;
  std::vector<size_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
  int failed = 0;
  for (size_t i : order) {
    if (total <= limit_bytes) break;
    FailOversizeGroup(groups[i], sizes[i], limit_bytes);
    const int64_t now = EncodedGroupSize(groups[i]);
    total += now - sizes[i];
    sizes[i] = now;
    ++failed;
  }
  return failed;
}

}  // namespace arbiter::server
