// A verifier whose verdicts carry ill-formed UTF-8 in every string field of every detail kind
// must not cost the batch: the server repairs every string it sends, so clients parse the
// response and every neighbour group is answered. (Before the repair, one program printing half
// of a '€' made clients reject the whole response.)
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "arbiter/v1/arbiter.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "server/server.h"
#include "server/testing/fake_verifier.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const std::string kIllFormed = "half a euro \xE2\x82 and a stray \xFF byte";

// Sets every string field of `message` (two values for repeated ones) to kIllFormed and recurses
// into message fields, a few levels deep.
void FillStrings(Message& message, int depth) {
  const google::protobuf::Descriptor& type = *message.GetDescriptor();
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        reflection.AddString(&message, field, kIllFormed);
        reflection.AddString(&message, field, kIllFormed);
      } else {
        reflection.SetString(&message, field, kIllFormed);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < 4 &&
               !field->is_map() && field->containing_oneof() == nullptr) {
      FillStrings(field->is_repeated() ? *reflection.AddMessage(&message, field)
                                       : *reflection.MutableMessage(&message, field),
                  depth + 1);
    }
  }
}

// completion = the name of a SampleResult.detail member: that detail, every string ill-formed.
// ground_truth "bad-task": Prepare fails with an ill-formed message.
class HostileVerifier : public sdk::Verifier {
 public:
  v1::VerifierInfo Info() const override {
    v1::VerifierInfo info;
    info.set_name("hostile");
    info.set_version("1");
    return info;
  }
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override {
    if (task.ground_truth() == "bad-task") return absl::InvalidArgumentError(kIllFormed);
    return std::make_unique<sdk::PreparedTask>();
  }
  v1::SampleResult Check(const sdk::PreparedTask&, const v1::Sample& sample,
                         const sdk::VerifyContext&) const override {
    v1::SampleResult result;
    result.set_outcome(v1::INCORRECT);
    result.set_message(kIllFormed);
    const FieldDescriptor* detail =
        v1::SampleResult::descriptor()->FindFieldByName(sample.completion());
    if (detail != nullptr) {
      FillStrings(*result.GetReflection()->MutableMessage(&result, detail), 0);
    }
    return result;
  }
};

void ExpectAllStringsValid(const Message& message, const std::string& where) {
  std::string wire;
  ASSERT_TRUE(message.SerializeToString(&wire));
  std::unique_ptr<Message> copy(message.New());
  EXPECT_TRUE(copy->ParseFromString(wire)) << where << " does not parse back";
  std::unique_ptr<Message> repaired(message.New());
  repaired->CopyFrom(message);
  EXPECT_EQ(sdk::RepairUtf8Fields(*repaired), 0) << where << " still holds ill-formed UTF-8";
}

class HostileOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Register(std::make_unique<HostileVerifier>()).ok());
    ASSERT_TRUE(registry_.Register(std::make_unique<testing::FakeVerifier>("plain")).ok());
    ServerOptions options;
    options.address = "127.0.0.1:0";
    auto created = Server::Create(options, &registry_);
    ASSERT_TRUE(created.ok()) << created.status();
    server_ = *std::move(created);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::Arbiter::NewStub(channel_);
    // One group per detail kind (every member of the oneof, so a new verifier's detail is
    // covered the day it is added), a group whose task fails with an ill-formed message, and
    // a well-behaved neighbour.
    const google::protobuf::OneofDescriptor* details =
        v1::SampleResult::descriptor()->FindOneofByName("detail");
    ASSERT_NE(details, nullptr);
    for (int i = 0; i < details->field_count(); ++i) {
      detail_kinds_.push_back(details->field(i)->name());
      v1::Group* group = request_.add_groups();
      group->mutable_task()->set_verifier("hostile");
      group->mutable_task()->set_ground_truth("ok");
      group->add_samples()->set_completion(details->field(i)->name());
    }
    ASSERT_GE(detail_kinds_.size(), 3u);
    v1::Group* bad = request_.add_groups();
    bad->mutable_task()->set_verifier("hostile");
    bad->mutable_task()->set_ground_truth("bad-task");
    bad->add_samples()->set_completion("x");
    v1::Group* neighbour = request_.add_groups();
    neighbour->mutable_task()->set_verifier("plain");
    neighbour->mutable_task()->set_ground_truth("42");
    neighbour->add_samples()->set_completion("42");
  }

  sdk::VerifierRegistry registry_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Arbiter::Stub> stub_;
  v1::ScoreRequest request_;
  std::vector<std::string> detail_kinds_;
};

TEST_F(HostileOutput, ScoreAnswersEveryGroupWithWellFormedStrings) {
  grpc::ClientContext context;
  v1::ScoreResponse response;
  const grpc::Status status = stub_->Score(&context, request_, &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  ASSERT_EQ(response.groups_size(), request_.groups_size());
  for (size_t i = 0; i < detail_kinds_.size(); ++i) {
    const v1::GroupResult& group = response.groups(static_cast<int>(i));
    EXPECT_EQ(group.status().code(), 0) << detail_kinds_[i];
    ASSERT_EQ(group.samples_size(), 1);
    EXPECT_NE(group.samples(0).message().find("\xEF\xBF\xBD"), std::string::npos);
    ExpectAllStringsValid(group, detail_kinds_[i]);
  }
  const v1::GroupResult& bad = response.groups(static_cast<int>(detail_kinds_.size()));
  EXPECT_EQ(bad.status().code(), 3);  // INVALID_ARGUMENT, its message repaired
  ExpectAllStringsValid(bad, "the failed group");
  EXPECT_EQ(response.groups(request_.groups_size() - 1).samples(0).outcome(), v1::CORRECT);
}

TEST_F(HostileOutput, ScoreStreamDeliversEveryGroup) {
  grpc::ClientContext context;
  auto reader = stub_->ScoreStream(&context, request_);
  v1::GroupResult group;
  int received = 0;
  while (reader->Read(&group)) {
    ExpectAllStringsValid(group, absl::StrCat("streamed group ", group.group_index()));
    ++received;
  }
  const grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(received, request_.groups_size());
}

TEST_F(HostileOutput, IllFormedUtf8InARequestIsInvalidArgumentNamingTheField) {
  // protobuf refuses to serialise such a request, so the bytes are patched after the fact.
  v1::ScoreRequest request;
  v1::Group* group = request.add_groups();
  group->mutable_task()->set_verifier("plain");
  group->add_samples()->set_completion("first");
  group->add_samples()->set_completion("PLACEHOLDE");
  std::string wire;
  ASSERT_TRUE(request.SerializeToString(&wire));
  wire.replace(wire.find("PLACEHOLDE"), 10, "caf\xC3 bad \xFF");

  grpc::GenericStub generic(channel_);
  grpc::ClientContext context;
  grpc::Slice slice(wire);
  grpc::ByteBuffer bytes(&slice, 1);
  grpc::ByteBuffer reply;
  grpc::Status status;
  absl::Notification done;
  generic.UnaryCall(&context, "/arbiter.v1.Arbiter/Score", grpc::StubOptions(), &bytes, &reply,
                    [&](grpc::Status s) {
                      status = std::move(s);
                      done.Notify();
                    });
  done.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find(
                "groups[0].samples[1].completion is not valid UTF-8 (at byte 3 of the field)"),
            std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace arbiter::server
