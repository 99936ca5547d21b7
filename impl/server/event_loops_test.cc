// EventLoops: a loop whose thread is stuck inside a BusyScope still runs its
// other handlers (on a lent thread), and Join ends everything. Waits are
// bounded (a failure, never a hang); nothing asserts on timing.
#include "impl/server/event_loops.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace txlab {
namespace {

using namespace std::chrono_literals;

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
  asio::io_context& io = loops.Next();
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket server_side(io);
  asio::io_context client_io;
  asio::ip::tcp::socket client(client_io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server_side);
  std::promise<size_t> got;
  std::array<char, 4> buf;
  server_side.async_read_some(asio::buffer(buf), [&](const asio::error_code& ec, size_t n) { got.set_value(ec ? 0 : n); });
  std::this_thread::sleep_for(20ms);  // let the loop go back to sleep (not required for the check)
  asio::write(client, asio::buffer("ping", 4));
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(30s), std::future_status::ready);
  EXPECT_GT(f.get(), 0u);
  if (GetParam() == 0) {
    EXPECT_EQ(loops.Sleeps(), 0u);
  }
  asio::error_code ec;
  server_side.close(ec);
  acceptor.close(ec);
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
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket server_side(io);
  asio::io_context client_io;
  asio::ip::tcp::socket client(client_io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server_side);
  std::promise<size_t> got;
  std::array<char, 4> buf;
  server_side.async_read_some(asio::buffer(buf), [&](const asio::error_code& ec, size_t n) { got.set_value(ec ? 0 : n); });

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
  asio::write(client, asio::buffer("ping", 4));
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(30s), std::future_status::ready) << "the loop stopped serving sockets after a lent thread left";
  EXPECT_EQ(f.get(), 4u);
  asio::error_code ec;
  server_side.close(ec);
  acceptor.close(ec);
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
