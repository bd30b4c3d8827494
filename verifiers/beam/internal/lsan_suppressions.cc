// Compiled into every binary that links arbiter::beam (CMake INTERFACE source), once.
//
// CLN (under GiNaC) allocates 26 bytes in a static initialiser and never frees them; without
// this suppression every such binary fails LeakSanitizer in the ASan build before running any
// of our code. Only active under -fsanitize=address (gcc defines __SANITIZE_ADDRESS__, clang
// answers __has_feature).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_suppressions() { return "leak:libcln.so\n"; }
#endif
