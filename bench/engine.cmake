# Engine micro-benchmarks: GET, SET, INCR and a two-key WATCH/MULTI/EXEC
# transfer through Session::Call, single-threaded and with two threads.
if(TARGET txlab_engine)
  add_executable(engine_bench ${CMAKE_CURRENT_LIST_DIR}/engine_bench.cc)
  target_link_libraries(engine_bench PRIVATE txlab_engine benchmark::benchmark benchmark::benchmark_main)
endif()
