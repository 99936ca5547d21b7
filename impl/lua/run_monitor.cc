#include "impl/lua/run_monitor.h"

#include <errno.h>
#include <time.h>

#include <cstring>
#include <mutex>
#include <thread>

#include "impl/lua/conversion.h"
#include "impl/lua/state_extra.h"

namespace txlab {
namespace {

// The lua_State the current thread is running a script on, for the signal
// handler. initial-exec TLS: reading it in a handler never allocates.
__attribute__((tls_model("initial-exec"))) constinit thread_local std::atomic<lua_State*> tl_running{nullptr};

struct sigaction g_previous_action;

void KillHook(lua_State* L, lua_Debug*);

// Runs on the thread executing the script, between two of its instructions
// or inside a C function. Only async-signal-safe work: an atomic load and
// lua_sethook.
void OnKillSignal(int sig, siginfo_t* info, void* context) {
  int saved_errno = errno;
  lua_State* L = tl_running.load(std::memory_order_relaxed);
  if (L != nullptr) lua_sethook(L, KillHook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
  // Chain to a handler someone installed before us.
  if (g_previous_action.sa_flags & SA_SIGINFO) {
    if (g_previous_action.sa_sigaction != nullptr) g_previous_action.sa_sigaction(sig, info, context);
  } else if (g_previous_action.sa_handler != SIG_DFL && g_previous_action.sa_handler != SIG_IGN &&
             g_previous_action.sa_handler != nullptr) {
    g_previous_action.sa_handler(sig);
  }
  errno = saved_errno;
}

void InstallSignalHandlerOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_sigaction = OnKillSignal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;  // interrupted system calls resume
    sigemptyset(&action.sa_mask);
    sigaction(RunMonitor::kKillSignal, &action, &g_previous_action);
  });
}

// Armed by the signal handler. If the run really was killed, raise the kill
// error now and at every following instruction; otherwise the signal was
// late (meant for an earlier run) and the hook steps back.
void KillHook(lua_State* L, lua_Debug*) {
  RunMonitor* monitor = GetStateExtra(L)->monitor;
  if (monitor == nullptr || !monitor->Killed()) {
    if (monitor != nullptr) {
      monitor->RestoreHook(L);
    } else {
      lua_sethook(L, nullptr, 0, 0);
    }
    return;
  }
  RaiseKilledError(L);
}

// kCountHook mode: Redis 7.0's periodic poll.
void PollHook(lua_State* L, lua_Debug*) {
  RunMonitor* monitor = GetStateExtra(L)->monitor;
  if (monitor != nullptr && monitor->Killed()) RaiseKilledError(L);
}

constexpr int kPollCount = 100000;

}  // namespace

void RaiseKilledError(lua_State* L) {
  // Every instruction and every line from now on, so pcall cannot catch it
  // for good (Redis sets LUA_MASKLINE for the same reason).
  lua_sethook(L, KillHook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
  PushErrorTable(L, "Script killed by user with SCRIPT KILL...");
  lua_error(L);
  __builtin_unreachable();
}

RunMonitor::RunMonitor(TimeLimitMode mode, int64_t busy_reply_threshold_ms)
    : mode_(mode), threshold_ms_(busy_reply_threshold_ms) {
  if (mode_ != TimeLimitMode::kOff) InstallSignalHandlerOnce();
}

RunMonitor::~RunMonitor() {
  if (watchdog_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(watch_mu_);
      stop_ = true;
      parked_.store(false, std::memory_order_seq_cst);
    }
    watch_cv_.notify_all();
    watchdog_.join();
  }
}

void RunMonitor::StartWatchdog(BusyListener* listener) {
  if (mode_ == TimeLimitMode::kOff || watchdog_.joinable()) return;
  listener_ = listener;
  watchdog_ = std::thread([this] { WatchdogLoop(); });
}

void RunMonitor::WatchdogLoop() {
  std::unique_lock<std::mutex> lock(watch_mu_);
  while (!stop_) {
    uint64_t s = state_.load(std::memory_order_seq_cst);
    if (!(s & kRunning)) {
      // Park until Begin() wakes us. Dekker with Begin: we store parked_ then
      // load state_; Begin stores state_ then loads parked_ (all seq_cst), so
      // at least one of us sees the other.
      parked_.store(true, std::memory_order_seq_cst);
      if (state_.load(std::memory_order_seq_cst) & kRunning) {
        parked_.store(false, std::memory_order_relaxed);
        continue;
      }
      watch_cv_.wait(lock, [this] { return stop_ || !parked_.load(std::memory_order_relaxed); });
      continue;
    }
    int64_t threshold = threshold_ms();
    if (threshold <= 0 || (s & kAnnounced)) {
      // Nothing to announce (or already announced): check again later.
      watch_cv_.wait_for(lock, std::chrono::milliseconds(10));
      continue;
    }
    int64_t deadline = start_ns_.load(std::memory_order_relaxed) + threshold * 1000000;
    int64_t now = NowNs();
    if (now < deadline) {
      // A later run has a later deadline, so waking at this one is never late.
      watch_cv_.wait_for(lock, std::chrono::nanoseconds(deadline - now));
      continue;
    }
    std::lock_guard<std::mutex> announce(announce_mu_);
    // Fails if the run ended (or changed) meanwhile: then nothing to announce.
    if (state_.compare_exchange_strong(s, s | kTimedOut | kAnnounced, std::memory_order_seq_cst)) {
      listener_->OnBusy((s & kFunction) != 0);
    }
  }
}

