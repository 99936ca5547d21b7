// EventLoops: a loop whose thread is stuck inside a BusyScope still runs its
// other handlers (on a lent thread), and Join ends everything. Waits are
// bounded (a failure, never a hang); nothing asserts on timing.
#include "impl/server/event_loops.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace txlab {
namespace {

using namespace std::chrono_literals;

TEST(EventLoops, StuckLoopGetsALentThread) {
  EventLoops loops(1);
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

TEST(EventLoops, HandlersOutsideBusyScopeGetNoHelp) {
  // The negative control: the watchdog only sees BusyScopes, so a handler
  // stuck without one keeps its loop to itself (which is why every engine
  // call in the server runs inside one).
  EventLoops loops(1);
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
