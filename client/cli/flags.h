// A small per-subcommand flag parser for the `arbiter` CLI. absl::flags are process-global, which
// fits one binary with one flag set; the CLI has one flag set per subcommand, each with its own
// --help, so it parses by hand.
//
// Accepted forms: --name=value, --name value, --bool_flag, --bool_flag=true|false, --nobool_flag;
// "--" ends the flags. Unknown flags and malformed values are INVALID_ARGUMENT naming the flag.
//
// Thread-safety: not thread-safe; use from main() only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace arbiter::client::cli {

class FlagSet {
 public:
  // `usage`: the one-line synopsis; `description` and `example` are printed by Usage().
  FlagSet(std::string command, std::string usage, std::string description, std::string example);

  // Registers a flag; `*target` holds its default and receives the parsed value.
  void String(const std::string& name, std::string* target, const std::string& help);
  void Int(const std::string& name, int64_t* target, const std::string& help);
  void Double(const std::string& name, double* target, const std::string& help);
  void Bool(const std::string& name, bool* target, const std::string& help);
  void Duration(const std::string& name, absl::Duration* target, const std::string& help);

  // Parses args (the words after the subcommand). Sets help() for -h/--help (other flags are
  // then not validated).
  absl::Status Parse(const std::vector<std::string>& args);

  bool help() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  // Usage text: synopsis, description, flags with defaults, example.
  std::string Usage() const;

 private:
  enum class Kind { kString, kInt, kDouble, kBool, kDuration };
  struct Flag {
    std::string name;
    Kind kind;
    void* target;
    std::string help;
    std::string default_text;
  };
  void Add(const std::string& name, Kind kind, void* target, const std::string& help);
  Flag* Find(const std::string& name);
  static absl::Status Set(const Flag& flag, const std::string& value);

  std::string command_, usage_, description_, example_;
  std::vector<Flag> flags_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// --server's default: $ARBITER_SERVER when set and non-empty, else 127.0.0.1:50051.
std::string DefaultServer();

// Declares the --server flag every command takes, with DefaultServer() as its default.
void AddServerFlag(FlagSet* flags, std::string* server);

}  // namespace arbiter::client::cli
