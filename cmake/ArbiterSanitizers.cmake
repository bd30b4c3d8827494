# Sanitizer and fuzzing flags for the whole build (options declared in the root CMakeLists).
#
#   ARBITER_SANITIZE   ASan + UBSan on every target (gcc or clang); UB aborts the test.
#   ARBITER_LIBFUZZER  clang only: every target gets libFuzzer's coverage instrumentation
#                      (-fsanitize=fuzzer-no-link) and arbiter_cc_fuzz targets link libFuzzer;
#                      their ctest entries replay the corpus once (-runs=0) instead of fuzzing.
#   ARBITER_TSAN       ThreadSanitizer, plus cmake/tsan/absl_sync_annotations.cc linked into every
#                      test: Debian's Abseil is not instrumented, so without it TSan cannot see
#                      absl::Mutex and reports every guarded field as a race.
# The embedded sandbox artifacts (arbiter_embedded_c_artifact) never get these flags: they run
# inside the sandbox, where no sanitizer runtime can follow.
include_guard(GLOBAL)

if(ARBITER_SANITIZE AND ARBITER_TSAN)
  message(FATAL_ERROR "ARBITER_SANITIZE (ASan) and ARBITER_TSAN cannot share a build tree")
endif()
# Runtime options every ctest entry gets in a sanitizer tree (tests/lsan.supp: leaks in system
# libraries that are not ours to fix, each with its reason).
set(ARBITER_SANITIZER_ENV "")
if(ARBITER_SANITIZE)
  set(ARBITER_SANITIZER_ENV "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(ARBITER_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
if(ARBITER_LIBFUZZER)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ARBITER_LIBFUZZER needs clang (CXX=clang++-14)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
