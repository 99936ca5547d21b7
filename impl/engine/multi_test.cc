// MULTI / EXEC / DISCARD queueing and execution: SEMANTICS.md T1-T17.
#include <gtest/gtest.h>

#include "impl/engine/command.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/engine_test_util.h"
#include "impl/engine/watch.h"

namespace txlab::testing {
namespace {

using Multi = EngineTest;

TEST_F(Multi, T1_MultiQueuesCommands) {
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());
  EXPECT_TRUE(c_->in_multi());
  EXPECT_EQ(c_->Call({"SET", "k", "v"}), Queued());
  EXPECT_EQ(c_->Call({"GET", "k"}), Queued());
  EXPECT_EQ(c2_->Call({"GET", "k"}), Nil());  // nothing ran yet
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Bulk("v")}));
  EXPECT_FALSE(c_->in_multi());
}

TEST_F(Multi, T1_UnwatchIsQueuedWatchIsNot) {
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());
  EXPECT_EQ(c_->Call({"UNWATCH"}), Queued());
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
}

TEST_F(Multi, T1_ExemptCommandsRunImmediately) {
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"WATCH", "k"}), Err("ERR WATCH inside MULTI is not allowed"));
  EXPECT_EQ(c_->Call({"MULTI"}), Err("ERR MULTI calls can not be nested"));
  EXPECT_EQ(c_->Call({"DISCARD"}), Ok());
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"RESET"}), Status("RESET"));
}

TEST_F(Multi, T2_NestedMultiDoesNotPoison) {
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  EXPECT_EQ(c_->Call({"MULTI"}), Err("ERR MULTI calls can not be nested"));
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
  EXPECT_EQ(c_->Call({"GET", "a"}), Bulk("1"));
}

TEST_F(Multi, T3_WatchInsideMultiDoesNotPoison) {
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  EXPECT_EQ(c_->Call({"WATCH", "a"}), Err("ERR WATCH inside MULTI is not allowed"));
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
}

TEST_F(Multi, T4_ExecAndDiscardWithoutMulti) {
  EXPECT_EQ(c_->Call({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(c_->Call({"DISCARD"}), Err("ERR DISCARD without MULTI"));
}

// T6/T8: a rejected EXEC is execCommandAbort (rejectCommand on execCommand):
// EXECABORT naming the reason, and the transaction and watches are gone.
TEST_F(Multi, T8_ExecWithWrongArityDiscardsTransaction) {
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  EXPECT_EQ(c_->Call({"EXEC", "x"}),
            Err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
  EXPECT_FALSE(c_->in_multi());
  EXPECT_EQ(c_->Call({"GET", "a"}), Nil());
  EXPECT_EQ(c_->Call({"EXEC"}), Err("ERR EXEC without MULTI"));
}

TEST_F(Multi, T8_ExecWithWrongArityOutsideMultiDropsWatches) {
  c_->Call({"WATCH", "a"});
  c_->Call({"SET", "a", "1"});  // dirty
  EXPECT_EQ(c_->Call({"EXEC", "x"}),
            Err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command"));
  c_->Call({"MULTI"});
  c_->Call({"SET", "b", "2"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));  // the dirty watch was dropped
}

TEST_F(Multi, T5_EmptyTransaction) {
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));
}

TEST_F(Multi, T6_QueueTimeErrorAbortsExec) {
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"SET", "a", "1"}), Queued());
  EXPECT_EQ(c_->Call({"FOO", "bar"}), Err("ERR unknown command 'FOO', with args beginning with: 'bar' "));
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
  EXPECT_EQ(c_->Call({"GET", "a"}), Nil());
  EXPECT_FALSE(c_->in_multi());
}

TEST_F(Multi, T6_WrongArityAbortsExec) {
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  EXPECT_EQ(c_->Call({"GET"}), Err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
  EXPECT_EQ(c_->Call({"EXISTS", "a"}), Int(0));
}

TEST_F(Multi, T7_RuntimeSyntaxErrorIsQueued) {
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"SET", "x", "1", "BADOPT"}), Queued());
  EXPECT_EQ(c_->Call({"SET", "y", "2"}), Queued());
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Err(kSyntax), Ok()}));
  EXPECT_EQ(c_->Call({"GET", "y"}), Bulk("2"));
}

