#include "impl/lua/redis_api.h"

#include <strings.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "impl/lua/conversion.h"
#include "impl/lua/run_monitor.h"
#include "impl/lua/script_flags.h"
#include "impl/lua/script_host.h"
#include "impl/lua/sha1.h"
#include "impl/lua/state_extra.h"

namespace txlab {
namespace {

// Redis's log levels (LL_DEBUG .. LL_WARNING).
constexpr int kLogDebug = 0;
constexpr int kLogWarning = 3;

// Pushes {err=...} and raises it. Called after every C++ object of the
// caller that needs a destructor is gone (the C++ build of Lua unwinds with
// an exception, so they would be destroyed anyway, but keeping the raise
// outside try blocks means no catch(...) can swallow it).
[[noreturn]] void RaiseErrorTable(lua_State* L, const char* msg) {
  PushErrorTable(L, msg);
  lua_error(L);
  __builtin_unreachable();
}

// ---- redis.call / redis.pcall ------------------------------------------------

// Arguments of one redis.call, viewed in place: Lua strings stay on the
// stack for the whole call; numbers are formatted into `numbers`. Small
// calls need no heap allocation.
class CallArgs {
 public:
  static constexpr int kInline = 8;

  // Returns false if an argument is neither a string nor a number.
  bool Read(lua_State* L, int argc) {
    if (argc > kInline) {
      heap_views_.resize(static_cast<size_t>(argc));
      heap_numbers_.resize(static_cast<size_t>(argc));
    }
    std::string_view* views = argc > kInline ? heap_views_.data() : inline_views_;
    for (int j = 0; j < argc; ++j) {
      int idx = j + 1;
      if (lua_type(L, idx) == LUA_TNUMBER) {
        // Not lua_tolstring: 5.4 prints 3.0 as "3.0" and 5.1 lost precision;
        // Redis formats "%.17g" of the double (S12).
        char* buf = argc > kInline ? heap_numbers_[static_cast<size_t>(j)].buf : inline_numbers_[j].buf;
        size_t len;
        if (lua_isinteger(L, idx)) {
          // Same text as "%.17g" of the double when the integer converts to
          // a double exactly and prints without exponent.
          lua_Integer i = lua_tointeger(L, idx);
          if (i > -1000000000000000 && i < 1000000000000000) {
            len = static_cast<size_t>(std::to_chars(buf, buf + 32, i).ptr - buf);
          } else {
            len = FormatNumberArg(static_cast<lua_Number>(i), buf);
          }
        } else {
          len = FormatNumberArg(lua_tonumber(L, idx), buf);
        }
        views[j] = std::string_view(buf, len);
      } else if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char* s = lua_tolstring(L, idx, &len);
        views[j] = std::string_view(s, len);
      } else {
        return false;
      }
    }
    argv_ = std::span<const std::string_view>(views, static_cast<size_t>(argc));
    return true;
  }

  std::span<const std::string_view> argv() const { return argv_; }

 private:
  struct NumberBuf {
    char buf[32];
  };
  std::string_view inline_views_[kInline];
  NumberBuf inline_numbers_[kInline];
  std::vector<std::string_view> heap_views_;
  std::vector<NumberBuf> heap_numbers_;
  std::span<const std::string_view> argv_;
};

// The outcome of the C++ part of a call, decided before touching Lua again.
enum class CallStep { kReply, kError, kKilled };

int RedisGenericCommand(lua_State* L, bool raise_error) {
  StateExtra* extra = GetStateExtra(L);
  RunContext* run = extra->run;
  if (run == nullptr) RaiseErrorTable(L, "redis.call/pcall can only be called inside a script invocation");
  int argc = lua_gettop(L);
  if (argc == 0) {
    PushErrorTable(L, "Please specify at least one argument for this redis lib call");
    if (raise_error) lua_error(L);
    return 1;
  }

  const char* error = nullptr;
  std::string error_storage;
  CallStep step = CallStep::kError;
  Reply reply;
  try {
    CallArgs args;
    if (!args.Read(L, argc)) {
      error = "Lua redis lib command arguments must be strings or integers";
    } else {
      // Redis's order of checks (script.c scriptCall).
      switch (run->host->Check(args.argv())) {
        case ScriptCommandCheck::kUnknown:
          error = "Unknown Redis command called from script";
          break;
        case ScriptCommandCheck::kWrongArity:
          error = "Wrong number of args calling Redis command from script";
          break;
        case ScriptCommandCheck::kNoScript:
          error = "This Redis command is not allowed from script";
          break;
        case ScriptCommandCheck::kWrite:
          if (run->read_only) {
            error = "Write commands are not allowed from read-only scripts.";
            break;
          }
          // Atomically: become unkillable, unless already killed (S4/S5).
          if (!extra->monitor->MarkWrite()) {
            step = CallStep::kKilled;
            break;
          }
          [[fallthrough]];
        case ScriptCommandCheck::kRead:
          reply = run->host->Execute(args.argv());
          step = CallStep::kReply;
          break;
      }
    }
  } catch (const std::exception& e) {
    error_storage = e.what();
    error = error_storage.c_str();
    step = CallStep::kError;
  } catch (...) {  // no Lua API calls inside the try: nothing of Lua's to swallow
    error = "unexpected C++ exception in redis.call";
    step = CallStep::kError;
  }

  // Arguments are no longer needed; make room for the result.
  lua_settop(L, 0);
  switch (step) {
    case CallStep::kKilled:
      RaiseKilledError(L);
    case CallStep::kError:
      PushErrorTable(L, error);
      if (raise_error) lua_error(L);
      return 1;
    case CallStep::kReply:
      break;
  }
  bool is_error = reply.is_error();
  PushReply(L, reply, run->resp);
  if (raise_error && is_error) lua_error(L);
  return 1;
}

int RedisCall(lua_State* L) { return RedisGenericCommand(L, true); }
int RedisPcallCommand(lua_State* L) { return RedisGenericCommand(L, false); }

// ---- small helpers of the redis table ----------------------------------------

int RedisSha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) RaiseErrorTable(L, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  char hex[40];
  bool ok = false;
  try {
    std::string digest = Sha1Hex(std::string_view(s ? s : "", s ? len : 0));
    std::copy(digest.begin(), digest.end(), hex);
    ok = true;
  } catch (...) {  // C++ only inside
  }
  if (!ok) RaiseErrorTable(L, "out of memory in redis.sha1hex");
  lua_pushlstring(L, hex, sizeof(hex));
  return 1;
}

int RedisErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t len;
  const char* err = lua_tolstring(L, 1, &len);
  if (len > 0 && err[0] == '-') {
    PushErrorTable(L, std::string_view(err, len));
  } else {
    lua_pushliteral(L, "-");
    lua_pushvalue(L, 1);
    lua_concat(L, 2);
    size_t dashed_len;
    const char* dashed = lua_tolstring(L, -1, &dashed_len);
    PushErrorTable(L, std::string_view(dashed, dashed_len));
  }
  return 1;
}

int RedisStatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_createtable(L, 0, 1);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisLog(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) RaiseErrorTable(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) RaiseErrorTable(L, "First argument must be a number (log level).");
  lua_Number level = lua_tonumber(L, 1);
  if (level < kLogDebug || level > kLogWarning) RaiseErrorTable(L, "Invalid debug level.");
  // Glue the arguments together with spaces (tolstring may convert numbers
  // in place, which is fine here).
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  bool first = true;
  for (int j = 2; j <= argc; ++j) {
    size_t len;
    const char* s = lua_tolstring(L, j, &len);
    if (s == nullptr) continue;
    if (!first) luaL_addchar(&b, ' ');
    luaL_addlstring(&b, s, len);
    first = false;
  }
  luaL_pushresult(&b);
  size_t len;
  const char* msg = lua_tolstring(L, -1, &len);
  RunContext* run = GetStateExtra(L)->run;
  if (run != nullptr) {
    try {
      run->host->Log(static_cast<int>(level), std::string_view(msg, len));
    } catch (...) {  // host code only
    }
  }
  return 0;
}

int RedisSetResp(lua_State* L) {
  RunContext* run = GetStateExtra(L)->run;
  if (run == nullptr) RaiseErrorTable(L, "redis.setresp can only be called inside a script invocation");
  if (lua_gettop(L) != 1) RaiseErrorTable(L, "redis.setresp() requires one argument.");
  lua_Number resp = lua_tonumber(L, 1);
  if (resp != 2 && resp != 3) RaiseErrorTable(L, "RESP version must be 2 or 3.");
  run->resp = static_cast<int>(resp);
  run->host->SetResp(run->resp);
  return 0;
}

// Replication is not modelled: validate like Redis, then do nothing.
int RedisSetRepl(lua_State* L) {
  if (GetStateExtra(L)->run == nullptr) RaiseErrorTable(L, "redis.set_repl can only be called inside a script invocation");
  if (lua_gettop(L) != 1) RaiseErrorTable(L, "redis.set_repl() requires two arguments.");
  lua_Integer flags = static_cast<lua_Integer>(lua_tonumber(L, 1));
  if ((flags & ~lua_Integer{3}) != 0) {
    RaiseErrorTable(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  return 0;
}

int RedisReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int RedisBreakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}

int RedisDebug(lua_State*) { return 0; }

int RedisAclCheckCmd(lua_State* L) {
  RunContext* run = GetStateExtra(L)->run;
  if (run == nullptr) RaiseErrorTable(L, "redis.acl_check_cmd can only be called inside a script invocation");
  int argc = lua_gettop(L);
  if (argc == 0) RaiseErrorTable(L, "Please specify at least one argument for this redis lib call");
  bool known = false;
  bool bad_args = false;
  try {
    CallArgs args;
    if (!args.Read(L, argc)) {
      bad_args = true;
    } else {
      ScriptCommandCheck check = run->host->Check(args.argv());
      known = check != ScriptCommandCheck::kUnknown && check != ScriptCommandCheck::kWrongArity;
    }
  } catch (...) {  // host code only
  }
  if (bad_args) RaiseErrorTable(L, "Lua redis lib command arguments must be strings or integers");
  if (!known) RaiseErrorTable(L, "Invalid command passed to redis.acl_check_cmd()");
  lua_pushboolean(L, 1);  // no ACLs: the default user may run everything
  return 1;
}

void SetNumber(lua_State* L, const char* name, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, name);
}

