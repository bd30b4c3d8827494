// `arbiter gen KIND --params=JSON`: any generator the server lists, found through ListVerifiers
// (its kind and the full name of its parameters message), so a new verifier's generator needs
// no change here.
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/jsonl.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"

namespace arbiter::client::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;

// Fills the GenerateRequest member of type `params_type` from `json`, or packs it into the
// extension slot when no member has that type.
absl::Status SetParams(const std::string& params_type, const std::string& json,
                       v1::GenerateRequest& request) {
  const Descriptor* type = DescriptorPool::generated_pool()->FindMessageTypeByName(params_type);
  if (type == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("this arbiter CLI does not know the message type ", params_type,
                     "; use a CLI built from the same source as the server"));
  }
  const google::protobuf::OneofDescriptor* params =
      v1::GenerateRequest::descriptor()->FindOneofByName("params");
  for (int i = 0; i < params->field_count(); ++i) {
    const FieldDescriptor* field = params->field(i);
    if (field->message_type() != type) continue;
    Message* member = request.GetReflection()->MutableMessage(&request, field);
    return ParseJsonMessage(json, member);
  }
  std::unique_ptr<Message> message(MessageFactory::generated_factory()->GetPrototype(type)->New());
  if (absl::Status s = ParseJsonMessage(json, message.get()); !s.ok()) return s;
  request.mutable_extension()->PackFrom(*message);
  return absl::OkStatus();
}

}  // namespace

int GenAny(const std::string& kind, const std::vector<std::string>& args) {
  std::string server, output = "-", params = "{}";
  absl::Duration deadline = absl::Seconds(60);
  FlagSet flags(absl::StrCat("gen ", kind),
                absl::StrCat("arbiter gen ", kind, " --params=JSON [--server=HOST:PORT]"),
                "Runs the server's generator of this kind with --params, the generator's\n"
                "parameters message in JSON (arbiter gen --help lists the kinds and their\n"
                "parameter types). Writes one arbiter.v1.GeneratedTask per line (proto3 JSON),\n"
                "then the response's result, if any.",
                absl::StrCat("  arbiter gen ", kind, " --params='{\"count\": 2}'"));
  AddServerFlag(&flags, &server);
  flags.String("params", &params, "the parameters message in JSON");
  flags.String("output", &output, "output file; - for stdout");
  flags.Duration("deadline", &deadline, "RPC deadline");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  const std::string command = absl::StrCat("gen ", kind);
  auto client = Connect(server, deadline, 1);
  if (!client.ok()) return Fail(command, client.status());
  auto listed = (*client)->ListVerifiers();
  if (!listed.ok()) return Fail(command, listed.status());
  const v1::GeneratorInfo* info = nullptr;
  std::string kinds;
  for (const v1::GeneratorInfo& g : listed->generators()) {
    if (g.kind() == kind) info = &g;
    absl::StrAppend(&kinds, kinds.empty() ? "" : ", ", g.kind());
  }
  if (info == nullptr) {
    std::cerr << "arbiter gen: the server has no generator \"" << kind << "\"; it has: " << kinds
              << "\n";
    return kExitUsage;
  }
  v1::GenerateRequest request;
  request.set_kind(kind);
  if (absl::Status s = SetParams(info->params_type(), params, request); !s.ok()) {
    std::cerr << "arbiter " << command << ": --params: " << s.message() << "\n";
    return kExitUsage;
  }
  auto response = (*client)->Generate(request);
  if (!response.ok()) return Fail(command, response.status());
  auto out = OpenOutput(output);
  if (out == nullptr) return kExitFailure;
  for (const v1::GeneratedTask& task : response->tasks()) {
    absl::StatusOr<std::string> line = PrintJsonMessage(task);
    if (!line.ok()) return Fail(command, line.status());
    *out << *line << "\n";
  }
  if (response->result_case() != v1::GenerateResponse::RESULT_NOT_SET) {
    const FieldDescriptor* field = response->GetReflection()->GetOneofFieldDescriptor(
        *response, v1::GenerateResponse::descriptor()->FindOneofByName("result"));
    absl::StatusOr<std::string> line =
        PrintJsonMessage(response->GetReflection()->GetMessage(*response, field));
    if (!line.ok()) return Fail(command, line.status());
    *out << *line << "\n";
  }
  out->flush();
  return *out ? kExitOk : Fail(command, absl::DataLossError("cannot write the output"));
}

// The kinds the server offers, for `arbiter gen --help`; empty when it cannot be reached.
std::string ListedKinds(const std::string& server) {
  auto client = Connect(server, absl::Seconds(3), 1);
  if (!client.ok()) return "";
  auto listed = (*client)->ListVerifiers();
  if (!listed.ok()) return "";
  std::string text;
  for (const v1::GeneratorInfo& g : listed->generators()) {
    absl::StrAppend(&text, "  ", g.kind(), " (", g.params_type(), "): ", g.description(), "\n");
  }
  return text;
}

}  // namespace arbiter::client::cli
