// WATCH / optimistic concurrency: SEMANTICS.md T18-T26.
#include <gtest/gtest.h>

#include <functional>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

class Watch : public EngineTest {
 protected:
  // WATCH k; <touch>; MULTI; SET other 1; EXEC. Returns the EXEC reply.
  Reply WatchTouchExec(const std::string& key, const std::function<void()>& touch) {
    EXPECT_EQ(c_->Call({"WATCH", key}), Ok());
    touch();
    c_->Call({"MULTI"});
    c_->Call({"SET", "watch-test-other", "1"});
    return c_->Call({"EXEC"});
  }
  bool Aborted(const Reply& r) { return r == NilArray(); }
};

TEST_F(Watch, T18_WatchReturnsOkAndAccumulates) {
  EXPECT_EQ(c_->Call({"WATCH", "a"}), Ok());
  EXPECT_EQ(c_->Call({"WATCH", "b", "c"}), Ok());
  c2_->Call({"SET", "c", "1"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
}

TEST_F(Watch, T18_SameNameInOtherDbIsOtherKey) {
  auto r = WatchTouchExec("k", [&] {
    c2_->Call({"SELECT", "1"});
    c2_->Call({"SET", "k", "x"});
  });
  EXPECT_EQ(r, Arr({Ok()}));
}

TEST_F(Watch, T19_TouchedKeyAbortsExecWithNil) {
  c_->Call({"SET", "k", "1"});
  auto r = WatchTouchExec("k", [&] { c2_->Call({"SET", "k", "2"}); });
  EXPECT_EQ(r, NilArray());
  EXPECT_EQ(c_->Call({"EXISTS", "watch-test-other"}), Int(0));  // nothing ran
  EXPECT_FALSE(c_->in_multi());
}

TEST_F(Watch, T20_SameValueSetByOtherClientAborts) {
  c_->Call({"SET", "k", "v"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"SET", "k", "v"}); })));
}

TEST_F(Watch, T20_OwnWriteBeforeMultiAborts) {
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c_->Call({"SET", "k", "v2"}); })));
}

TEST_F(Watch, T20_CreateMissingKeyAborts) {
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"SET", "k", "new"}); })));
}

TEST_F(Watch, T20_CreateThenDeleteAborts) {
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] {
    c2_->Call({"SET", "k", "x"});
    c2_->Call({"DEL", "k"});
  })));
}

TEST_F(Watch, T20_IncrByZeroAborts) {
  c_->Call({"SET", "k", "5"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"INCRBY", "k", "0"}); })));
}

TEST_F(Watch, T20_SaddNewMemberAborts) {
  c_->Call({"SADD", "s", "a"});
  EXPECT_TRUE(Aborted(WatchTouchExec("s", [&] { c2_->Call({"SADD", "s", "b"}); })));
}

TEST_F(Watch, T20_ExpireAborts) {
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"EXPIRE", "k", "100"}); })));
}

TEST_F(Watch, T20_RenameTouchesBothSides) {
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"RENAME", "k", "k2"}); })));
  c_->Call({"SET", "z", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"RENAME", "z", "k"}); })));
}

TEST_F(Watch, T20_OtherClientsTransactionAborts) {
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] {
    c2_->Call({"MULTI"});
    c2_->Call({"SET", "k", "1"});
    c2_->Call({"EXEC"});
  })));
}

TEST_F(Watch, T20_FlushAllAndFlushDbWhenKeyExisted) {
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"FLUSHALL"}); })));
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"FLUSHALL", "ASYNC"}); })));
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"FLUSHDB"}); })));
}

TEST_F(Watch, T20_SwapDbWhenKeyExistedInEither) {
  c_->Call({"SET", "k", "1"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"SWAPDB", "0", "1"}); })));
  // Now k lives in db 1; swapping it back into db 0 also touches.
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] { c2_->Call({"SWAPDB", "0", "1"}); })));
}

TEST_F(Watch, T20_LazyExpiryAborts) {
  c_->Call({"SET", "k", "1", "PX", "100"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] {
    clock_.AdvanceMs(200);
    c2_->Call({"GET", "k"});  // lazy delete
  })));
}

TEST_F(Watch, T20_ActiveExpiryAborts) {
  c_->Call({"SET", "k", "1", "PX", "100"});
  EXPECT_TRUE(Aborted(WatchTouchExec("k", [&] {
    clock_.AdvanceMs(200);
    engine_->ActiveExpireCycle();
  })));
}

TEST_F(Watch, T21_ReadsDoNotTouch) {
  c_->Call({"SET", "k", "1"});
  auto r = WatchTouchExec("k", [&] {
    c2_->Call({"GET", "k"});
    c2_->Call({"TYPE", "k"});
    c2_->Call({"TTL", "k"});
    c2_->Call({"EXISTS", "k"});
  });
  EXPECT_EQ(r, Arr({Ok()}));
}

