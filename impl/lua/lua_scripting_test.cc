// LuaScripting against a map-backed host: the SEMANTICS §2 statements that
// do not need the engine (S1, S15 and S18 are tested through Session in
// impl/engine/script_engine_test.cc), the sandbox, and bad input.
#include "impl/lua/lua_scripting.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "impl/lua/fake_host.h"
#include "impl/lua/sha1.h"

namespace txlab {
namespace {

using namespace std::chrono_literals;

class Scripting : public ::testing::Test {
 protected:
  static LuaScriptingOptions Options() {
    LuaScriptingOptions o;
    o.memory_limit_bytes = 64u << 20;
    o.busy_reply_threshold_ms = 50;
    return o;
  }

  Reply Call(std::vector<std::string> argv) {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    std::string cmd = argv[0];
    for (char& c : cmd) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (cmd.rfind("eval", 0) == 0) return lua_.Eval(views, host_);
    if (cmd.rfind("fcall", 0) == 0) return lua_.FCall(views, host_);
    if (cmd == "script") return lua_.Script(views);
    if (cmd == "function") return lua_.Function(views);
    return host_.Execute(views);
  }

  // EVAL body numkeys keys... args...
  Reply Eval(const std::string& body, std::vector<std::string> keys = {}, std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {"EVAL", body, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return Call(argv);
  }

  // The error text of a reply (empty if not an error).
  static std::string Err(const Reply& r) { return r.is_error() ? r.str() : std::string("<not an error: ") + r.ToString() + ">"; }

  FakeHost host_;
  LuaScripting lua_{Options()};
};

std::string Suffix(const std::string& body, int line) {
  return " script: " + Sha1Hex(body) + ", on @user_script:" + std::to_string(line) + ".";
}

// ---- S2-S5: time limit and kill, driven by two threads ---------------------------

TEST_F(Scripting, S2_TimedOutOnlyAfterThreshold) {
  EXPECT_FALSE(lua_.TimedOut());
  std::string body = "while redis.call('stopflag') == 0 do end return 'done'";
  auto start = std::chrono::steady_clock::now();
  auto run = std::async(std::launch::async, [&] { return Eval(body); });
  while (!lua_.monitor().Running()) std::this_thread::yield();
  EXPECT_FALSE(lua_.TimedOut());  // well before 50 ms
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  // The monitor uses the coarse monotonic clock: one tick (<= 4 ms) of slack.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
  EXPECT_EQ(lua_.BusyError().str(),
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
  host_.stop_flag = 1;
  EXPECT_EQ(run.get(), Reply::Bulk("done"));  // not stopped by the threshold itself
  EXPECT_FALSE(lua_.TimedOut());
}

TEST_F(Scripting, S4_ScriptKillStopsLoopingScript) {
  std::string body = "local i = 0\nwhile true do i = i + 1 end";
  auto run = std::async(std::launch::async, [&] { return Eval(body); });
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(lua_.KillScript(false), Reply::Ok());
  EXPECT_EQ(Err(run.get()), "ERR Script killed by user with SCRIPT KILL..." + Suffix(body, 2));
  // The state is usable afterwards, without a hook left behind.
  EXPECT_EQ(Eval("return 1"), Reply::Integer(1));
  EXPECT_EQ(lua_.KillScript(false), Reply::Error("NOTBUSY No scripts in execution right now."));
}

TEST_F(Scripting, S4_KillWorksThroughPcall) {
  std::string body =
      "while true do\n"
      "  pcall(function() while true do end end)\n"
      "end";
  auto run = std::async(std::launch::async, [&] { return Eval(body); });
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(lua_.KillScript(false), Reply::Ok());
  std::string err = Err(run.get());
  EXPECT_EQ(err.rfind("ERR Script killed by user with SCRIPT KILL... script: ", 0), 0u) << err;
}

TEST_F(Scripting, S4_UnkillableAfterWrite) {
  std::string body = "redis.call('set','x','1') while redis.call('stopflag') == 0 do end return 'ok'";
  auto run = std::async(std::launch::async, [&] { return Eval(body); });
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  Reply kill = lua_.KillScript(false);
  EXPECT_EQ(kill.error_code(), "UNKILLABLE");
  EXPECT_EQ(kill.str(),
            "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait "
            "the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
  host_.stop_flag = 1;
  EXPECT_EQ(run.get(), Reply::Bulk("ok"));
}

TEST_F(Scripting, S4_NotBusyWithoutScript) {
  EXPECT_EQ(Call({"SCRIPT", "KILL"}), Reply::Error("NOTBUSY No scripts in execution right now."));
  EXPECT_EQ(Call({"FUNCTION", "KILL"}), Reply::Error("NOTBUSY No scripts in execution right now."));
}

TEST_F(Scripting, S4_FunctionKillOnlyKillsFunctions) {
  ASSERT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=loop\nredis.register_function('spin', function() while true do end end)"}),
            Reply::Bulk("loop"));
  auto run = std::async(std::launch::async, [&] { return Call({"FCALL", "spin", "0"}); });
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(lua_.BusyError().str(),
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  EXPECT_EQ(lua_.KillScript(false).str(),
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  EXPECT_EQ(lua_.KillScript(true), Reply::Ok());
  EXPECT_EQ(Err(run.get()),
            "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.");

  auto eval = std::async(std::launch::async, [&] { return Eval("while true do end"); });
  while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(lua_.KillScript(true).str(),
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
  EXPECT_EQ(lua_.KillScript(false), Reply::Ok());
  EXPECT_TRUE(eval.get().is_error());
}

TEST_F(Scripting, S5_KilledScriptNeverWrites) {
  // Kill races the script's first write: either the kill wins (no write) or
  // the write wins (UNKILLABLE); never both.
  for (int i = 0; i < 20; ++i) {
    host_.data.clear();
    host_.stop_flag = 0;
    std::string body = "while redis.call('stopflag') == 0 do end redis.call('set','w','1') return 1";
    auto run = std::async(std::launch::async, [&] { return Eval(body); });
    while (!lua_.TimedOut()) std::this_thread::sleep_for(1ms);
    host_.stop_flag = 1;
    Reply kill = lua_.KillScript(false);
    Reply result = run.get();
    if (kill.is_ok()) {
      EXPECT_TRUE(result.is_error());
      EXPECT_EQ(host_.data.count("w"), 0u);
    } else {
      EXPECT_EQ(result, Reply::Integer(1));
    }
  }
}

TEST(ScriptingModes, S4_CountHookModeKillsToo) {
  LuaScriptingOptions o;
  o.busy_reply_threshold_ms = 20;
  o.time_limit_mode = TimeLimitMode::kCountHook;
  LuaScripting lua(o);
  FakeHost host;
  std::vector<std::string_view> argv = {"EVAL", "while true do end", "0"};
  auto run = std::async(std::launch::async, [&] { return lua.Eval(argv, host); });
  while (!lua.TimedOut()) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(lua.KillScript(false), Reply::Ok());
  EXPECT_EQ(run.get().str().rfind("ERR Script killed by user with SCRIPT KILL...", 0), 0u);
  std::vector<std::string_view> ok = {"EVAL", "return 1", "0"};
  EXPECT_EQ(lua.Eval(ok, host), Reply::Integer(1));
}

TEST(ScriptingModes, OffModeNeverTimesOut) {
  LuaScriptingOptions o;
  o.busy_reply_threshold_ms = 1;
  o.time_limit_mode = TimeLimitMode::kOff;
  LuaScripting lua(o);
  FakeHost host;
  std::vector<std::string_view> argv = {"EVAL", "local s = 0 for i = 1, 3e6 do s = s + i end return s", "0"};
  auto run = std::async(std::launch::async, [&] { return lua.Eval(argv, host); });
  std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(lua.TimedOut());
  EXPECT_EQ(lua.KillScript(false).error_code(), "NOTBUSY");
  EXPECT_EQ(run.get(), Reply::Integer(4500001500000));
}

// ---- S6-S9: errors ------------------------------------------------------------------

TEST_F(Scripting, S6_CommandErrorAbortsWithSuffix) {
  host_.data["k"] = std::deque<std::string>{"a"};
  std::string body = "return redis.call('get', KEYS[1])";
  EXPECT_EQ(Err(Eval(body, {"k"})),
            "WRONGTYPE Operation against a key holding the wrong kind of value" + Suffix(body, 1));
}

TEST_F(Scripting, S6_RuntimeAndErrorTables) {
  std::string boom = "error('boom')";
  EXPECT_EQ(Err(Eval(boom)), "ERR user_script:1: boom" + Suffix(boom, 1));
  std::string xcode = "\nerror({err='XCODE y'})";
  EXPECT_EQ(Err(Eval(xcode)), "XCODE y" + Suffix(xcode, 2));
  std::string arith = "local t = nil\nreturn t.x";
  EXPECT_EQ(Err(Eval(arith)).rfind("ERR user_script:2: attempt to index a nil value", 0), 0u);
}

TEST_F(Scripting, S6_CompileError) {
  // Lua 5.4 writes <eof> without the quotes 5.1 used (COMPATIBILITY.md).
  EXPECT_EQ(Err(Eval("return (")),
            "ERR Error compiling script (new function): user_script:1: unexpected symbol near <eof>");
  EXPECT_EQ(Call({"SCRIPT", "LOAD", "x = = 1"}).str().rfind("ERR Error compiling script (new function): user_script:1:", 0), 0u);
}

TEST_F(Scripting, S6_RedisLibArgumentErrors) {
  std::string unknown = "redis.call('nosuch')";
  EXPECT_EQ(Err(Eval(unknown)), "ERR Unknown Redis command called from script" + Suffix(unknown, 1));
  std::string arity = "redis.call('get')";
  EXPECT_EQ(Err(Eval(arity)), "ERR Wrong number of args calling Redis command from script" + Suffix(arity, 1));
  std::string none = "redis.call()";
  EXPECT_EQ(Err(Eval(none)), "ERR Please specify at least one argument for this redis lib call" + Suffix(none, 1));
  std::string table = "redis.call('get', {})";
  EXPECT_EQ(Err(Eval(table)), "ERR Lua redis lib command arguments must be strings or integers" + Suffix(table, 1));
  std::string boolean = "redis.call('set', 'k', true)";
  EXPECT_EQ(Err(Eval(boolean)),
            "ERR Lua redis lib command arguments must be strings or integers" + Suffix(boolean, 1));
}

TEST_F(Scripting, S7_NoRollbackOnError) {
  std::string body = "redis.call('set','x','1')\nredis.call('lpush','x','a')\nredis.call('set','y','2')";
  EXPECT_TRUE(Eval(body).is_error());
  EXPECT_EQ(std::get<std::string>(host_.data.at("x")), "1");
  EXPECT_EQ(host_.data.count("y"), 0u);
}

TEST_F(Scripting, S8_PcallReturnsErrorTable) {
  std::string body =
      "redis.call('set','x','1')\n"
      "local e = redis.pcall('lpush','x','a')\n"
      "redis.call('set','z', e['err'])\n"
      "redis.call('set','y','2')\n"
      "return e";
  EXPECT_EQ(Eval(body), Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_EQ(std::get<std::string>(host_.data.at("z")),
            "WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(std::get<std::string>(host_.data.at("y")), "2");
}

TEST_F(Scripting, S8_ErrorAndStatusReply) {
  EXPECT_EQ(Eval("return redis.error_reply('MY_ERR x')"), Reply::Error("MY_ERR x"));
  EXPECT_EQ(Eval("return redis.error_reply('-MY_ERR x')"), Reply::Error("MY_ERR x"));
  EXPECT_EQ(Eval("return redis.error_reply('')").error_code(), "ERR");
  EXPECT_EQ(Eval("return redis.status_reply('FINE')"), Reply::Status("FINE"));
  // Lua's own pcall: an error table comes back as its message (Redis 7).
  EXPECT_EQ(Eval("local ok, e = pcall(redis.call, 'nosuch') return e"),
            Reply::Bulk("ERR Unknown Redis command called from script"));
}

TEST_F(Scripting, S9_NumkeysErrors) {
  EXPECT_EQ(Call({"EVAL", "return 1", "2", "a"}), Reply::Error("ERR Number of keys can't be greater than number of args"));
  EXPECT_EQ(Call({"EVAL", "return 1", "-1"}), Reply::Error("ERR Number of keys can't be negative"));
  EXPECT_EQ(Call({"EVAL", "return 1", "x"}), Reply::Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Call({"EVAL", "return 1"}), Reply::Error("ERR wrong number of arguments for 'eval' command"));
}

// ---- S10-S12: conversions -------------------------------------------------------------

TEST_F(Scripting, S10_LuaToResp) {
  EXPECT_EQ(Eval("return 100.5"), Reply::Integer(100));
  EXPECT_EQ(Eval("return -3.7"), Reply::Integer(-3));
  EXPECT_EQ(Eval("return 3.0"), Reply::Integer(3));
  EXPECT_EQ(Eval("return 1e20"), Reply::Integer(INT64_MIN));
  EXPECT_EQ(Eval("return 0/0"), Reply::Integer(INT64_MIN));
  EXPECT_EQ(Eval("return 9007199254740993"), Reply::Integer(9007199254740992));
  EXPECT_EQ(Eval("return 'x'"), Reply::Bulk("x"));
  EXPECT_EQ(Eval("return true"), Reply::Integer(1));
  EXPECT_EQ(Eval("return false"), Reply::Nil());
  EXPECT_EQ(Eval("return nil"), Reply::Nil());
  EXPECT_EQ(Eval("return {1,nil,3}"), Reply::Array({Reply::Integer(1)}));
  EXPECT_EQ(Eval("return {1,false,3}"), Reply::Array({Reply::Integer(1), Reply::Nil(), Reply::Integer(3)}));
  EXPECT_EQ(Eval("return {ok='x'}"), Reply::Status("x"));
  EXPECT_EQ(Eval("return {err='x'}"), Reply::Error("x"));
  EXPECT_EQ(Eval("return {a=1}"), Reply::Array());
  EXPECT_EQ(Eval("return {{1,{2}},'s'}"),
            Reply::Array({Reply::Array({Reply::Integer(1), Reply::Array({Reply::Integer(2)})}), Reply::Bulk("s")}));
}

TEST_F(Scripting, S11_RespToLua) {
  host_.data["s"] = std::string("v");
  EXPECT_EQ(Eval("return type(redis.call('incr','n'))"), Reply::Bulk("number"));
  EXPECT_EQ(Eval("return tostring(redis.call('incr','n'))"), Reply::Bulk("2"));  // no "2.0"
  EXPECT_EQ(Eval("return redis.call('get','s')"), Reply::Bulk("v"));
  EXPECT_EQ(Eval("return redis.call('get','missing') == false"), Reply::Integer(1));
  EXPECT_EQ(Eval("return redis.call('ping')['ok']"), Reply::Bulk("PONG"));
  EXPECT_EQ(Eval("return redis.pcall('nosuch')['err']"), Reply::Bulk("ERR Unknown Redis command called from script"));
  // RESP2 map → flat array; RESP3 → {map=…}; RESP3 null → nil.
  EXPECT_EQ(Eval("return redis.call('hgetall','h')"), Reply::Array({Reply::Bulk("f"), Reply::Bulk("v")}));
  EXPECT_EQ(Eval("redis.setresp(3) return redis.call('hgetall','h')['map']['f']"), Reply::Bulk("v"));
  EXPECT_EQ(Eval("redis.setresp(3) return redis.call('get','missing') == nil"), Reply::Bool(true));
  EXPECT_EQ(Eval("redis.setresp(3) return redis.call('hgetall','h')"), Reply::Map({Reply::Bulk("f"), Reply::Bulk("v")}));
}

TEST_F(Scripting, S12_NumbersAsArgumentsUsePercent17g) {
  auto arg = [&](const std::string& expr) {
    return Eval("redis.call('set','n'," + expr + ") return redis.call('get','n')");
  };
  EXPECT_EQ(arg("0.1"), Reply::Bulk("0.10000000000000001"));
  EXPECT_EQ(arg("1/3"), Reply::Bulk("0.33333333333333331"));
  EXPECT_EQ(arg("2^53+1"), Reply::Bulk("9007199254740992"));
  EXPECT_EQ(arg("2^63"), Reply::Bulk("9.2233720368547758e+18"));
  EXPECT_EQ(arg("-0.0"), Reply::Bulk("-0"));
  EXPECT_EQ(arg("1/0"), Reply::Bulk("inf"));
  EXPECT_EQ(arg("3.0"), Reply::Bulk("3"));
  EXPECT_EQ(arg("42"), Reply::Bulk("42"));
  // Integer subtype (Lua 5.4) goes through the same double formatting.
  EXPECT_EQ(arg("9007199254740993"), Reply::Bulk("9007199254740992"));
  EXPECT_EQ(arg("-123456789012345"), Reply::Bulk("-123456789012345"));
  EXPECT_EQ(arg("999999999999999"), Reply::Bulk("999999999999999"));
  EXPECT_EQ(arg("1000000000000000"), Reply::Bulk("1000000000000000"));
  EXPECT_EQ(arg("1e16"), Reply::Bulk("10000000000000000"));
  EXPECT_EQ(arg("1e17"), Reply::Bulk("1e+17"));
  EXPECT_EQ(arg("math.maxinteger"), Reply::Bulk("9.2233720368547758e+18"));
  EXPECT_EQ(arg("-2.5"), Reply::Bulk("-2.5"));
}

// ---- S13: the script cache -------------------------------------------------------------

TEST_F(Scripting, S13_ScriptCache) {
  std::string body = "return 'cached'";
  std::string sha = Sha1Hex(body);
  EXPECT_EQ(Call({"SCRIPT", "LOAD", body}), Reply::Bulk(sha));
  std::string upper = sha;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Call({"EVALSHA", upper, "0"}), Reply::Bulk("cached"));
  EXPECT_EQ(Call({"EVALSHA", std::string(40, 'f'), "0"}), Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
  EXPECT_EQ(Call({"EVALSHA", "short", "0"}), Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
  // redis-server 7.0 (evalShaCommand): a sha of the wrong length is NOSCRIPT
  // even when numkeys is bad; a 40-character one gets the numkeys error.
  // Found by conformance_serve_differential_test.
  EXPECT_EQ(Call({"EVALSHA", "abc", "-1"}), Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
  EXPECT_EQ(Call({"EVALSHA", "abc", "x"}), Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
  EXPECT_EQ(Call({"EVALSHA", std::string(40, 'f'), "-1"}), Reply::Error("ERR Number of keys can't be negative"));
  EXPECT_EQ(Call({"SCRIPT", "EXISTS", sha, std::string(40, 'f')}), Reply::Array({Reply::Integer(1), Reply::Integer(0)}));
  // EVAL caches its body too.
  std::string other = "return 2";
  Eval(other);
  EXPECT_EQ(Call({"EVALSHA", Sha1Hex(other), "0"}), Reply::Integer(2));
  EXPECT_EQ(Call({"SCRIPT", "FLUSH", "ASYNC"}), Reply::Ok());
  EXPECT_EQ(Call({"SCRIPT", "EXISTS", sha}), Reply::Array({Reply::Integer(0)}));
  EXPECT_EQ(Call({"SCRIPT", "FLUSH", "BAD"}), Reply::Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
  EXPECT_EQ(Call({"SCRIPT", "NOPE"}), Reply::Error("ERR unknown subcommand 'NOPE'. Try SCRIPT HELP."));
}

// ---- S14: the sandbox ----------------------------------------------------------------------

TEST_F(Scripting, S14_NonexistentGlobalRead) {
  std::string body = "return a";
  EXPECT_EQ(Err(Eval(body)),
            "ERR user_script:1: Script attempted to access nonexistent global variable 'a'" + Suffix(body, 1));
}

TEST_F(Scripting, S14_GlobalWritesRefused) {
  for (std::string body : {"a = 1", "redis = nil", "tostring = nil", "redis.call = function() end",
                           "string.rep = nil", "_G.x = 1", "getmetatable('').__index.rep = nil",
                           "local f, real = pairs(_G) real.x = 1"}) {
    EXPECT_EQ(Err(Eval(body)), "ERR user_script:1: Attempt to modify a readonly table" + Suffix(body, 1)) << body;
  }
  // Refused inside a C function: no position in the message (as Redis).
  for (std::string body : {"setmetatable(_G, {})", "rawset(_G, 'x', 1)", "rawset(string, 'x', 1)",
                           "table.insert(math, 1)"}) {
    EXPECT_EQ(Err(Eval(body)), "ERR Attempt to modify a readonly table" + Suffix(body, 1)) << body;
  }
  // And nothing leaked into later scripts.
  EXPECT_EQ(Eval("return type(tostring)"), Reply::Bulk("function"));
  EXPECT_EQ(Eval("return string.rep('a', 3)"), Reply::Bulk("aaa"));
}

TEST_F(Scripting, S14_MissingLibrariesAndFunctions) {
  for (std::string name : {"os", "io", "print", "dofile", "loadfile", "require", "debug", "package", "coroutine",
                           "warn"}) {
    Reply r = Eval("return " + name);
    EXPECT_EQ(Err(r).find("Script attempted to access nonexistent global variable '" + name + "'") !=
                  std::string::npos,
              true)
        << name << ": " << r.ToString();
  }
  for (std::string name : {"string", "table", "math", "utf8", "unpack", "loadstring", "load", "pcall", "pairs"}) {
    EXPECT_FALSE(Eval("return type(" + name + ")").is_error()) << name;
  }
  EXPECT_EQ(Eval("return unpack({1,2})"), Reply::Integer(1));
  EXPECT_EQ(Eval("return table.unpack == nil"), Reply::Integer(1));  // as Redis (S14)
}

TEST_F(Scripting, S14_BytecodeRefused) {
  EXPECT_EQ(Eval("local f = load(string.dump(function() return 1 end)) return f == nil"), Reply::Integer(1));
  EXPECT_EQ(Eval("local f, e = loadstring(string.dump(function() return 1 end)) return e"),
            Reply::Bulk("attempt to load a binary chunk (mode is 't')"));
  EXPECT_EQ(Eval("local f = load(string.dump(function() return 1 end), 'x', 'b') return f == nil"), Reply::Integer(1));
  // Text chunks load, and see the protected globals.
  EXPECT_EQ(Eval("return loadstring('return 1 + 1')()"), Reply::Integer(2));
  EXPECT_TRUE(Eval("loadstring('x = 1')()").is_error());
}

TEST_F(Scripting, S14_GcMetamethodRefused) {
  EXPECT_TRUE(Eval("setmetatable({}, {__gc = function() while true do end end})").is_error());
  EXPECT_EQ(Eval("return getmetatable(setmetatable({}, {__index = {a = 1}})).__index.a"), Reply::Integer(1));
}

TEST_F(Scripting, S14_MemoryLimit) {
  Reply r = Eval("local t = {} for i = 1, 1e9 do t[i] = i end");
  EXPECT_EQ(Err(r), "ERR Error running script " + Sha1Hex("local t = {} for i = 1, 1e9 do t[i] = i end") +
                        ", not enough memory");
  Reply s = Eval("local s = string.rep('x', 1e6) local t = {} for i = 1, 1e6 do t[i] = s .. i end");
  EXPECT_TRUE(s.is_error());
  EXPECT_LT(lua_.used_memory(), 16u << 20);  // collected afterwards
  EXPECT_EQ(Eval("return 'still alive'"), Reply::Bulk("still alive"));
}

// ---- S16, T16: commands refused inside scripts ------------------------------------------------

TEST_F(Scripting, S16_NoScriptCommandsRefused) {
  for (std::string cmd : {"multi", "exec", "blpop', 'l', '0", "eval', 'return 1', '0"}) {
    std::string body = "return redis.call('" + cmd + "')";
    EXPECT_EQ(Err(Eval(body)), "ERR This Redis command is not allowed from script" + Suffix(body, 1)) << cmd;
  }
}

// ---- S17: determinism --------------------------------------------------------------------------

TEST_F(Scripting, S17_SeededRandom) {
  LuaScriptingOptions o = Options();
  o.random_seed = 42;
  LuaScripting a(o), b(o);
  FakeHost h;
  std::vector<std::string_view> argv = {"EVAL", "return {math.random(1000), math.random(1000), math.random(1000)}", "0"};
  Reply ra = a.Eval(argv, h);
  EXPECT_EQ(ra, b.Eval(argv, h));
  EXPECT_NE(ra, a.Eval(argv, h));  // the sequence continues across calls
  EXPECT_EQ(Eval("math.randomseed(7) local x = math.random() math.randomseed(7) return x == math.random()"),
            Reply::Integer(1));
  EXPECT_EQ(Eval("return redis.replicate_commands()"), Reply::Integer(1));
  EXPECT_EQ(Eval("return math.random(5) >= 1 and tostring(math.random(5)):find('%.') == nil"), Reply::Integer(1));
}

// ---- S19-S20: functions and flags --------------------------------------------------------------

TEST_F(Scripting, S19_FunctionLoadAndCall) {
  std::string lib =
      "#!lua name=mylib\n"
      "redis.register_function('setget', function(keys, args) redis.call('set', keys[1], args[1]) return "
      "redis.call('get', keys[1]) end)\n"
      "redis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, "
      "flags={'no-writes'}, description='reads'}";
  EXPECT_EQ(Call({"FUNCTION", "LOAD", lib}), Reply::Bulk("mylib"));
  EXPECT_EQ(Call({"FCALL", "setget", "1", "k", "v"}), Reply::Bulk("v"));
  EXPECT_EQ(Call({"FCALL", "SETGET", "1", "k", "w"}), Reply::Bulk("w"));  // names are case-insensitive
  EXPECT_EQ(Call({"FCALL_RO", "ro", "1", "k"}), Reply::Bulk("w"));
  EXPECT_EQ(Call({"FCALL_RO", "setget", "1", "k", "v"}),
            Reply::Error("ERR Can not execute a script with write flag using *_ro command."));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", lib}), Reply::Error("ERR Library 'mylib' already exists"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "REPLACE", lib}), Reply::Bulk("mylib"));
  EXPECT_EQ(Call({"FCALL", "nosuch", "0"}), Reply::Error("ERR Function not found"));
  EXPECT_EQ(Call({"FCALL", "setget", "x"}), Reply::Error("ERR Bad number of keys provided"));

  Reply list = Call({"FUNCTION", "LIST", "WITHCODE"});
  ASSERT_EQ(list.elems().size(), 1u);
  const Reply& entry = list.elems()[0];
  EXPECT_EQ(entry.elems()[1], Reply::Bulk("mylib"));
  EXPECT_EQ(entry.elems()[3], Reply::Bulk("LUA"));
  EXPECT_EQ(entry.elems()[5].elems().size(), 2u);
  EXPECT_EQ(entry.elems()[7], Reply::Bulk(lib));
  EXPECT_EQ(Call({"FUNCTION", "LIST", "LIBRARYNAME", "other*"}), Reply::Array());

  EXPECT_EQ(Call({"FUNCTION", "DELETE", "mylib"}), Reply::Ok());
  EXPECT_EQ(Call({"FUNCTION", "DELETE", "mylib"}), Reply::Error("ERR Library not found"));
  EXPECT_EQ(Call({"FCALL", "setget", "1", "k", "v"}), Reply::Error("ERR Function not found"));
}

TEST_F(Scripting, S19_FunctionLoadErrors) {
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "redis.register_function('f', function() end)"}),
            Reply::Error("ERR Missing library metadata"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=lib2\nlocal x = 1\nredis.call('ping')"}),
            Reply::Error("ERR Error registering functions: ERR user_function:3: Script attempted to access "
                         "nonexistent global variable 'call'"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=lib2\nreturn math.random()"}).str().find("'math'") !=
                std::string::npos,
            true);
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=lib2\nlocal x = 1"}), Reply::Error("ERR No functions registered"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!js name=lib2\nx"}), Reply::Error("ERR Engine 'js' not found"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua\nx"}), Reply::Error("ERR Library name was not given"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=lib2\nfoo bar"}).str().rfind("ERR Error compiling function: user_function:2:", 0),
            0u);
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=lib2\nwhile true do end"}),
            Reply::Error("ERR Error registering functions: ERR FUNCTION LOAD timeout"));
  ASSERT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=a\nredis.register_function('f', function() return 1 end)"}),
            Reply::Bulk("a"));
  EXPECT_EQ(Call({"FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('f', function() return 2 end)"}),
            Reply::Error("ERR Function f already exists"));
  EXPECT_EQ(Call({"FCALL", "f", "0"}), Reply::Integer(1));
  EXPECT_EQ(Call({"FUNCTION", "FLUSH"}), Reply::Ok());
  EXPECT_EQ(Call({"FCALL", "f", "0"}), Reply::Error("ERR Function not found"));
}

TEST_F(Scripting, S19_FunctionRuntimeEnvironment) {
  ASSERT_EQ(Call({"FUNCTION", "LOAD",
                  "#!lua name=env\nlocal function helper(x) return x * 2 end\n"
                  "redis.register_function('dbl', function(keys, args) return helper(tonumber(args[1])) end)\n"
                  "redis.register_function('keys', function(keys, args) return KEYS end)\n"
                  "redis.register_function('fail', function(keys, args)\nerror('bad') end)"}),
            Reply::Bulk("env"));
  EXPECT_EQ(Call({"FCALL", "dbl", "0", "21"}), Reply::Integer(42));
  EXPECT_EQ(Err(Call({"FCALL", "keys", "0"})),
            "ERR user_function:4: Script attempted to access nonexistent global variable 'KEYS' script: keys, on "
            "@user_function:4.");
  EXPECT_EQ(Err(Call({"FCALL", "fail", "0"})), "ERR user_function:6: bad script: fail, on @user_function:6.");
}

TEST_F(Scripting, S20_ScriptFlags) {
  std::string ro_body = "#!lua flags=no-writes\nreturn redis.call('set','k','v')";
  EXPECT_EQ(Err(Eval(ro_body)), "ERR Write commands are not allowed from read-only scripts." + Suffix(ro_body, 2));
  EXPECT_EQ(Eval("#!lua flags=no-writes\nreturn redis.call('get','k')"), Reply::Nil());
  EXPECT_EQ(Err(Eval("#!lua flags=bogus\nreturn 1")), "ERR Unexpected flag in script shebang: bogus");
  EXPECT_EQ(Err(Eval("#!js\nreturn 1")), "ERR Unexpected engine in script shebang: #!js");
  // EVAL_RO: legacy scripts are refused write by write; shebang scripts must declare no-writes.
  std::string legacy = "return redis.call('set','k','v')";
  EXPECT_EQ(Err(Call({"EVAL_RO", legacy, "0"})),
            "ERR Write commands are not allowed from read-only scripts." + Suffix(legacy, 1));
  EXPECT_EQ(Call({"EVAL_RO", "#!lua\nreturn 1", "0"}),
            Reply::Error("ERR Can not execute a script with write flag using *_ro command."));
  EXPECT_EQ(Call({"EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"}), Reply::Integer(1));
  EXPECT_EQ(host_.data.count("k"), 0u);
}

TEST_F(Scripting, S21_KeysAndArgv) {
  EXPECT_EQ(Call({"EVAL", "return {KEYS[1], KEYS[2], ARGV[1], #ARGV}", "2", "k1", "k2", "a1", "a2"}),
            Reply::Array({Reply::Bulk("k1"), Reply::Bulk("k2"), Reply::Bulk("a1"), Reply::Integer(2)}));
  // Fresh per call.
  EXPECT_EQ(Call({"EVAL", "return #KEYS", "0"}), Reply::Integer(0));
  // Undeclared keys work on a standalone node.
  EXPECT_EQ(Eval("redis.call('set','undeclared','1') return redis.call('get','undeclared')"), Reply::Bulk("1"));
}

// ---- bad input: the state stays usable ------------------------------------------------------------

TEST_F(Scripting, BadInput_DeepRecursion) {
  std::string body = "local function f(n) return 1 + f(n + 1) end return f(1)";
  Reply r = Eval(body);
  EXPECT_TRUE(r.is_error());
  EXPECT_NE(Err(r).find("stack overflow"), std::string::npos) << Err(r);
  EXPECT_EQ(Eval("return 1"), Reply::Integer(1));
}

TEST_F(Scripting, BadInput_HugeAndCyclicReturnValues) {
  Reply big = Eval("local t = {} for i = 1, 200000 do t[i] = i end return t");
  ASSERT_EQ(big.type(), Reply::Type::kArray);
  EXPECT_EQ(big.elems().size(), 200000u);
  EXPECT_EQ(Eval("local t = {} t[1] = t return t"), Reply::Error("ERR reached lua stack limit"));
  EXPECT_EQ(Eval("return 'ok'"), Reply::Bulk("ok"));
}

TEST_F(Scripting, BadInput_ErrorObjectsOfAnyType) {
  EXPECT_EQ(Err(Eval("error()")), "ERR nil script: " + Sha1Hex("error()") + ", on @user_script:1.");
  EXPECT_TRUE(Eval("error(setmetatable({}, {__tostring = function() return 'x' end}))").is_error());
  EXPECT_EQ(Err(Eval("error({err = 12})")), "12 script: " + Sha1Hex("error({err = 12})") + ", on @user_script:1.");
  EXPECT_EQ(Err(Eval("error(12)")), "ERR user_script:1: 12 script: " + Sha1Hex("error(12)") + ", on @user_script:1.");
  // Redis 7.0.15 crashes on error({}) (NULL message); we answer.
  EXPECT_EQ(Err(Eval("error({})")), "ERR unknown error script: " + Sha1Hex("error({})") + ", on @user_script:1.");
  EXPECT_EQ(Eval("return 1"), Reply::Integer(1));
}

TEST_F(Scripting, Compat_Lua51Shims) {
  EXPECT_EQ(Eval("return _VERSION"), Reply::Bulk("Lua 5.4"));
  EXPECT_EQ(Eval("return select('#', unpack({1, 2, 3}))"), Reply::Integer(3));
  EXPECT_EQ(Eval("return redis.sha1hex('')"), Reply::Bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  EXPECT_EQ(Eval("redis.log(redis.LOG_WARNING, 'hello', 'world') return 1"), Reply::Integer(1));
  ASSERT_EQ(host_.logs.size(), 1u);
  EXPECT_EQ(host_.logs[0], "hello world");
}

}  // namespace
}  // namespace txlab
