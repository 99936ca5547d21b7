#include "impl/conformance/diff_script.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <set>

#include "impl/lua/sha1.h"

namespace txlab::diff {
namespace {

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string LuaQuote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

std::string Var(int i) { return "r" + std::to_string(i); }

// A Lua 5.1 number back to a Redis integer: (long long) of the double, which
// on x86 gives INT64_MIN for NaN and anything out of range (COMPATIBILITY.md,
// "Numbers returned").
int64_t ThroughDouble(double d) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<int64_t>(d);
}

// Redis reply -> Lua value -> Redis reply (script.c's luaRedisReplyParser
// then luaReplyToRedisReply): a nil bulk or nil array becomes false, and
// false comes back as a nil bulk; the rest round-trips unchanged.
Reply RoundTrip(const Reply& r) {
  if (r.is_nil()) return Reply::Nil();
  if (r.type() == Reply::Type::kInteger) return Reply::Integer(ThroughDouble(static_cast<double>(r.integer())));
  if (r.type() == Reply::Type::kArray) {
    std::vector<Reply> out;
    for (const Reply& e : r.elems()) out.push_back(RoundTrip(e));
    return Reply::Array(std::move(out));
  }
  return r;
}

std::string LuaType(const Reply& r) {
  switch (r.type()) {
    case Reply::Type::kInteger: return "number";
    case Reply::Type::kBulk: return "string";
    case Reply::Type::kNil:
    case Reply::Type::kNilArray: return "boolean";
    default: return "table";
  }
}

// Commands a script may not call (CMD_NOSCRIPT) among those generated.
bool NoScript(const std::string& name) {
  static const std::set<std::string> kNames = {"MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "RESET"};
  return kNames.count(name) > 0;
}

// Write commands (CMD_WRITE) among those generated: refused in EVAL_RO.
bool WriteCommand(const std::string& name) {
  static const std::set<std::string> kNames = {"SET",  "INCR",  "INCRBY", "DEL",  "HSET",    "HINCRBY", "LPUSH",
                                               "RPOP", "LPOP",  "SADD",   "ZADD", "APPEND",  "PEXPIRE", "EXPIRE",
                                               "PERSIST"};
  return kNames.count(name) > 0;
}

const char kSuffix[] = " script: ";

// The value of a call argument for this EVAL, or nothing (KEYS[i] / ARGV[i]
// out of range: the model does not predict that).
std::optional<std::string> Resolve(const std::string& expr, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  for (auto [prefix, from] : {std::pair{"KEYS[", &keys}, std::pair{"ARGV[", &args}}) {
    if (expr.rfind(prefix, 0) == 0) {
      const size_t i = std::stoul(expr.substr(5));
      if (i < 1 || i > from->size()) return std::nullopt;
      return (*from)[i - 1];
    }
  }
  if (expr.front() == '\'') return expr.substr(1, expr.size() - 2);  // 'literal'
  char buf[64];  // a Lua number: script_lua.c formats it with "%.17g" (S12)
  std::snprintf(buf, sizeof buf, "%.17g", std::strtod(expr.c_str(), nullptr));
  return std::string(buf);
}

// Lua 5.1's message for the kCompileError form, as Redis 7.0 wraps it (the
// script is not cached): "return (" is on the line after the calls, and the
// <eof> it meets on the next one (Render ends every body with a newline).
Reply CompileError(const Script& s) {
  return Reply::Error("ERR Error compiling script (new function): user_script:" + std::to_string(s.calls.size() + 2) +
                      ": unexpected symbol near '<eof>'");
}

}  // namespace

std::string Render(const Script& s) {
  std::string out;
  for (size_t i = 0; i < s.calls.size(); ++i) {
    const ScriptCall& c = s.calls[i];
    out += "local " + Var(static_cast<int>(i) + 1) + " = redis." + (c.pcall ? "pcall(" : "call(");
    for (size_t j = 0; j < c.exprs.size(); ++j) out += (j ? ", " : "") + c.exprs[j];
    out += ")\n";
  }
  switch (s.ret) {
    case ReturnForm::kCallResult: out += "return " + Var(s.index); break;
    case ReturnForm::kAllResults: {
      out += "return {";
      for (size_t i = 0; i < s.calls.size(); ++i) out += (i ? ", " : "") + Var(static_cast<int>(i) + 1);
      out += "}";
      break;
    }
    case ReturnForm::kType: out += "return type(" + Var(s.index) + ")"; break;
    case ReturnForm::kInteger: out += "return " + s.literal; break;
    case ReturnForm::kString: out += "return " + LuaQuote(s.literal); break;
    case ReturnForm::kTrue: out += "return true"; break;
    case ReturnForm::kFalse: out += "return false"; break;
    case ReturnForm::kNothing: out += "-- no return"; break;
    case ReturnForm::kStatus: out += "return redis.status_reply(" + LuaQuote(s.literal) + ")"; break;
    case ReturnForm::kErrorReply: out += "return redis.error_reply(" + LuaQuote(s.literal) + ")"; break;
    case ReturnForm::kErrorTable: out += "return {err=" + LuaQuote(s.literal) + "}"; break;
    case ReturnForm::kRaise: out += "error(" + LuaQuote(s.literal) + ")"; break;
    case ReturnForm::kMixedTable: out += "return {1, false, {ok='FINE'}, {err='E x'}, 2.9}"; break;
    case ReturnForm::kTostringDiv: out += "return tostring(" + s.literal + "/2)"; break;
    case ReturnForm::kVersion: out += "return _VERSION"; break;
    case ReturnForm::kCallNilLocal: out += "local f; return f()"; break;
    case ReturnForm::kCompileError: out += "return ("; break;
  }
  return out + "\n";
}

std::string ScriptRegistry::Add(const Script& s) {
  std::string body = Render(s);
  by_body_.emplace(body, s);
  by_sha_.emplace(Sha1Hex(body), body);
  return body;
}

const std::string* ScriptRegistry::BodyOf(const std::string& sha) const {
  auto it = by_sha_.find(sha);
  return it == by_sha_.end() ? nullptr : &it->second;
}

bool IsEval(const std::vector<std::string>& argv) {
  const std::string name = Upper(argv.at(0));
  return name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO";
}

const Script* ScriptOf(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || !IsEval(argv)) return nullptr;
  if (Upper(argv[0]).rfind("EVALSHA", 0) != 0) return Registry().Find(argv[1]);
  std::string sha = argv[1];
  for (char& ch : sha) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::string* body = Registry().BodyOf(sha);
  return body ? Registry().Find(*body) : nullptr;
}

