#include "impl/engine/script_commands.h"

#include <strings.h>

#include <atomic>
#include <memory>

#include "impl/engine/command.h"
#include "impl/engine/engine_state.h"
#include "impl/lua/lua_scripting.h"
#include "impl/lua/script_host.h"

namespace txlab {
namespace {

std::atomic<TimeLimitMode> g_time_limit_mode{TimeLimitMode::kSignal};

// The per-engine scripting state: the Lua VM, plus the two callbacks through
// which it meets the engine's BUSY machinery.
class LuaExtension final : public ScriptingExtension, public BusyListener, public ScriptBusyHooks {
 public:
  LuaExtension(EngineState& e, LuaScriptingOptions options) : engine_(e), lua(options) {}

  // Watchdog thread: the running script passed busy-reply-threshold.
  void OnBusy(bool is_function) override {
    engine_.busy_is_function.store(is_function, std::memory_order_relaxed);
    engine_.script_timed_out.store(true, std::memory_order_release);
  }
  // Script thread, before the lock is released: that script ended.
  void OnBusyEnd() override { engine_.script_timed_out.store(false, std::memory_order_release); }

  // Another session's thread, without the lock, while the script is timed
  // out: only SCRIPT KILL and FUNCTION KILL may run (S2, S4).
  Reply OnBusyCommand(std::span<const std::string_view> argv) override {
    if (argv.size() == 2 && strcasecmp(std::string(argv[1]).c_str(), "kill") == 0) {
      if (strcasecmp(std::string(argv[0]).c_str(), "script") == 0) return lua.KillScript(false);
      if (strcasecmp(std::string(argv[0]).c_str(), "function") == 0) return lua.KillScript(true);
    }
    return lua.BusyError();
  }

 private:
  EngineState& engine_;

 public:
  LuaScripting lua;  // after engine_: destroyed first (joins the watchdog)
};

LuaExtension& Extension(EngineState& e) { return static_cast<LuaExtension&>(*e.scripting); }

// The engine as a script sees it: redis.call runs commands in the script's
// ExecContext (own db, frozen time, in_script). Check and Execute come in
// pairs from redis.call, so Check remembers the spec for Execute.
class EngineScriptHost final : public ScriptHost {
 public:
  explicit EngineScriptHost(ExecContext& ctx) : ctx_(ctx) {}

  ScriptCommandCheck Check(std::span<const std::string_view> argv) override {
    const CommandSpec* cmd = ctx_.engine.commands.Find(argv[0]);
    checked_ = nullptr;
    if (cmd == nullptr) return ScriptCommandCheck::kUnknown;
    if (!cmd->ArityOk(argv.size())) return ScriptCommandCheck::kWrongArity;
    // Blocking commands are refused too (S16; Redis 7.0 flags BLPOP & co.
    // noscript).
    if (cmd->Has(kCmdNoScript) || cmd->Has(kCmdBlocking)) return ScriptCommandCheck::kNoScript;
    checked_ = cmd;
    return cmd->Has(kCmdWrite) ? ScriptCommandCheck::kWrite : ScriptCommandCheck::kRead;
  }

  void SetResp(int resp) override { ctx_.resp = resp; }

  Reply Execute(std::span<const std::string_view> argv) override {
    if (checked_ == nullptr) return ExecuteFromScript(ctx_, argv);
    const CommandSpec* cmd = checked_;
    checked_ = nullptr;
    if (cmd->Has(kCmdWrite)) ctx_.script_wrote = true;
    return Dispatch(ctx_, *cmd, argv);
  }

 private:
  ExecContext& ctx_;
  const CommandSpec* checked_ = nullptr;
};

// A script's own context: same session, own copy of the db index, frozen
// expiry time.
template <typename F>
Reply RunScript(ExecContext& ctx, F&& run) {
  ExecContext sc = ctx;
  sc.in_script = true;
  sc.resp = 2;  // every script starts in RESP2; redis.setresp(3) switches (S11)
  sc.Freeze();
  EngineScriptHost host(sc);
  return run(Extension(ctx.engine).lua, host);
}

Reply EvalHandler(ExecContext& ctx, Args argv) {
  return RunScript(ctx, [&](LuaScripting& lua, ScriptHost& host) { return lua.Eval(argv, host); });
}

Reply FCallHandler(ExecContext& ctx, Args argv) {
  return RunScript(ctx, [&](LuaScripting& lua, ScriptHost& host) { return lua.FCall(argv, host); });
}

Reply ScriptHandler(ExecContext& ctx, Args argv) { return Extension(ctx.engine).lua.Script(argv); }

Reply FunctionHandler(ExecContext& ctx, Args argv) { return Extension(ctx.engine).lua.Function(argv); }

}  // namespace

void RegisterScriptCommands(CommandTable& table) {
  // All noscript (S16). EVAL & co. are neither write nor readonly in Redis
  // 7.0 (what they do depends on the script); their keys come from numkeys.
  auto add = [&table](const char* name, int arity, uint32_t flags, CommandHandler handler) {
    CommandSpec spec;
    spec.name = name;
    spec.arity = arity;
    spec.flags = flags | kCmdNoScript;
    spec.handler = handler;
    table.Add(std::move(spec));
  };
  add("eval", -3, 0, EvalHandler);
  add("evalsha", -3, 0, EvalHandler);
  add("eval_ro", -3, kCmdReadonly, EvalHandler);
  add("evalsha_ro", -3, kCmdReadonly, EvalHandler);
  add("fcall", -3, 0, FCallHandler);
  add("fcall_ro", -3, kCmdReadonly, FCallHandler);
  // allow-busy so that SCRIPT KILL / FUNCTION KILL reach OnBusyCommand while
  // a script is timed out; other subcommands get BUSY there.
  add("script", -2, kCmdAllowBusy, ScriptHandler);
  add("function", -2, kCmdAllowBusy, FunctionHandler);
}

void AttachScripting(EngineState& state) {
  LuaScriptingOptions options;
  options.memory_limit_bytes = state.options.lua_memory_limit_bytes;
  options.random_seed = state.options.lua_random_seed;
  options.busy_reply_threshold_ms = state.options.busy_reply_threshold_ms;
  options.time_limit_mode = g_time_limit_mode.load();
  auto ext = std::make_unique<LuaExtension>(state, options);
  ext->lua.monitor().StartWatchdog(ext.get());
  state.busy_hooks.store(ext.get(), std::memory_order_release);
  state.scripting = std::move(ext);
}

LuaScripting& ScriptingOf(EngineState& state) { return Extension(state).lua; }

void SetBusyReplyThreshold(EngineState& state, int64_t ms) { Extension(state).lua.set_busy_reply_threshold_ms(ms); }

void SetScriptTimeLimitModeForNewEngines(TimeLimitMode mode) { g_time_limit_mode.store(mode); }

}  // namespace txlab
