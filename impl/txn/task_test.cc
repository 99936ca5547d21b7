// Task and Connection mechanics without an engine: synchronous completion
// keeps the stack flat, asynchronous completion resumes the awaiting chain,
// destroying a suspended root destroys the chain (a client "crash").
#include "impl/txn/task.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "impl/txn/connection.h"

namespace txlab {
namespace {

// Replies to every command with its argc, synchronously or parked.
class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(bool async) : async_(async) {}
  int64_t NowNs() const override { return 0; }
  PendingCall* parked = nullptr;

  // Completes the parked command (async mode).
  void Deliver() {
    PendingCall* c = std::exchange(parked, nullptr);
    c->reply = Reply::Integer(static_cast<int64_t>(c->argv.size()));
    c->waiter.resume();
  }

 protected:
  bool Submit(PendingCall* call) override {
    if (async_) {
      parked = call;
      return false;
    }
    call->reply = Reply::Integer(static_cast<int64_t>(call->argv.size()));
    return true;
  }
  bool SubmitSleep(PendingSleep*) override { return true; }

 private:
  bool async_;
};

Task<int64_t> Child(Connection& c) {
  Reply r = co_await c.Call(Cmd("GET", "k"));
  co_return r.integer();
}

Task<int64_t> Loop(Connection& c, int n) {
  int64_t sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await Child(c);
  co_return sum;
}

TEST(TaskTest, SynchronousLoopKeepsTheStackFlat) {
  FakeConnection conn(false);
  // A million awaits of child tasks would overflow the stack if each nested
  // a frame (no guaranteed tail call at -O0 / under ASan).
  EXPECT_EQ(RunSync(Loop(conn, 1'000'000)), 2'000'000);
  EXPECT_EQ(conn.commands(), 1'000'000u);
}

TEST(TaskTest, AsynchronousCompletionResumesTheChain) {
  FakeConnection conn(true);
  Task<int64_t> t = Loop(conn, 3);
  t.Start();
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(t.done());
    ASSERT_NE(conn.parked, nullptr);
    conn.Deliver();
  }
  ASSERT_TRUE(t.done());
  EXPECT_EQ(t.Result(), 6);
}

struct Guard {
  int* alive;
  explicit Guard(int* a) : alive(a) { ++*alive; }
  ~Guard() { --*alive; }
};

Task<int64_t> Guarded(Connection& c, int* alive) {
  Guard g(alive);
  co_return co_await Child(c);
}

TEST(TaskTest, DestroyingASuspendedRootDestroysItsChildren) {
  FakeConnection conn(true);
  int alive = 0;
  {
    Task<int64_t> t = Guarded(conn, &alive);
    t.Start();
    EXPECT_EQ(alive, 1);
    EXPECT_NE(conn.parked, nullptr);
  }
  EXPECT_EQ(alive, 0);
}

Task<int64_t> Throws(Connection& c) {
  co_await c.Call(Cmd("PING"));
  throw std::runtime_error("boom");
}

Task<int64_t> Catches(Connection& c) {
  try {
    co_return co_await Throws(c);
  } catch (const std::runtime_error& e) {
    co_return -1;
  }
}

TEST(TaskTest, ExceptionsPropagateToTheAwaiter) {
  FakeConnection conn(false);
  EXPECT_EQ(RunSync(Catches(conn)), -1);
  EXPECT_THROW(RunSync(Throws(conn)), std::runtime_error);
}

}  // namespace
}  // namespace txlab
