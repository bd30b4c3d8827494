#include "verifiers/code/sandbox/toolchain.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "verifiers/code/sandbox/languages/sources.h"

namespace arbiter::code {
namespace {

constexpr int64_t kGiB = int64_t{1} << 30;

// Debian 12's toolchains (scripts/install-deps). Absolute paths that stay inside /usr, the only
// host tree a sandbox sees: /usr/bin/java, /usr/bin/javac and /usr/bin/cc are links through
// /etc/alternatives, which is not there.
constexpr char kGcc[] = "/usr/bin/gcc";
constexpr char kJavaHome[] = "/usr/lib/jvm/java-17-openjdk-amd64";
constexpr char kJavaConfig[] = "/etc/java-17-openjdk";  // jvm.cfg, security: the JVM reads them
constexpr char kNode[] = "/usr/bin/node";
constexpr char kGo[] = "/usr/bin/go";
constexpr char kRustc[] = "/usr/bin/rustc";

Toolchain Native(std::string name, std::vector<std::string> argv, std::string source) {
  argv.insert(argv.end(), {"-o", "prog", source});
  Toolchain t;
  t.name = std::move(name);
  t.compile = CompileStep{std::move(argv), std::move(source), "prog"};
  t.run = {kArtifact};
  return t;
}

Toolchain Cpp(const BwrapOptions& options) {
  std::vector<std::string> argv = {options.cxx_path};
  argv.insert(argv.end(), options.cxx_flags.begin(), options.cxx_flags.end());
  Toolchain t = Native("cpp", std::move(argv), "main.cpp");
  t.memory_markers = {"std::bad_alloc"};
  t.required = {options.cxx_path};
  t.package = "g++";
  return t;
}

// Codeforces' and AtCoder's C: GNU dialect, -O2, ONLINE_JUDGE defined, libm linked.
Toolchain C() {
  Toolchain t = Native("c", {kGcc, "-std=gnu17", "-O2", "-pipe", "-DONLINE_JUDGE"}, "main.c");
  t.compile->argv.emplace_back("-lm");
  t.required = {kGcc};
  t.package = "gcc";
  return t;
}

// As Codeforces: edition 2021, -O, cfg ONLINE_JUDGE; debug info stripped (11 MB -> 0.5 MB per
// cached binary); gcc named as the linker since /usr/bin/cc is an /etc/alternatives link.
Toolchain Rust() {
  Toolchain t = Native("rust",
                       {kRustc, "--edition", "2021", "-O", "--cfg", "ONLINE_JUDGE", "-C",
                        "strip=debuginfo", "-C", absl::StrCat("linker=", kGcc)},
                       "main.rs");
  t.memory_markers = {"memory allocation of "};
  t.required = {kRustc, kGcc};
  t.package = "rustc";
  return t;
}

// `go build` as the judges run it. GOCACHE defaults to $HOME/.cache = the fresh build
// directory, so nothing is shared between compilations. The Go runtime reserves ~600 MiB of
// address space at start (measured: a hello-world fails under RLIMIT_AS 512 MiB, runs at 768).
Toolchain Go() {
  Toolchain t = Native("go", {kGo, "build"}, "main.go");
  t.address_space_extra = kGiB;
  t.memory_markers = {"runtime: out of memory"};
  t.required = {kGo};
  t.package = "golang-go";
  return t;
}

// javac via languages/java_build.py (file named after the public class, ArbiterMain beside it,
// classes zipped into `prog`). The JVMs get small fixed reservations so that they fit the
// rlimits: javac under the 1 GiB compile limit, tests under memory + address_space_extra.
Toolchain Java(const BwrapOptions& options) {
  const std::string javac = absl::StrCat(kJavaHome, "/bin/javac");
  const std::string java = absl::StrCat(kJavaHome, "/bin/java");
  Toolchain t;
  t.name = "java";
  t.compile = CompileStep{
      {options.python_path, "-s", "-B", "-c", std::string(JavaBuildScript()), javac,
       std::string(JavaMainSource()), "-J-Xmx512m", "-J-XX:+UseSerialGC",
       "-J-XX:TieredStopAtLevel=1", "-J-XX:CICompilerCount=1", "-J-XX:CompressedClassSpaceSize=64m",
       "-J-XX:ReservedCodeCacheSize=64m", "-J-XX:-UsePerfData"},
      "source.java",
      "prog"};
  t.run = {java,
           absl::StrCat("-Xmx", kMemoryMib, "m"),
           "-Xss64m",
           "-XX:+UseSerialGC",
           "-XX:CICompilerCount=2",
           "-XX:ReservedCodeCacheSize=64m",
           "-XX:CompressedClassSpaceSize=64m",
           "-XX:MaxMetaspaceSize=128m",
           "-XX:-UsePerfData",
           "-cp",
           kArtifact,
           "ArbiterMain"};
  t.call = t.run;
  t.call.emplace_back("call");
  t.address_space_extra = 2 * kGiB;
  t.memory_markers = {"java.lang.OutOfMemoryError"};
  t.ro_binds = {kJavaConfig};
  t.required = {javac, java, absl::StrCat(kJavaConfig, "/jvm-amd64.cfg")};
  t.package = "openjdk-17-jdk-headless";
  return t;
}

// The "compile" step is node's syntax check, so a syntax error is a compile error; the artifact
// is the source itself.
Toolchain JavaScript() {
  Toolchain t;
  t.name = "javascript";
  t.compile = CompileStep{{kNode, "--check", "main.js"}, "main.js", "main.js"};
  const std::string heap = absl::StrCat("--max-old-space-size=", kMemoryMib);
  t.run = {kNode, heap, kArtifact};
  t.call = {kNode, heap, "-e", std::string(JavaScriptCallWrapper()), kArtifact};
  t.address_space_extra = 2 * kGiB;
  t.memory_markers = {"JavaScript heap out of memory"};
  t.required = {kNode};
  t.package = "nodejs";
  return t;
}

}  // namespace

absl::StatusOr<Toolchain> ToolchainFor(Language language, const BwrapOptions& options) {
  switch (language) {
    case Language::kPython: {
      Toolchain t;
      t.name = "python";
      t.required = {options.python_path};
      t.package = "python3";
      return t;
    }
    case Language::kCpp:
      return Cpp(options);
    case Language::kC:
      return C();
    case Language::kJava:
      return Java(options);
    case Language::kJavaScript:
      return JavaScript();
    case Language::kGo:
      return Go();
    case Language::kRust:
      return Rust();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "code: this sandbox has no toolchain for language #", static_cast<int>(language)));
}

absl::Status ToolchainAvailable(Language language, const BwrapOptions& options) {
  absl::StatusOr<Toolchain> toolchain = ToolchainFor(language, options);
  if (!toolchain.ok()) return toolchain.status();
  for (const std::string& path : toolchain->required) {
    if (access(path.c_str(), F_OK) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("code: this server cannot run ", LanguageName(language), " programs: ", path,
                       " is missing (Debian package ", toolchain->package, ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace arbiter::code
