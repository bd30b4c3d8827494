#include "server/item_key.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace arbiter::server {
namespace {

// One EVP context per thread, reused: creating one costs an allocation per item otherwise.
class Sha256 {
 public:
  Sha256() {
    static thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(
        EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    ctx_ = ctx.get();
    // OpenSSL 3 re-fetches the implementation on every init from EVP_sha256(); an explicitly
    // fetched EVP_MD skips that lookup (a lock and a hash-table probe per item).
    static EVP_MD* const sha256 = [] {
      EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
      return md != nullptr ? md : const_cast<EVP_MD*>(EVP_sha256());
    }();
    EVP_DigestInit_ex(ctx_, sha256, nullptr);
  }
  // Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
  void Field(std::string_view bytes) {
    const uint64_t size = bytes.size();
    uint8_t prefix[8];
    for (int i = 0; i < 8; ++i) prefix[i] = static_cast<uint8_t>(size >> (8 * i));
    EVP_DigestUpdate(ctx_, prefix, sizeof prefix);
    EVP_DigestUpdate(ctx_, bytes.data(), bytes.size());
  }
  ItemKey Finish() {
    ItemKey key;
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_, key.bytes.data(), &size);
    return key;
  }

 private:
  EVP_MD_CTX* ctx_;
};

std::string DeterministicBytes(const v1::Task& task) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    task.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// Only verifier, mode and ground_truth set (no unknown fields, nothing added to Task later).
bool IsLabelTask(const v1::Task& task) {
  if (task.kind_case() != v1::Task::kGroundTruth) return false;
  const google::protobuf::Reflection* reflection = task.GetReflection();
  if (!reflection->GetUnknownFields(task).empty()) return false;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(task, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    const int n = field->number();
    if (n != v1::Task::kVerifierFieldNumber && n != v1::Task::kModeFieldNumber &&
        n != v1::Task::kGroundTruthFieldNumber) {
      return false;
    }
  }
  return true;
}

}  // namespace

ItemKey TaskDigest(std::string_view verifier_name, std::string_view verifier_version,
                   const v1::Task& task, std::string_view ground_truth_sha256) {
  // A label task is (verifier, mode, label): the label enters as its SHA-256, which a referenced
  // suite already has (its id), so a group naming a megabyte suite does not hash it again and
  // keys as its inline form does. A task with anything else set is hashed whole.
  if (!IsLabelTask(task)) {
    Sha256 sha;
    sha.Field("arbiter.task.v2/whole");
    sha.Field(verifier_name);
    sha.Field(verifier_version);
    sha.Field(DeterministicBytes(task));
    return sha.Finish();
  }
  uint8_t label[32];
  if (ground_truth_sha256.size() == sizeof label) {
    std::memcpy(label, ground_truth_sha256.data(), sizeof label);
  } else {
    unsigned int size = 0;
    EVP_Digest(task.ground_truth().data(), task.ground_truth().size(), label, &size, EVP_sha256(),
               nullptr);
  }
  Sha256 sha;  // after EVP_Digest: Sha256 reuses this thread's one context
  sha.Field("arbiter.task.v2/label");
  sha.Field(verifier_name);
  sha.Field(verifier_version);
  sha.Field(task.verifier());
  sha.Field(task.mode());
  sha.Field(std::string_view(reinterpret_cast<const char*>(label), sizeof label));
  return sha.Finish();
}

ItemKey SampleKey(const ItemKey& task_digest, const v1::Sample& sample) {
  Sha256 sha;
  sha.Field(std::string_view(reinterpret_cast<const char*>(task_digest.bytes.data()),
                             task_digest.bytes.size()));
  sha.Field(sample.completion());
  sha.Field(std::to_string(sample.turns_size()));
  for (const std::string& turn : sample.turns()) sha.Field(turn);
  return sha.Finish();
}

}  // namespace arbiter::server
