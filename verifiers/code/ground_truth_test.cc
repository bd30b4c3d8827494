// Each accepted ground_truth form, one named file per form or edge case under testdata/.
#include "verifiers/code/ground_truth.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace arbiter::code {
namespace {

std::string ReadTestdata(const std::string& name) {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  const std::string path =
      std::string(root != nullptr ? root : ".") + "/verifiers/code/testdata/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<v1::CodeTask> ParseTask(const std::string& text) {
  absl::StatusOr<ParsedGroundTruth> parsed = ParseGroundTruth(text);
  if (!parsed.ok()) return parsed.status();
  return parsed->task;
}

absl::StatusOr<v1::CodeTask> Parse(const std::string& name) {
  return ParseTask(ReadTestdata(name));
}

TEST(GroundTruth, AppsStdinJoinsLineListsWithNewlines) {
  auto task = Parse("apps_stdin.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->language(), v1::CodeTask::LANGUAGE_UNSPECIFIED);  // the completion chooses
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(0).compare(), v1::CodeTest::COMPARE_APPS);
  EXPECT_EQ(task->tests(0).input(), "1 2\n");
  EXPECT_EQ(task->tests(0).expected_output(), "3\n");
  EXPECT_EQ(task->tests(1).input(), "3 4\n5 6");
  EXPECT_EQ(task->tests(1).expected_output(), "7\n11");
  EXPECT_TRUE(task->fn_name().empty());
}

TEST(GroundTruth, TacoCallBasedKeepsArgumentListsAndAllowsWrappedOutputs) {
  auto task = Parse("taco_call_based.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->fn_name(), "add");
  ASSERT_EQ(task->tests_size(), 3);
  EXPECT_EQ(task->tests(0).args_json(), "[1,2]");
  EXPECT_EQ(task->tests(0).expected_json(), "[3]");
  EXPECT_TRUE(task->tests(0).accept_first_element());
  EXPECT_EQ(task->tests(1).args_json(), "[[1,2],[3]]");
  EXPECT_EQ(task->tests(2).args_json(), "[5]");  // a non-list input is one argument
  EXPECT_EQ(task->tests(2).expected_json(), "5");
}

TEST(GroundTruth, LiveCodeBenchStdinList) {
  auto task = Parse("lcb_stdin.json");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(0).input(), "3\n1 2 3\n");
  EXPECT_EQ(task->tests(0).expected_output(), "6\n");
  EXPECT_FALSE(task->tests(0).accept_first_element());
}

TEST(GroundTruth, LiveCodeBenchFunctionalTakesFnNameFromMetadata) {
  auto task = Parse("lcb_functional_wrapper.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->fn_name(), "twoSum");
  ASSERT_EQ(task->tests_size(), 1);
  EXPECT_EQ(task->tests(0).args_json(), "[[2,7,11,15],9]");
  EXPECT_EQ(task->tests(0).expected_json(), "[0,1]");
  EXPECT_FALSE(task->tests(0).accept_first_element());
}

TEST(GroundTruth, LiveCodeBenchListInsideAJsonString) {
  auto task = Parse("lcb_string_in_string.json");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->tests_size(), 1);
  EXPECT_EQ(task->tests(0).input(), "2\n");
}

TEST(GroundTruth, LanguageWrapperSelectsCpp) {
  auto task = Parse("wrapper_cpp.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->language(), v1::CodeTask::LANGUAGE_CPP);
  EXPECT_EQ(task->tests(0).expected_output(), "25\n");
}

TEST(GroundTruth, LanguageWrapperNamesEverySupportedLanguage) {
  const std::vector<std::pair<std::string, v1::CodeTask::Language>> names = {
      {"python3", v1::CodeTask::LANGUAGE_PYTHON},
      {"C++", v1::CodeTask::LANGUAGE_CPP},
      {"c", v1::CodeTask::LANGUAGE_C},
      {"java", v1::CodeTask::LANGUAGE_JAVA},
      {"js", v1::CodeTask::LANGUAGE_JAVASCRIPT},
      {"golang", v1::CodeTask::LANGUAGE_GO},
      {"rust", v1::CodeTask::LANGUAGE_RUST}};
  for (const auto& [name, language] : names) {
    auto task = ParseTask(R"({"language": ")" + name +
                          R"(", "tests": {"inputs": ["1\n"], "outputs": ["1\n"]}})");
    ASSERT_TRUE(task.ok()) << name << ": " << task.status();
    EXPECT_EQ(task->language(), language) << name;
  }
  auto cobol = ParseTask(R"({"language": "cobol", "tests": {"inputs": [""], "outputs": [""]}})");
  EXPECT_NE(cobol.status().message().find("cobol"), std::string::npos) << cobol.status();
}

