#include "verifiers/math/latex_parser.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "verifiers/math/latex_lexer.h"

namespace arbiter::math {
namespace {

using Kind = Token::Kind;

const std::set<std::string>& Functions() {
  static const auto* kFunctions =
      new std::set<std::string>{"sin", "cos",    "tan",    "cot",    "sec",  "csc",  "ln",   "log",
                                "exp", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "lg"};
  return *kFunctions;
}

const std::set<std::string>& Greek() {
  static const auto* kGreek = new std::set<std::string>{
      "alpha",    "beta",    "gamma", "delta",  "epsilon", "varepsilon", "zeta",  "eta",   "theta",
      "vartheta", "iota",    "kappa", "lambda", "mu",      "nu",         "xi",    "rho",   "sigma",
      "tau",      "upsilon", "phi",   "varphi", "chi",     "psi",        "omega", "Gamma", "Delta",
      "Theta",    "Lambda",  "Xi",    "Sigma",  "Phi",     "Psi",        "Omega"};
  return *kGreek;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseLimits& limits)
      : t_(std::move(tokens)), limits_(limits) {}

  absl::StatusOr<Expr> Run() {
    Expr e = List(Kind::kEnd, "");
    if (status_.ok() && Peek().kind != Kind::kEnd) Fail("unexpected '", Peek().text, "'");
    if (!status_.ok()) return status_;
    return e;
  }

