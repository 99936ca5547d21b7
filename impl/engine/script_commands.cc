// STUB owned by the scripting engineer (impl/lua): replace the bodies below
// with EVAL/EVALSHA/SCRIPT/FUNCTION/FCALL. The engine only needs these two
// functions to exist; see script_commands.h for the interface you can use.
#include "impl/engine/script_commands.h"

#include "impl/engine/command.h"
#include "impl/engine/engine_state.h"

namespace txlab {

void RegisterScriptCommands(CommandTable& table) { (void)table; }

void AttachScripting(EngineState& state) { (void)state; }

}  // namespace txlab
