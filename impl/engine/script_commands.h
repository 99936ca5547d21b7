// Scripting commands (EVAL, EVALSHA, SCRIPT, FUNCTION, FCALL...): the hook
// between the engine and impl/lua.
//
// OWNERSHIP: this file and script_commands.cc belong to the scripting
// engineer (impl/lua). The engine calls exactly these two functions; their
// signatures are stable. The versions committed by the engine are stubs.
//
// What the scripting layer can use (see command.h, engine_state.h):
//   * CommandTable::Add to register its commands (flags: kCmdNoScript for all
//     of them; kCmdAllowBusy on "script"/"function" so SCRIPT KILL / FUNCTION
//     KILL reach ScriptBusyHooks while a script is timed out).
//   * A handler runs under the engine mutex with an ExecContext. A script
//     should run in a copy of it: `ExecContext sc = ctx; sc.in_script = true;
//     sc.Freeze();` (frozen expiry time, S18; own db, S15), and implement
//     redis.call with ExecuteFromScript(sc, argv).
//   * EngineState::scripting (per-engine state), script_timed_out,
//     busy_is_function, busy_hooks (BUSY, S2-S4).
#ifndef TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_
#define TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_

namespace txlab {

class CommandTable;
struct EngineState;

// Called once, while the process-wide command table is built.
void RegisterScriptCommands(CommandTable& table);

// Called once per Engine at construction, with no lock held and before any
// Session exists: create state.scripting, install state.busy_hooks.
void AttachScripting(EngineState& state);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_SCRIPT_COMMANDS_H_
