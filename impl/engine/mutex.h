// Mutex and MutexLock: the engine's one lock, annotated for clang's
// thread-safety analysis.
//
// Mutex is a timed mutex because Session::Call must not wait forever while a
// script holds the lock past busy-reply-threshold (SEMANTICS.md S2): it waits
// in slices and checks the engine's "script timed out" flag in between.
// Mutex is also BasicLockable (lock/unlock), so std::condition_variable_any
// can wait on it (BLPOP/BRPOP).
#ifndef TXLAB_IMPL_ENGINE_MUTEX_H_
#define TXLAB_IMPL_ENGINE_MUTEX_H_

#include <chrono>
#include <mutex>

#include "impl/engine/thread_annotations.h"

namespace txlab {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }
  bool TryLock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Waits at most about `d` for the lock. Returns whether it was acquired.
  // Uses a system_clock deadline on purpose: libstdc++ then calls
  // pthread_mutex_timedlock, which ThreadSanitizer understands (the
  // steady_clock path uses pthread_mutex_clocklock, which GCC 12's TSan does
  // not intercept, producing false race reports). A clock step only changes
  // the length of one polling slice.
  bool TryLockFor(std::chrono::nanoseconds d) TRY_ACQUIRE(true) {
    return mu_.try_lock_until(std::chrono::system_clock::now() + d);
  }
  // Tells the analysis that the caller holds the lock (no run-time check).
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

  // BasicLockable, for std::condition_variable_any only.
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  std::timed_mutex mu_;
};

// RAII holder of a Mutex.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace txlab

#endif  // TXLAB_IMPL_ENGINE_MUTEX_H_
