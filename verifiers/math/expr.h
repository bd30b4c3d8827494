// The answer tree of the math verifier: what a parsed LaTeX or plain-text answer means.
//
// One value type covers every answer shape the spec names: numbers (exact literals, kept as
// text so big integers survive), symbols, arithmetic, functions, and the structures above them
// (tuples, finite sets, intervals, unions, matrices, relations, text). Subtraction is
// Add(a, Neg(b)), division Mul(a, Pow(b, -1)). Trees are plain values with no shared state:
// thread-compatible, copy freely.
#pragma once

#include <string>
#include <vector>

namespace arbiter::math {

enum class Op {
  kNumber,     // text: the literal, digits with at most one '.', e.g. "12", "0.75"
  kSymbol,     // text: name ("x", "alpha", "x_1")
  kConstant,   // text: "pi", "e", "i", "inf"
  kAdd,        // args: terms
  kMul,        // args: factors
  kPow,        // args: base, exponent
  kNeg,        // args: operand
  kFunction,   // text: "sqrt", "sin", "ln", "log", "exp", "abs", ...; args
  kFactorial,  // args: operand
  kTuple,      // args: ordered elements
  kSet,        // args: unordered elements
  kInterval,   // args: low, high; left_closed / right_closed
  kUnion,      // args: intervals or sets
  kMatrix,     // args: rows * cols elements, row-major; rows, cols
  kRelation,   // text: "=", "<", "<=", ">", ">=", "!="; args: sides (a chain has > 2)
  kText,       // text: lower-cased, trimmed words
};

struct Expr {
  Op op = Op::kNumber;
  std::string text;
  std::vector<Expr> args;
  bool left_closed = false;
  bool right_closed = false;
  int rows = 0;
  int cols = 0;
};

Expr MakeNumber(std::string digits);
Expr MakeSymbol(std::string name);
Expr MakeConstant(std::string name);
Expr MakeNode(Op op, std::vector<Expr> args, std::string text = "");

// A canonical, readable rendering (the "normalised form" reported in details).
std::string ToString(const Expr& e);

// Number of nodes; true when any kNumber below has a decimal point.
size_t NodeCount(const Expr& e);
bool HasDecimal(const Expr& e);
// True for the arithmetic ops (kNumber .. kFactorial), false for structures.
bool IsScalar(const Expr& e);

}  // namespace arbiter::math
