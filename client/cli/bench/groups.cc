#include "client/cli/bench/groups.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace arbiter::client::cli::bench {
namespace {

using json = nlohmann::json;

// The tag, then reasoning-like filler, then `tail`; `bytes` in all unless the tail is longer.
std::string Completion(const std::string& tail, int bytes, const std::string& topic) {
  const std::string sentence = absl::StrCat(
      "Consider the ", topic, " step by step; check each condition and backtrack when one fails. ");
  std::string out = absl::StrCat(kTagPlaceholder, "\n");
  const auto want = static_cast<size_t>(std::max(0, bytes));
  const size_t body = want > out.size() + tail.size() ? want - out.size() - tail.size() : 0;
  std::string filler;
  filler.reserve(body + sentence.size());
  while (filler.size() < body) filler += sentence;
  filler.resize(body);
  return absl::StrCat(out, filler, tail);
}

v1::Sample* AddSample(v1::Group* group, std::string completion, int s) {
  v1::Sample* sample = group->add_samples();
  sample->set_num_tokens(static_cast<int64_t>(completion.size() / 4));
  sample->set_completion(std::move(completion));
  sample->set_logprob(-0.1 * (s + 1));
  return sample;
}

json Label(const std::string& verifier, const std::string& ground_truth) {
  return {{"verifier", verifier}, {"ground_truth", ground_truth}};
}

// gold, a correct answer written differently, a wrong answer.
struct MathItem {
  const char* gold;
  const char* right;
  const char* wrong;
};
constexpr MathItem kMath[] = {
    {"17590", "17,590", "17589"},
    {"\\frac{1}{2}", "0.5", "\\frac{1}{3}"},
    {"3\\sqrt{3}", "\\sqrt{27}", "3\\sqrt{2}"},
    {"(x+1)^2", "x^2+2x+1", "x^2+1"},
    {"\\frac{\\pi}{2}", "\\pi/2", "\\pi"},
    {"[0,1)", "[0, 1)", "(0,1]"},
    {"-4", "-4.0", "4"},
    {"\\{1,2,3\\}", "\\{3,2,1\\}", "\\{1,2\\}"},
};

std::string AppsTests(int index, int tests) {
  json inputs = json::array(), outputs = json::array();
  for (int t = 0; t < tests; ++t) {
    const int a = 1000 * index + t, b = 7 + t;
    inputs.push_back(absl::StrCat(a, " ", b, "\n"));
    outputs.push_back(absl::StrCat(a + b, "\n"));
  }
  return json{{"inputs", inputs}, {"outputs", outputs}}.dump();
}

std::string Fenced(const std::string& program) {
  return absl::StrCat("Here is my solution.\n```python\n", program, "```\n");
}

constexpr char kSum[] = "a, b = map(int, input().split())\nprint(a + b)\n";
constexpr char kDifference[] = "a, b = map(int, input().split())\nprint(a - b)\n";

}  // namespace

void WriteTag(uint64_t call, uint32_t sample, char* out) {
  const std::string tag = absl::StrFormat("[%016x:%05x]", call, sample & 0xFFFFF);
  std::memcpy(out, tag.data(), kTagBytes);
}

std::vector<size_t> FindTags(const std::string& bytes) {
  std::vector<size_t> offsets;
  for (size_t at = bytes.find(kTagPlaceholder); at != std::string::npos;
       at = bytes.find(kTagPlaceholder, at + kTagBytes)) {
    offsets.push_back(at);
  }
  return offsets;
}

void StampTags(uint64_t call, const std::vector<size_t>& offsets, std::string* bytes) {
  for (size_t i = 0; i < offsets.size(); ++i) {
    WriteTag(call, static_cast<uint32_t>(i), bytes->data() + offsets[i]);
  }
}

GroupTemplate SatGroup(const std::vector<SatRow>& rows, int index, const Shape& shape) {
  const SatRow& row = rows[static_cast<size_t>(index) % rows.size()];
  GroupTemplate t;
  t.group.set_group_id(absl::StrCat("sat-", row.id));
  t.group.mutable_task()->set_verifier("sat");
  t.group.mutable_task()->mutable_sat()->set_formula(row.clause);
  t.group.mutable_task()->mutable_sat()->set_k(row.k);
  t.label = Label("sat", row.clause);
  std::string wrong = row.solution;
  if (!wrong.empty()) wrong[0] = wrong[0] == '1' ? '0' : '1';
  const std::string topic = absl::StrCat(row.n_sat, "-SAT formula over ", row.k, " variables");
  for (int s = 0; s < shape.group_size; ++s) {
    const std::string answer = s % 4 == 2 ? wrong : row.solution;
    const std::string tail = s % 4 == 3 ? "\nI could not find a satisfying assignment."
                                        : absl::StrCat("\n**Final Answer**\n\\boxed{", answer, "}");
    AddSample(&t.group, Completion(tail, shape.completion_bytes, topic), s);
  }
  return t;
}

