// StateExtra: what C functions and hooks find from a bare lua_State*, and
// the per-run contexts they consult. Internal to impl/lua.
//
// Lua reserves LUA_EXTRASPACE (one pointer) in front of every lua_State; we
// keep a pointer to StateExtra there, so the hot path (redis.call) needs no
// registry lookup.
#ifndef TXLAB_IMPL_LUA_STATE_EXTRA_H_
#define TXLAB_IMPL_LUA_STATE_EXTRA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <lua.hpp>

namespace txlab {

class RunMonitor;
class ScriptHost;

// One EVAL/FCALL in progress.
struct RunContext {
  ScriptHost* host = nullptr;
  bool read_only = false;  // EVAL_RO / FCALL_RO / no-writes (S20)
  bool is_function = false;
  int resp = 2;            // redis.setresp
};

// A function registered by redis.register_function during FUNCTION LOAD.
struct PendingFunction {
  std::string name;
  int ref = LUA_NOREF;  // the callback, in the registry
  uint32_t flags = 0;
  std::optional<std::string> description;
};

// One FUNCTION LOAD in progress.
struct LibraryLoad {
  std::vector<PendingFunction> functions;
  int64_t deadline_ns = 0;  // CLOCK_MONOTONIC; the load is stopped after it
};

struct StateExtra {
  RunMonitor* monitor = nullptr;
  RunContext* run = nullptr;    // non-null only while a script runs
  LibraryLoad* load = nullptr;  // non-null only while FUNCTION LOAD runs code
  uint64_t rand48 = 0;          // math.random state (48-bit LCG, as Redis)
  // Bound on the bytes a script's return value may expand to in C++.
  size_t max_reply_bytes = 0;
};

inline StateExtra* GetStateExtra(lua_State* L) { return *static_cast<StateExtra**>(lua_getextraspace(L)); }
inline void SetStateExtra(lua_State* L, StateExtra* extra) { *static_cast<StateExtra**>(lua_getextraspace(L)) = extra; }

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_STATE_EXTRA_H_
