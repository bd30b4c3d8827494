// Status propagation macros, shaped like Abseil's newer absl/status/status_macros.h (Debian's
// Abseil 20220623 lacks them) so an upgrade is a search-and-replace.
//
//   ARBITER_RETURN_IF_ERROR(DoThing());
//   ARBITER_ASSIGN_OR_RETURN(auto parsed, Parse(text));
//
// Both evaluate their argument exactly once. Thread-safe: they are expressions.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ARBITER_RETURN_IF_ERROR(expr)                                     \
  do {                                                                    \
    if (::absl::Status arbiter_status_ = (expr); !arbiter_status_.ok()) { \
      return arbiter_status_;                                             \
    }                                                                     \
  } while (false)

#define ARBITER_STATUS_MACROS_CONCAT_INNER(x, y) x##y
#define ARBITER_STATUS_MACROS_CONCAT(x, y) ARBITER_STATUS_MACROS_CONCAT_INNER(x, y)

#define ARBITER_ASSIGN_OR_RETURN(lhs, rexpr)                                                    \
  ARBITER_ASSIGN_OR_RETURN_IMPL(ARBITER_STATUS_MACROS_CONCAT(arbiter_statusor_, __LINE__), lhs, \
                                rexpr)

// statusor and lhs are declarations (a name; `Type name` or an lvalue): no parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ARBITER_ASSIGN_OR_RETURN_IMPL(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) {                                     \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = *std::move(statusor)
// NOLINTEND(bugprone-macro-parentheses)
