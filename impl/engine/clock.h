// Clock: every time reading in txlab goes through this interface, so tests and
// the deterministic simulator can control time.
//
// Thread-safety: RealClock is stateless. VirtualClock may be read from many
// threads while one thread advances it (the value is atomic).
#ifndef TXLAB_IMPL_ENGINE_CLOCK_H_
#define TXLAB_IMPL_ENGINE_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace txlab {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in milliseconds since the Unix epoch. Key expiry uses this
  // (as Redis does: expiry follows the wall clock, not a monotonic one).
  virtual int64_t NowMs() const { return NowUs() / 1000; }
  // Wall-clock time in microseconds since the Unix epoch (TIME command).
  virtual int64_t NowUs() const = 0;
  // Monotonic nanoseconds, for history intervals and latency.
  virtual int64_t MonotonicNs() const = 0;
};

class RealClock final : public Clock {
 public:
  int64_t NowUs() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  int64_t MonotonicNs() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  // A process-wide instance.
  static RealClock* Get() {
    static RealClock clock;
    return &clock;
  }
};

// Test-controlled time. Starts at a fixed, plausible epoch so that expiry
// arithmetic behaves as with a real clock. Monotonic and wall time move together.
class VirtualClock final : public Clock {
 public:
  static constexpr int64_t kDefaultStartUs = 1'700'000'000'000'000;  // Nov 2023
  explicit VirtualClock(int64_t start_us = kDefaultStartUs) : now_us_(start_us) {}

  int64_t NowUs() const override { return now_us_.load(std::memory_order_acquire); }
  int64_t MonotonicNs() const override { return NowUs() * 1000; }

  void AdvanceMs(int64_t ms) { AdvanceUs(ms * 1000); }
  void AdvanceUs(int64_t us) { now_us_.fetch_add(us, std::memory_order_acq_rel); }
  void SetUs(int64_t us) { now_us_.store(us, std::memory_order_release); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_CLOCK_H_
