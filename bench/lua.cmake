# Lua scripting benchmark: EVALSHA of a two-key transfer script through
# Session::Call, under each time-limit mode (signal-armed kill, Redis-style
# permanent count hook, no machinery). Goal: < 1.5 µs/call, and no measurable
# cost from the time-limit machinery.
if(TARGET txlab_engine AND TARGET txlab_lua)
  add_executable(lua_bench ${CMAKE_CURRENT_LIST_DIR}/lua_bench.cc)
  target_link_libraries(lua_bench PRIVATE txlab_engine txlab_lua benchmark::benchmark benchmark::benchmark_main)
endif()