GroupTemplate BeamGroup(const std::vector<BeamGold>& golds, int index, const Shape& shape) {
  const BeamGold& gold = golds[static_cast<size_t>(index) % golds.size()];
  GroupTemplate t;
  t.group.set_group_id(absl::StrCat("beam-", index));
  t.group.mutable_task()->set_verifier("beam");
  t.group.mutable_task()->set_ground_truth(json(gold).dump());
  t.label = Label("beam", t.group.task().ground_truth());
  std::vector<std::string> right, wrong;
  for (const std::string& g : gold) right.push_back(absl::StrCat("\\boxed{", g, "}"));
  wrong = right;
  if (!wrong.empty()) wrong[0] = "\\boxed{123.456P}";
  for (int s = 0; s < shape.group_size; ++s) {
    std::string tail = absl::StrCat("\n</think>\nThe reactions are ",
                                    absl::StrJoin(s % 4 == 2 ? wrong : right, ", "));
    if (s % 4 == 3) tail = "\n</think>\nThe reactions balance the load.";
    AddSample(&t.group, Completion(tail, shape.completion_bytes, "moments about each support"), s);
  }
  return t;
}

GroupTemplate MathGroup(int index, const Shape& shape) {
  const MathItem& item = kMath[static_cast<size_t>(index) % std::size(kMath)];
  GroupTemplate t;
  t.group.set_group_id(absl::StrCat("math-", index));
  t.group.mutable_task()->set_verifier("math");
  t.group.mutable_task()->set_ground_truth(item.gold);
  t.label = Label("math", item.gold);
  for (int s = 0; s < shape.group_size; ++s) {
    const char* answer = s % 4 == 0 ? item.gold : s % 4 == 1 ? item.right : item.wrong;
    const std::string tail =
        s % 4 == 3 ? "\nI am not sure of the final value."
                   : absl::StrCat("\nTherefore, the final answer is $\\boxed{", answer, "}$.");
    AddSample(&t.group, Completion(tail, shape.completion_bytes, "algebra"), s);
  }
  return t;
}

GroupTemplate CodeGroup(int index, const Shape& shape) {
  GroupTemplate t;
  t.group.set_group_id(absl::StrCat("code-", index));
  t.group.mutable_task()->set_verifier("code");
  t.group.mutable_task()->set_ground_truth(AppsTests(index, std::max(1, shape.tests)));
  t.label = Label("code", t.group.task().ground_truth());
  for (int s = 0; s < shape.group_size; ++s) {
    const std::string tail = s % 4 == 3   ? "I would read two numbers and add them."
                             : s % 4 == 2 ? Fenced(kDifference)
                                          : Fenced(kSum);
    AddSample(&t.group, Completion(tail, shape.completion_bytes, "input format"), s);
  }
  return t;
}

GroupTemplate PathologicalGroup(int index, const Shape& shape) {
  static constexpr const char* kPrograms[8] = {
      kSum,
      kDifference,
      kSum,
      kSum,
      "while True:\n    pass\n",
      "x = bytearray(1 << 33)\n",
      "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
      "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n",
  };
  GroupTemplate t = CodeGroup(index, shape);
  t.group.set_group_id(absl::StrCat("pathological-", index));
  const std::string tests = t.group.task().ground_truth();
  const json apps = json::parse(tests);
  v1::CodeTask* code = t.group.mutable_task()->mutable_code();  // replaces ground_truth
  code->set_language(v1::CodeTask::LANGUAGE_PYTHON);
  for (size_t i = 0; i < apps["inputs"].size(); ++i) {
    v1::CodeTest* test = code->add_tests();
    test->set_input(apps["inputs"][i].get<std::string>());
    test->set_expected_output(apps["outputs"][i].get<std::string>());
  }
  code->mutable_limits()->set_cpu_seconds(0.5);
  code->mutable_limits()->set_wall_seconds(2);
  t.label = Label("code", tests);
  t.group.clear_samples();
  for (int s = 0; s < shape.group_size; ++s) {
    AddSample(&t.group, Completion(Fenced(kPrograms[s % 8]), shape.completion_bytes, "limits"), s);
  }
  return t;
}

GroupTemplate NullGroup(int index, const Shape& shape) {
  GroupTemplate t;
  t.group.set_group_id(absl::StrCat("null-", index));
  t.group.mutable_task()->set_verifier("sat");
  t.group.mutable_task()->set_ground_truth("A");
  t.label = Label("sat", "A");
  for (int s = 0; s < shape.group_size; ++s) {
    AddSample(&t.group, absl::StrCat(kTagPlaceholder, "\\boxed{1}"), s);
  }
  return t;
}

GroupTemplate ReplayedGroup(const v1::Group& group) {
  GroupTemplate t;
  t.group = group;
  for (v1::Sample& sample : *t.group.mutable_samples()) {
    sample.set_completion(absl::StrCat(kTagPlaceholder, "\n", sample.completion()));
  }
  if (group.task().kind_case() == v1::Task::kGroundTruth) {
    t.label = Label(group.task().verifier(), group.task().ground_truth());
    if (!group.task().mode().empty()) t.label["mode"] = group.task().mode();
  }
  return t;
}

}  // namespace arbiter::client::cli::bench
