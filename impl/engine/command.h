// The command table and the execution context: the internal interface between
// the engine core and every command implementation, including the scripting
// layer's (impl/engine/script_commands.cc).
//
// A command is one CommandSpec: name, arity, flags, key positions and one
// handler. Handlers run with the engine mutex held and receive an
// ExecContext, which says which session called, which database is selected,
// and the (possibly frozen) expiry time.
//
// Adding commands: each *_commands.cc file has a Register...Commands function
// listed in command_table.cc. The scripting layer adds its own in
// RegisterScriptCommands (script_commands.h).
#ifndef TXLAB_IMPL_ENGINE_COMMAND_H_
#define TXLAB_IMPL_ENGINE_COMMAND_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/reply.h"

namespace txlab {

struct EngineState;
struct SessionState;
struct Database;
struct Keyspace;
struct ExecContext;

using Args = std::span<const std::string_view>;
// Runs with the engine mutex held. Must not throw; bad input gets an error reply.
using CommandHandler = Reply (*)(ExecContext& ctx, Args argv);

// Command flags (Redis's CMD_* where one exists).
enum CommandFlag : uint32_t {
  kCmdWrite = 1u << 0,     // may modify the keyspace
  kCmdReadonly = 1u << 1,  // reads the keyspace only
  kCmdNoScript = 1u << 2,  // refused from scripts (redis.call)
  kCmdNoMulti = 1u << 3,   // refused at queue time inside MULTI (T6)
  kCmdAllowBusy = 1u << 4, // may run while a script is timed out (S2)
  kCmdBlocking = 1u << 5,  // may block (BLPOP); never blocks in MULTI or scripts
  // The reply is an array whose element order is unspecified (SMEMBERS,
  // HGETALL, KEYS...): comparers should sort it (HGETALL: sort pairs).
  kCmdUnorderedReply = 1u << 6,
  // Runs immediately even inside MULTI instead of being queued (T1):
  // EXEC, DISCARD, MULTI, WATCH, RESET (and QUIT).
  kCmdNoQueue = 1u << 7,
  kCmdFast = 1u << 8,      // O(1)/O(log n); informational
  kCmdAdmin = 1u << 9,     // server-wide (FLUSHALL, SWAPDB); informational
};

struct CommandSpec {
  std::string name;  // lower case, e.g. "get"
  // Redis convention: argc including the name; negative -N means at least N.
  int arity = 0;
  uint32_t flags = 0;
  // Key positions: argv[first_key..last_key] step key_step. last_key -1 means
  // the last argument, -2 the one before. first_key 0: no keys.
  int first_key = 0;
  int last_key = 0;
  int key_step = 0;
  CommandHandler handler = nullptr;

  bool Has(uint32_t f) const { return (flags & f) != 0; }
  bool ArityOk(size_t argc) const {
    return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
  // The key arguments of argv (for cluster routing and scripts' KEYS checks).
  std::vector<std::string_view> Keys(Args argv) const;
};

// ASCII case-insensitive hashing and equality, so lookups need no lowering copy.
struct CaseInsensitiveHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept;
};
struct CaseInsensitiveEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept;
};

class CommandTable {
 public:
  // Adds a command, replacing any with the same name (so the scripting layer
  // may override a stub).
  void Add(CommandSpec spec);
  // nullptr if unknown. Case-insensitive; never allocates. This is on every
  // command's path, so it probes a small open-addressing index (rebuilt by
  // Add) instead of the map.
  const CommandSpec* Find(std::string_view name) const;
  const std::unordered_map<std::string, CommandSpec, CaseInsensitiveHash, CaseInsensitiveEq>& all() const {
    return commands_;
  }

  // The process-wide table (built once, immutable afterwards, so lookups need
  // no lock).
  static const CommandTable& Get();

 private:
  void RebuildIndex();

  // Node-based: pointers to the specs stay valid as commands are added.
  std::unordered_map<std::string, CommandSpec, CaseInsensitiveHash, CaseInsensitiveEq> commands_;
  std::vector<const CommandSpec*> index_;  // power-of-two size, linear probing
};

// ---- execution context ------------------------------------------------------

// Everything a handler may use. Exists only while the engine mutex is held.
//
// Time: `NowMs()` is the expiry clock for this context. It is read once on
// first use and then cached, so it is constant within one command, and frozen
// for a whole EXEC (T14) or script (S18) because those run every inner command
// in one context (or call Freeze()).
struct ExecContext {
  ExecContext(EngineState& e, SessionState* s, int db_index) : engine(e), session(s), db(db_index) {}

  EngineState& engine;
  // The calling client; nullptr for engine-internal work (active expiry).
  SessionState* session;
  // The selected database. SELECT changes it; Session::Call writes it back to
  // the session afterwards (a script's context does not, S15).
  int db;
  // Expiry time in Unix ms, kNotRead until first use.
  static constexpr int64_t kNotRead = INT64_MIN;
  int64_t now_ms = kNotRead;

  // Flags: in_exec while EXEC runs the queue; in_script while a script runs.
  // Blocking commands never block when either is set (T13, S16).
  bool in_exec = false;
  bool in_script = false;
  // The protocol the reply goes out in: the session's (HELLO), 2 inside
  // scripts. Commands whose RESP3 reply has another shape (scores as
  // doubles, WITHSCORES as [member, score] pairs) look at it.
  int resp = 2;
  // Set by ExecuteFromScript when a write command was called (SCRIPT_WRITE_DIRTY:
  // such a script can no longer be killed, S4).
  bool script_wrote = false;

  int64_t NowMs();
  // Freezes the expiry time now (no-op if already read).
  void Freeze() { (void)NowMs(); }
  bool may_block() const { return !in_exec && !in_script; }

  Database& Db();      // the selected database
  Keyspace& Data();    // its keyspace
};

// ---- running commands ---------------------------------------------------

// Runs `cmd` in `ctx` with no further checks (arity, flags, MULTI): the
// caller has done them. Requires the engine mutex.
Reply Dispatch(ExecContext& ctx, const CommandSpec& cmd, Args argv);

// redis.call's core: runs one command from inside a script, with the engine
// mutex already held by the script's caller. `ctx` is the script's context
// (in_script set, time frozen, its own db). Checks, in Redis's order:
//   unknown command  -> "ERR Unknown Redis command called from script"
//   wrong arity      -> "ERR Wrong number of args calling Redis command from script"
//   noscript (MULTI family, EVAL...) -> "ERR This Redis command is not allowed from script"
// and returns the command's reply otherwise (errors unchanged). The scripting
// layer appends " script: <sha>, on @user_script:<line>." itself. Blocking
// commands are allowed and never block (they act as timed out). Read-only
// script checks (no-writes) are the caller's: look at the spec's kCmdWrite.
Reply ExecuteFromScript(ExecContext& ctx, Args argv);

// ---- error replies (Redis 7.0 texts) -------------------------------------

namespace errors {
inline constexpr std::string_view kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kOutOfRangePositive = "ERR value is out of range, must be positive";
inline constexpr std::string_view kBusyScript =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
}  // namespace errors

Reply ErrorReply(std::string_view msg);
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
Reply UnknownCommandError(Args argv);
// "ERR wrong number of arguments for 'get' command"
Reply ArityError(std::string_view name);
// "ERR unknown subcommand 'foo'. Try SCRIPT HELP." (container: "SCRIPT")
Reply UnknownSubcommandError(std::string_view container, std::string_view sub);
// "ERR invalid expire time in 'set' command"
Reply InvalidExpireError(std::string_view command);

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_COMMAND_H_