TEST(GroundTruth, WrapperFnNameAppliesToNestedAppsTests) {
  auto task = ParseTask(R"({"fn_name": "f", "tests": {"inputs": [[1]], "outputs": [2]}})");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->fn_name(), "f");
  EXPECT_EQ(task->tests(0).args_json(), "[1]");
}

TEST(GroundTruth, LiveCodeBenchIoFormReadsJsonLinesAsArguments) {
  auto task = Parse("lcb_io_functional.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->fn_name(), "twoSum");
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(1).args_json(), "[[3,2,4],6]");
  EXPECT_EQ(task->tests(1).expected_json(), "[1,2]");
  EXPECT_FALSE(task->tests(1).accept_first_element());
  EXPECT_EQ(task->tests(1).compare(), v1::CodeTest::COMPARE_LIVECODEBENCH);
}

TEST(GroundTruth, DeepCoderKeepsFuncNameInEachTestsMetadata) {
  auto task = Parse("deepcoder_lcb_metadata.json");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(0).fn_name(), "hasValue");
  EXPECT_EQ(task->tests(0).args_json(), "[[1,2,3],2]");
  EXPECT_EQ(task->tests(0).expected_json(), "true");
  EXPECT_EQ(task->tests(1).args_json(), "[[],2]");
}

TEST(GroundTruth, DictArgumentsKeepTheLabelsKeyOrder) {
  // The graders' json.loads keeps a dict's key order, and a program may iterate a dict argument;
  // re-serialised through nlohmann::json the keys would arrive sorted.
  auto apps = Parse("apps_dict_argument_order.json");
  ASSERT_TRUE(apps.ok()) << apps.status();
  ASSERT_EQ(apps->tests_size(), 2);
  EXPECT_EQ(apps->tests(0).args_json(), R"([{"b":1,"a":2}])");
  EXPECT_EQ(apps->tests(1).args_json(), R"([{"3":1,"1":2},{"z":[],"y":{"d":0,"c":1}}])");
  EXPECT_EQ(apps->tests(0).expected_json(), R"(["b","a"])");
  auto lcb = ParseTask(
      R"({"inputs": ["{\"b\": 1, \"a\": 2}\n{\"d\": 0, \"c\": 1}"], "outputs": ["1"],
          "fn_name": "f"})");
  ASSERT_TRUE(lcb.ok()) << lcb.status();
  EXPECT_EQ(lcb->tests(0).args_json(), R"([{"b":1,"a":2},{"d":0,"c":1}])");
  auto list = ParseTask(R"([{"input": "{\"b\": 1, \"a\": 2}", "output": "1",
                             "testtype": "functional", "metadata": {"func_name": "f"}}])");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->tests(0).args_json(), R"([{"b":1,"a":2}])");
  auto open_r1 = ParseTask(R"({"test_cases": [{"input": [{"b": 1, "a": 2}], "output": 1,
                                               "type": "function_call", "fn_name": "f"}]})");
  ASSERT_TRUE(open_r1.ok()) << open_r1.status();
  EXPECT_EQ(open_r1->tests(0).args_json(), R"([{"b":1,"a":2}])");
}

TEST(GroundTruth, UnequalInputsAndOutputsGradeThePairsThatExistWithANote) {
  auto parsed = ParseGroundTruth(ReadTestdata("apps_length_mismatch.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->task.tests_size(), 1);
  ASSERT_EQ(parsed->notes.size(), 1u);
  EXPECT_EQ(parsed->notes[0],
            "\"inputs\" has 2 entries and \"outputs\" 1: graded the first 1 pairs");
}

TEST(GroundTruth, SandboxFusionStdioList) {
  auto task = Parse("sandboxfusion_stdio.json");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(1).input(), "5 5\n");
  EXPECT_EQ(task->tests(1).expected_output(), "10\n");
  EXPECT_EQ(task->tests(1).compare(), v1::CodeTest::COMPARE_SANDBOXFUSION);
}

TEST(GroundTruth, CodeContestsNativeAndWholeRow) {
  auto task = Parse("codecontests_native.json");
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(1).expected_output(), "4\n");
  EXPECT_EQ(task->tests(1).compare(), v1::CodeTest::COMPARE_CODECONTESTS);
  auto row = Parse("codecontests_row.json");
  ASSERT_TRUE(row.ok()) << row.status();
  ASSERT_EQ(row->tests_size(), 4);  // public, private, generated: all run
  EXPECT_EQ(row->tests(1).input(), "3\n");
  EXPECT_EQ(row->tests(3).expected_output(), "25\n");
}