 private:
  template <typename... Args>
  Expr Fail(const Args&... args) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat(args...));
    return Expr{};
  }
  Expr Cap(absl::string_view what) {
    status_ = absl::ResourceExhaustedError(absl::StrCat("answer exceeds the ", what, " cap"));
    return Expr{};
  }
  const Token& Peek(size_t ahead = 0) const { return t_[std::min(pos_ + ahead, t_.size() - 1)]; }
  bool IsChar(absl::string_view c, size_t ahead = 0) const {
    return Peek(ahead).kind == Kind::kChar && Peek(ahead).text == c;
  }
  bool IsCommand(absl::string_view c) const {
    return Peek().kind == Kind::kCommand && Peek().text == c;
  }
  bool Accept(absl::string_view c) {
    if (!IsChar(c)) return false;
    ++pos_;
    return true;
  }
  void Expect(absl::string_view c) {
    if (!Accept(c)) Fail("expected '", c, "'");
  }
  Expr Node(Op op, std::vector<Expr> args, std::string text = "") {
    if (++nodes_ > limits_.max_nodes) return Cap("expression size");
    return MakeNode(op, std::move(args), std::move(text));
  }
  bool AtClose(Kind close_kind, absl::string_view close) const {
    const Token& t = Peek();
    if (t.kind == Kind::kEnd) return true;
    if (t.kind == close_kind && t.text == close) return true;
    if (t.kind == Kind::kChar && (t.text == ")" || t.text == "]" || t.text == "}")) return true;
    if (t.kind == Kind::kCommand && (t.text == "}" || t.text == "\\" || t.text == "end")) {
      return true;
    }
    return t.kind == Kind::kChar && t.text == "&";
  }

  // list := relation ((',' | ';' | \text{and}) relation)*
  Expr List(Kind close_kind, absl::string_view close) {
    std::vector<Expr> items;
    items.push_back(Relation());
    while (status_.ok() && (IsChar(",") || IsChar(";") || IsAndText())) {
      ++pos_;
      if (AtClose(close_kind, close)) break;
      items.push_back(Relation());
    }
    if (items.size() == 1) return std::move(items[0]);
    return Node(Op::kTuple, std::move(items), "bare");
  }
  bool IsAndText() const {
    if (Peek().kind != Kind::kText) return false;
    std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Peek().text));
    return w == "and" || w == "or" || w == ",";
  }

  Expr Relation() {
    std::vector<Expr> sides;
    std::string op;
    sides.push_back(Sum());
    // `x \in [1, 2]`: the set is the answer.
    if (IsCommand("in") && sides[0].op == Op::kSymbol) {
      ++pos_;
      return Sum();
    }
    while (status_.ok()) {
      const Token& t = Peek();
      if (t.kind != Kind::kChar) break;
      if (t.text != "=" && t.text != "<" && t.text != ">" && t.text != "<=" && t.text != ">=" &&
          t.text != "!=") {
        break;
      }
      if (!op.empty() && op != t.text) op = "mixed";
      if (op.empty()) op = t.text;
      ++pos_;
      sides.push_back(Sum());
    }
    if (sides.size() == 1) return std::move(sides[0]);
    return Node(Op::kRelation, std::move(sides), op);
  }

  Expr Sum() {
    if (++depth_ > limits_.max_depth) return Cap("nesting depth");
    std::vector<Expr> terms;
    // `a \pm b` is the set {a + b, a - b}; a leading `\pm b` is {b, -b}.
    std::optional<Expr> plus_minus;
    if (IsChar("+")) ++pos_;
    if (IsCommand("pm")) {
      ++pos_;
      plus_minus = Term();
      terms.push_back(MakeNumber("0"));
    } else if (Accept("-")) {
      terms.push_back(Node(Op::kNeg, {Term()}));
    } else {
      terms.push_back(Term());
    }
    while (status_.ok()) {
      if (Accept("+")) {
        terms.push_back(Term());
      } else if (Accept("-")) {
        terms.push_back(Node(Op::kNeg, {Term()}));
      } else if (IsCommand("pm") && !plus_minus) {
        ++pos_;
        plus_minus = Term();
      } else if (IsCommand("pm") || IsCommand("mp")) {
        return Fail("more than one \\pm");
      } else {
        break;
      }
    }
    --depth_;
    Expr sum = terms.size() == 1 ? std::move(terms[0]) : Node(Op::kAdd, std::move(terms));
    if (!plus_minus) return sum;
    // Both branches copy the operands: count the copies, or nested \pm would double per level.
    nodes_ += NodeCount(sum) + NodeCount(*plus_minus);
    if (nodes_ > limits_.max_nodes) return Cap("expression size");
    Expr minus = Node(Op::kAdd, {sum, Node(Op::kNeg, {*plus_minus})});
    return Node(Op::kSet, {Node(Op::kAdd, {sum, *std::move(plus_minus)}), std::move(minus)});
  }

  bool StartsPrimary() const {
    const Token& t = Peek();
    switch (t.kind) {
      case Kind::kNumber:
      case Kind::kIdent:
        return true;
      case Kind::kChar:
        return t.text == "(";
      case Kind::kCommand:
        return t.text == "frac" || t.text == "sqrt" || t.text == "pi" || t.text == "infty" ||
               Functions().count(t.text) > 0 || Greek().count(t.text) > 0 || t.text == "begin" ||
               t.text == "binom" || t.text == "{";
      default:
        return false;
    }
  }

  Expr Term() {
    std::vector<Expr> factors;
    factors.push_back(Unary());
    while (status_.ok()) {
      if (Accept("*")) {
        factors.push_back(Unary());
      } else if (Accept("/")) {
        factors.push_back(Node(Op::kPow, {Unary(), MakeNumber("-1")}));
      } else if (Peek().kind == Kind::kText) {
        if (IsAndText()) break;
        ++pos_;  // a unit after a quantity: `12\text{ cm}`, `5\text{ cm}^2`
        if (Accept("^")) (void)Argument(/*signed_ok=*/true);
      } else if (StartsPrimary()) {
        factors.push_back(Power());
      } else {
        break;
      }
    }
    if (factors.size() == 1) return std::move(factors[0]);
    return Node(Op::kMul, std::move(factors));
  }

  Expr Unary() {
    if (Accept("-")) return Node(Op::kNeg, {Unary()});
    if (Accept("+")) return Unary();
    return Power();
  }

  Expr Power() {
    if (++depth_ > limits_.max_depth) return Cap("nesting depth");
    Expr base = Postfix(Primary());
    if (IsChar("^")) {
      ++pos_;
      if (IsCommand("circ")) {
        ++pos_;
      } else {
        Expr exponent = Argument(/*signed_ok=*/true);
        base = Postfix(Node(Op::kPow, {std::move(base), std::move(exponent)}));
      }
    }
    --depth_;
    return base;
  }

  Expr Postfix(Expr e) {
    while (status_.ok()) {
      if (Accept("!")) {
        e = Node(Op::kFactorial, {std::move(e)});
      } else if (Accept("%")) {
        e = Node(Op::kMul, {std::move(e), Node(Op::kPow, {MakeNumber("100"), MakeNumber("-1")})});
      } else if (Accept("'")) {
        e = Node(Op::kFunction, {std::move(e)}, "prime");
      } else {
        break;
      }
    }
    return e;
  }

  // A macro argument: a braced group, or a single character (digit or letter) or command.
  Expr Argument(bool signed_ok = false) {
    if (Accept("{")) {
      Expr e = List(Kind::kChar, "}");
      Expect("}");
      return e;
    }
    if (signed_ok && Accept("-")) return Node(Op::kNeg, {Argument()});
    Token& t = t_[std::min(pos_, t_.size() - 1)];
    if (t.kind == Kind::kNumber && t.text.size() > 1) {
      Expr digit = MakeNumber(t.text.substr(0, 1));
      t.text.erase(0, 1);
      return digit;
    }
    if (t.kind == Kind::kText) {
      ++pos_;
      return ParseTextAsValue(t.text);
    }
    return Primary();
  }

  Expr ParseTextAsValue(const std::string& raw) {
    std::string words = absl::AsciiStrToLower(absl::StripAsciiWhitespace(raw));
    return MakeNode(Op::kText, {}, words);
  }

  Expr Number() {
    std::string text = Peek().text;
    ++pos_;
    if (text.size() > limits_.max_literal_digits) return Cap("integer size");
    // A mixed number: `2\frac{1}{2}` is 5/2, as latex2sympy reads it.
    if (IsCommand("frac") && text.find_first_of(".e") == std::string::npos &&
        Peek(1).kind == Kind::kChar && Peek(1).text == "{" && Peek(2).kind == Kind::kNumber &&
        Peek(3).kind == Kind::kChar && Peek(3).text == "}") {
      ++pos_;
      Expr num = Argument();
      Expr den = Argument();
      if (num.op == Op::kNumber && den.op == Op::kNumber) {
        return Node(Op::kAdd, {MakeNumber(text),
                               Node(Op::kMul, {num, Node(Op::kPow, {den, MakeNumber("-1")})})});
      }
      return Node(Op::kMul, {MakeNumber(text), num, Node(Op::kPow, {den, MakeNumber("-1")})});
    }
    return MakeNumber(text);
  }

  Expr Symbol(std::string name) {
    // Subscripts make one symbol: x_1, a_{10}.
    if (IsChar("_")) {
      ++pos_;
      std::string sub;
      if (Accept("{")) {
        while (Peek().kind != Kind::kEnd && !IsChar("}")) sub += Peek().text, ++pos_;
        Expect("}");
      } else {
        sub = Peek().text;
        ++pos_;
      }
      absl::StrAppend(&name, "_", sub);
    }
    if (name == "e") return MakeConstant("e");
    if (name == "i") return MakeConstant("i");
    return MakeSymbol(std::move(name));
  }

  Expr Bracketed() {
    const std::string open = Peek().text;
    ++pos_;
    Expr inner = List(Kind::kChar, ")");
    if (!status_.ok()) return inner;
    const bool is_list = inner.op == Op::kTuple && inner.text == "bare";
    if (Accept(")")) {
      if (!is_list) return inner;
      inner.text.clear();
      if (open == "[" && inner.args.size() == 2) {
        inner.op = Op::kInterval;
        inner.left_closed = true;
      }
      return inner;
    }
    if (Accept("]")) {
      if (!is_list) {
        if (open == "[") return inner;
        return Fail("unbalanced bracket");
      }
      if (inner.args.size() != 2) return Fail("an interval has two endpoints");
      inner.op = Op::kInterval;
      inner.text.clear();
      inner.left_closed = open == "[";
      inner.right_closed = true;
      return inner;
    }
    return Fail("unbalanced bracket");
  }

  Expr SetLiteral() {
    if (Peek().kind == Kind::kCommand && Peek().text == "}") {
      ++pos_;
      return Node(Op::kSet, {});
    }
    Expr inner = List(Kind::kCommand, "}");
    if (!(Peek().kind == Kind::kCommand && Peek().text == "}")) return Fail("unbalanced \\{");
    ++pos_;
    if (inner.op == Op::kTuple && inner.text == "bare") {
      inner.op = Op::kSet;
      inner.text.clear();
      return inner;
    }
    return Node(Op::kSet, {std::move(inner)});
  }

  Expr Matrix() {
    ++pos_;  // \begin
    Expect("{");
    std::string env;
    while (Peek().kind == Kind::kIdent) env += Peek().text, ++pos_;
    Expect("}");
    if (!absl::StrContains(env, "matrix") && env != "array") {
      return Fail("unsupported environment ", env);
    }
    if (env == "array" && Accept("{")) {  // column spec
      while (Peek().kind != Kind::kEnd && !IsChar("}")) ++pos_;
      Expect("}");
    }
    std::vector<Expr> cells;
    int rows = 0;
    int cols = -1;
    while (status_.ok()) {
      int row_cols = 0;
      do {
        cells.push_back(Relation());
        ++row_cols;
      } while (status_.ok() && Accept("&"));
      ++rows;
      if (cols >= 0 && cols != row_cols) return Fail("ragged matrix");
      cols = row_cols;
      if (IsCommand("\\")) {
        ++pos_;
        if (IsCommand("end")) break;
        continue;
      }
      break;
    }
    if (!IsCommand("end")) return Fail("unterminated matrix");
    ++pos_;
    Expect("{");
    while (Peek().kind == Kind::kIdent) ++pos_;
    Expect("}");
    Expr m = Node(Op::kMatrix, std::move(cells));
    m.rows = rows;
    m.cols = cols;
    return m;
  }

  Expr CommandPrimary() {
    const std::string name = Peek().text;
    ++pos_;
    if (name == "frac" || name == "binom") {
      Expr num = Argument();
      Expr den = Argument();
      if (name == "binom") return Node(Op::kFunction, {std::move(num), std::move(den)}, "binom");
      return Node(Op::kMul, {std::move(num), Node(Op::kPow, {std::move(den), MakeNumber("-1")})});
    }
    if (name == "sqrt") {
      if (Accept("[")) {
        Expr index = Sum();
        Expect("]");
        Expr radicand = Argument();
        return Node(Op::kPow,
                    {std::move(radicand), Node(Op::kPow, {std::move(index), MakeNumber("-1")})});
      }
      return Node(Op::kFunction, {Argument()}, "sqrt");
    }
    if (name == "pi") return MakeConstant("pi");
    if (name == "infty") return MakeConstant("inf");
    if (name == "{") return SetLiteral();
    if (Greek().count(name) > 0) return Symbol(name);
    if (Functions().count(name) > 0) return FunctionCall(name);
    return Fail("unsupported command \\", name);
  }

  Expr FunctionCall(std::string name) {
    Expr base;
    const bool has_base = name == "log" && Accept("_");
    if (has_base) base = Argument();
    Expr power;
    bool has_power = false;
    if (Accept("^")) {
      power = Argument(/*signed_ok=*/true);
      has_power = true;
    }
    Expr arg = IsChar("(") ? Primary() : Power();
    if (name == "lg") name = "log10";
    Expr call = !has_base
                    ? Node(Op::kFunction, {std::move(arg)}, name)
                    : Node(Op::kMul, {Node(Op::kFunction, {std::move(arg)}, "ln"),
                                      Node(Op::kPow, {Node(Op::kFunction, {std::move(base)}, "ln"),
                                                      MakeNumber("-1")})});
    if (has_power) {
      // sin^{-1} x is arcsin x.
      if (power.op == Op::kNeg && power.args[0].op == Op::kNumber && power.args[0].text == "1" &&
          call.op == Op::kFunction) {
        call.text = absl::StrCat("arc", call.text);
        return call;
      }
      return Node(Op::kPow, {std::move(call), std::move(power)});
    }
    return call;
  }

  Expr Primary() {
    if (!status_.ok()) return Expr{};
    if (++nodes_ > limits_.max_nodes) return Cap("expression size");
    const Token& t = Peek();
    switch (t.kind) {
      case Kind::kNumber:
        return Number();
      case Kind::kIdent: {
        std::string name = t.text;
        ++pos_;
        return Symbol(std::move(name));
      }
      case Kind::kText: {
        std::string raw = t.text;
        ++pos_;
        return ParseTextAsValue(raw);
      }
      case Kind::kCommand:
        if (t.text == "begin") return Matrix();
        return CommandPrimary();
      case Kind::kChar:
        if (t.text == "(" || t.text == "[") return Bracketed();
        if (t.text == "{") {
          ++pos_;
          Expr e = List(Kind::kChar, "}");
          Expect("}");
          return e;
        }
        if (t.text == "|") {
          ++pos_;
          Expr e = Sum();
          Expect("|");
          return Node(Op::kFunction, {std::move(e)}, "abs");
        }
        return Fail("unexpected '", t.text, "'");
      case Kind::kEnd:
        return Fail("unexpected end of answer");
    }
    return Fail("unparsable");
  }

  std::vector<Token> t_;
  const ParseLimits& limits_;
  size_t pos_ = 0;
  size_t nodes_ = 0;
  int depth_ = 0;
  absl::Status status_;
};

