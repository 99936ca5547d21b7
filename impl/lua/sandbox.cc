#include "impl/lua/sandbox.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "impl/lua/redis_api.h"
#include "impl/lua/state_extra.h"

namespace txlab {
namespace {

// Registry key (by address) of the weak-keyed set of read-only proxies.
char kReadonlySetKey;

// ---- allocation and panic ------------------------------------------------

int Panic(lua_State* L) {
  const char* msg = lua_tostring(L, -1);
  std::fprintf(stderr, "txlab: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
  std::fflush(stderr);
  return 0;  // Lua aborts
}

// ---- read-only proxies ----------------------------------------------------

bool IsReadonly(lua_State* L, int index) {
  if (lua_type(L, index) != LUA_TTABLE) return false;
  index = lua_absindex(L, index);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kReadonlySetKey);
  lua_pushvalue(L, index);
  bool readonly = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 2);
  return readonly;
}

// As luaL_error: the position is that of the caller when it is Lua code
// (`string.rep = nil` → "user_script:1: ..."), none when it is C
// (`table.insert(math, 1)`), which is what Redis's 5.1 read-only check gives.
int ReadonlyNewIndex(lua_State* L) { return luaL_error(L, "Attempt to modify a readonly table"); }

// rawset/setmetatable on a read-only table: Redis raises inside the C
// function, so the message has no position.
[[noreturn]] void RaiseReadonlyNoPosition(lua_State* L) {
  lua_pushliteral(L, "Attempt to modify a readonly table");
  lua_error(L);
  __builtin_unreachable();
}

// __pairs iteration over the hidden real table (upvalue 1).
int ProxyNext(lua_State* L) {
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 2);
  if (lua_next(L, 3)) return 2;
  lua_pushnil(L);
  return 1;
}

int ProxyPairs(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushcclosure(L, ProxyNext, 1);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

// ---- global protection ------------------------------------------------------

int NonexistentGlobal(lua_State* L) {
  // (table, key): Redis's luaProtectedTableError.
  const char* name = lua_tostring(L, 2);
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name ? name : "?");
}

// Sets a metatable whose __index raises NonexistentGlobal on the table on top.
void SetErrorMetatable(lua_State* L) {
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, NonexistentGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
}

// ---- wrapped base functions -------------------------------------------------

// Lua 5.1's error(): like 5.4's, but a number message also gets the
// position prefix ("user_script:1: 12").
int CompatError(lua_State* L) {
  lua_Integer level = luaL_optinteger(L, 2, 1);
  lua_settop(L, 1);
  int t = lua_type(L, 1);
  if ((t == LUA_TSTRING || t == LUA_TNUMBER) && level > 0) {
    luaL_where(L, static_cast<int>(level));
    lua_pushvalue(L, 1);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

int SafeRawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (IsReadonly(L, 1)) RaiseReadonlyNoPosition(L);
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

int SafeSetmetatable(lua_State* L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (IsReadonly(L, 1)) RaiseReadonlyNoPosition(L);
  if (t == LUA_TTABLE) {
    lua_pushstring(L, "__gc");
    bool has_gc = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    if (has_gc) return luaL_error(L, "__gc metamethods are not allowed in scripts");
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

// Text-only load and loadstring, written in Lua so that load keeps all of
// its 5.4 behaviour (reader functions, chunk names, explicit env) except the
// mode, which is always "t".
constexpr char kLoadWrappers[] = R"(
local base_load, select = ...
local function load(...)
  local chunk, chunkname, _, env = ...
  if select('#', ...) >= 4 then return base_load(chunk, chunkname, 't', env) end
  return base_load(chunk, chunkname, 't')
end
local function loadstring(s, chunkname)
  return base_load(s, chunkname, 't')
end
return load, loadstring
)";

void ReplaceLoad(lua_State* L, int globals) {
  if (luaL_loadbufferx(L, kLoadWrappers, sizeof(kLoadWrappers) - 1, "=sandbox", "t") != LUA_OK) std::abort();
  lua_getfield(L, globals, "load");
  lua_getfield(L, globals, "select");
  lua_call(L, 2, 2);
  lua_setfield(L, globals, "loadstring");
  lua_setfield(L, globals, "load");
}

// Copies every field of table `from` into table `to` (absolute indices).
void CopyFields(lua_State* L, int from, int to) {
  lua_pushnil(L);
  while (lua_next(L, from)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, to);
  }
}

int NewRef(lua_State* L) { return luaL_ref(L, LUA_REGISTRYINDEX); }

}  // namespace

void* LuaAllocator::Alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* a = static_cast<LuaAllocator*>(ud);
  size_t old = ptr != nullptr ? osize : 0;  // for new blocks osize is a type tag
  if (nsize == 0) {
    std::free(ptr);
    a->used -= old;
    return nullptr;
  }
  if (a->enforce && nsize > old && a->used - old + nsize > a->limit) return nullptr;
  void* p = std::realloc(ptr, nsize);
  if (p == nullptr) return nullptr;
  a->used = a->used - old + nsize;
  return p;
}

