#include "server/item_key.h"

#include <openssl/evp.h>

#include <memory>
#include <string>

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

}  // namespace

ItemKey TaskDigest(std::string_view verifier_name, std::string_view verifier_version,
                   const v1::Task& task) {
  Sha256 sha;
  sha.Field("arbiter.task.v1");
  sha.Field(verifier_name);
  sha.Field(verifier_version);
  sha.Field(DeterministicBytes(task));
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
