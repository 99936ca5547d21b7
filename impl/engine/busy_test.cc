// BUSY while a timed-out script holds the engine lock (SEMANTICS.md S2-S3,
// T6, T8). The "script" here is a test thread that takes the engine mutex and
// sets script_timed_out, exactly as the scripting layer does.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "impl/engine/command.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

const char* kBusy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

class Busy : public EngineTest {
 protected:
  // Simulates a timed-out script: holds the lock until Release().
  void StartScript() {
    ready_ = false;
    release_ = false;
    script_ = std::thread([this] {
      EngineState& e = engine_->state();
      MutexLock l(&e.mu);
      e.script_timed_out.store(true, std::memory_order_release);
      ready_ = true;
      while (!release_) {
        if (has_write_.load()) {
          // redis.call from inside the "script", under the held lock.
          auto sess = std::make_unique<SessionState>(&e, -1);
          ExecContext ctx(e, sess.get(), 0);
          ctx.in_script = true;
          std::vector<std::string_view> argv(pending_write_.begin(), pending_write_.end());
          ExecuteFromScript(ctx, argv);
          pending_write_.clear();
          has_write_ = false;
          wrote_ = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      e.script_timed_out.store(false, std::memory_order_release);
    });
    while (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void ScriptWrites(std::vector<std::string> argv) {
    wrote_ = false;
    pending_write_ = std::move(argv);
    has_write_ = true;
    while (!wrote_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void Release() {
    release_ = true;
    script_.join();
  }

  std::thread script_;
  std::atomic<bool> ready_{false}, release_{false}, wrote_{false}, has_write_{false};
  std::vector<std::string> pending_write_;  // handed over via has_write_/wrote_
};

TEST_F(Busy, S2_OrdinaryCommandsGetBusy) {
  StartScript();
  EXPECT_EQ(c_->Call({"GET", "k"}), Err(kBusy));
  EXPECT_EQ(c_->Call({"SET", "k", "v"}), Err(kBusy));
  EXPECT_EQ(c_->Call({"PING"}), Err(kBusy));
  Release();
  EXPECT_EQ(c_->Call({"GET", "k"}), Nil());  // nothing happened
}

TEST_F(Busy, S2_FunctionVariantOfTheText) {
  engine_->state().busy_is_function = true;
  StartScript();
  EXPECT_EQ(c_->Call({"GET", "k"}),
            Err("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."));
  Release();
  engine_->state().busy_is_function = false;
}

TEST_F(Busy, S3_T6_QueuedCommandDuringBusyPoisonsTransaction) {
  StartScript();
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());  // allow-busy
  EXPECT_EQ(c_->Call({"SET", "k", "v"}), Err(kBusy));
  Release();
  EXPECT_EQ(c_->Call({"SET", "k2", "v"}), Queued());
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
  EXPECT_EQ(c_->Call({"EXISTS", "k", "k2"}), Int(0));
}

TEST_F(Busy, T8_ExecDuringBusyAbortsWithReason) {
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"SET", "k", "v"}), Queued());
  StartScript();
  EXPECT_EQ(c_->Call({"EXEC"}), Err(std::string("EXECABORT Transaction discarded because of: ") + kBusy));
  EXPECT_FALSE(c_->in_multi());
  Release();
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(c_->Call({"EXEC"}), Err("ERR EXEC without MULTI"));
}

TEST_F(Busy, S2_DiscardUnwatchResetAnswerDuringBusy) {
  c_->Call({"WATCH", "k"});
  StartScript();
  EXPECT_EQ(c_->Call({"UNWATCH"}), Ok());
  ScriptWrites({"SET", "k", "by-script"});  // after the UNWATCH: must not matter
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());
  EXPECT_EQ(c_->Call({"MULTI"}), Err("ERR MULTI calls can not be nested"));
  EXPECT_EQ(c_->Call({"WATCH", "x"}), Err("ERR WATCH inside MULTI is not allowed"));
  EXPECT_EQ(c_->Call({"DISCARD"}), Ok());
  EXPECT_EQ(c_->Call({"DISCARD"}), Err("ERR DISCARD without MULTI"));
  EXPECT_EQ(c_->Call({"RESET"}), Status("RESET"));
  Release();
  c_->Call({"MULTI"});
  c_->Call({"GET", "k"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Bulk("by-script")}));
}

TEST_F(Busy, T20_ScriptWriteTouchesWatchers) {
  c_->Call({"WATCH", "k"});
  StartScript();
  ScriptWrites({"SET", "k", "1"});
  Release();
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
}

TEST_F(Busy, WatchOutsideMultiWaitsForTheScript) {
  StartScript();
  std::atomic<bool> done{false};
  std::thread t([&] {
    EXPECT_EQ(c_->Call({"WATCH", "k"}), Ok());
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(done);
  Release();
  t.join();
  EXPECT_TRUE(done);
}

// A client that disconnects during BUSY: its Session's destruction must not
// wait for the script (a server thread would be stuck behind it). Its MULTI
// is gone at once (T10); its watches are removed by the next lock holder.
TEST_F(Busy, T10_DisconnectDuringBusyDoesNotWaitForTheScript) {
  auto leaving = engine_->Connect();
  leaving->Call({"WATCH", "w"});
  leaving->Call({"MULTI"});
  leaving->Call({"SET", "from-leaving", "1"});
  StartScript();
  std::promise<void> destroyed;
  auto done = destroyed.get_future();
  std::thread t([&] {
    leaving.reset();
    destroyed.set_value();
  });
  // Bounded, not timed: 30 s only turns a hang into a failure.
  bool returned = done.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  EXPECT_TRUE(returned) << "~Session waited for the running script";
  ScriptWrites({"SET", "w", "touched"});  // touches the parked session's watch
  EXPECT_EQ(c_->Call({"GET", "w"}), Err(kBusy));  // others still get BUSY
  Release();
  t.join();
  EXPECT_EQ(c_->Call({"EXISTS", "from-leaving"}), Int(0));  // T10: never applied
  EngineState& e = engine_->state();
  MutexLock l(&e.mu);
  EXPECT_EQ(e.dbs[0].watchers.count("w"), 0u) << "the parked session's watch was not reaped";
}

TEST_F(Busy, NotTimedOutMeansWaitNotBusy) {
  // A script that holds the lock but has not passed the threshold: callers wait.
  EngineState& e = engine_->state();
  std::atomic<bool> got{false};
  e.mu.Lock();
  std::thread t([&] {
    EXPECT_EQ(c_->Call({"SET", "k", "v"}), Ok());
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(got);
  e.mu.Unlock();
  t.join();
  EXPECT_TRUE(got);
}

}  // namespace
}  // namespace txlab::testing
