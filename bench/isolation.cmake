# Isolation checker benchmark: Elle-style checking of generated list-append
# histories (10K, 100K, 1M transactions). Goal (README): 1M txns < 10 s, < 4 GiB.
if(TARGET txlab_isolation)
  add_executable(isolation_bench ${CMAKE_CURRENT_LIST_DIR}/isolation_bench.cc)
  target_link_libraries(isolation_bench PRIVATE txlab_isolation benchmark::benchmark benchmark::benchmark_main)
  target_compile_definitions(isolation_bench PRIVATE TXLAB_SHARED_HISTORIES="${PROJECT_SOURCE_DIR}/../shared/histories")
endif()
