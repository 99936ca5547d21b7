// RunMonitor: the time limit and kill state machine of the running script
// (SEMANTICS S2-S5; Redis script.c SCRIPT_TIMEDOUT / SCRIPT_KILLED /
// SCRIPT_WRITE_DIRTY).
//
// STATES. One atomic 64-bit word holds a run generation (upper bits) and the
// flags of the current run:
//   kRunning    a script is executing (Begin .. End)
//   kFunction   it is an FCALL (only FUNCTION KILL may kill it)
//   kTimedOut   it has run past busy-reply-threshold: other clients get BUSY
//   kKilled     SCRIPT/FUNCTION KILL succeeded; the script must stop
//   kWritten    it has started a write command: it can no longer be killed
// kKilled and kWritten exclude each other: both are set by compare-and-swap
// on the same word, so "kill a script that has not written" and "write
// unless killed" are decided atomically. A killed script therefore never
// writes, and killing never needs a rollback (S5).
//
// ZERO COST UNTIL A KILL. Running Lua 5.4 with any count hook slows loops
// 2-2.7x (DEPENDENCIES.md), so a normal run has no hook at all. "Timed out"
// is not an event the script thread must notice: other threads compute it
// lazily from the start time when they ask (TimedOut()). Only a kill needs
// the script thread's attention, and it gets it by a signal:
//   1. Kill() CASes kKilled into the word, then pthread_kill()s the thread
//      running the script with kKillSignal (SIGURG).
//   2. The handler, on that thread, calls lua_sethook(L, KillHook, count 1 |
//      line) on the lua_State that thread is running (a thread_local set by
//      Begin). Lua documents lua_sethook as safe to call from a signal
//      handler; calling it from another thread would be a data race.
//   3. KillHook runs at the script's next instruction and raises
//      "Script killed by user with SCRIPT KILL...". It keeps the hook at every
//      instruction and line so a pcall inside the script cannot swallow the
//      kill (Redis PR #8661).
// A signal that arrives late (after End, or during a later run on the same
// thread) finds either no lua_State or a run that is not killed; the hook
// then removes itself.
//
// ANNOUNCING BUSY. Callers that must be told when a run passes the
// threshold (the engine raises a flag that makes other sessions stop waiting
// for its lock) register a BusyListener. A watchdog thread then sleeps until
// the running script's deadline, sets kTimedOut|kAnnounced by CAS and calls
// OnBusy; End() calls OnBusyEnd for an announced run before returning, i.e.
// before the engine lock is released. A mutex orders the two calls. When no
// script runs, the watchdog parks on a condition variable; Begin() wakes it
// only if it is parked (one load on the hot path; the notify happens once
// per idle period, not per script).
//
// LIFETIME. Kill() counts itself in `signalers_` around the moment it reads
// the thread id and signals; End() waits for that count to drop to zero, so
// a signal is never sent to a thread that has finished with the run (and
// might have exited). Both sides use sequentially consistent operations.
//
// THREADS. Begin, End, MarkWrite and Killed are called by the thread running
// the script. TimedOut, Running, Kill and the threshold accessors may be
// called from any thread at any time.
//
// REQUIREMENT on the process: threads that run scripts must not block
// SIGURG, and nothing else in the process may install a SIGURG handler after
// the first RunMonitor is created (the previous handler is chained).
#ifndef TXLAB_IMPL_LUA_RUN_MONITOR_H_
#define TXLAB_IMPL_LUA_RUN_MONITOR_H_

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include <lua.hpp>

namespace txlab {

// How scripts are made stoppable. kSignal is the product; the other two
// exist so the benchmark can show what the machinery costs.
enum class TimeLimitMode {
  kSignal,     // no hook until a kill; see above (default)
  kCountHook,  // Redis 7.0's way: a count hook every 100000 instructions for
               // the whole run, polling the kill flag
  kOff,        // no bookkeeping at all: scripts never time out or die
};

// Told when the running script passes busy-reply-threshold, and when such a
// run ends. OnBusy runs on the watchdog thread, OnBusyEnd on the script's
// thread inside End(); they never overlap and always alternate.
class BusyListener {
 public:
  virtual ~BusyListener() = default;
  virtual void OnBusy(bool is_function) = 0;
  virtual void OnBusyEnd() = 0;
};

class RunMonitor {
 public:
  static constexpr int kKillSignal = SIGURG;