void SetFunction(lua_State* L, const char* name, lua_CFunction f) {
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
}

void AddLogAndVersion(lua_State* L) {
  SetFunction(L, "log", RedisLog);
  SetNumber(L, "LOG_DEBUG", 0);
  SetNumber(L, "LOG_VERBOSE", 1);
  SetNumber(L, "LOG_NOTICE", 2);
  SetNumber(L, "LOG_WARNING", 3);
  lua_pushliteral(L, "7.0.15");
  lua_setfield(L, -2, "REDIS_VERSION");
  SetNumber(L, "REDIS_VERSION_NUM", 0x0007000f);
}

// ---- redis.register_function (FUNCTION LOAD only) ----------------------------

// Reads the flags table on top of the stack. Returns false on an unknown flag
// or a non-string entry.
bool ReadFunctionFlags(lua_State* L, uint32_t* flags) {
  uint32_t f = 0;
  for (lua_Integer j = 1;; ++j) {
    int t = lua_geti(L, -1, j);
    if (t == LUA_TNIL) {
      lua_pop(L, 1);
      break;
    }
    if (t != LUA_TSTRING && t != LUA_TNUMBER) {
      lua_pop(L, 1);
      return false;
    }
    size_t len;
    const char* s = lua_tolstring(L, -1, &len);
    uint32_t flag = ScriptFlagByName(std::string_view(s, len), /*ignore_case=*/true);
    lua_pop(L, 1);
    if (flag == 0) return false;
    f |= flag;
  }
  *flags = f;
  return true;
}

int RedisRegisterFunction(lua_State* L) {
  LibraryLoad* load = GetStateExtra(L)->load;
  if (load == nullptr) RaiseErrorTable(L, "redis.register_function can only be called on FUNCTION LOAD command");
  int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) RaiseErrorTable(L, "wrong number of arguments to redis.register_function");

  // Plain C data while Lua may raise; the C++ PendingFunction is built at
  // the end inside a try block.
  const char* name = nullptr;
  size_t name_len = 0;
  const char* description = nullptr;
  size_t description_len = 0;
  int ref = LUA_NOREF;
  uint32_t flags = 0;
  bool have_name = false;
  if (argc == 2) {
    if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
      RaiseErrorTable(L, "first argument to redis.register_function must be a string");
    }
    if (!lua_isfunction(L, 2)) RaiseErrorTable(L, "second argument to redis.register_function must be a function");
    name = lua_tolstring(L, 1, &name_len);  // stays alive: argument 1
    have_name = true;
    lua_pushvalue(L, 2);
    ref = luaL_ref(L, LUA_REGISTRYINDEX);
  } else {
    if (!lua_istable(L, 1)) {
      RaiseErrorTable(L,
                      "calling redis.register_function with a single argument is only applicable to Lua table "
                      "(representing named arguments).");
    }
    const char* err = nullptr;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      if (lua_type(L, -2) != LUA_TSTRING) {
        err = "named argument key given to redis.register_function is not a string";
        break;
      }
      const char* key = lua_tostring(L, -2);
      if (strcasecmp(key, "function_name") == 0) {
        if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER) {
          err = "function_name argument given to redis.register_function must be a string";
          break;
        }
        name = lua_tolstring(L, -1, &name_len);  // (converts a number in place)
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "txlab.register.name");  // keeps the string alive
        have_name = true;
      } else if (strcasecmp(key, "description") == 0) {
        if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER) {
          err = "description argument given to redis.register_function must be a string";
          break;
        }
        description = lua_tolstring(L, -1, &description_len);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "txlab.register.description");
      } else if (strcasecmp(key, "callback") == 0) {
        if (!lua_isfunction(L, -1)) {
          err = "callback argument given to redis.register_function must be a function";
          break;
        }
        if (ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, ref);
        lua_pushvalue(L, -1);
        ref = luaL_ref(L, LUA_REGISTRYINDEX);
      } else if (strcasecmp(key, "flags") == 0) {
        if (!lua_istable(L, -1)) {
          err = "flags argument to redis.register_function must be a table representing function flags";
          break;
        }
        if (!ReadFunctionFlags(L, &flags)) {
          err = "unknown flag given";
          break;
        }
      } else {
        err = "unknown argument given to redis.register_function";
        break;
      }
      lua_pop(L, 1);
    }
    if (err == nullptr && !have_name) err = "redis.register_function must get a function name argument";
    if (err == nullptr && ref == LUA_NOREF) err = "redis.register_function must get a callback argument";
    if (err != nullptr) {
      if (ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, ref);
      RaiseErrorTable(L, err);
    }
  }

  std::string_view fname(name, name_len);
  const char* err = nullptr;
  if (!IsValidFunctionName(fname)) {
    // Redis 7.0 really says "Library names" here (functions.c reuses the text).
    err = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
  } else {
    for (const PendingFunction& other : load->functions) {
      if (other.name == fname) {
        err = "Function already exists in the library";
        break;
      }
    }
  }
  if (err == nullptr) {
    try {
      PendingFunction fn;
      fn.name = std::string(fname);
      fn.ref = ref;
      fn.flags = flags;
      if (description != nullptr) fn.description = std::string(description, description_len);
      load->functions.push_back(std::move(fn));
    } catch (...) {  // C++ only inside
      err = "out of memory registering a function";
    }
  }
  if (err != nullptr) {
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
    RaiseErrorTable(L, err);
  }
  return 0;
}