void PushReadonlyProxy(lua_State* L, int index) {
  int real = lua_absindex(L, index);
  lua_createtable(L, 0, 0);  // the proxy
  lua_createtable(L, 0, 4);  // its metatable
  lua_pushvalue(L, real);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, real);
  lua_pushcclosure(L, ProxyPairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kReadonlySetKey);
  lua_pushvalue(L, -2);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

int ScriptErrorHandler(lua_State* L) {
  // Level 1 raised the error; if it is a C function (error, redis.call, a
  // metamethod), report its Lua caller, as Redis's handler does (Redis
  // skips one C frame; we skip all, so C called from C still finds the
  // script's line).
  lua_Debug ar;
  bool have = false;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (std::strcmp(ar.what, "C") != 0) {
      have = true;
      break;
    }
  }
  if (!lua_istable(L, 1)) {
    luaL_tolstring(L, 1, nullptr);  // tostring(err)
    lua_pushstring(L, "ERR ");
    lua_insert(L, -2);
    lua_concat(L, 2);
    lua_createtable(L, 0, 3);
    lua_insert(L, -2);
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  lua_settop(L, 1);
  if (have) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
  }
  return 1;
}

lua_State* NewSandboxedState(LuaAllocator* alloc, void* extra, SandboxRefs* refs) {
  lua_State* L = lua_newstate(LuaAllocator::Alloc, alloc);
  if (L == nullptr) std::abort();
  lua_atpanic(L, Panic);
  SetStateExtra(L, static_cast<StateExtra*>(extra));

  // The weak-keyed set of read-only proxies.
  lua_createtable(L, 0, 0);
  lua_createtable(L, 0, 1);
  lua_pushstring(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kReadonlySetKey);

  // Standard libraries, into the original globals table G0 (never exposed).
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  lua_settop(L, 0);
  lua_pushglobaltable(L);
  const int g0 = lua_gettop(L);

  for (const char* name : {"dofile", "loadfile", "print", "warn", "require"}) {
    lua_pushnil(L);
    lua_setfield(L, g0, name);
  }
  ReplaceLoad(L, g0);
  lua_pushcfunction(L, SafeRawset);
  lua_setfield(L, g0, "rawset");
  lua_pushcfunction(L, SafeSetmetatable);
  lua_setfield(L, g0, "setmetatable");
  lua_pushcfunction(L, RedisPcall);
  lua_setfield(L, g0, "pcall");
  lua_pushcfunction(L, CompatError);
  lua_setfield(L, g0, "error");
  // Lua 5.1 shims: global unpack, and no table.unpack (S14 checks it is nil).
  lua_getfield(L, g0, LUA_TABLIBNAME);
  lua_getfield(L, -1, "unpack");
  lua_setfield(L, g0, "unpack");
  lua_pushnil(L);
  lua_setfield(L, -2, "unpack");
  lua_pop(L, 1);
  // Deterministic random numbers.
  lua_getfield(L, g0, LUA_MATHLIBNAME);
  lua_pushcfunction(L, RedisMathRandom);
  lua_setfield(L, -2, "random");
  lua_pushcfunction(L, RedisMathRandomSeed);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);

  // B: the builtins as scripts see them (library tables behind proxies).
  lua_createtable(L, 0, 64);
  const int builtins = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, g0)) {
    if (lua_rawequal(L, -1, g0)) {  // _G is per environment
      lua_pop(L, 1);
      continue;
    }
    if (lua_istable(L, -1)) {
      PushReadonlyProxy(L, -1);
      lua_remove(L, -2);
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, builtins);
  }

  // The string metatable: methods through the proxy of `string`; the
  // metatable itself visible only as a read-only proxy.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  const int string_meta = lua_gettop(L);
  lua_getfield(L, builtins, LUA_STRLIBNAME);
  lua_setfield(L, string_meta, "__index");
  PushReadonlyProxy(L, string_meta);
  lua_setfield(L, string_meta, "__metatable");
  lua_settop(L, builtins);

  // redis (runtime) and redis (load time).
  PushRedisRuntimeApi(L);
  PushReadonlyProxy(L, -1);
  const int redis_proxy = lua_gettop(L);
  PushRedisLoadApi(L);
  SetErrorMetatable(L);  // redis.call at load time: "nonexistent global variable 'call'"
  PushReadonlyProxy(L, -1);
  const int redis_load_proxy = lua_gettop(L);

  // Eval API + its proxy.
  lua_createtable(L, 0, 64);
  const int eval_api = lua_gettop(L);
  CopyFields(L, builtins, eval_api);
  lua_pushvalue(L, redis_proxy);
  lua_setfield(L, eval_api, "redis");
  PushReadonlyProxy(L, eval_api);
  const int eval_env = lua_gettop(L);
  lua_pushvalue(L, eval_env);
  lua_setfield(L, eval_api, LUA_GNAME);
  lua_pushvalue(L, eval_api);
  SetErrorMetatable(L);
  lua_pop(L, 1);

  // Function API + its proxy.
  lua_createtable(L, 0, 64);
  const int function_api = lua_gettop(L);
  CopyFields(L, builtins, function_api);
  lua_pushvalue(L, redis_proxy);
  lua_setfield(L, function_api, "redis");
  PushReadonlyProxy(L, function_api);
  const int function_env = lua_gettop(L);
  lua_pushvalue(L, function_env);
  lua_setfield(L, function_api, LUA_GNAME);
  lua_pushvalue(L, function_api);
  SetErrorMetatable(L);
  lua_pop(L, 1);
  lua_getmetatable(L, function_env);
  const int function_env_meta = lua_gettop(L);

  // getmetatable(_G) is a table in Redis (its protection metatable): show a
  // read-only empty one for both environments.
  for (int env : {eval_env, function_env}) {
    lua_getmetatable(L, env);
    lua_createtable(L, 0, 0);
    PushReadonlyProxy(L, -1);
    lua_remove(L, -2);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }

  // Load API: only `redis`.
  lua_createtable(L, 0, 1);
  const int load_api = lua_gettop(L);
  lua_pushvalue(L, redis_load_proxy);
  lua_setfield(L, load_api, "redis");
  lua_pushvalue(L, load_api);
  SetErrorMetatable(L);
  lua_pop(L, 1);

  // Chunks loaded without an explicit environment (load/loadstring) get the
  // eval proxy, never the real globals.
  lua_pushvalue(L, eval_env);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);

  lua_pushvalue(L, eval_api);
  refs->eval_api = NewRef(L);
  lua_pushvalue(L, eval_env);
  refs->eval_env = NewRef(L);
  lua_pushvalue(L, function_api);
  refs->function_api = NewRef(L);
  lua_pushvalue(L, function_env);
  refs->function_env = NewRef(L);
  lua_pushvalue(L, function_env_meta);
  refs->function_env_meta = NewRef(L);
  lua_pushvalue(L, load_api);
  refs->load_api = NewRef(L);
  lua_settop(L, 0);
  lua_gc(L, LUA_GCCOLLECT);
  return L;
}

}  // namespace txlab
