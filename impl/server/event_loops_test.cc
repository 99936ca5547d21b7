// EventLoops: a loop whose thread is stuck inside a BusyScope still runs its
// other handlers (on a lent thread), and Join ends everything. Waits are
// bounded (a failure, never a hang); nothing asserts on timing.
#include "impl/server/event_loops.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>

namespace txlab {
namespace {

using namespace std::chrono_literals;

// A loopback connection whose server side reads on `io` (a loop of the
// EventLoops under test): Send() from the test thread, then Received() tells
// whether the loop ran the read handler.
class LoopSocket {
 public:
  explicit LoopSocket(asio::io_context& io)
      : acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), server_side_(io), client_(client_io_) {
    client_.connect(acceptor_.local_endpoint());
    acceptor_.accept(server_side_);
    server_side_.async_read_some(asio::buffer(buf_),
                                 [this](const asio::error_code& ec, size_t n) { got_.set_value(ec ? 0 : n); });
  }
  ~LoopSocket() {
    asio::error_code ec;
    server_side_.close(ec);
    acceptor_.close(ec);
  }
  void Send() { asio::write(client_, asio::buffer("ping", 4)); }
  // Bytes the loop read, or nullopt if it ran no read handler within 30 s.
  std::optional<size_t> Received() {
    auto f = got_.get_future();
    if (f.wait_for(30s) != std::future_status::ready) return std::nullopt;
    return f.get();
  }

 private:
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::tcp::socket server_side_;
  asio::io_context client_io_;
  asio::ip::tcp::socket client_;
  std::array<char, 4> buf_;
  std::promise<size_t> got_;
};

// Every behaviour holds with and without busy polling.
class EventLoopsTest : public ::testing::TestWithParam<int> {
 protected:
  std::chrono::microseconds busy_poll() const { return std::chrono::microseconds(GetParam()); }
};
INSTANTIATE_TEST_SUITE_P(BusyPoll, EventLoopsTest, ::testing::Values(0, 50, 5000),
                         [](const auto& info) { return "us" + std::to_string(info.param); });

TEST_P(EventLoopsTest, StuckLoopGetsALentThread) {
  EventLoops loops(1, busy_poll());
  loops.Start();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> stuck_started, other_ran;
  asio::post(loops.First(), [&] {
    EventLoops::BusyScope busy;  // like a command waiting for a script
    stuck_started.set_value();
    released.wait_for(60s);
  });
  ASSERT_EQ(stuck_started.get_future().wait_for(30s), std::future_status::ready);
  asio::post(loops.First(), [&] { other_ran.set_value(); });
  bool ran = other_ran.get_future().wait_for(30s) == std::future_status::ready;
  release.set_value();
  EXPECT_TRUE(ran) << "the loop's second handler waited for the stuck one";
  EXPECT_TRUE(loops.Join(30s));
}

TEST_P(EventLoopsTest, HandlersOutsideBusyScopeGetNoHelp) {
  // The negative control: the watchdog only sees BusyScopes, so a handler
  // stuck without one keeps its loop to itself (which is why every engine
  // call in the server runs inside one).
  EventLoops loops(1, busy_poll());
  loops.Start();
  std::promise<void> release, stuck_started;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> other_ran{false};
  asio::post(loops.First(), [&] {
    stuck_started.set_value();
    released.wait_for(60s);
  });
  ASSERT_EQ(stuck_started.get_future().wait_for(30s), std::future_status::ready);
  asio::post(loops.First(), [&] { other_ran = true; });
  std::this_thread::sleep_for(5 * EventLoops::kWatchdogTick);
  EXPECT_FALSE(other_ran.load());
  release.set_value();
  EXPECT_TRUE(loops.Join(30s));
  EXPECT_TRUE(other_ran.load());
}

TEST_P(EventLoopsTest, IdleLoopSleepsAndWakesForWork) {
  // A polling loop with nothing to do goes to sleep (it does not spin
  // forever), and work posted from another thread, or arriving on a socket,
  // wakes it. Without busy poll it never polls, so it never counts a sleep.
  EventLoops loops(2, busy_poll());
  loops.Start();
  // Each loop sleeps once at the start, and the one a handler woke sleeps
  // again after it: at least 2, 3, 4 sleeps before rounds 0, 1, 2.
  for (int round = 0; round < 3; ++round) {
    if (GetParam() > 0) {
      const uint64_t want = 2 + round;
      for (int i = 0; i < 30000 && loops.Sleeps() < want; ++i) std::this_thread::sleep_for(1ms);
      EXPECT_GE(loops.Sleeps(), want) << "round " << round << ": a loop with nothing to do never slept";
    }
    std::promise<void> ran;
    asio::post(loops.Next(), [&] { ran.set_value(); });
    EXPECT_EQ(ran.get_future().wait_for(30s), std::future_status::ready) << "round " << round;
  }
  // A socket's data wakes a sleeping loop too (the reactor, not a post).
  {
    LoopSocket socket(loops.Next());
    std::this_thread::sleep_for(20ms);  // let the loop go back to sleep (not required for the check)
    socket.Send();
    EXPECT_EQ(socket.Received(), std::optional<size_t>(4));
  }
  if (GetParam() == 0) {
    EXPECT_EQ(loops.Sleeps(), 0u);
  }
  EXPECT_TRUE(loops.Join(30s));
}

TEST_P(EventLoopsTest, LoopServesSocketsAfterTheLentThreadLeft) {
  // A lent thread may hold the reactor (epoll_wait) while the loop's own
  // thread, free again, waits for handlers; when the lent thread leaves, the
  // loop must still see socket events, with nothing posted to it meanwhile.
  // (Asio hands the reactor back by waking a waiting thread; with
  // io_context concurrency hint 1 it does not, and this test hangs: that is
  // why the loops keep the default hint.)
  EventLoops loops(1, busy_poll());
  loops.Start();
  asio::io_context& io = loops.First();
  auto socket = std::make_unique<LoopSocket>(io);

  std::promise<void> release, stuck_started, other_ran;
  std::shared_future<void> released = release.get_future().share();
  asio::post(io, [&] {
    EventLoops::BusyScope busy;
    stuck_started.set_value();
    released.wait_for(60s);
  });
  ASSERT_EQ(stuck_started.get_future().wait_for(30s), std::future_status::ready);
  asio::post(io, [&] { other_ran.set_value(); });  // runs on a lent thread
  ASSERT_EQ(other_ran.get_future().wait_for(30s), std::future_status::ready);
  release.set_value();
  // The lent thread leaves within two ticks of the loop's thread being free.
  std::this_thread::sleep_for(10 * EventLoops::kWatchdogTick);
  socket->Send();
  EXPECT_EQ(socket->Received(), std::optional<size_t>(4)) << "the loop stopped serving sockets after a lent thread left";
  socket.reset();
  EXPECT_TRUE(loops.Join(30s));
}

TEST(EventLoops, RoundRobinOverLoopsAndJoinWithoutStart) {
  EventLoops loops(3);
  EXPECT_EQ(loops.size(), 3);
  asio::io_context* a = &loops.Next();
  asio::io_context* b = &loops.Next();
  asio::io_context* c = &loops.Next();
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_EQ(&loops.Next(), a);
  EXPECT_TRUE(loops.Join(30s));
}

}  // namespace
}  // namespace txlab
