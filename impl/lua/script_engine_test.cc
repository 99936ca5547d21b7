// Scripts through the engine's Session::Call: the SEMANTICS §2 statements
// that need a real keyspace, other clients, or the engine's BUSY handling
// (S1-S4 with two threads, S15, S16, S18, T16), plus a smoke test of every
// scripting command end to end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "impl/engine/engine.h"
#include "impl/lua/sha1.h"

namespace txlab {
namespace {

using namespace std::chrono_literals;

constexpr char kBusy[] = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
constexpr char kBusyFn[] = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

// Spins inside the script for `ms` of real time (TIME is not frozen, S18).
std::string SpinMs(int ms) {
  return "local t0 = redis.call('time')\n"
         "while true do\n"
         "  local t = redis.call('time')\n"
         "  if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) >= " +
         std::to_string(ms * 1000) +
         " then break end\n"
         "end\n";
}

class ScriptingEngine : public ::testing::Test {
 protected:
  explicit ScriptingEngine(int64_t threshold_ms = 5000) {
    EngineOptions o;
    o.active_expire = false;
    o.busy_reply_threshold_ms = threshold_ms;
    o.lua_random_seed = 1;
    engine_ = std::make_unique<Engine>(o);
    a_ = engine_->Connect();
    b_ = engine_->Connect();
    c_ = engine_->Connect();
  }
  ~ScriptingEngine() override {
    a_.reset();
    b_.reset();
    c_.reset();
  }

  // Polls (as another client) until commands get BUSY.
  void WaitUntilBusy() {
    for (;;) {
      Reply r = b_->Call({"PING"});
      if (r.is_error() && r.str().rfind("BUSY", 0) == 0) return;
      std::this_thread::sleep_for(1ms);
    }
  }

