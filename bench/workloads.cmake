# Benchmarks of the workloads area (included by bench/CMakeLists.txt).
#   recording_bench  throughput of the threaded runner with history recording
#                    on and off (the issue's "< 10% cost" budget)
if(TARGET txlab_workloads)
  add_executable(recording_bench ${CMAKE_CURRENT_LIST_DIR}/recording_bench.cc)
  target_link_libraries(recording_bench PRIVATE txlab_workloads benchmark::benchmark)
endif()