const Script* ScriptRegistry::Find(const std::string& body) const {
  auto it = by_body_.find(body);
  return it == by_body_.end() ? nullptr : &it->second;
}

ScriptRegistry& Registry() {
  static ScriptRegistry registry;
  return registry;
}

std::optional<Reply> EvalOnModel(KeyspaceModel& model, int session, const std::vector<std::string>& argv,
                                 std::map<std::string, std::string>& loaded) {
  if (argv.size() < 3) return std::nullopt;
  const bool evalsha = Upper(argv[0]).rfind("EVALSHA", 0) == 0;
  const bool read_only = Upper(argv[0]).size() > 3 && Upper(argv[0]).substr(Upper(argv[0]).size() - 3) == "_RO";
  // evalShaCommand: a sha of the wrong length is NOSCRIPT at once;
  // evalGenericCommand: then numkeys, then the script.
  if (evalsha && argv[1].size() != 40) return Reply::Error("NOSCRIPT No matching script. Please use EVAL.");
  const std::string& nk = argv[2];
  long long numkeys = 0;
  try {
    size_t pos = 0;
    numkeys = std::stoll(nk, &pos);
    if (pos != nk.size() || nk.empty() || std::isspace(static_cast<unsigned char>(nk[0])))
      return Reply::Error("ERR value is not an integer or out of range");
  } catch (...) {
    return Reply::Error("ERR value is not an integer or out of range");
  }
  if (numkeys > static_cast<long long>(argv.size()) - 3)
    return Reply::Error("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) return Reply::Error("ERR Number of keys can't be negative");

  std::string body;
  if (evalsha) {
    std::string sha = argv[1];
    for (char& ch : sha) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto it = loaded.find(sha);
    if (it == loaded.end()) return Reply::Error("NOSCRIPT No matching script. Please use EVAL.");
    body = it->second;
  } else {
    body = argv[1];
  }
  const Script* s = Registry().Find(body);
  if (!s) return std::nullopt;
  if (s->ret == ReturnForm::kCompileError) return CompileError(*s);  // not cached either
  if (!evalsha) loaded[Sha1Hex(body)] = body;

  model.Call(kScriptSession, {"SELECT", std::to_string(model.SelectedDb(session))});
  std::vector<Reply> results;
  const std::vector<std::string> keys(argv.begin() + 3, argv.begin() + 3 + numkeys);
  const std::vector<std::string> args(argv.begin() + 3 + numkeys, argv.end());
  for (size_t i = 0; i < s->calls.size(); ++i) {
    const ScriptCall& c = s->calls[i];
    std::vector<std::string> values;
    for (const std::string& e : c.exprs) {
      std::optional<std::string> v = Resolve(e, keys, args);
      if (!v) return std::nullopt;
      values.push_back(*v);
    }
    Reply r;
    const std::string name = Upper(values.at(0));
    if (NoScript(name)) {
      r = Reply::Error("ERR This Redis command is not allowed from script");
    } else {
      // EVAL_RO: a write command is refused after the lookup and arity
      // checks, before it runs (scriptVerifyWriteCommandAllow); those checks
      // run on a copy, so the refused write changes nothing.
      const bool refuse_write = read_only && WriteCommand(name);
      if (refuse_write) {
        KeyspaceModel probe = model;
        r = probe.Call(kScriptSession, values);
      } else {
        r = model.Call(kScriptSession, values);
      }
      if (r.is_error() && r.str().rfind("ERR unknown command", 0) == 0)
        r = Reply::Error("ERR Unknown Redis command called from script");
      else if (r.is_error() && r.str().rfind("ERR wrong number of arguments", 0) == 0)
        r = Reply::Error("ERR Wrong number of args calling Redis command from script");
      else if (refuse_write)
        r = Reply::Error("ERR Write commands are not allowed from read-only scripts.");
    }
    if (r.is_error() && !c.pcall) return Reply::Error(r.str() + kSuffix);
    results.push_back(RoundTrip(r));
  }
  const int line = static_cast<int>(s->calls.size()) + 1;
  switch (s->ret) {
    case ReturnForm::kCallResult: return results.at(s->index - 1);
    case ReturnForm::kAllResults: return Reply::Array(results);
    case ReturnForm::kType: return Reply::Bulk(LuaType(results.at(s->index - 1)));
    case ReturnForm::kInteger: return Reply::Integer(ThroughDouble(std::stod(s->literal)));
    case ReturnForm::kString: return Reply::Bulk(s->literal);
    case ReturnForm::kTrue: return Reply::Integer(1);
    case ReturnForm::kFalse:
    case ReturnForm::kNothing: return Reply::Nil();
    case ReturnForm::kStatus: return Reply::Status(s->literal);
    case ReturnForm::kErrorReply:
    case ReturnForm::kErrorTable: return Reply::Error(s->literal);
    case ReturnForm::kRaise:
      return Reply::Error("ERR user_script:" + std::to_string(line) + ": " + s->literal + kSuffix);
    case ReturnForm::kMixedTable:
      return Reply::Array(
          {Reply::Integer(1), Reply::Nil(), Reply::Status("FINE"), Reply::Error("E x"), Reply::Integer(2)});
    // Redis 7.0's (Lua 5.1's) replies to the forms lua_exclusions.h excludes.
    case ReturnForm::kTostringDiv: return Reply::Bulk(std::to_string(std::stoll(s->literal) / 2));
    case ReturnForm::kVersion: return Reply::Bulk("Lua 5.1");
    case ReturnForm::kCallNilLocal:
      return Reply::Error("ERR user_script:" + std::to_string(line) + ": attempt to call local 'f' (a nil value)" +
                          kSuffix);
    case ReturnForm::kCompileError: break;  // handled above
  }
  return std::nullopt;
}

std::optional<Reply> ScriptCommandOnModel(const std::vector<std::string>& argv,
                                          std::map<std::string, std::string>& loaded) {
  if (argv.size() < 2) return std::nullopt;
  const std::string sub = Upper(argv[1]);
  if (sub == "LOAD") {
    if (argv.size() != 3) return Reply::Error("ERR wrong number of arguments for 'script|load' command");
    const Script* s = Registry().Find(argv[2]);
    if (!s) return std::nullopt;
    if (s->ret == ReturnForm::kCompileError) return CompileError(*s);
    const std::string sha = Sha1Hex(argv[2]);
    loaded[sha] = argv[2];
    return Reply::Bulk(sha);
  }
  if (sub == "EXISTS") {  // the cache's keys compare case-insensitively
    if (argv.size() < 3) return Reply::Error("ERR wrong number of arguments for 'script|exists' command");
    std::vector<Reply> out;
    for (size_t i = 2; i < argv.size(); ++i) {
      std::string sha = argv[i];
      for (char& ch : sha) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.push_back(Reply::Integer(loaded.count(sha) ? 1 : 0));
    }
    return Reply::Array(std::move(out));
  }
  if (sub == "FLUSH") {
    if (argv.size() > 3 || (argv.size() == 3 && Upper(argv[2]) != "SYNC" && Upper(argv[2]) != "ASYNC"))
      return Reply::Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    loaded.clear();
    return Reply::Ok();
  }
  return std::nullopt;
}

bool ScriptReplyMatches(const Reply& expected, const Reply& actual) {
  if (expected.type() == Reply::Type::kArray && actual.type() == Reply::Type::kArray &&
      expected.elems().size() == actual.elems().size()) {
    for (size_t i = 0; i < expected.elems().size(); ++i)
      if (!ScriptReplyMatches(expected.elems()[i], actual.elems()[i])) return false;
    return true;
  }
  const std::string& e = expected.str();
  const size_t n = sizeof(kSuffix) - 1;
  if (expected.is_error() && e.size() >= n && e.compare(e.size() - n, n, kSuffix) == 0)
    return actual.is_error() && actual.str().rfind(e, 0) == 0;
  return expected == actual;
}

}  // namespace txlab::diff
