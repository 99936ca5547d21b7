// Sandbox: the one long-lived lua_State and the environments scripts run in
// (SEMANTICS S14, DEPENDENCIES.md "Sandbox").
//
// LIBRARIES. Only base, table, string, math and utf8 are opened; dofile,
// loadfile, print and warn are removed; load is text-only (mode "t": a
// precompiled chunk would bypass the bytecode verifier Lua 5.4 no longer
// has); Lua 5.1 shims: global `unpack`, `loadstring` (text only). Redis's
// `pcall` (error tables become their message) and deterministic
// math.random/randomseed replace the originals.
//
// READ-ONLY TABLES. Lua 5.4 has no read-only flag (Redis patched one into
// 5.1), so every table a script can reach from its globals is an empty proxy:
// reads go through __index to the hidden real table, writes hit __newindex
// ("Attempt to modify a readonly table"), __metatable hides the metatable,
// and __pairs iterates the real table without exposing it. rawset and
// setmetatable are wrapped to refuse proxies; setmetatable also refuses
// __gc (a finalizer could run outside any script, where nothing can stop it).
// The string metatable's __index is the proxy of `string`.
//
// ENVIRONMENTS. Three hidden API tables, each with an __index that raises
// "Script attempted to access nonexistent global variable 'x'":
//   eval API      builtins + redis + KEYS/ARGV (set per call)
//   function API  builtins + redis (functions get keys/args as parameters)
//   load API      only `redis` with register_function/log/version (FUNCTION
//                 LOAD runs library code with this; redis.call is missing)
// Scripts see them through read-only proxies: EVAL chunks get the eval
// proxy as _ENV; library chunks get the function proxy, whose __index is
// pointed at the load API while FUNCTION LOAD runs the chunk (Redis does the
// same with its globals' metatable).
#ifndef TXLAB_IMPL_LUA_SANDBOX_H_
#define TXLAB_IMPL_LUA_SANDBOX_H_

#include <cstddef>

#include <lua.hpp>

namespace txlab {

// The allocator passed to lua_newstate. While `enforce` is set (during user
// code), growing past `limit` fails, which Lua turns into a "not enough
// memory" error for the script instead of exhausting the process. Outside
// user code our own bookkeeping is not limited, so it never fails halfway.
struct LuaAllocator {
  size_t limit = 0;
  size_t used = 0;
  bool enforce = false;
  static void* Alloc(void* ud, void* ptr, size_t osize, size_t nsize);
};

// Registry references to the environments (see above).
struct SandboxRefs {
  int eval_api = LUA_NOREF;
  int eval_env = LUA_NOREF;  // read-only proxy of eval_api
  int function_api = LUA_NOREF;
  int load_api = LUA_NOREF;
  int function_env = LUA_NOREF;       // read-only proxy of function_api
  int function_env_meta = LUA_NOREF;  // its metatable (switch __index for loads)
};

// Creates the sandboxed state. `extra` must outlive it (StateExtra pointer in
// the state's extra space). Never returns null (aborts if the process is out
// of memory).
lua_State* NewSandboxedState(LuaAllocator* alloc, void* extra, SandboxRefs* refs);

// The message handler for lua_pcall (Redis's __redis__err__handler): turns
// the error into {err="ERR …" (unless already a table), source=…, line=…}
// using the first Lua frame at or above the raiser.
int ScriptErrorHandler(lua_State* L);

// Pushes a read-only proxy of the table at `index`.
void PushReadonlyProxy(lua_State* L, int index);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_SANDBOX_H_