// The coarse clock is a plain read of the kernel's tick time in the vDSO
// (a few ns, resolution one tick, ~4 ms): precise enough for a threshold of
// milliseconds to seconds, and it keeps Begin() nearly free.
int64_t RunMonitor::NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void RunMonitor::Begin(lua_State* L, bool is_function) {
  if (mode_ == TimeLimitMode::kOff) return;
  start_ns_.store(NowNs(), std::memory_order_relaxed);
  thread_.store(pthread_self(), std::memory_order_relaxed);
  uint64_t generation = (state_.load(std::memory_order_relaxed) >> kGenerationShift) + 1;
  // Publishes start_ns_ and thread_ to whoever reads the state.
  state_.store((generation << kGenerationShift) | kRunning | (is_function ? kFunction : 0),
               std::memory_order_seq_cst);
  if (mode_ == TimeLimitMode::kCountHook) lua_sethook(L, PollHook, LUA_MASKCOUNT, kPollCount);
  tl_running.store(L, std::memory_order_relaxed);
  // Wake the watchdog if it sleeps for lack of runs (rare: once per idle
  // period).
  if (parked_.load(std::memory_order_seq_cst)) {
    std::lock_guard<std::mutex> lock(watch_mu_);
    parked_.store(false, std::memory_order_relaxed);
    watch_cv_.notify_one();
  }
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

void RunMonitor::End(lua_State* L) {
  if (mode_ == TimeLimitMode::kOff) return;
  // From here on a late signal finds no state to arm.
  tl_running.store(nullptr, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (lua_gethook(L) != nullptr) lua_sethook(L, nullptr, 0, 0);
  uint64_t s = state_.load(std::memory_order_relaxed);
  uint64_t old = state_.exchange(s & ~((uint64_t{1} << kGenerationShift) - 1), std::memory_order_seq_cst);
  if (old & kAnnounced) {
    // The watchdog announced this run; tell the listener it is over (after
    // OnBusy has returned, thanks to announce_mu_).
    std::lock_guard<std::mutex> announce(announce_mu_);
    listener_->OnBusyEnd();
  }
  // A Kill() that saw this run as running may still be about to signal this
  // thread; wait until it is done (rare, and only for a few instructions).
  while (signalers_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
}

bool RunMonitor::MarkWrite() {
  if (mode_ == TimeLimitMode::kOff) return true;
  uint64_t s = state_.load(std::memory_order_relaxed);
  for (;;) {
    if (s & kWritten) return true;
    if (s & kKilled) return false;
    if (state_.compare_exchange_weak(s, s | kWritten, std::memory_order_seq_cst)) return true;
  }
}

bool RunMonitor::Killed() const { return (state_.load(std::memory_order_acquire) & kKilled) != 0; }

void RunMonitor::RestoreHook(lua_State* L) const {
  if (mode_ == TimeLimitMode::kCountHook && Running()) {
    lua_sethook(L, PollHook, LUA_MASKCOUNT, kPollCount);
  } else {
    lua_sethook(L, nullptr, 0, 0);
  }
}

bool RunMonitor::TimedOut() {
  uint64_t s = state_.load(std::memory_order_acquire);
  for (;;) {
    if (!(s & kRunning)) return false;
    if (s & kTimedOut) return true;
    int64_t threshold = threshold_ms();
    if (threshold <= 0) return false;
    int64_t elapsed_ns = NowNs() - start_ns_.load(std::memory_order_relaxed);
    if (elapsed_ns < threshold * 1000000) return false;
    // The generation bits make the CAS fail if this run ended meanwhile.
    if (state_.compare_exchange_weak(s, s | kTimedOut, std::memory_order_acq_rel)) return true;
  }
}

bool RunMonitor::Running() const { return (state_.load(std::memory_order_acquire) & kRunning) != 0; }

bool RunMonitor::RunningFunction() const {
  uint64_t s = state_.load(std::memory_order_acquire);
  return (s & kRunning) && (s & kFunction);
}

int64_t RunMonitor::RunDurationMs() const {
  if (!Running()) return 0;
  return (NowNs() - start_ns_.load(std::memory_order_relaxed)) / 1000000;
}

RunMonitor::KillOutcome RunMonitor::Kill(bool function_kill) {
  if (mode_ == TimeLimitMode::kOff) return KillOutcome::kNotBusy;
  signalers_.fetch_add(1, std::memory_order_seq_cst);
  KillOutcome outcome;
  // Only a timed-out script can be killed: before that, other clients wait
  // for it (S2), so the kill would not have been served.
  TimedOut();  // sets kTimedOut if the threshold has passed
  uint64_t s = state_.load(std::memory_order_seq_cst);
  for (;;) {
    if (!(s & kRunning) || !(s & kTimedOut)) {
      outcome = KillOutcome::kNotBusy;
      break;
    }
    if (s & kWritten) {
      outcome = KillOutcome::kUnkillable;
      break;
    }
    bool is_function = (s & kFunction) != 0;
    if (!function_kill && is_function) {
      outcome = KillOutcome::kBusyFunction;
      break;
    }
    if (function_kill && !is_function) {
      outcome = KillOutcome::kBusyEval;
      break;
    }
    if (state_.compare_exchange_weak(s, s | kKilled, std::memory_order_seq_cst)) {
      pthread_kill(thread_.load(std::memory_order_relaxed), kKillSignal);
      outcome = KillOutcome::kKilled;
      break;
    }
  }
  signalers_.fetch_sub(1, std::memory_order_seq_cst);
  return outcome;
}

}  // namespace txlab
