# Checker benchmarks (Google Benchmark). Not run by ctest.
#   linearizability_bench: our checker in-process on generated histories
#   (check only, parse excluded). The side-by-side run against porcupine is
#   bench/linearizability_vs_porcupine.sh.
if(TARGET txlab_linearizability)
  add_executable(linearizability_bench ${CMAKE_CURRENT_LIST_DIR}/linearizability_bench.cc)
  target_link_libraries(linearizability_bench PRIVATE txlab_linearizability benchmark::benchmark)
endif()
