#include "client/cli/flags.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace arbiter::client::cli {

FlagSet::FlagSet(std::string command, std::string usage, std::string description,
                 std::string example)
    : command_(std::move(command)),
      usage_(std::move(usage)),
      description_(std::move(description)),
      example_(std::move(example)) {}

void FlagSet::Add(const std::string& name, Kind kind, void* target, const std::string& help) {
  std::string default_text;
  switch (kind) {
    case Kind::kString:
      default_text = *static_cast<std::string*>(target);
      break;
    case Kind::kInt:
      default_text = absl::StrCat(*static_cast<int64_t*>(target));
      break;
    case Kind::kDouble:
      default_text = absl::StrCat(*static_cast<double*>(target));
      break;
    case Kind::kBool:
      default_text = *static_cast<bool*>(target) ? "true" : "false";
      break;
    case Kind::kDuration:
      default_text = absl::FormatDuration(*static_cast<absl::Duration*>(target));
      break;
  }
  flags_.push_back({name, kind, target, help, std::move(default_text)});
}

void FlagSet::String(const std::string& name, std::string* target, const std::string& help) {
  Add(name, Kind::kString, target, help);
}
void FlagSet::Int(const std::string& name, int64_t* target, const std::string& help) {
  Add(name, Kind::kInt, target, help);
}
void FlagSet::Double(const std::string& name, double* target, const std::string& help) {
  Add(name, Kind::kDouble, target, help);
}
void FlagSet::Bool(const std::string& name, bool* target, const std::string& help) {
  Add(name, Kind::kBool, target, help);
}
void FlagSet::Duration(const std::string& name, absl::Duration* target, const std::string& help) {
  Add(name, Kind::kDuration, target, help);
}

FlagSet::Flag* FlagSet::Find(const std::string& name) {
  for (Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

absl::Status FlagSet::Set(const Flag& flag, const std::string& value) {
  const auto bad = [&](const char* what) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag.name, "=", value, ": not ", what));
  };
  switch (flag.kind) {
    case Kind::kString:
      *static_cast<std::string*>(flag.target) = value;
      return absl::OkStatus();
    case Kind::kInt:
      if (!absl::SimpleAtoi(value, static_cast<int64_t*>(flag.target))) return bad("an integer");
      return absl::OkStatus();
    case Kind::kDouble:
      if (!absl::SimpleAtod(value, static_cast<double*>(flag.target))) return bad("a number");
      return absl::OkStatus();
    case Kind::kBool:
      if (!absl::SimpleAtob(value, static_cast<bool*>(flag.target))) return bad("true or false");
      return absl::OkStatus();
    case Kind::kDuration: {
      // A bare number means seconds ("--deadline=30").
      double seconds;
      if (absl::SimpleAtod(value, &seconds)) {
        *static_cast<absl::Duration*>(flag.target) = absl::Seconds(seconds);
        return absl::OkStatus();
      }
      if (!absl::ParseDuration(value, static_cast<absl::Duration*>(flag.target))) {
        return bad("a duration like 60s, 500ms or 2m");
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown flag kind");
}

absl::Status FlagSet::Parse(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help" || a == "-help") help_ = true;
  }
  if (help_) return absl::OkStatus();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional_.insert(positional_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positional_.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string name = body, value;
    const size_t eq = body.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
    }
    Flag* flag = Find(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      Flag* negated = Find(name.substr(2));
      if (negated != nullptr && negated->kind == Kind::kBool) {
        *static_cast<bool*>(negated->target) = false;
        continue;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", name, " for `arbiter ", command_, "` (see --help)"));
    }
    if (!has_value) {
      if (flag->kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
    }
    if (absl::Status s = Set(*flag, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string FlagSet::Usage() const {
  std::string out = absl::StrCat("usage: ", usage_, "\n\n", description_, "\n\nflags:\n");
  for (const Flag& f : flags_) {
    absl::StrAppendFormat(&out, "  --%-16s %s", f.name, f.help);
    if (!f.default_text.empty()) absl::StrAppend(&out, " (default: ", f.default_text, ")");
    absl::StrAppend(&out, "\n");
  }
  absl::StrAppend(&out, "\nexample:\n", example_, "\n");
  return out;
}

std::string DefaultServer() {
  const char* env = std::getenv("ARBITER_SERVER");
  if (env != nullptr && *env != '\0') return env;
  return "127.0.0.1:50051";
}

void AddServerFlag(FlagSet* flags, std::string* server) {
  *server = DefaultServer();
  flags->String("server", server, "server address HOST:PORT (env ARBITER_SERVER)");
}

}  // namespace arbiter::client::cli
