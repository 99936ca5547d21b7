// Strategy: turns a Txn into Redis commands over a Connection and reports
// an Outcome. Chosen at run time by name; every runner runs every strategy.
//
//   lua              one EVALSHA of TxnScript per txn (atomic by construction)
//   watch            WATCH read set, read, MULTI, queue writes, EXEC; nil EXEC
//                    is a watch-conflict abort, retried with backoff
//   lock             lease locks SET lock:{k} token NX PX ttl in global key
//                    order, then reads, then the writes in one MULTI/EXEC
//                    (one per slot on a cluster), released by
//                    compare-and-delete; busy ⇒ release all, back off, retry
//                    (no-wait)
//   lock-wait        as lock, but a busy lock is retried in place with backoff
//   lock-fenced      lock + fencing tokens: reads and writes go through
//   lock-wait-fenced scripts that refuse tokens below the highest seen
//   lock-2pc         lease locks + two-phase commit with intents per slot
//                    and a decision record; readers resolve intents they
//                    meet (atomic across cluster slots, crash-safe)
//   naive            GET then SET, no protection      (negative control)
//   multi-no-watch   reads outside, writes in MULTI    (negative control)
//
// On a slot-confined connection (a Redis Cluster) lua, watch and
// multi-no-watch refuse txns whose keys span slots (fail, cross-slot); the
// lock strategies and naive run them (see lock_strategy.cc for what `lock`
// then loses, lock_2pc_strategy.cc for the protocol).
//
// A Strategy object belongs to one client: it may keep per-client state
// (jitter Rng, lock-token counter) and is not thread-safe.
#ifndef TXLAB_IMPL_TXN_STRATEGY_H_
#define TXLAB_IMPL_TXN_STRATEGY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "impl/txn/backoff.h"
#include "impl/txn/connection.h"
#include "impl/txn/task.h"
#include "impl/txn/txn.h"

namespace txlab {

struct StrategyOptions {
  // Attempts per txn before it fails with give-up (1 = never retry).
  int max_attempts = 30;
  BackoffOptions backoff;
  // Lease of each lock.
  int64_t lock_ttl_ms = 100;
  // lock-wait: tries of one busy lock before the attempt aborts lock-busy.
  int lock_wait_tries = 20;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // The name it was made by ("watch", "lock-fenced", ...).
  virtual std::string_view name() const = 0;
  // Runs `txn` to an Outcome. Never throws for Redis errors: unexpected
  // replies become kFail (nothing was written) or kInfo (something may have
  // been). The connection and txn must outlive the returned task.
  virtual Task<Outcome> Run(Connection& conn, const Txn& txn) = 0;
};

// The names MakeStrategy accepts, in table order.
const std::vector<std::string>& StrategyNames();
// True for the deliberately unsafe strategies.
bool IsNegativeControl(std::string_view name);
// True for the strategies whose txns must keep all their keys in one cluster
// slot (one script, or one WATCH/MULTI/EXEC: SEMANTICS C4-C7): lua, watch,
// multi-no-watch. On a slot-confined connection they refuse a txn whose keys
// span slots (fail, cross-slot) before sending anything.
bool StrategyNeedsOneSlot(std::string_view name);

// Returns nullptr for an unknown name. `seed` seeds the strategy's own
// randomness (jitter, lock tokens); `client_id` makes lock tokens unique.
std::unique_ptr<Strategy> MakeStrategy(std::string_view name, const StrategyOptions& options,
                                       uint64_t seed, int64_t client_id);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_STRATEGY_H_
