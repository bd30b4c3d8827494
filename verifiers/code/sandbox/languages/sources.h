// The per-language wrapper sources (the files beside this header), embedded into the library at
// build time so that the server carries the wrappers it was tested with and nothing of ours has
// to exist inside a sandbox: they travel in the compile step's argv or the run argv.
//
// Thread-safety: immutable.
#pragma once

#include <string_view>

namespace arbiter::code {

// ArbiterMain.java: the Java entry point (runs the candidate's main class) and call wrapper.
std::string_view JavaMainSource();
// java_build.py: the Java compile step (file naming, javac, zip).
std::string_view JavaBuildScript();
// call.js: the JavaScript call wrapper.
std::string_view JavaScriptCallWrapper();

}  // namespace arbiter::code
