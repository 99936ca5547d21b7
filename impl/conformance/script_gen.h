// Generated EVAL / EVALSHA / SCRIPT LOAD|EXISTS|FLUSH commands of small scripts
// (diff_script.h), shared by the in-process test against the model
// (engine_model_test.cc) and the differential test over the wire
// (diff_gen.h, serve_differential_test.cc). The model predicts their replies
// with diff::EvalOnModel (through diff::ModelSide, model_side.h).
#ifndef TXLAB_IMPL_CONFORMANCE_SCRIPT_GEN_H_
#define TXLAB_IMPL_CONFORMANCE_SCRIPT_GEN_H_

#include <rapidcheck.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "impl/conformance/diff_script.h"
#include "impl/lua/sha1.h"
#include "model/model_gen.h"

namespace txlab::diff {

inline std::string UpperCopy(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// One redis.call / redis.pcall line. Keys come from KEYS[] when the EVAL
// declares them, else literally (Redis 7.0 standalone does not check).
// With expiry_calls (only where the clock is virtual: a TTL read inside a
// script is exact there), one call in five sets, reads or removes a TTL.
inline ScriptCall GenScriptCall(const std::vector<std::string>& keys, const std::vector<std::string>& args,
                                const std::vector<std::string>& all_keys, bool expiry_calls = false) {
  using program::gen_detail::Pick;
  ScriptCall c;
  c.pcall = *rc::gen::inRange(0, 3) == 0;
  auto name = [&](const std::string& n) {
    const bool lower = *rc::gen::inRange(0, 4) == 0;
    std::string v = n;
    if (lower)
      for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    c.exprs.push_back("'" + v + "'");
  };
  auto lit = [&](const std::string& v) { c.exprs.push_back("'" + v + "'"); };
  auto key = [&] {
    if (!keys.empty() && *rc::gen::inRange(0, 4) != 0) {
      const int i = *rc::gen::inRange(0, static_cast<int>(keys.size()));
      c.exprs.push_back("KEYS[" + std::to_string(i + 1) + "]");
    } else {
      lit(Pick(all_keys));
    }
  };
  auto value = [&] {
    if (!args.empty() && *rc::gen::inRange(0, 3) == 0) {
      const int i = *rc::gen::inRange(0, static_cast<int>(args.size()));
      c.exprs.push_back("ARGV[" + std::to_string(i + 1) + "]");
    } else if (*rc::gen::inRange(0, 5) == 0) {
      // A Lua number: Redis passes "%.17g" of its double (S12); 5.4's
      // integers must format the same.
      c.exprs.push_back(Pick({"3", "0.1", "-2", "2.5", "1e3", "-0.0", "9007199254740993"}));
    } else {
      lit(Pick({"1", "0", "x", "-1", "10", "1.5", ""}));
    }
  };
  if (expiry_calls && *rc::gen::inRange(0, 5) == 0) {
    switch (*rc::gen::inRange(0, 6)) {
      case 0: name("PEXPIRE"); key(); lit(Pick({"300", "1000", "0", "-1", "x"})); break;
      case 1: name("EXPIRE"); key(); lit(Pick({"1", "2"})); break;
      case 2: name("SET"); key(); value(); lit("PX"); lit(Pick({"200", "800"})); break;
      case 3: name("PTTL"); key(); break;
      case 4: name("TTL"); key(); break;
      default: name("PERSIST"); key(); break;
    }
    return c;
  }
  switch (*rc::gen::inRange(0, 27)) {
    case 0: case 1: name("GET"); key(); break;
    case 2: case 3: name("SET"); key(); value(); break;
    case 4: case 5: name("INCR"); key(); break;
    case 6: name("INCRBY"); key(); lit(Pick({"2", "-1", "x"})); break;
    case 7: name("DEL"); key(); break;
    case 8: name("EXISTS"); key(); key(); break;
    case 9: name("HSET"); key(); lit(Pick({"f", "g"})); value(); break;
    case 10: name("HGET"); key(); lit(Pick({"f", "g"})); break;
    case 11: name("HINCRBY"); key(); lit("f"); lit(Pick({"1", "x"})); break;
    case 12: name("LPUSH"); key(); value(); break;
    case 13: name("RPOP"); key(); break;
    case 14: name("LRANGE"); key(); lit("0"); lit("-1"); break;
    case 15: name("SADD"); key(); lit(Pick({"m", "n"})); break;
    case 16: name("SCARD"); key(); break;
    case 17: name("ZADD"); key(); lit(Pick({"1", "2.5", "x"})); lit(Pick({"m", "n"})); break;
    case 18: name("ZRANGE"); key(); lit("0"); lit("-1"); lit("WITHSCORES"); break;
    case 19: name("ZSCORE"); key(); lit(Pick({"m", "n"})); break;
    case 20: name("TYPE"); key(); break;
    case 21: name("MGET"); key(); key(); break;
    case 22: name("LPOP"); key(); lit(Pick({"2", "0"})); break;  // nil array on a missing key
    case 23: name("APPEND"); key(); value(); break;
    // errors inside the script
    case 24: name(Pick({"NOSUCH", "MULTI", "EXEC", "WATCH"})); if (UpperCopy(c.exprs[0]) == "'WATCH'") key(); break;
    // the script's own database (S15), or an invalid one
    case 25: name("SELECT"); lit(Pick({"1", "0", "99"})); break;
    default: name(Pick({"GET", "SET", "INCR"})); break;  // wrong arity
  }
  return c;
}

// A script over these KEYS[] and ARGV[] (its calls read only those there
// are), registered.
inline Script GenScript(const program::GenConfig& config, const std::vector<std::string>& keys,
                        const std::vector<std::string>& args) {
  using program::gen_detail::Pick;
  Script s;
  const int ncalls = *rc::gen::inRange(0, 4);
  for (int i = 0; i < ncalls; ++i) s.calls.push_back(GenScriptCall(keys, args, config.keys, config.clock_ops));
  const int form = *rc::gen::inRange(0, 40);
  if (ncalls > 0 && form < 12) {
    s.ret = ReturnForm::kCallResult;
    s.index = *rc::gen::inRange(1, ncalls + 1);
  } else if (form < 18) {
    s.ret = ReturnForm::kAllResults;
  } else if (ncalls > 0 && form < 20) {
    s.ret = ReturnForm::kType;
    s.index = *rc::gen::inRange(1, ncalls + 1);
  } else {
    switch (form % 16) {
      case 0: s.ret = ReturnForm::kInteger; s.literal = Pick({"42", "-7", "3.75", "-2.5", "0"}); break;
      case 1: s.ret = ReturnForm::kString; s.literal = Pick({"hello", "", "a b"}); break;
      case 2: s.ret = ReturnForm::kTrue; break;
      case 3: s.ret = ReturnForm::kFalse; break;
      case 4: s.ret = ReturnForm::kNothing; break;
      case 5: s.ret = ReturnForm::kStatus; s.literal = Pick({"FINE", "OK"}); break;
      case 6: s.ret = ReturnForm::kErrorReply; s.literal = Pick({"MYERR boom", "ERR custom failure"}); break;
      case 7: s.ret = ReturnForm::kErrorTable; s.literal = Pick({"BAD thing", "ERR no"}); break;
      case 8: s.ret = ReturnForm::kRaise; s.literal = Pick({"boom", "x y"}); break;
      case 9: s.ret = ReturnForm::kMixedTable; break;
      case 10: s.ret = ReturnForm::kTostringDiv; s.literal = Pick({"10", "4"}); break;
      case 11: s.ret = ReturnForm::kVersion; break;
      case 12: s.ret = ReturnForm::kCallNilLocal; break;
      case 13: s.ret = ReturnForm::kCompileError; break;
      default: s.ret = ReturnForm::kAllResults; break;
    }
  }
  Registry().Add(s);
  return s;
}

// A whole EVAL / EVALSHA step's argv (the script registered). EVALSHA names
// the script's own sha (cached only if an EVAL or SCRIPT LOAD of the same
// body ran before) or one no server has; one in eight is EVAL_RO /
// EVALSHA_RO (a write inside is refused).
inline std::vector<std::string> GenEval(const program::GenConfig& config) {
  using program::gen_detail::Pick;
  using program::gen_detail::Several;
  const int numkeys = *rc::gen::inRange(0, 3);
  const std::vector<std::string> keys = Several(config.keys, numkeys, numkeys);
  const std::vector<std::string> args = Several({"1", "x", "5", ""}, 0, 2);
  const std::string body = Render(GenScript(config, keys, args));
  std::vector<std::string> argv;
  switch (*rc::gen::inRange(0, 12)) {
    case 0: case 1: argv = {"EVALSHA", Sha1Hex(body)}; break;
    case 2: argv = {"EVALSHA", Pick({"0123456789012345678901234567890123456789", "abc"})}; break;
    default: argv = {"EVAL", body}; break;
  }
  std::string nk = std::to_string(numkeys);
  if (*rc::gen::inRange(0, 20) == 0) nk = Pick({"-1", "x", "9"});
  argv.push_back(nk);
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  if (*rc::gen::inRange(0, 8) == 0) argv[0] = argv[0] == "EVAL" ? "eval" : "evalsha";
  if (*rc::gen::inRange(0, 8) == 0) argv[0] += "_RO";  // EVAL_RO / EVALSHA_RO: writes refused
  return argv;
}

// How many KEYS[] and ARGV[] entries script `s` reads at most (the smallest
// numkeys and argument count for which the model predicts it).
inline std::pair<int, int> ArgsReferenced(const Script& s) {
  int keys = 0, args = 0;
  for (const ScriptCall& c : s.calls) {
    for (const std::string& e : c.exprs) {
      if (e.rfind("KEYS[", 0) == 0) keys = std::max(keys, std::stoi(e.substr(5)));
      if (e.rfind("ARGV[", 0) == 0) args = std::max(args, std::stoi(e.substr(5)));
    }
  }
  return {keys, args};
}

// SCRIPT LOAD of a generated script (the registry knows it).
// (Its keys and arguments are chosen when an EVALSHA runs it.)
inline std::vector<std::string> GenScriptLoad(const program::GenConfig& config) {
  using program::gen_detail::Several;
  const std::vector<std::string> keys = Several(config.keys, 0, 2);
  const std::vector<std::string> args = Several({"1", "x", "5", ""}, 0, 2);
  const std::string body = Render(GenScript(config, keys, args));
  return {"SCRIPT", *rc::gen::inRange(0, 4) == 0 ? "load" : "LOAD", body};
}

// EVALSHA of a script the server has cached (`loaded`: sha1 -> body, as
// EvalOnModel keeps it; must not be empty), with fresh keys and arguments
// (as many as the script reads, or one more), the sha sometimes upper-case.
inline std::vector<std::string> GenEvalshaOfLoaded(const program::GenConfig& config,
                                                   const std::map<std::string, std::string>& loaded) {
  using program::gen_detail::Pick;
  using program::gen_detail::Several;
  std::vector<std::string> shas;
  for (const auto& [sha, body] : loaded) shas.push_back(sha);
  std::string sha = Pick(shas);
  int nkeys = 0, nargs = 0;
  if (const Script* s = Registry().Find(loaded.at(sha))) std::tie(nkeys, nargs) = ArgsReferenced(*s);
  nkeys += *rc::gen::inRange(0, 2);
  nargs += *rc::gen::inRange(0, 2);
  if (*rc::gen::inRange(0, 4) == 0) sha = UpperCopy(sha);
  std::vector<std::string> argv = {*rc::gen::inRange(0, 6) == 0 ? "EVALSHA_RO" : "EVALSHA", sha, std::to_string(nkeys)};
  for (const std::string& k : Several(config.keys, nkeys, nkeys)) argv.push_back(k);
  for (const std::string& a : Several({"1", "x", "5", ""}, nargs, nargs)) argv.push_back(a);
  return argv;
}

// SCRIPT EXISTS of cached and unknown shas (sometimes upper-case), or, a
// third of the time, SCRIPT FLUSH [ASYNC|SYNC|bad option] (S13).
inline std::vector<std::string> GenScriptExistsOrFlush(const std::map<std::string, std::string>& loaded) {
  using program::gen_detail::Pick;
  if (*rc::gen::inRange(0, 3) == 0) {
    std::vector<std::string> argv = {"SCRIPT", "FLUSH"};
    const int opt = *rc::gen::inRange(0, 5);
    if (opt > 0) argv.push_back(Pick({"ASYNC", "sync", "SYNC", "LAZY"}));
    return argv;
  }
  std::vector<std::string> shas = {"0123456789012345678901234567890123456789"};
  for (const auto& [sha, body] : loaded) shas.push_back(sha);
  std::vector<std::string> argv = {"SCRIPT", "EXISTS"};
  const int n = *rc::gen::inRange(1, 4);
  for (int i = 0; i < n; ++i) {
    std::string sha = Pick(shas);
    if (*rc::gen::inRange(0, 4) == 0) sha = UpperCopy(sha);
    argv.push_back(sha);
  }
  return argv;
}

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_SCRIPT_GEN_H_