// The queue keeps its buffers between transactions (and drops them after a
// huge one): each EXEC runs exactly its own commands with their own arguments.
TEST_F(Multi, T9_EachExecRunsOnlyItsOwnQueue) {
  const std::string big(200 * 1024, 'x');
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", big});
  c_->Call({"APPEND", "a", "y"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Int(static_cast<int64_t>(big.size()) + 1)}));
  for (int i = 0; i < 3; ++i) {
    const std::string v = "v" + std::to_string(i);
    c_->Call({"MULTI"});
    c_->Call({"SET", "a", v});
    c_->Call({"GET", "a"});
    EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Bulk(v)})) << "transaction " << i;
  }
  c_->Call({"MULTI"});
  c_->Call({"SET", "b", big});
  EXPECT_EQ(c_->Call({"DISCARD"}), Ok());
  c_->Call({"MULTI"});
  c_->Call({"GET", "b"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Nil()}));
}

TEST_F(Multi, T9_StateClearedAfterExecAndDiscard) {
  c_->Call({"WATCH", "w"});
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  c_->Call({"EXEC"});
  EXPECT_FALSE(c_->in_multi());
  // Watch was dropped by EXEC: touching w now does not matter.
  c2_->Call({"SET", "w", "x"});
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "2"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
  // After an EXECABORT the session is clean again.
  c_->Call({"MULTI"});
  c_->Call({"NOPE"});
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "3"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
  // DISCARD too.
  c_->Call({"WATCH", "w"});
  c_->Call({"MULTI"});
  c_->Call({"NOPE"});
  EXPECT_EQ(c_->Call({"DISCARD"}), Ok());
  c2_->Call({"SET", "w", "y"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));
}

TEST_F(Multi, T10_DisconnectDiscards) {
  auto c3 = engine_->Connect();
  c3->Call({"WATCH", "disc"});
  c3->Call({"MULTI"});
  c3->Call({"SET", "disc", "1"});
  c3.reset();
  EXPECT_EQ(c_->Call({"EXISTS", "disc"}), Int(0));
  c_->Call({"SET", "disc", "2"});  // touching a key of a gone watcher is fine
  EXPECT_EQ(c_->Call({"GET", "disc"}), Bulk("2"));
}

