// ScriptHost: what a Lua script sees of the database.
//
// LuaScripting (lua_scripting.h) knows nothing about keyspaces or command
// tables. Everything a script does to data goes through this interface, which
// the engine implements (impl/engine/script_commands.cc) and tests implement
// with a small map (impl/lua/fake_host.h).
//
// Calls arrive on the thread running the script, while the caller of
// LuaScripting holds whatever lock makes the script atomic (SEMANTICS S1).
#ifndef TXLAB_IMPL_LUA_SCRIPT_HOST_H_
#define TXLAB_IMPL_LUA_SCRIPT_HOST_H_

#include <span>
#include <string_view>

#include "model/reply.h"

namespace txlab {

// The command table's verdict on one redis.call, checked in Redis's order
// (script.c scriptCall): lookup, arity, then the noscript flag.
enum class ScriptCommandCheck {
  kRead,        // may run; does not write
  kWrite,       // may run; writes (marks the script unkillable, refused by
                // read-only scripts: S4, S20)
  kUnknown,     // "Unknown Redis command called from script"
  kWrongArity,  // "Wrong number of args calling Redis command from script"
  kNoScript,    // "This Redis command is not allowed from script" (S16, T16)
};

class ScriptHost {
 public:
  virtual ~ScriptHost() = default;

  // Classifies argv (non-empty; argv[0] is the command name, any case).
  virtual ScriptCommandCheck Check(std::span<const std::string_view> argv) = 0;

  // Runs one command for the script and returns its reply (an error reply is
  // a normal return). Called only after Check returned kRead or kWrite. Runs
  // in the script's own database: SELECT inside a script changes only the
  // script's database, never the caller's (S15). Blocking commands must
  // behave as non-blocking. Exceptions are caught and become error replies,
  // but a host should not throw.
  virtual Reply Execute(std::span<const std::string_view> argv) = 0;

  // redis.setresp(resp): the replies of the commands the script runs from
  // now on take RESP `resp` shapes (2 or 3; every script starts at 2, S11).
  virtual void SetResp(int resp) {}

  // redis.log(level, ...): level is 0 (debug), 1 (verbose), 2 (notice) or
  // 3 (warning).
  virtual void Log(int level, std::string_view message) {}
};

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_SCRIPT_HOST_H_