TEST_F(Watch, T21_NoOpWritesDoNotTouch) {
  c_->Call({"SADD", "s", "a"});
  c_->Call({"SET", "p", "1"});
  c_->Call({"SET", "n", "1"});
  EXPECT_EQ(WatchTouchExec("missing", [&] { c2_->Call({"DEL", "missing"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("s", [&] { c2_->Call({"SADD", "s", "a"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("p", [&] { c2_->Call({"PERSIST", "p"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("n", [&] { c2_->Call({"SETNX", "n", "2"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("n", [&] { c2_->Call({"SET", "n", "2", "NX"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("m", [&] { c2_->Call({"SET", "m", "2", "XX"}); }), Arr({Ok()}));
}

TEST_F(Watch, T21_FlushAndSwapWhenKeyAbsentDoNotTouch) {
  EXPECT_EQ(WatchTouchExec("k", [&] { c2_->Call({"FLUSHALL"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("k", [&] { c2_->Call({"FLUSHDB"}); }), Arr({Ok()}));
  EXPECT_EQ(WatchTouchExec("k", [&] { c2_->Call({"SWAPDB", "0", "1"}); }), Arr({Ok()}));
}

TEST_F(Watch, T21_OwnQueuedWritesDoNotTouch) {
  c_->Call({"WATCH", "k"});
  c_->Call({"MULTI"});
  c_->Call({"SET", "k", "1"});
  c_->Call({"SET", "k", "2"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok(), Ok()}));
}

TEST_F(Watch, T22_KeyExpiringAfterWatchAbortsWithoutDeletion) {
  c_->Call({"SET", "k", "1", "PX", "100"});
  c_->Call({"WATCH", "k"});
  clock_.AdvanceMs(200);  // logically expired, still present (no access, no active expiry)
  c_->Call({"MULTI"});
  c_->Call({"SET", "x", "1"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
}

TEST_F(Watch, T22_StaleKeyWatchedThenDeletedDoesNotAbort) {
  c_->Call({"SET", "k", "1", "PX", "100"});
  clock_.AdvanceMs(200);  // stale before WATCH
  c_->Call({"WATCH", "k"});
  c2_->Call({"GET", "k"});  // lazy delete
  c_->Call({"MULTI"});
  c_->Call({"SET", "x", "1"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
}

TEST_F(Watch, T22_StaleKeyWatchedThenActiveExpiredOrFlushedDoesNotAbort) {
  c_->Call({"SET", "k", "1", "PX", "100"});
  clock_.AdvanceMs(200);
  c_->Call({"WATCH", "k"});
  engine_->ActiveExpireCycle();
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));

  c_->Call({"SET", "k", "1", "PX", "100"});
  clock_.AdvanceMs(200);
  c_->Call({"WATCH", "k"});
  c2_->Call({"FLUSHDB"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));

  c_->Call({"SET", "k", "1", "PX", "100"});
  clock_.AdvanceMs(200);
  c_->Call({"WATCH", "k"});
  c2_->Call({"SWAPDB", "0", "1"});  // db 1 has no k
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));
}

TEST_F(Watch, T22_StaleKeyWatchedThenRecreatedAborts) {
  for (auto write : std::vector<std::vector<std::string>>{
           {"SET", "k", "2"}, {"SET", "k", "2", "KEEPTTL"}, {"APPEND", "k", "x"}}) {
    c_->Call({"SET", "k", "1", "PX", "100"});
    clock_.AdvanceMs(200);
    c_->Call({"WATCH", "k"});
    c2_->Call(write);
    c_->Call({"MULTI"});
    EXPECT_EQ(c_->Call({"EXEC"}), NilArray()) << write[0];
    c_->Call({"DEL", "k"});
  }
}

TEST_F(Watch, T23_WatchWhenDirtyIsNoOp) {
  c_->Call({"WATCH", "k"});
  c2_->Call({"SET", "k", "1"});
  EXPECT_EQ(c_->Call({"WATCH", "k2"}), Ok());
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
}

TEST_F(Watch, T24_QueueErrorWinsOverDirtyWatch) {
  c_->Call({"WATCH", "k"});
  c2_->Call({"SET", "k", "1"});
  c_->Call({"MULTI"});
  c_->Call({"NOSUCHCMD"});
  EXPECT_EQ(c_->Call({"EXEC"}), Err(kExecAbort));
}

TEST_F(Watch, T25_UnwatchClearsDirtyFlag) {
  c_->Call({"WATCH", "k"});
  c2_->Call({"SET", "k", "1"});
  EXPECT_EQ(c_->Call({"UNWATCH"}), Ok());
  c_->Call({"MULTI"});
  c_->Call({"GET", "k"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Bulk("1")}));
}

TEST_F(Watch, T25_DiscardClearsWatchesAndDirtyFlag) {
  c_->Call({"WATCH", "k"});
  c2_->Call({"SET", "k", "1"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"DISCARD"}), Ok());
  c2_->Call({"SET", "k", "2"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({}));
}

TEST_F(Watch, T26_WatchedKeyNeedNotMatchTransactionKeys) {
  // Single node: no slots; WATCH of one key and a transaction on others runs.
  c_->Call({"WATCH", "foo"});
  c_->Call({"MULTI"});
  c_->Call({"SET", "k1", "v"});
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Ok()}));
}

TEST_F(Watch, ManyWatchersAllFlagged) {
  auto c3 = engine_->Connect();
  c_->Call({"WATCH", "k"});
  c3->Call({"WATCH", "k"});
  c2_->Call({"SET", "k", "1"});
  c_->Call({"MULTI"});
  c3->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
  EXPECT_EQ(c3->Call({"EXEC"}), NilArray());
}

TEST_F(Watch, TouchInsideOtherDbAfterSelectWatch) {
  c_->Call({"SELECT", "5"});
  c_->Call({"WATCH", "k"});
  c2_->Call({"SELECT", "5"});
  c2_->Call({"SET", "k", "1"});
  c_->Call({"MULTI"});
  EXPECT_EQ(c_->Call({"EXEC"}), NilArray());
}

}  // namespace
}  // namespace txlab::testing