  // The same, from client c (for when b is inside MULTI). Note: a Session
  // must not be destroyed while a script holds the engine lock (~Session
  // takes the lock), so c lives as long as the fixture.
  void WaitUntilBusyFromC() {
    for (;;) {
      Reply r = c_->Call({"PING"});
      if (r.is_error() && r.str().rfind("BUSY", 0) == 0) return;
      std::this_thread::sleep_for(1ms);
    }
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Session> a_, b_;
  std::unique_ptr<Session> c_;
};

class ScriptingBusy : public ScriptingEngine {
 protected:
  ScriptingBusy() : ScriptingEngine(30) {}
};

// ---- S1: atomicity ---------------------------------------------------------------------------

TEST_F(ScriptingEngine, S1_ScriptIsAtomic) {
  std::string body = "redis.call('set','x','1')\n" + SpinMs(150) + "redis.call('set','x','2')";
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", body, "0"}); });
  std::this_thread::sleep_for(30ms);  // the script is running and has set x=1
  auto start = std::chrono::steady_clock::now();
  Reply seen = b_->Call({"GET", "x"});
  EXPECT_EQ(seen, Reply::Bulk("2"));  // never the intermediate value
  EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms);  // it waited for the script
  EXPECT_EQ(run.get(), Reply::Nil());
}

TEST_F(ScriptingEngine, S1_ConcurrentTransfersPreserveTotal) {
  // Two writers move money between four accounts with a transfer script; a
  // reader sums all four in one script. Atomicity: every sum is the total.
  const std::string transfer =
      "local from = tonumber(redis.call('get', KEYS[1]))\n"
      "local n = tonumber(ARGV[1])\n"
      "if from < n then return 0 end\n"
      "redis.call('set', KEYS[1], from - n)\n"
      "redis.call('incrby', KEYS[2], n)\n"
      "return 1";
  const std::string sum =
      "local s = 0 for i = 1, #KEYS do s = s + tonumber(redis.call('get', KEYS[i])) end return s";
  for (const char* k : {"a0", "a1", "a2", "a3"}) ASSERT_EQ(a_->Call({"SET", k, "100"}), Reply::Ok());
  std::string sha = a_->Call({"SCRIPT", "LOAD", transfer}).str();
  std::atomic<bool> done{false};
  std::atomic<int> bad_sums{0};
  auto writer = [&](int seed) {
    auto s = engine_->Connect();
    for (int i = 0; i < 3000; ++i) {
      int from = (i * 7 + seed) % 4, to = (i * 3 + seed + 1) % 4;
      if (from == to) to = (to + 1) % 4;
      s->Call({"EVALSHA", sha, "2", "a" + std::to_string(from), "a" + std::to_string(to), std::to_string(i % 13)});
    }
  };
  std::thread reader([&] {
    auto s = engine_->Connect();
    while (!done) {
      if (s->Call({"EVAL", sum, "4", "a0", "a1", "a2", "a3"}) != Reply::Integer(400)) ++bad_sums;
    }
  });
  std::thread w1(writer, 1), w2(writer, 2);
  w1.join();
  w2.join();
  done = true;
  reader.join();
  EXPECT_EQ(bad_sums.load(), 0);
  EXPECT_EQ(a_->Call({"EVAL", sum, "4", "a0", "a1", "a2", "a3"}), Reply::Integer(400));
}

// ---- S2-S5: busy and kill, two clients ---------------------------------------------------------

TEST_F(ScriptingBusy, S2_BusyAfterThresholdAndAllowBusyCommands) {
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", "while true do end", "0"}); });
  WaitUntilBusy();
  EXPECT_EQ(b_->Call({"GET", "x"}), Reply::Error(kBusy));
  EXPECT_EQ(b_->Call({"SET", "x", "1"}), Reply::Error(kBusy));
  EXPECT_EQ(b_->Call({"SCRIPT", "EXISTS", "abc"}), Reply::Error(kBusy));
  EXPECT_EQ(b_->Call({"FUNCTION", "KILL"}), Reply::Error(kBusy));  // names SCRIPT KILL
  EXPECT_EQ(b_->Call({"SCRIPT", "KILL"}), Reply::Ok());
  Reply r = run.get();
  EXPECT_EQ(r.str(), "ERR Script killed by user with SCRIPT KILL... script: " + Sha1Hex("while true do end") +
                         ", on @user_script:1.");
  EXPECT_EQ(b_->Call({"SET", "x", "1"}), Reply::Ok());  // not busy any more
  EXPECT_EQ(b_->Call({"SCRIPT", "KILL"}), Reply::Error("NOTBUSY No scripts in execution right now."));
}

TEST_F(ScriptingBusy, S3_MultiDuringBusyIsAborted) {
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", "while true do end", "0"}); });
  WaitUntilBusy();
  EXPECT_EQ(b_->Call({"MULTI"}), Reply::Ok());
  EXPECT_EQ(b_->Call({"SET", "x", "1"}), Reply::Error(kBusy));
  // (SCRIPT KILL from b would be queued: b is inside MULTI.)
  EXPECT_EQ(c_->Call({"SCRIPT", "KILL"}), Reply::Ok());
  EXPECT_TRUE(run.get().is_error());
  EXPECT_EQ(b_->Call({"EXEC"}), Reply::Error("EXECABORT Transaction discarded because of previous errors."));
  EXPECT_EQ(b_->Call({"EXISTS", "x"}), Reply::Integer(0));
}

TEST_F(ScriptingBusy, S3_ExecDuringBusyIsAborted) {
  EXPECT_EQ(b_->Call({"MULTI"}), Reply::Ok());
  EXPECT_EQ(b_->Call({"SET", "x", "1"}), Reply::Queued());
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", "while true do end", "0"}); });
  WaitUntilBusyFromC();
  EXPECT_EQ(b_->Call({"EXEC"}), Reply::Error(std::string("EXECABORT Transaction discarded because of: ") + kBusy));
  EXPECT_FALSE(b_->in_multi());
  EXPECT_EQ(c_->Call({"SCRIPT", "KILL"}), Reply::Ok());
  EXPECT_TRUE(run.get().is_error());
  EXPECT_EQ(b_->Call({"EXISTS", "x"}), Reply::Integer(0));
}

TEST_F(ScriptingBusy, S4_KillThroughPcallAndNoWrites) {
  std::string body = "while true do pcall(function() while true do end end) end";
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", body, "0"}); });
  WaitUntilBusy();
  EXPECT_EQ(b_->Call({"SCRIPT", "KILL"}), Reply::Ok());
  EXPECT_EQ(run.get().str().rfind("ERR Script killed by user with SCRIPT KILL...", 0), 0u);
}

TEST_F(ScriptingBusy, S4_UnkillableAfterWrite) {
  std::string body = "redis.call('set','w','1')\n" + SpinMs(300) + "return 'finished'";
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", body, "0"}); });
  WaitUntilBusy();
  Reply kill = b_->Call({"SCRIPT", "KILL"});
  EXPECT_EQ(kill.error_code(), "UNKILLABLE");
  EXPECT_EQ(run.get(), Reply::Bulk("finished"));
  EXPECT_EQ(b_->Call({"GET", "w"}), Reply::Bulk("1"));
}

TEST_F(ScriptingBusy, S4_FunctionKill) {
  ASSERT_EQ(a_->Call({"FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('spin', function() while true do end end)"}),
            Reply::Bulk("spin"));
  auto run = std::async(std::launch::async, [&] { return a_->Call({"FCALL", "spin", "0"}); });
  WaitUntilBusy();
  EXPECT_EQ(b_->Call({"GET", "x"}), Reply::Error(kBusyFn));
  EXPECT_EQ(b_->Call({"SCRIPT", "KILL"}), Reply::Error(kBusyFn));
  EXPECT_EQ(b_->Call({"FUNCTION", "KILL"}), Reply::Ok());
  EXPECT_EQ(run.get().str(), "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.");
}

TEST_F(ScriptingBusy, S5_KilledScriptLeavesNoTrace) {
  // Reads, loops, would write at the end: killed before the write.
  std::string body = "local v = redis.call('get','x')\nwhile true do end\nredis.call('set','x','changed')";
  ASSERT_EQ(a_->Call({"SET", "x", "orig"}), Reply::Ok());
  auto run = std::async(std::launch::async, [&] { return a_->Call({"EVAL", body, "0"}); });
  WaitUntilBusy();
  EXPECT_EQ(b_->Call({"SCRIPT", "KILL"}), Reply::Ok());
  EXPECT_TRUE(run.get().is_error());
  EXPECT_EQ(b_->Call({"GET", "x"}), Reply::Bulk("orig"));
}

// ---- S6-S8, S13, S19-S21 end to end ---------------------------------------------------------------

TEST_F(ScriptingEngine, S6_ErrorsCarryScriptLocation) {
  ASSERT_EQ(a_->Call({"LPUSH", "l", "a"}), Reply::Integer(1));
  std::string body = "return redis.call('get', KEYS[1])";
  EXPECT_EQ(a_->Call({"EVAL", body, "1", "l"}),
            Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value script: " + Sha1Hex(body) +
                         ", on @user_script:1."));
}

TEST_F(ScriptingEngine, S7_NoRollbackOnError) {
  Reply r = a_->Call({"EVAL", "redis.call('set','x','1') redis.call('lpush','x','a') redis.call('set','y','2')", "0"});
  EXPECT_EQ(r.error_code(), "WRONGTYPE");
  EXPECT_EQ(a_->Call({"GET", "x"}), Reply::Bulk("1"));
  EXPECT_EQ(a_->Call({"EXISTS", "y"}), Reply::Integer(0));
}

TEST_F(ScriptingEngine, S8_PcallContinues) {
  EXPECT_EQ(a_->Call({"EVAL",
                      "redis.call('set','x','1') local e = redis.pcall('lpush','x','a') redis.call('set','y','2') "
                      "return e",
                      "0"}),
            Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_EQ(a_->Call({"GET", "y"}), Reply::Bulk("2"));
}

TEST_F(ScriptingEngine, S13_ScriptCacheThroughEngine) {
  std::string body = "return redis.call('incr', KEYS[1])";
  std::string sha = Sha1Hex(body);
  EXPECT_EQ(a_->Call({"SCRIPT", "LOAD", body}), Reply::Bulk(sha));
  EXPECT_EQ(b_->Call({"EVALSHA", sha, "1", "n"}), Reply::Integer(1));  // shared by all sessions
  EXPECT_EQ(b_->Call({"SCRIPT", "EXISTS", sha}), Reply::Array({Reply::Integer(1)}));
  EXPECT_EQ(b_->Call({"SCRIPT", "FLUSH"}), Reply::Ok());
  EXPECT_EQ(b_->Call({"EVALSHA", sha, "1", "n"}), Reply::Error("NOSCRIPT No matching script. Please use EVAL."));
}

TEST_F(ScriptingEngine, S15_SelectInsideScriptIsLocal) {
  EXPECT_EQ(a_->Call({"EVAL", "redis.call('select', 1) redis.call('set', 'k', 'v') return 1", "0"}),
            Reply::Integer(1));
  EXPECT_EQ(a_->Call({"EXISTS", "k"}), Reply::Integer(0));  // caller still in db 0
  EXPECT_EQ(a_->Call({"SELECT", "1"}), Reply::Ok());
  EXPECT_EQ(a_->Call({"GET", "k"}), Reply::Bulk("v"));
}

TEST_F(ScriptingEngine, S16_TransactionCommandsRefusedFromScripts) {
  for (const char* cmd : {"multi", "exec", "discard", "unwatch"}) {
    std::string body = std::string("return redis.call('") + cmd + "')";
    EXPECT_EQ(a_->Call({"EVAL", body, "0"}),
              Reply::Error("ERR This Redis command is not allowed from script script: " + Sha1Hex(body) +
                           ", on @user_script:1."))
        << cmd;
  }
  std::string watch = "return redis.call('watch', 'k')";
  EXPECT_EQ(a_->Call({"EVAL", watch, "0"}).str().rfind("ERR This Redis command is not allowed from script", 0), 0u);
  std::string eval = "return redis.call('eval', 'return 1', '0')";
  EXPECT_EQ(a_->Call({"EVAL", eval, "0"}).str().rfind("ERR This Redis command is not allowed from script", 0), 0u);
}

TEST_F(ScriptingEngine, S18_ExpiryFrozenDuringScript) {
  std::string body = "redis.call('set','tk','v','px','1')\n" + SpinMs(10) + "return redis.call('exists','tk')";
  EXPECT_EQ(a_->Call({"EVAL", body, "0"}), Reply::Integer(1));
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(a_->Call({"EXISTS", "tk"}), Reply::Integer(0));
}

TEST_F(ScriptingEngine, S19_FunctionsThroughEngine) {
  ASSERT_EQ(a_->Call({"FUNCTION", "LOAD",
                      "#!lua name=bank\nredis.register_function('transfer', function(keys, args)\n"
                      "  local from = tonumber(redis.call('get', keys[1]) or '0')\n"
                      "  local n = tonumber(args[1])\n"
                      "  if from < n then return redis.error_reply('INSUFFICIENT funds') end\n"
                      "  redis.call('set', keys[1], from - n)\n"
                      "  redis.call('set', keys[2], tonumber(redis.call('get', keys[2]) or '0') + n)\n"
                      "  return 1\nend)"}),
            Reply::Bulk("bank"));
  ASSERT_EQ(a_->Call({"SET", "a", "10"}), Reply::Ok());
  EXPECT_EQ(b_->Call({"FCALL", "transfer", "2", "a", "b", "4"}), Reply::Integer(1));
  EXPECT_EQ(b_->Call({"FCALL", "transfer", "2", "a", "b", "7"}), Reply::Error("INSUFFICIENT funds"));
  EXPECT_EQ(a_->Call({"MGET", "a", "b"}), Reply::Array({Reply::Bulk("6"), Reply::Bulk("4")}));
  EXPECT_EQ(a_->Call({"FCALL_RO", "transfer", "2", "a", "b", "1"}),
            Reply::Error("ERR Can not execute a script with write flag using *_ro command."));
}

TEST_F(ScriptingEngine, S20_ReadOnlyVariants) {
  EXPECT_EQ(a_->Call({"EVAL_RO", "return redis.call('get','x')", "0"}), Reply::Nil());
  EXPECT_EQ(a_->Call({"EVAL_RO", "return redis.call('set','x','1')", "0"}).str().rfind(
                "ERR Write commands are not allowed from read-only scripts.", 0),
            0u);
  EXPECT_EQ(a_->Call({"EXISTS", "x"}), Reply::Integer(0));
}

TEST_F(ScriptingEngine, S21_KeysAndArgv) {
  EXPECT_EQ(a_->Call({"EVAL", "redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])", "1", "k", "v"}),
            Reply::Bulk("v"));
}

// ---- T16: scripts inside MULTI ------------------------------------------------------------------

TEST_F(ScriptingEngine, T16_ScriptErrorInsideMultiIsThatSlotsError) {
  std::string body = "return redis.call('lpush', KEYS[1], 'a')";
  EXPECT_EQ(a_->Call({"MULTI"}), Reply::Ok());
  EXPECT_EQ(a_->Call({"SET", "x", "1"}), Reply::Queued());
  EXPECT_EQ(a_->Call({"EVAL", body, "1", "x"}), Reply::Queued());
  EXPECT_EQ(a_->Call({"SET", "y", "2"}), Reply::Queued());
  Reply exec = a_->Call({"EXEC"});
  ASSERT_EQ(exec.elems().size(), 3u);
  EXPECT_EQ(exec.elems()[0], Reply::Ok());
  EXPECT_EQ(exec.elems()[1], Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value script: " +
                                          Sha1Hex(body) + ", on @user_script:1."));
  EXPECT_EQ(exec.elems()[2], Reply::Ok());
  EXPECT_EQ(a_->Call({"GET", "y"}), Reply::Bulk("2"));
}

// ---- bad input: the engine stays usable ------------------------------------------------------------

TEST_F(ScriptingEngine, BadInput_EngineStaysUsable) {
  for (std::vector<std::string> argv : std::vector<std::vector<std::string>>{
           {"EVAL", "return (", "0"},
           {"EVAL", "error('x')", "0"},
           {"EVAL", "return 1", "5"},
           {"EVAL", "return redis.call({})", "0"},
           {"EVAL", "local function f() return 1 + f() end return f()", "0"},
           {"EVAL", "local t = {} t[1] = t return t", "0"},
           {"EVALSHA", "nope", "0"},
           {"FCALL", "nope", "0"},
           {"FUNCTION", "LOAD", "garbage"},
           {"SCRIPT", "LOAD"},
       }) {
    EXPECT_TRUE(a_->Call(argv).is_error()) << argv[0] << " " << argv[1];
  }
  EXPECT_EQ(a_->Call({"EVAL", "return redis.call('ping')", "0"}), Reply::Status("PONG"));
}

}  // namespace
}  // namespace txlab
