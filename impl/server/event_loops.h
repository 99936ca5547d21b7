// EventLoops: the threads of the Server (private to impl/server).
//
// N Asio event loops (one io_context each), each run by a thread of its own,
// like N single-threaded redis-server event loops. A connection belongs to
// one loop for its whole life, so its reads, commands and writes never hand
// over between threads: no shared scheduler queue, no cross-thread wake-ups
// (with one shared thread pool these cost most of the server's time under
// redis-benchmark: futex waits and task switches).
//
// A handler may hold its thread for long: a script past busy-reply-threshold,
// or a command waiting for the engine lock such a script holds. The loop's
// other connections would then wait too, and could never get BUSY or send
// SCRIPT KILL (SEMANTICS.md S2-S4). So a watchdog thread looks at every loop
// each kWatchdogTick: if every thread running a loop has been inside one
// handler since the last look (BusyScope below marks the handlers that may
// block), it lends the loop one more thread (at most kMaxThreadsPerLoop in
// all). A lent thread serves the loop's other connections and leaves once
// one of the loop's other threads is free again. Connections run on strands,
// so two threads of one loop never run one connection's handlers at once.
//
// BUSY POLL: a loop thread that runs out of handlers keeps polling (epoll
// with timeout 0) for `busy_poll` before it blocks in epoll_wait. Under load
// the next request then finds the thread running: the client's send needs no
// wake-up of a sleeping thread (on a VM an inter-processor interrupt and a
// switch, which the client pays). Measured with redis-benchmark, 50 clients,
// unpipelined: wake-ups of the server thread fell from ~4,200 to ~800 per
// million requests and throughput rose 10-14% (results/bench/server-*.md).
// The price is CPU: after its last request a loop spins for at most
// `busy_poll`, then sleeps (Sleeps() counts that); an idle server uses none.
// 0 turns it off (plain io_context::run()).
//
// LIFETIME: Start() once; Next()/First() hand out loops for sockets;
// Join() lets the loops finish (they end when they run out of work) and
// waits for every thread. Destroy only after Join() returned true.
#ifndef TXLAB_IMPL_SERVER_EVENT_LOOPS_H_
#define TXLAB_IMPL_SERVER_EVENT_LOOPS_H_

#include <asio.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace txlab {

class EventLoops {
 public:
  // How often the watchdog looks; a stuck loop gets a thread within two.
  static constexpr auto kWatchdogTick = std::chrono::milliseconds(20);
  // Threads that may run one loop at once: its own plus the lent ones.
  static constexpr int kMaxThreadsPerLoop = 8;

  explicit EventLoops(int loops, std::chrono::microseconds busy_poll = std::chrono::microseconds(0));
  ~EventLoops();
  EventLoops(const EventLoops&) = delete;
  EventLoops& operator=(const EventLoops&) = delete;

  // Starts one thread per loop and the watchdog.
  void Start();
  // The loop for the next connection (round robin). Thread-safe.
  asio::io_context& Next();
  // Loop 0 (the listener's).
  asio::io_context& First() { return loops_[0]->io; }
  int size() const { return static_cast<int>(loops_.size()); }
  // How many times the loops' own threads went to sleep after polling for
  // busy_poll with nothing to do (0 without busy poll). Thread-safe.
  uint64_t Sleeps() const;

  // Lets every loop end once it has no more work (no sockets, timers or
  // posted handlers left), stops the watchdog, and waits up to `grace` for
  // all threads. Returns false if some thread is still busy (a handler that
  // does not return); a later Join waits again.
  bool Join(std::chrono::milliseconds grace);

  // Marks the calling thread, if it runs a loop, as inside a handler that may
  // block (engine calls), for the watchdog. Cheap: two plain stores.
  class BusyScope {
   public:
    BusyScope();
    ~BusyScope();
    BusyScope(const BusyScope&) = delete;
    BusyScope& operator=(const BusyScope&) = delete;
  };

 private:
  // One thread's place in a loop. `busy` is odd while the thread is inside a
  // BusyScope; only the thread writes it, the watchdog reads it.
  struct Runner {
    std::atomic<uint64_t> busy{0};
    std::atomic<bool> in_use{false};
    uint64_t seen = 0;   // the watchdog's last reading
    std::thread thread;  // written by Start (runner 0) and the watchdog only
  };
  struct Loop {
    // Default concurrency hint: with hint 1 Asio does not wake the loop's
    // own thread when a lent thread gives the reactor back, and the loop
    // stops serving (EventLoopsTest.LoopServesSocketsAfterTheLentThreadLeft).
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::array<Runner, kMaxThreadsPerLoop> runners;  // [0] is the loop's own thread
    std::atomic<uint64_t> sleeps{0};
  };

  // The loop's own thread: io.run(), or poll-then-sleep with busy_poll.
  static void Run(Loop* loop, Runner* r, std::chrono::microseconds busy_poll);
  void Lend(Loop* loop, Runner* r);            // a lent thread
  void Watchdog();
  // Whether some thread of `loop` other than `me` is not inside a BusyScope.
  static bool OtherRunnerFree(const Loop& loop, const Runner* me);

  std::vector<std::unique_ptr<Loop>> loops_;
  const std::chrono::microseconds busy_poll_;
  std::atomic<size_t> next_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> stopping_flag_{false};
  std::thread watchdog_;
  // Joins the loops' own threads and the watchdog, so Join can be bounded.
  std::thread joiner_;
  bool joined_ = false;  // guarded by mu_
};

}  // namespace txlab

#endif  // TXLAB_IMPL_SERVER_EVENT_LOOPS_H_
