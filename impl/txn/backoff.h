// Backoff: capped exponential backoff with full jitter (AWS architecture
// blog's "full jitter": sleep uniform in [0, min(cap, base * 2^attempt)]).
// Jitter breaks the lock-step retries that make WATCH livelock under
// contention. The sleep itself goes through Connection::Sleep, so it is
// virtual time in the simulator.
#ifndef TXLAB_IMPL_TXN_BACKOFF_H_
#define TXLAB_IMPL_TXN_BACKOFF_H_

#include <algorithm>
#include <cstdint>

#include "impl/txn/random.h"

namespace txlab {

struct BackoffOptions {
  int64_t base_ns = 50'000;     // first retry waits up to 50 us
  int64_t cap_ns = 5'000'000;   // never more than 5 ms
};

// Nanoseconds to wait before retry number `attempt` (1 = first retry).
inline int64_t BackoffDelayNs(const BackoffOptions& o, int attempt, Rng& rng) {
  int shift = std::min(attempt - 1, 30);
  int64_t ceiling = std::min(o.cap_ns, o.base_ns << std::max(shift, 0));
  if (ceiling <= 0) return 0;
  return rng.Range(0, ceiling);
}

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_BACKOFF_H_
