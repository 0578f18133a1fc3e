# SPDX-License-Identifier: GPL-3.0-or-later
# Optional instrumented builds; the default build is unchanged (all three are off by default).
#
#   BENCHSCOPE_SANITIZE  "address;undefined" or "thread" (empty: none). Every target of the
#                        project (libraries, simulated vendor libraries, tests, tools) is compiled
#                        and linked with -fsanitize=..., -O1, line tables and frame pointers. UBSan reports
#                        are fatal (-fno-sanitize-recover), so a report fails the test that
#                        caused it. Use clang (scripts/test-sanitizers does).
#   BENCHSCOPE_FUZZ      ON: builds the libFuzzer targets in fuzz/ (clang only); combine with
#                        BENCHSCOPE_SANITIZE=address;undefined so a fuzzer finds memory errors too.
#   BENCHSCOPE_BENCH     OFF: leaves out bench/ (instrumented builds do not need it).
set(BENCHSCOPE_SANITIZE "" CACHE STRING "Sanitizers for every target: address;undefined, or thread")
option(BENCHSCOPE_FUZZ "Build the libFuzzer targets in fuzz/ (clang)" OFF)
option(BENCHSCOPE_BENCH "Build the benchmarks in bench/" ON)

if(BENCHSCOPE_SANITIZE)
  set(_bs_san ${BENCHSCOPE_SANITIZE})
  if("thread" IN_LIST _bs_san AND ("address" IN_LIST _bs_san OR "undefined" IN_LIST _bs_san))
    message(FATAL_ERROR "BENCHSCOPE_SANITIZE: thread cannot be combined with address/undefined")
  endif()
  foreach(s IN LISTS _bs_san)
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "BENCHSCOPE_SANITIZE: unknown sanitizer '${s}' (address, undefined, thread)")
    endif()
  endforeach()
  list(JOIN _bs_san "," _bs_san_flag)
  # -O1 keeps the tests fast enough; line tables are all a sanitizer report needs for its stack
  # (and compile much faster than full debug information).
  set(_bs_san_opts -fsanitize=${_bs_san_flag} -fno-omit-frame-pointer -O1)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    list(APPEND _bs_san_opts -gline-tables-only)
  else()
    list(APPEND _bs_san_opts -g1)
  endif()
  if("undefined" IN_LIST _bs_san)
    # Every UBSan finding is an error that stops the program (and so fails its test).
    list(APPEND _bs_san_opts -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${_bs_san_opts})
  add_link_options(-fsanitize=${_bs_san_flag})
  if("undefined" IN_LIST _bs_san AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # A C program (tests/drivers/picoscope/capi) linked to a C++ library built with UBSan needs
    # UBSan's C++ runtime too (vptr and function checks).
    add_link_options("$<$<LINK_LANGUAGE:C>:-fsanitize-link-c++-runtime;-lstdc++>")
  endif()
  message(STATUS "BenchScope: sanitizers ${_bs_san_flag}")
endif()

if(BENCHSCOPE_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "BENCHSCOPE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
endif()
