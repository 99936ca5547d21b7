// The `redis` table scripts call (SEMANTICS S6-S12, S17, S19; script_lua.c)
// and Redis's replacements for pcall and math.random.
#ifndef TXLAB_IMPL_LUA_REDIS_API_H_
#define TXLAB_IMPL_LUA_REDIS_API_H_

#include <cstdint>

#include <lua.hpp>

namespace txlab {

// Pushes a new table with redis.call, pcall, error_reply, status_reply,
// sha1hex, log (+ LOG_*), setresp, set_repl (+ REPL_*), replicate_commands,
// breakpoint, debug, acl_check_cmd, REDIS_VERSION(_NUM).
void PushRedisRuntimeApi(lua_State* L);

// Pushes the table FUNCTION LOAD code sees as `redis`: register_function,
// log (+ LOG_*), REDIS_VERSION(_NUM).
void PushRedisLoadApi(lua_State* L);

// Redis's pcall: like Lua's, but an error table {err="msg"} comes back as
// its message string (Redis 7 compatibility with pre-7 string errors).
int RedisPcall(lua_State* L);

// math.random / math.randomseed on the rand48 generator of StateExtra
// (deterministic given the engine's seed, S17).
int RedisMathRandom(lua_State* L);
int RedisMathRandomSeed(lua_State* L);

// Seeds the rand48 generator as srand48 does.
uint64_t Rand48Seed(uint64_t seed);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_REDIS_API_H_
