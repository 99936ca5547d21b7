# RESP server benchmarks (not tests): the side-by-side comparison of
# `txlab serve` with redis-server is bench/redis_benchmark_compare.sh, which
# uses redis-benchmark plus txlab_resp_load (multi-command units such as
# MULTI/EXEC, which redis-benchmark cannot send) and txlab_serve.
if(TARGET txlab_resp)
  find_path(TXLAB_ASIO_INCLUDE asio.hpp REQUIRED)
  add_executable(txlab_resp_load ${CMAKE_CURRENT_LIST_DIR}/server_resp_load.cc)
  target_include_directories(txlab_resp_load SYSTEM PRIVATE ${TXLAB_ASIO_INCLUDE})
  target_compile_definitions(txlab_resp_load PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED)
  target_link_libraries(txlab_resp_load PRIVATE txlab_resp CLI11::CLI11 Threads::Threads)
endif()