TEST_F(Multi, T10_ResetInsideMultiDiscards) {
  c_->Call({"SELECT", "3"});
  c_->Call({"MULTI"});
  c_->Call({"SET", "r", "1"});
  EXPECT_EQ(c_->Call({"RESET"}), Status("RESET"));
  EXPECT_EQ(c_->Call({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(c_->Call({"EXISTS", "r"}), Int(0));
  c2_->Call({"SELECT", "3"});
  EXPECT_EQ(c2_->Call({"EXISTS", "r"}), Int(0));
}

TEST_F(Multi, T11_RepliesInOrder) {
  c_->Call({"MULTI"});
  c_->Call({"INCR", "n"});
  c_->Call({"INCR", "n"});
  c_->Call({"GET", "n"});
  c_->Call({"PING"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Int(1), Int(2), Bulk("2"), Status("PONG")}));
}

TEST_F(Multi, T12_RuntimeErrorsDoNotRollBack) {
  c_->Call({"MULTI"});
  c_->Call({"SET", "x", "1"});
  c_->Call({"LPUSH", "x", "a"});
  c_->Call({"INCR", "x"});
  c_->Call({"SET", "y", "v"});
  c_->Call({"INCR", "y"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Err(kWrongType), Int(2), Ok(), Err(kNotInt)}));
  EXPECT_EQ(c_->Call({"GET", "x"}), Bulk("2"));
  EXPECT_EQ(c_->Call({"GET", "y"}), Bulk("v"));
}

TEST_F(Multi, T13_BlockingCommandsDoNotBlockInMulti) {
  c_->Call({"MULTI"});
  c_->Call({"BLPOP", "empty", "0"});
  c_->Call({"BRPOP", "empty", "0"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({NilArray(), NilArray()}));
}

TEST_F(Multi, T13_BlockingCommandServesDataInMulti) {
  c_->Call({"RPUSH", "l", "a"});
  c_->Call({"MULTI"});
  c_->Call({"BLPOP", "l", "0"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Bulks({"l", "a"})}));
}

// A clock that moves 10 ms forward on every reading (like DEBUG SLEEP 0.01
// between commands).
class SteppingClock final : public Clock {
 public:
  int64_t NowUs() const override { return now_us_.fetch_add(10'000) + 10'000; }
  int64_t MonotonicNs() const override { return NowUs() * 1000; }

 private:
  mutable std::atomic<int64_t> now_us_{1'700'000'000'000'000};
};

TEST(MultiTime, T14_ExpiryTimeFrozenDuringExec) {
  SteppingClock clock;
  EngineOptions o;
  o.clock = &clock;
  o.active_expire = false;
  Engine engine(o);
  auto c = engine.Connect();
  c->Call({"MULTI"});
  c->Call({"SET", "tk", "v", "PX", "1"});
  c->Call({"TIME"});
  c->Call({"EXISTS", "tk"});
  c->Call({"TIME"});
  Reply r = c->Call({"EXEC"});
  ASSERT_EQ(r.elems().size(), 4u);
  EXPECT_EQ(r.elems()[0], Ok());
  EXPECT_EQ(r.elems()[2], Int(1));  // still alive: time frozen
  EXPECT_NE(r.elems()[1], r.elems()[3]);  // TIME advances
  // Outside the transaction, the key is gone.
  EXPECT_EQ(c->Call({"EXISTS", "tk"}), Int(0));
}

TEST_F(Multi, T15_PerCommandChecksAtExecFailOnlyTheirSlot) {
  // The engine has no ACLs; what T15 fixes structurally is that a check that
  // fails at EXEC time fails that slot only. Here the check is the type.
  c_->Call({"MULTI"});
  c_->Call({"SET", "a", "1"});
  c_->Call({"HSET", "a", "f", "v"});
  c_->Call({"SET", "b", "2"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Err(kWrongType), Ok()}));
  EXPECT_EQ(c_->Call({"MGET", "a", "b"}), Arr({Bulk("1"), Bulk("2")}));
}

TEST_F(Multi, T16_MultiFamilyNotAllowedFromScript) {
  EngineState& e = engine_->state();
  MutexLock l(&e.mu);
  auto s = std::make_unique<SessionState>(&e, 999);
  ExecContext ctx(e, s.get(), 0);
  ctx.in_script = true;
  ctx.Freeze();
  for (const char* name : {"MULTI", "EXEC", "WATCH", "DISCARD", "UNWATCH"}) {
    std::vector<std::string_view> argv = {name};
    if (std::string_view(name) == "WATCH") argv.push_back("k");
    EXPECT_EQ(ExecuteFromScript(ctx, argv), Err("ERR This Redis command is not allowed from script")) << name;
  }
  std::vector<std::string_view> set = {"SET", "k", "v"};
  EXPECT_EQ(ExecuteFromScript(ctx, set), Ok());
  EXPECT_TRUE(ctx.script_wrote);
  std::vector<std::string_view> unknown = {"NOPE"};
  EXPECT_EQ(ExecuteFromScript(ctx, unknown), Err("ERR Unknown Redis command called from script"));
  std::vector<std::string_view> arity = {"GET"};
  EXPECT_EQ(ExecuteFromScript(ctx, arity), Err("ERR Wrong number of args calling Redis command from script"));
  std::vector<std::string_view> blpop = {"BLPOP", "nothing", "0"};
  EXPECT_EQ(ExecuteFromScript(ctx, blpop), NilArray());  // never blocks in a script
  UnwatchAllKeys(*s);
}

TEST_F(Multi, T17_ReadOnlyTransactionChangesNothing) {
  // Propagation is not modelled (no replicas/AOF); what we can check is that
  // a read-only transaction has no effects.
  c_->Call({"SET", "a", "1"});
  std::string before = Dump();
  c_->Call({"MULTI"});
  c_->Call({"GET", "a"});
  c_->Call({"EXISTS", "b"});
  c_->Call({"EXEC"});
  EXPECT_EQ(Dump(), before);
}

TEST_F(Multi, SelectInsideMultiPersists) {
  c_->Call({"MULTI"});
  c_->Call({"SELECT", "2"});
  c_->Call({"SET", "k", "in2"});
  c_->Call({"EXEC"});
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk("in2"));
  c2_->Call({"SELECT", "2"});
  EXPECT_EQ(c2_->Call({"GET", "k"}), Bulk("in2"));
}

TEST_F(Multi, T6_NoMultiCommandFlagsTransaction) {
  // No built-in command is no-multi yet; the flag exists for SAVE/SHUTDOWN.
  // Check an unknown command in the middle of a long queue.
  c_->Call({"MULTI"});
  for (int i = 0; i < 10; ++i) c_->Call({"INCR", "n"});
  c_->Call({"SHUTDOWNX"});
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
  EXPECT_EQ(c_->Call({"GET", "n"}), Nil());
}

}  // namespace
}  // namespace txlab::testing