// ---- rand48, as Redis's rand.c (identical sequences for a given seed) ----------

constexpr uint64_t kRand48Mask = (uint64_t{1} << 48) - 1;
constexpr int32_t kRand48Max = INT32_MAX;

int32_t NextRand48(uint64_t* state) {
  *state = (*state * 0x5DEECE66Dull + 0xB) & kRand48Mask;
  return static_cast<int32_t>(*state >> 17);
}

}  // namespace

uint64_t Rand48Seed(uint64_t seed) {
  return ((seed & 0xFFFFFFFFull) << 16) | 0x330E;
}

int RedisMathRandom(lua_State* L) {
  uint64_t* state = &GetStateExtra(L)->rand48;
  lua_Number r = static_cast<lua_Number>(NextRand48(state) % kRand48Max) / static_cast<lua_Number>(kRand48Max);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      lua_Integer u = static_cast<lua_Integer>(luaL_checknumber(L, 1));
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      // An integer, so that tostring() prints "3" as Lua 5.1 did, not "3.0".
      lua_pushinteger(L, static_cast<lua_Integer>(std::floor(r * static_cast<lua_Number>(u))) + 1);
      break;
    }
    case 2: {
      lua_Integer l = static_cast<lua_Integer>(luaL_checknumber(L, 1));
      lua_Integer u = static_cast<lua_Integer>(luaL_checknumber(L, 2));
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushinteger(L, static_cast<lua_Integer>(std::floor(r * static_cast<lua_Number>(u - l + 1))) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int RedisMathRandomSeed(lua_State* L) {
  lua_Integer seed = static_cast<lua_Integer>(luaL_checknumber(L, 1));
  GetStateExtra(L)->rand48 = Rand48Seed(static_cast<uint64_t>(static_cast<int32_t>(seed)));
  return 0;
}

int RedisPcall(lua_State* L) {
  int argc = lua_gettop(L);
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);  // result placeholder
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != LUA_OK) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) {
        lua_replace(L, -2);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

void PushRedisRuntimeApi(lua_State* L) {
  lua_createtable(L, 0, 32);
  SetFunction(L, "call", RedisCall);
  SetFunction(L, "pcall", RedisPcallCommand);
  AddLogAndVersion(L);
  SetFunction(L, "setresp", RedisSetResp);
  SetFunction(L, "sha1hex", RedisSha1hex);
  SetFunction(L, "error_reply", RedisErrorReply);
  SetFunction(L, "status_reply", RedisStatusReply);
  SetFunction(L, "set_repl", RedisSetRepl);
  SetNumber(L, "REPL_NONE", 0);
  SetNumber(L, "REPL_AOF", 1);
  SetNumber(L, "REPL_SLAVE", 2);
  SetNumber(L, "REPL_REPLICA", 2);
  SetNumber(L, "REPL_ALL", 3);
  SetFunction(L, "replicate_commands", RedisReplicateCommands);
  SetFunction(L, "breakpoint", RedisBreakpoint);
  SetFunction(L, "debug", RedisDebug);
  SetFunction(L, "acl_check_cmd", RedisAclCheckCmd);
}

void PushRedisLoadApi(lua_State* L) {
  lua_createtable(L, 0, 8);
  SetFunction(L, "register_function", RedisRegisterFunction);
  AddLogAndVersion(L);
}

}  // namespace txlab
