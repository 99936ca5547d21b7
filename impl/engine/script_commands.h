// Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO,
// SCRIPT and FUNCTION (SEMANTICS §2), wiring impl/lua's LuaScripting into the
// engine.
//
// What lives where:
//   impl/lua/lua_scripting.h   the Lua VM, script cache, function libraries,
//                              time limit and kill (engine-independent)
//   this file                  the command handlers, the engine's ScriptHost
//                              (redis.call → ExecuteFromScript), and the BUSY
//                              hookup (EngineState::script_timed_out,
//                              busy_hooks)
//
// Each handler runs under the engine mutex, so a script is atomic (S1). The
// script runs in a copy of the caller's ExecContext with in_script set and
// the expiry time frozen (S18); SELECT inside it changes only the copy (S15).
// While a script is past busy-reply-threshold, RunMonitor's watchdog raises
// script_timed_out, other sessions get BUSY, and SCRIPT KILL / FUNCTION
// KILL reach LuaScripting::KillScript through busy_hooks without the lock
// (S2-S4).
#ifndef TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_
#define TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_

#include <cstdint>

#include "impl/lua/run_monitor.h"

namespace txlab {

class CommandTable;
class LuaScripting;
struct EngineState;

// Called once, while the process-wide command table is built.
void RegisterScriptCommands(CommandTable& table);

// Called once per Engine at construction, with no lock held and before any
// Session exists: creates state.scripting and installs state.busy_hooks.
void AttachScripting(EngineState& state);

// The engine's LuaScripting (for tests and benchmarks that inspect it).
// REQUIRES: AttachScripting ran for `state`.
LuaScripting& ScriptingOf(EngineState& state);

// CONFIG SET busy-reply-threshold: the threshold for scripts that start from
// now on (atomic; no lock needed). REQUIRES: AttachScripting ran for `state`.
void SetBusyReplyThreshold(EngineState& state, int64_t ms);

// How engines created from now on make scripts stoppable (default kSignal).
// For the benchmark's comparison of time-limit machinery; not thread-safe
// with concurrent Engine construction.
void SetScriptTimeLimitModeForNewEngines(TimeLimitMode mode);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_
