#include "impl/server/event_loops.h"

namespace txlab {

namespace {

// The calling thread's Runner::busy, if it runs a loop; and how deep it is in
// nested BusyScopes (only the outermost one counts).
thread_local std::atomic<uint64_t>* t_busy = nullptr;
thread_local int t_busy_depth = 0;

void Bump(std::atomic<uint64_t>* b) {
  // Single writer: a plain load and store, no read-modify-write.
  b->store(b->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

EventLoops::BusyScope::BusyScope() {
  if (t_busy != nullptr && t_busy_depth++ == 0) Bump(t_busy);
}

EventLoops::BusyScope::~BusyScope() {
  if (t_busy != nullptr && --t_busy_depth == 0) Bump(t_busy);
}

EventLoops::EventLoops(int loops, std::chrono::microseconds busy_poll) : busy_poll_(busy_poll) {
  if (loops < 1) loops = 1;
  for (int i = 0; i < loops; ++i) {
    auto l = std::make_unique<Loop>();
    l->work.emplace(l->io.get_executor());
    loops_.push_back(std::move(l));
  }
}

EventLoops::~EventLoops() {
  // Never started, or Join succeeded: nothing runs. Otherwise (a failed
  // Join) the owner must not destroy us; wait rather than crash.
  for (auto& l : loops_) l->work.reset();
  Join(std::chrono::hours(24 * 365));
}

void EventLoops::Start() {
  for (auto& l : loops_) {
    Runner& r = l->runners[0];
    r.in_use.store(true, std::memory_order_release);
    r.thread = std::thread(&EventLoops::Run, l.get(), &r, busy_poll_);
  }
  watchdog_ = std::thread(&EventLoops::Watchdog, this);
}

asio::io_context& EventLoops::Next() {
  return loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()]->io;
}

uint64_t EventLoops::Sleeps() const {
  uint64_t n = 0;
  for (const auto& l : loops_) n += l->sleeps.load(std::memory_order_relaxed);
  return n;
}

void EventLoops::Run(Loop* loop, Runner* r, std::chrono::microseconds busy_poll) {
  t_busy = &r->busy;
  if (busy_poll.count() <= 0) {
    loop->io.run();
  } else {
    // poll() runs what is ready (epoll_wait with timeout 0) and returns; it
    // stops the io_context, as run() would end, once no work is left.
    // The clock is read only while idle, never on the busy path.
    using Clock = std::chrono::steady_clock;
    bool idle = false;
    Clock::time_point idle_since;
    while (true) {
      if (loop->io.poll() > 0) {
        idle = false;
        continue;
      }
      if (loop->io.stopped()) break;
      const Clock::time_point now = Clock::now();
      if (!idle) {
        idle = true;
        idle_since = now;
        continue;
      }
      if (now - idle_since < busy_poll) continue;
      loop->sleeps.fetch_add(1, std::memory_order_relaxed);
      if (loop->io.run_one() == 0) break;  // blocks in epoll_wait; 0: stopped
      idle = false;
    }
  }
  t_busy = nullptr;
  r->in_use.store(false, std::memory_order_release);
}

void EventLoops::Lend(Loop* loop, Runner* r) {
  t_busy = &r->busy;
  while (!stopping_flag_.load(std::memory_order_acquire)) {
    loop->io.run_for(2 * kWatchdogTick);
    if (loop->io.stopped() || OtherRunnerFree(*loop, r)) break;
  }
  t_busy = nullptr;
  r->in_use.store(false, std::memory_order_release);
}

bool EventLoops::OtherRunnerFree(const Loop& loop, const Runner* me) {
  for (const Runner& r : loop.runners) {
    if (&r == me || !r.in_use.load(std::memory_order_acquire)) continue;
    if (r.busy.load(std::memory_order_relaxed) % 2 == 0) return true;
  }
  return false;
}

void EventLoops::Watchdog() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    cv_.wait_for(l, kWatchdogTick);
    if (stopping_) break;
    for (auto& loop : loops_) {
      int free = 0;
      Runner* spare = nullptr;
      for (Runner& r : loop->runners) {
        if (!r.in_use.load(std::memory_order_acquire)) {
          if (spare == nullptr) spare = &r;
          continue;
        }
        uint64_t b = r.busy.load(std::memory_order_relaxed);
        // Inside the same handler as at the last look: stuck for a tick.
        bool stuck = b % 2 == 1 && b == r.seen;
        r.seen = b;
        if (!stuck) ++free;
      }
      if (free > 0 || spare == nullptr) continue;
      if (spare->thread.joinable()) spare->thread.join();  // a lent thread that left
      spare->seen = spare->busy.load(std::memory_order_relaxed);
      spare->in_use.store(true, std::memory_order_release);
      spare->thread = std::thread(&EventLoops::Lend, this, loop.get(), spare);
    }
  }
}

bool EventLoops::Join(std::chrono::milliseconds grace) {
  std::unique_lock<std::mutex> l(mu_);
  if (!joiner_.joinable() && !joined_) {
    for (auto& loop : loops_) loop->work.reset();
    stopping_ = true;
    stopping_flag_.store(true, std::memory_order_release);
    cv_.notify_all();
    joiner_ = std::thread([this] {
      if (watchdog_.joinable()) watchdog_.join();
      // The watchdog is gone: the runners' threads are ours to join.
      for (auto& loop : loops_) {
        for (Runner& r : loop->runners) {
          if (r.thread.joinable()) r.thread.join();
        }
      }
      std::lock_guard<std::mutex> g(mu_);
      joined_ = true;
      cv_.notify_all();
    });
  }
  if (!cv_.wait_for(l, grace, [this] { return joined_; })) return false;
  if (joiner_.joinable()) joiner_.join();
  return true;
}

}  // namespace txlab
