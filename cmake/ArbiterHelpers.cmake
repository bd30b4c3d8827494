# Target shapes used by every folder, after Abseil's CMake/AbseilHelpers.cmake.
#
#   arbiter_cc_library(NAME sat SRCS a.cc HDRS a.h DEPS arbiter::sdk)   -> arbiter_sat, alias arbiter::sat
#   arbiter_cc_test(NAME sat_dimacs_test SRCS dimacs_test.cc DEPS arbiter::sat)   -> gtest, in ctest
#   arbiter_cc_benchmark(NAME sat_benchmark SRCS sat_benchmark.cc DEPS arbiter::sat) -> label benchmark
#   arbiter_cc_fuzz(NAME sat_dimacs_fuzz SRCS dimacs_fuzz.cc DEPS arbiter::sat CORPUS dir)
#       builds a corpus-replay binary that ctest runs over every file of CORPUS (label fuzz); with
#       -DARBITER_LIBFUZZER=ON (clang) the same source links libFuzzer instead, and the ctest entry
#       replays the corpus with -runs=0. `.ci/fuzz` finds targets and corpora from those entries.

include_guard(GLOBAL)

# ARBITER_TSAN: every executable gets the Abseil synchronisation annotations (cmake/tsan/).
function(arbiter_tsan_annotate target)
  if(ARBITER_TSAN)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/tsan/absl_sync_annotations.cc)
    target_link_libraries(${target} PRIVATE absl::synchronization ${CMAKE_DL_LIBS})
  endif()
endfunction()

function(arbiter_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;HDRS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target arbiter_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS} ${ARG_HDRS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    target_compile_options(${target} PRIVATE ${ARBITER_WARNINGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(arbiter::${ARG_NAME} ALIAS ${target})
endfunction()

# SERVER_MALLOC: link the allocator of ARBITER_MALLOC (the long-running, many-threaded binaries:
# arbiterd, arbiter; not helpers that run under the sandbox's memory limits).
function(arbiter_cc_binary)
  cmake_parse_arguments(ARG "SERVER_MALLOC" "NAME;OUTPUT_NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  arbiter_tsan_annotate(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  if(ARG_SERVER_MALLOC AND ARBITER_MALLOC_LIBRARY)
    target_link_libraries(${ARG_NAME} PRIVATE ${ARBITER_MALLOC_LIBRARY})
  endif()
  target_compile_options(${ARG_NAME} PRIVATE ${ARBITER_WARNINGS})
  if(ARG_OUTPUT_NAME)
    set_target_properties(${ARG_NAME} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
endfunction()

function(arbiter_cc_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  arbiter_tsan_annotate(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_options(${ARG_NAME} PRIVATE ${ARBITER_WARNINGS})
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  set_tests_properties(${ARG_NAME} PROPERTIES
    ENVIRONMENT "ARBITER_SOURCE_DIR=${PROJECT_SOURCE_DIR};ARBITER_SHARED_DIR=${ARBITER_SHARED_DIR};ARBITER_BINARY_DIR=${PROJECT_BINARY_DIR}")
  if(ARBITER_SANITIZER_ENV)
    set_property(TEST ${ARG_NAME} APPEND PROPERTY ENVIRONMENT "${ARBITER_SANITIZER_ENV}")
  endif()
  if(ARG_TIMEOUT)
    set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  endif()
  if(ARG_LABELS)
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

function(arbiter_cc_benchmark)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  arbiter_tsan_annotate(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  target_compile_options(${ARG_NAME} PRIVATE ${ARBITER_WARNINGS})
  # Registered so `ctest -L benchmark` runs it; excluded from the default run by the label filter
  # in the README's test command.
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} --benchmark_min_time=0.2)
  set_tests_properties(${ARG_NAME} PROPERTIES LABELS benchmark
    ENVIRONMENT "ARBITER_SOURCE_DIR=${PROJECT_SOURCE_DIR};ARBITER_SHARED_DIR=${ARBITER_SHARED_DIR}")
endfunction()

function(arbiter_cc_fuzz)
  cmake_parse_arguments(ARG "" "NAME;CORPUS" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  arbiter_tsan_annotate(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  target_compile_options(${ARG_NAME} PRIVATE ${ARBITER_WARNINGS})
  if(ARBITER_LIBFUZZER)
    target_compile_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
    # Given folders, libFuzzer fuzzes forever; -runs=0 executes every corpus input once.
    add_test(NAME ${ARG_NAME}_corpus COMMAND ${ARG_NAME} -runs=0 ${ARG_CORPUS})
  else()
    target_link_libraries(${ARG_NAME} PRIVATE arbiter_fuzz_replay_main)
    add_test(NAME ${ARG_NAME}_corpus COMMAND ${ARG_NAME} ${ARG_CORPUS})
  endif()
  set_tests_properties(${ARG_NAME}_corpus PROPERTIES LABELS fuzz
    ENVIRONMENT "${ARBITER_SANITIZER_ENV}")
endfunction()

# Builds one C file into OUTPUT (in the current binary dir) with the compiler alone, ARGS added
# and none of the project's global flags (the artifact runs where a sanitizer runtime cannot
# follow: inside the sandbox), then embeds it: ${CMAKE_CURRENT_BINARY_DIR}/<FUNCTION>.cc defines
# `std::string_view <NAMESPACE>::<FUNCTION>()` over its bytes (cmake/EmbedBinary.cmake). Add
# that file to a library's SRCS.
#   arbiter_embedded_c_artifact(SOURCE x.c OUTPUT x.so FUNCTION XBytes NAMESPACE ns ARGS ...)
function(arbiter_embedded_c_artifact)
  cmake_parse_arguments(E "" "SOURCE;OUTPUT;FUNCTION;NAMESPACE" "ARGS" ${ARGN})
  set(artifact ${CMAKE_CURRENT_BINARY_DIR}/${E_OUTPUT})
  set(embedded ${CMAKE_CURRENT_BINARY_DIR}/${E_FUNCTION}.cc)
  add_custom_command(
    OUTPUT ${artifact}
    COMMAND ${CMAKE_CXX_COMPILER} -x c -std=c11 -O2 -s ${ARBITER_WARNINGS} ${E_ARGS}
            -o ${artifact} ${CMAKE_CURRENT_SOURCE_DIR}/${E_SOURCE}
    DEPENDS ${E_SOURCE}
    COMMENT "Building ${E_OUTPUT}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${embedded}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${artifact} -DOUTPUT=${embedded} -DNAMESPACE=${E_NAMESPACE}
            -DFUNCTION=${E_FUNCTION} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedBinary.cmake
    DEPENDS ${artifact} ${PROJECT_SOURCE_DIR}/cmake/EmbedBinary.cmake
    VERBATIM)
endfunction()
