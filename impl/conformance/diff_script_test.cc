// The differential runner's pieces that need no server: the Lua exclusion
// list excuses only the documented difference, the model's script
// predictions (Redis 7.0's replies, the excluded forms included), and
// redis-cli quoting of reproducers.
#include <gtest/gtest.h>

#include "impl/conformance/diff_runner.h"
#include "impl/conformance/diff_script.h"
#include "impl/conformance/lua_exclusions.h"
#include "impl/lua/sha1.h"
#include "model/keyspace_model.h"

namespace txlab::diff {
namespace {

Script WithReturn(ReturnForm f, std::string literal = "") {
  Script s;
  s.ret = f;
  s.literal = std::move(literal);
  return s;
}

TEST(LuaExclusions, ExcuseOnlyTheDocumentedDifference) {
  const Script div = WithReturn(ReturnForm::kTostringDiv, "10");
  EXPECT_NE(ExplainedBy(div, Reply::Bulk("5"), Reply::Bulk("5.0")), nullptr);
  EXPECT_EQ(ExplainedBy(div, Reply::Bulk("5"), Reply::Bulk("5.00")), nullptr);
  EXPECT_EQ(ExplainedBy(div, Reply::Bulk("5"), Reply::Integer(5)), nullptr);
  // The same difference from another script form is not excused.
  EXPECT_EQ(ExplainedBy(WithReturn(ReturnForm::kString, "5"), Reply::Bulk("5"), Reply::Bulk("5.0")), nullptr);

  const Script version = WithReturn(ReturnForm::kVersion);
  EXPECT_NE(ExplainedBy(version, Reply::Bulk("Lua 5.1"), Reply::Bulk("Lua 5.4")), nullptr);
  EXPECT_EQ(ExplainedBy(version, Reply::Bulk("Lua 5.1"), Reply::Bulk("Lua 5.3")), nullptr);

  const Script call = WithReturn(ReturnForm::kCallNilLocal);
  const std::string tail = " script: abc, on @user_script:1.";
  EXPECT_NE(ExplainedBy(call, Reply::Error("ERR user_script:1: attempt to call local 'f' (a nil value)" + tail),
                        Reply::Error("ERR user_script:1: attempt to call a nil value (local 'f')" + tail)),
            nullptr);
  // A different line or suffix is a divergence.
  EXPECT_EQ(ExplainedBy(call, Reply::Error("ERR user_script:1: attempt to call local 'f' (a nil value)" + tail),
                        Reply::Error("ERR user_script:2: attempt to call a nil value (local 'f')" + tail)),
            nullptr);

  const Script eof = WithReturn(ReturnForm::kCompileError);
  EXPECT_NE(ExplainedBy(eof, Reply::Error("ERR Error compiling script (new function): user_script:1: x near '<eof>'"),
                        Reply::Error("ERR Error compiling script (new function): user_script:1: x near <eof>")),
            nullptr);
  EXPECT_EQ(ExplainedBy(eof, Reply::Error("ERR Error compiling script (new function): user_script:1: x near '<eof>'"),
                        Reply::Error("ERR Error compiling script (new function): user_script:1: y near <eof>")),
            nullptr);
}

TEST(DiffScript, ModelPredictsCallsConversionsAndErrors) {
  Script s;
  s.calls.push_back({false, {"'SET'", "KEYS[1]", "ARGV[1]"}});
  s.calls.push_back({true, {"'LPUSH'", "KEYS[1]", "'x'"}});  // WRONGTYPE, caught
  s.calls.push_back({false, {"'GET'", "'missing'"}});
  s.ret = ReturnForm::kAllResults;
  const std::string body = Registry().Add(s);
  EXPECT_NE(body.find("local r2 = redis.pcall('LPUSH', KEYS[1], 'x')\n"), std::string::npos) << body;

  KeyspaceModel model;
  std::map<std::string, std::string> loaded;
  std::optional<Reply> r = EvalOnModel(model, 0, {"EVAL", body, "1", "k", "v"}, loaded);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, Reply::Array({Reply::Ok(),
                              Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                              Reply::Nil()}));
  EXPECT_EQ(model.Call(0, {"GET", "k"}), Reply::Bulk("v"));
  // EVALSHA finds it now; the keys come from this call's arguments.
  r = EvalOnModel(model, 0, {"EVALSHA", Sha1Hex(body), "1", "k2", "w"}, loaded);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(model.Call(0, {"GET", "k2"}), Reply::Bulk("w"));
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVALSHA", "abc", "-1"}, loaded),
            Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVAL", body, "2", "k"}, loaded),
            Reply::Error("ERR Number of keys can't be greater than number of args"));

  // redis.call raising: predicted up to the script suffix.
  Script raise;
  raise.calls.push_back({false, {"'INCR'", "'k'"}});
  raise.ret = ReturnForm::kInteger;
  raise.literal = "1";
  r = EvalOnModel(model, 0, {"EVAL", Registry().Add(raise), "0"}, loaded);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(ScriptReplyMatches(
      *r, Reply::Error("ERR value is not an integer or out of range script: 123, on @user_script:1.")));
  EXPECT_FALSE(ScriptReplyMatches(*r, Reply::Error("ERR value is not an integer or out of range")));
  EXPECT_FALSE(ScriptReplyMatches(*r, Reply::Error("WRONGTYPE x script: 123, on @user_script:1.")));