// A union of intervals/sets: `(-\infty, 1) \cup (2, \infty)`.
absl::StatusOr<Expr> ParseUnion(const std::vector<Token>& tokens, const ParseLimits& limits) {
  std::vector<Expr> parts;
  std::vector<Token> current;
  for (const Token& t : tokens) {
    const bool cup = t.kind == Token::Kind::kCommand && t.text == "cup";
    if (cup || t.kind == Token::Kind::kEnd) {
      current.push_back(Token{Token::Kind::kEnd, ""});
      absl::StatusOr<Expr> part = Parser(std::move(current), limits).Run();
      if (!part.ok()) return part.status();
      parts.push_back(*std::move(part));
      current.clear();
    } else {
      current.push_back(t);
    }
  }
  if (parts.size() == 1) return std::move(parts[0]);
  return MakeNode(Op::kUnion, std::move(parts));
}

}  // namespace

absl::StatusOr<Expr> ParseAnswer(absl::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_input_bytes) {
    return absl::ResourceExhaustedError("answer exceeds the answer length cap");
  }
  std::vector<Token> tokens = Lex(text);
  if (tokens.size() == 1) return absl::InvalidArgumentError("empty answer");
  // Text alone (`\text{Evelyn}`) is a text answer.
  if (tokens.size() == 2 && tokens[0].kind == Token::Kind::kText) {
    return MakeNode(Op::kText, {},
                    absl::AsciiStrToLower(absl::StripAsciiWhitespace(tokens[0].text)));
  }
  return ParseUnion(tokens, limits);
}

}  // namespace arbiter::math