TEST(GroundTruth, OpenR1TestCasesBothTypes) {
  auto task = Parse("open_r1_test_cases.json");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->language(), v1::CodeTask::LANGUAGE_PYTHON);
  ASSERT_EQ(task->tests_size(), 2);
  EXPECT_EQ(task->tests(0).input(), "1 2\n");
  EXPECT_EQ(task->tests(0).compare(), v1::CodeTest::COMPARE_OPEN_R1);
  EXPECT_EQ(task->tests(1).fn_name(), "add");
  EXPECT_EQ(task->tests(1).args_json(), "[[1,2]]");  // one JSON value per line
  EXPECT_EQ(task->tests(1).expected_json(), "3");
  auto wrapped = Parse("verification_info_string.json");
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  EXPECT_EQ(wrapped->language(), v1::CodeTask::LANGUAGE_CPP);
  EXPECT_EQ(wrapped->tests(0).expected_output(), "4\n");
}

TEST(GroundTruth, HumanEvalAndMbppBecomeAssertStyleTests) {
  auto humaneval = Parse("humaneval_check.json");
  ASSERT_TRUE(humaneval.ok()) << humaneval.status();
  EXPECT_EQ(humaneval->language(), v1::CodeTask::LANGUAGE_PYTHON);
  ASSERT_EQ(humaneval->tests_size(), 1);
  EXPECT_NE(humaneval->tests(0).test_code().find("def check(candidate):"), std::string::npos);
  EXPECT_TRUE(absl::EndsWith(humaneval->tests(0).test_code(), "\n\ncheck(add)\n"));
  auto mbpp = Parse("mbpp_test_list.json");
  ASSERT_TRUE(mbpp.ok()) << mbpp.status();
  ASSERT_EQ(mbpp->tests_size(), 3);
  EXPECT_EQ(mbpp->tests(1).test_code(), "import math\n\nassert add(-1, 1) == 0\n");
  auto cpp = ParseTask(R"j({"language": "cpp", "test_list": ["assert f()"]})j");
  EXPECT_EQ(cpp.status().code(), absl::StatusCode::kInvalidArgument);
}

void ExpectInvalid(const std::string& file, const std::string& fragment) {
  auto task = Parse(file);
  ASSERT_FALSE(task.ok()) << file;
  EXPECT_EQ(task.status().code(), absl::StatusCode::kInvalidArgument) << file;
  EXPECT_NE(task.status().message().find(fragment), std::string::npos)
      << file << ": " << task.status();
}

TEST(GroundTruth, MalformedFormsAreInvalidArgumentNamingTheProblem) {
  ExpectInvalid("bad_unknown_object.json", R"x(unrecognised object (keys "question", "answer"))x");
  ExpectInvalid("bad_no_tests.json", "no tests");
  ExpectInvalid("bad_functional_without_fn_name.json", "fn_name");
  ExpectInvalid("bad_language.json", "\"cobol\"");
  ExpectInvalid("bad_not_json.txt", "not valid JSON");
}

TEST(GroundTruth, WrongTypesAreInvalidArgumentNotExceptions) {
  for (const char* text :
       {"42", "null", "[1, 2]", R"([{"input": 1, "output": "x"}])",
        R"([{"input": "1", "output": "1", "testtype": 3}])", R"({"inputs": "x", "outputs": "y"})",
        R"({"inputs": [{}], "outputs": ["1"]})",
        R"({"fn_name": 3, "inputs": [[1]], "outputs": [1]})", R"({"metadata": "{", "tests": []})",
        R"("\"\"")"}) {
    auto task = ParseTask(text);
    EXPECT_EQ(task.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(GroundTruth, DeeplyNestedJsonIsRefusedBeforeParsing) {
  const std::string deep = R"({"fn_name": "f", "inputs": [[)" + std::string(300, '[') +
                           std::string(300, ']') + R"(]], "outputs": [1]})";
  auto task = ParseTask(deep);
  EXPECT_EQ(task.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(task.status().message().find("nested deeper"), std::string::npos) << task.status();
  // Brackets inside strings do not count.
  auto ok = ParseTask(R"({"inputs": [")" + std::string(300, '[') + R"("], "outputs": ["x"]})");
  EXPECT_TRUE(ok.ok()) << ok.status();
}

}  // namespace
}  // namespace arbiter::code