  // The forms lua_exclusions.h excludes are predicted as Redis 7.0 (Lua 5.1)
  // answers them; a Lua 5.4 engine's reply is explained by the exclusion.
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVAL", Registry().Add(WithReturn(ReturnForm::kVersion)), "0"}, loaded),
            Reply::Bulk("Lua 5.1"));
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVAL", Registry().Add(WithReturn(ReturnForm::kTostringDiv, "10")), "0"}, loaded),
            Reply::Bulk("5"));
  Script nil_call = WithReturn(ReturnForm::kCallNilLocal);
  nil_call.calls.push_back({false, {"'SET'", "'n'", "'1'"}});  // runs before the error (S7)
  const std::string nil_body = Registry().Add(nil_call);
  r = EvalOnModel(model, 0, {"EVAL", nil_body, "0"}, loaded);
  ASSERT_TRUE(r.has_value());
  const Reply engine_nil = Reply::Error("ERR user_script:2: attempt to call a nil value (local 'f') script: " +
                                        Sha1Hex(nil_body) + ", on @user_script:2.");
  EXPECT_FALSE(ScriptReplyMatches(*r, engine_nil));
  EXPECT_NE(ExplainedByPrediction(nil_call, *r, engine_nil), nullptr) << r->ToString();
  EXPECT_EQ(ExplainedByPrediction(nil_call, *r, Reply::Error("ERR user_script:1: attempt to call a nil value (local 'f') script: x, on @user_script:1.")), nullptr);
  EXPECT_EQ(model.Call(0, {"GET", "n"}), Reply::Bulk("1"));
  // A compile error: "<eof>" on the line after "return (" (bodies end in a
  // newline), as redis-server 7.0.15 answers; not cached, nothing run.
  Script bad = WithReturn(ReturnForm::kCompileError);
  bad.calls.push_back({false, {"'SET'", "'c'", "'1'"}});
  const std::string bad_body = Registry().Add(bad);
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVAL", bad_body, "0"}, loaded),
            Reply::Error("ERR Error compiling script (new function): user_script:3: unexpected symbol near '<eof>'"));
  EXPECT_EQ(*ScriptCommandOnModel({"SCRIPT", "LOAD", bad_body}, loaded),
            Reply::Error("ERR Error compiling script (new function): user_script:3: unexpected symbol near '<eof>'"));
  EXPECT_EQ(loaded.count(Sha1Hex(bad_body)), 0u);
  EXPECT_EQ(model.Call(0, {"EXISTS", "c"}), Reply::Integer(0));
  // EVAL_RO: a write is refused before it runs (after lookup and arity),
  // reads run.
  Script ro;
  ro.calls.push_back({true, {"'SET'", "'w'", "'1'"}});
  ro.calls.push_back({true, {"'SET'"}});
  ro.calls.push_back({false, {"'GET'", "'k'"}});
  ro.ret = ReturnForm::kAllResults;
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVAL_RO", Registry().Add(ro), "0"}, loaded),
            Reply::Array({Reply::Error("ERR Write commands are not allowed from read-only scripts."),
                          Reply::Error("ERR Wrong number of args calling Redis command from script"),
                          Reply::Bulk("v")}));
  EXPECT_EQ(model.Call(0, {"EXISTS", "w"}), Reply::Integer(0));

  // SCRIPT LOAD caches without running; EXISTS ignores case; FLUSH empties.
  EXPECT_EQ(*ScriptCommandOnModel({"SCRIPT", "LOAD", nil_body}, loaded), Reply::Bulk(Sha1Hex(nil_body)));
  std::string upper = Sha1Hex(nil_body);
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(*ScriptCommandOnModel({"SCRIPT", "EXISTS", upper, "abc"}, loaded),
            Reply::Array({Reply::Integer(1), Reply::Integer(0)}));
  EXPECT_EQ(*ScriptCommandOnModel({"SCRIPT", "FLUSH", "x"}, loaded),
            Reply::Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
  EXPECT_EQ(*ScriptCommandOnModel({"script", "flush", "async"}, loaded), Reply::Ok());
  EXPECT_EQ(*ScriptCommandOnModel({"SCRIPT", "EXISTS", upper}, loaded), Reply::Array({Reply::Integer(0)}));
  EXPECT_EQ(*EvalOnModel(model, 0, {"EVALSHA", Sha1Hex(body), "0"}, loaded),
            Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
}

TEST(DiffRunner, RedisCliQuoting) {
  EXPECT_EQ(CliQuote("abc"), "abc");
  EXPECT_EQ(CliQuote(""), "\"\"");
  EXPECT_EQ(CliQuote("a b"), "\"a b\"");
  EXPECT_EQ(CliQuote("return 'x'\n"), "\"return 'x'\\n\"");
  EXPECT_EQ(CliQuote("q\"\\"), "\"q\\\"\\\\\"");
  program::Program p = {program::Step{1, {"SET", "a", "1", "PX", "5"}}, program::Disconnect{0}};
  EXPECT_EQ(ToRedisCli(p), "[c1] SET a 1 PX 5\n# sleep 15 ms (if not queued)\n[c0] (disconnect)\n");
}

}  // namespace
}  // namespace txlab::diff