  enum class KillOutcome {
    kKilled,        // +OK; the script will stop with the killed error
    kNotBusy,       // no script, or one that has not timed out
    kUnkillable,    // it has written (S4)
    kBusyFunction,  // SCRIPT KILL while a function runs: BUSY naming FUNCTION KILL
    kBusyEval,      // FUNCTION KILL while an EVAL runs: BUSY naming SCRIPT KILL
  };

  RunMonitor(TimeLimitMode mode, int64_t busy_reply_threshold_ms);
  ~RunMonitor();
  RunMonitor(const RunMonitor&) = delete;
  RunMonitor& operator=(const RunMonitor&) = delete;

  TimeLimitMode mode() const { return mode_; }

  // busy-reply-threshold (alias lua-time-limit). <= 0 disables time-outs.
  void set_threshold_ms(int64_t ms) { threshold_ms_.store(ms, std::memory_order_relaxed); }
  int64_t threshold_ms() const { return threshold_ms_.load(std::memory_order_relaxed); }

  // Starts the watchdog that reports to `listener` (not owned; must outlive
  // this monitor). Call at most once, before any run. No-op in kOff mode.
  void StartWatchdog(BusyListener* listener);

  // ---- the thread running the script ----
  // Marks the start of a run of `L` on the calling thread.
  void Begin(lua_State* L, bool is_function);
  // Marks its end; removes any hook a kill armed. May briefly wait for a
  // concurrent Kill() to finish signalling.
  void End(lua_State* L);
  // Called before a write command. Returns false if the run was killed (the
  // write must not happen); otherwise the run becomes unkillable.
  bool MarkWrite();
  bool Killed() const;
  // Installs the hook the mode wants while a run is live (used by KillHook
  // to step back after a spurious signal).
  void RestoreHook(lua_State* L) const;

  // ---- any thread ----
  // Whether a script is running past the threshold (S2). Sticky per run.
  // Time is CLOCK_MONOTONIC_COARSE: the threshold is honoured to within one
  // kernel tick (<= 4 ms on Debian's HZ=250).
  bool TimedOut();
  bool Running() const;
  // Whether the running script is a function (for the BUSY message).
  bool RunningFunction() const;
  // SCRIPT KILL (function_kill=false) or FUNCTION KILL (true), S4.
  KillOutcome Kill(bool function_kill);
  // Milliseconds since the current run began (0 if none).
  int64_t RunDurationMs() const;

 private:
  static constexpr uint64_t kRunning = 1;
  static constexpr uint64_t kFunction = 2;
  static constexpr uint64_t kTimedOut = 4;
  static constexpr uint64_t kKilled = 8;
  static constexpr uint64_t kWritten = 16;
  static constexpr uint64_t kAnnounced = 32;  // OnBusy was called for this run
  static constexpr int kGenerationShift = 8;

  static int64_t NowNs();

  const TimeLimitMode mode_;
  std::atomic<int64_t> threshold_ms_;
  std::atomic<uint64_t> state_{0};
  std::atomic<int64_t> start_ns_{0};
  std::atomic<pthread_t> thread_{};
  std::atomic<int> signalers_{0};

  // Watchdog (only if StartWatchdog was called).
  void WatchdogLoop();
  BusyListener* listener_ = nullptr;
  std::thread watchdog_;
  std::mutex watch_mu_;                // guards stop_, waits of the watchdog
  std::condition_variable watch_cv_;
  bool stop_ = false;
  std::atomic<bool> parked_{false};
  std::mutex announce_mu_;             // orders OnBusy before OnBusyEnd
};

// Raises the killed error inside `L` (used by the hooks).
[[noreturn]] void RaiseKilledError(lua_State* L);

}  // namespace txlab

#endif  // TXLAB_IMPL_LUA_RUN_MONITOR_H_
