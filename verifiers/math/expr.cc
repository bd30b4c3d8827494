#include "verifiers/math/expr.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace arbiter::math {

Expr MakeNumber(std::string digits) {
  Expr e;
  e.op = Op::kNumber;
  e.text = std::move(digits);
  return e;
}

Expr MakeSymbol(std::string name) {
  Expr e;
  e.op = Op::kSymbol;
  e.text = std::move(name);
  return e;
}

Expr MakeConstant(std::string name) {
  Expr e;
  e.op = Op::kConstant;
  e.text = std::move(name);
  return e;
}

Expr MakeNode(Op op, std::vector<Expr> args, std::string text) {
  Expr e;
  e.op = op;
  e.args = std::move(args);
  e.text = std::move(text);
  return e;
}

namespace {

std::string Join(const std::vector<Expr>& args, absl::string_view sep) {
  return absl::StrJoin(args, sep,
                       [](std::string* out, const Expr& a) { out->append(ToString(a)); });
}

}  // namespace

std::string ToString(const Expr& e) {
  switch (e.op) {
    case Op::kNumber:
    case Op::kSymbol:
    case Op::kConstant:
      return e.text;
    case Op::kAdd:
      return absl::StrCat("(", Join(e.args, " + "), ")");
    case Op::kMul:
      return absl::StrCat("(", Join(e.args, "*"), ")");
    case Op::kPow:
      return absl::StrCat(ToString(e.args[0]), "^", ToString(e.args[1]));
    case Op::kNeg:
      return absl::StrCat("-", ToString(e.args[0]));
    case Op::kFunction:
      return absl::StrCat(e.text, "(", Join(e.args, ", "), ")");
    case Op::kFactorial:
      return absl::StrCat(ToString(e.args[0]), "!");
    case Op::kTuple:
      return absl::StrCat("(", Join(e.args, ", "), ")");
    case Op::kSet:
      return absl::StrCat("{", Join(e.args, ", "), "}");
    case Op::kInterval:
      return absl::StrCat(e.left_closed ? "[" : "(", Join(e.args, ", "),
                          e.right_closed ? "]" : ")");
    case Op::kUnion:
      return Join(e.args, " U ");
    case Op::kMatrix: {
      std::string out = "[";
      for (int r = 0; r < e.rows; ++r) {
        const auto from = static_cast<std::ptrdiff_t>(r) * e.cols;
        std::vector<Expr> row(e.args.begin() + from, e.args.begin() + from + e.cols);
        absl::StrAppend(&out, r > 0 ? "; " : "", Join(row, ", "));
      }
      return out + "]";
    }
    case Op::kRelation:
      return Join(e.args, absl::StrCat(" ", e.text, " "));
    case Op::kText:
      return absl::StrCat("\"", e.text, "\"");
  }
  return "?";
}

size_t NodeCount(const Expr& e) {
  size_t n = 1;
  for (const Expr& a : e.args) n += NodeCount(a);
  return n;
}

bool HasDecimal(const Expr& e) {
  if (e.op == Op::kNumber) return absl::StrContains(e.text, '.');
  for (const Expr& a : e.args) {
    if (HasDecimal(a)) return true;
  }
  return false;
}

bool IsScalar(const Expr& e) {
  switch (e.op) {
    case Op::kNumber:
    case Op::kSymbol:
    case Op::kConstant:
    case Op::kAdd:
    case Op::kMul:
    case Op::kPow:
    case Op::kNeg:
    case Op::kFunction:
    case Op::kFactorial:
      return true;
    default:
      return false;
  }
}

}  // namespace arbiter::math
