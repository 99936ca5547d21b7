// Generated Lua scripts for the differential test against redis-server
// (serve_differential_test.cc): a script is a structure — a list of
// redis.call / redis.pcall lines and one return form — rendered to Lua text
// for EVAL, and interpreted on the reference model (KeyspaceModel) so that the
// model is held to Redis on scripts too.
//
//   local r1 = redis.call('SET', KEYS[1], ARGV[1])     line 1
//   local r2 = redis.pcall('INCR', KEYS[1])            line 2
//   return {r1, r2}                                     line 3
//
// EvalOnModel runs the calls one after another on a session of their own in
// the caller's database (a script is atomic, and the model runs one command
// at a time anyway; a SELECT among them moves only that session, S15) and predicts the reply with Redis 7.0's conversions
// (Redis reply -> Lua value -> Redis reply: integers through a double, nil
// bulk and nil array -> false -> nil bulk, status -> {ok=} -> status, pcall's error -> {err=} -> error,
// floats truncated toward zero). Error texts a script adds to ("... script:
// <sha>, on @user_script:<line>.") are predicted up to " script: ".
#ifndef TXLAB_IMPL_CONFORMANCE_DIFF_SCRIPT_H_
#define TXLAB_IMPL_CONFORMANCE_DIFF_SCRIPT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/keyspace_model.h"
#include "model/reply.h"

namespace txlab::diff {

struct ScriptCall {
  bool pcall = false;
  // Lua expressions: 'literal' (no quotes or backslashes inside), KEYS[i],
  // ARGV[i], or a number literal (Redis passes "%.17g" of its double, S12).
  // What KEYS[i] and ARGV[i] stand for is read from each EVAL's arguments.
  std::vector<std::string> exprs;
};

enum class ReturnForm {
  kCallResult,   // return r<index>
  kAllResults,   // return {r1, r2, ...}
  kType,         // return type(r<index>)
  kInteger,      // return <literal>  (an integer, or a float: truncated)
  kString,       // return '<literal>'
  kTrue,         // return true   -> :1
  kFalse,        // return false  -> nil bulk
  kNothing,      // (no return)   -> nil bulk
  kStatus,       // return redis.status_reply('<literal>')
  kErrorReply,   // return redis.error_reply('<literal>')  (literal has a code)
  kErrorTable,   // return {err='<literal>'}
  kRaise,        // error('<literal>')
  kMixedTable,   // return {1, false, {ok='FINE'}, {err='E x'}, 2.9}
  // Forms whose reply differs between Lua 5.4 and 5.1 by design: the model
  // predicts Redis 7.0's (Lua 5.1's) reply and lua_exclusions.h names the
  // difference a Lua 5.4 engine shows.
  kTostringDiv,   // return tostring(<even>/2)
  kVersion,       // return _VERSION
  kCallNilLocal,  // local f; return f()
  kCompileError,  // return (
};

struct Script {
  std::vector<ScriptCall> calls;
  ReturnForm ret = ReturnForm::kNothing;
  int index = 0;        // kCallResult, kType: 1-based call number
  std::string literal;  // kInteger, kString, kStatus, kErrorReply, kErrorTable, kRaise, kTostringDiv
};

// The Lua text, one call per line, the return form on the last line.
std::string Render(const Script& s);

// Scripts by their text, so that an EVAL's body (or an EVALSHA's sha) leads
// back to the structure. Filled by the generator; thread-compatible.
class ScriptRegistry {
 public:
  // Registers `s` and returns its text.
  std::string Add(const Script& s);
  const Script* Find(const std::string& body) const;
  // The body with this sha1 (lower-case hex), or nullptr.
  const std::string* BodyOf(const std::string& sha) const;

 private:
  std::map<std::string, Script> by_body_;
  std::map<std::string, std::string> by_sha_;
};
ScriptRegistry& Registry();

// The script an EVAL / EVALSHA argv runs, if the registry knows it.
const Script* ScriptOf(const std::vector<std::string>& argv);
bool IsEval(const std::vector<std::string>& argv);

// The model's side of EVAL/EVALSHA `argv` from `session` (not inside MULTI):
// runs the script's calls on `model` and returns Redis 7.0's reply, or
// nothing if the reply is not predicted (a script the registry does not
// know). For the forms of lua_exclusions.h the prediction is Lua 5.1's reply. `loaded` holds the bodies the server's script
// cache has (EVAL adds to it; EVALSHA looks in it), keyed by sha1.
// A predicted error ending in " script: " is compared as a prefix.
std::optional<Reply> EvalOnModel(KeyspaceModel& model, int session, const std::vector<std::string>& argv,
                                 std::map<std::string, std::string>& loaded);

// SCRIPT LOAD / EXISTS / FLUSH `argv` on the model's script cache `loaded`
// (S13): LOAD's sha or compile error, EXISTS's 1s and 0s, FLUSH's OK; nothing
// for another subcommand or a body the registry does not know.
std::optional<Reply> ScriptCommandOnModel(const std::vector<std::string>& argv,
                                          std::map<std::string, std::string>& loaded);

// True if `expected` (from EvalOnModel, or an EXEC reply holding such
// predictions) matches the server's `actual`.
bool ScriptReplyMatches(const Reply& expected, const Reply& actual);

// The model session EvalOnModel runs calls on (programs must not use it).
inline constexpr int kScriptSession = 2'000'000;

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_DIFF_SCRIPT_H_
