// Tokens of a LaTeX or plain-text math answer.
//
// The lexer does the spec's LaTeX normalisation while it reads: spacing and sizing commands
// (\left, \right, \displaystyle, \, \! \quad ...) vanish; \dfrac and \tfrac read as \frac;
// \cdot and \times as '*', \div as '/'; \le, \geq, \neq ... as relation tokens; `{,}`, `\,` and
// `,` between digit groups of three are thousands separators; `^\circ` and `°` are dropped;
// `\text{...}` and its cousins (\mathrm, \textbf, \mbox, ...) become one kText token holding the
// braced content. Pure, thread-safe, linear time.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace arbiter::math {

struct Token {
  enum class Kind { kNumber, kIdent, kCommand, kChar, kText, kEnd };
  Kind kind = Kind::kEnd;
  // kNumber: digits with at most one '.' and an optional "e[+-]digits"; kIdent: one letter;
  // kCommand: name without the backslash ("frac", "sqrt", "\\" for a row break, "{" / "}" for
  // \{ \}); kChar: one of + - * / ^ _ ( ) [ ] { } , ; = < > ! | & % '; or "<=", ">=", "!=";
  // kText: the braced content of \text-like commands.
  std::string text;
};

std::vector<Token> Lex(absl::string_view input);

}  // namespace arbiter::math
