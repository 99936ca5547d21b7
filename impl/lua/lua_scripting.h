// LuaScripting: EVAL/EVALSHA(_RO), SCRIPT, FUNCTION and FCALL(_RO) on one
// long-lived Lua 5.4 state (SEMANTICS §2, S1-S21).
//
// One instance per engine. It owns the sandboxed lua_State (sandbox.h), the
// script cache (SHA1 of the body → compiled function), the function
// libraries, and the RunMonitor that implements busy-reply-threshold and
// SCRIPT/FUNCTION KILL (run_monitor.h). It reaches data only through the
// ScriptHost passed to each call (script_host.h), so it has no dependency on
// the engine.
//
// Each command method takes the whole argv (argv[0] is the command name, in
// any case) and returns exactly the reply redis-server 7.0 sends, including
// argument errors. No method throws.
//
// THREAD SAFETY. Eval, FCall, Script and Function require external
// serialization (the engine's lock): at most one call at a time, and never
// from inside a running script (a script's redis.call cannot reach them: the
// host reports them as noscript; a nested call is refused anyway). The
// exceptions, callable from any thread at any time, are KillScript (SCRIPT
// KILL / FUNCTION KILL), BusyError, TimedOut and monitor(): they are how
// other clients see and stop a script that is past busy-reply-threshold
// while the lock is held (S2-S4).
//
// MULTI: EVAL/FCALL queued in a transaction run like any other command when
// EXEC executes them; a script error becomes that slot's error reply (T16).
// Nothing here needs to know.
#ifndef TXLAB_IMPL_LUA_LUA_SCRIPTING_H_
#define TXLAB_IMPL_LUA_LUA_SCRIPTING_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "impl/lua/run_monitor.h"
#include "impl/lua/sandbox.h"
#include "impl/lua/script_host.h"
#include "impl/lua/state_extra.h"
#include "model/reply.h"

namespace txlab {

struct LuaScriptingOptions {
  // Memory cap of the Lua state while user code runs; past it a script fails
  // with "not enough memory" instead of exhausting the process.
  size_t memory_limit_bytes = 256u << 20;
  // Seed of math.random (S17): the same seed gives the same sequence.
  uint64_t random_seed = 0;
  // busy-reply-threshold (alias lua-time-limit), S2. <= 0: never time out.
  int64_t busy_reply_threshold_ms = 5000;
  TimeLimitMode time_limit_mode = TimeLimitMode::kSignal;
  // FUNCTION LOAD stops library code that runs longer than this (Redis: 500).
  int64_t function_load_timeout_ms = 500;
};

class LuaScripting {
 public:
  explicit LuaScripting(LuaScriptingOptions options = {});
  ~LuaScripting();
  LuaScripting(const LuaScripting&) = delete;
  LuaScripting& operator=(const LuaScripting&) = delete;

  // ---- commands (REQUIRE external serialization) ----
  // EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (by argv[0]).
  Reply Eval(std::span<const std::string_view> argv, ScriptHost& host);
  // FCALL, FCALL_RO.
  Reply FCall(std::span<const std::string_view> argv, ScriptHost& host);
  // SCRIPT LOAD | EXISTS | FLUSH [ASYNC|SYNC] | KILL | HELP.
  Reply Script(std::span<const std::string_view> argv);
  // FUNCTION LOAD [REPLACE] | LIST [LIBRARYNAME p] [WITHCODE] | DELETE |
  // FLUSH [ASYNC|SYNC] | KILL | STATS | HELP.
  Reply Function(std::span<const std::string_view> argv);

  // ---- any thread ----
  // SCRIPT KILL (function_kill=false) or FUNCTION KILL (true): +OK, NOTBUSY,
  // UNKILLABLE or BUSY as in S4.
  Reply KillScript(bool function_kill);
  // Whether the running script is past busy-reply-threshold (S2).
  bool TimedOut() { return monitor_.TimedOut(); }
  // The BUSY error other clients get meanwhile (names SCRIPT KILL or
  // FUNCTION KILL, depending on what runs).
  Reply BusyError() const;
  RunMonitor& monitor() { return monitor_; }
  void set_busy_reply_threshold_ms(int64_t ms) { monitor_.set_threshold_ms(ms); }

  // ---- introspection (REQUIRE external serialization) ----
  size_t used_memory() const { return alloc_.used; }
  size_t cached_scripts() const { return scripts_.size(); }
  // The flags of a cached script or a function, for callers that need them
  // before running (nullopt if unknown).
  std::optional<uint32_t> ScriptFlagsOf(std::string_view sha) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  struct CachedScript {
    int ref = LUA_NOREF;  // the compiled chunk
    uint32_t flags = 0;
  };
  struct FunctionInfo {
    std::string name;
    int ref = LUA_NOREF;
    uint32_t flags = 0;
    std::optional<std::string> description;
  };
  struct Library {
    std::string name;
    std::string code;
    std::vector<FunctionInfo> functions;
  };
  enum class GlobalsKind { kEval, kFunction };

  // Compiles `body` (cached under `sha`) or returns the error reply.
  const CachedScript* CreateScript(std::string_view body, const std::string& sha, Reply* error);
  // Runs a compiled chunk (eval_mode: KEYS/ARGV globals) or a function
  // (keys/args as its two parameters); returns the client's reply.
  Reply Run(int ref, RunContext& ctx, std::string_view name, std::span<const std::string_view> keys,
            std::span<const std::string_view> args, bool eval_mode);
  Reply ErrorReplyFromLua(int index, std::string_view name);
  void PushStringArray(std::span<const std::string_view> items);
  void UseGlobals(GlobalsKind kind);
  void AfterRun(int status);

  Reply FunctionLoad(std::span<const std::string_view> argv);
  Reply FunctionList(std::span<const std::string_view> argv);
  void UnlinkLibrary(Library* lib);
  void FlushScripts();
  void FlushFunctions();

  LuaScriptingOptions options_;
  LuaAllocator alloc_;
  StateExtra extra_;
  RunMonitor monitor_;
  SandboxRefs refs_;
  lua_State* L_ = nullptr;
  GlobalsKind globals_ = GlobalsKind::kEval;

  StringMap<CachedScript> scripts_;  // by lower-case SHA1
  std::map<std::string, std::unique_ptr<Library>> libraries_;  // by name (case-sensitive)
  // Function name (lower case: FCALL names are case-insensitive) → library
  // and index in its functions.
  StringMap<std::pair<Library*, size_t>> functions_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_LUA_SCRIPTING_H_
