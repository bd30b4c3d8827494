#include "verifiers/sdk/utf8.h"

#include <string>

#include "arbiter/v1/arbiter.pb.h"
#include "gtest/gtest.h"

namespace arbiter::sdk {
namespace {

const std::string kEuro = "\xE2\x82\xAC";  // U+20AC, three bytes
const std::string kReplacement(kReplacementCharacter);

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii, long enough to take the eight-byte path"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 " + kEuro + " \xF0\x9F\x98\x80 \xD0\x9F\xD1\x80"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, RejectsEveryIllFormedClass) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation byte
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("ascii run of sixteen\xFF"));
}

TEST(Utf8, RepairReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b"),
            "a" + kReplacement + "b");
  // A truncated three-byte sequence is one maximal subpart: one replacement, not two.
  EXPECT_EQ(ToValidUtf8("x\xE2\x82y"), "x" + kReplacement + "y");
  // The surrogate's lead byte cannot start a valid sequence with 0xA0: three replacements.
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);
  EXPECT_EQ(ToValidUtf8("ok " + kEuro), "ok " + kEuro);
  EXPECT_TRUE(
      IsValidUtf8(ToValidUtf8(std::string("\xC3\x28\xA0\xA1\xE2\x28\xA1\xF0\x28\x8C\xBC"))));
}

TEST(Utf8, PrefixAndSuffixNeverCutACharacter) {
  const std::string euros = kEuro + kEuro + kEuro;  // 9 bytes
  for (size_t max = 0; max <= euros.size(); ++max) {
    const absl::string_view prefix = Utf8Prefix(euros, max);
    const absl::string_view suffix = Utf8Suffix(euros, max);
    EXPECT_TRUE(IsValidUtf8(prefix)) << max;
    EXPECT_TRUE(IsValidUtf8(suffix)) << max;
    EXPECT_EQ(prefix.size(), max / 3 * 3) << max;
    EXPECT_EQ(suffix.size(), max / 3 * 3) << max;
  }
  EXPECT_EQ(Utf8Prefix("abc", 10), "abc");
}

TEST(Utf8, RepairUtf8FieldsReachesNestedRepeatedAndOneofStrings) {
  const std::string bad = "wrong \xE2\x82";
  v1::GroupResult group;
  group.mutable_status()->set_message(bad);
  v1::SampleResult* sample = group.add_samples();
  sample->set_message(bad);
  sample->mutable_code()->add_turns()->set_compile_output(bad);
  sample->mutable_code()->mutable_turns(0)->add_tests()->set_message(bad);
  group.add_samples()->mutable_sat()->set_assignment("fine");

  EXPECT_EQ(RepairUtf8Fields(group), 4);
  std::string wire;
  ASSERT_TRUE(group.SerializeToString(&wire));
  v1::GroupResult parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));  // proto3 parsing rejects ill-formed strings
  EXPECT_EQ(parsed.samples(0).message(), "wrong " + kReplacement);
  EXPECT_EQ(parsed.samples(1).sat().assignment(), "fine");
  EXPECT_EQ(RepairUtf8Fields(group), 0);
}

}  // namespace
}  // namespace arbiter::sdk
