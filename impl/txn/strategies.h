// Constructors of the individual strategies (one file each), used by
// MakeStrategy. Internal to impl/txn.
#ifndef TXLAB_IMPL_TXN_STRATEGIES_H_
#define TXLAB_IMPL_TXN_STRATEGIES_H_

#include <memory>
#include <optional>
#include <string_view>

#include "impl/txn/strategy.h"

namespace txlab {

std::unique_ptr<Strategy> MakeLuaStrategy(const StrategyOptions& o, uint64_t seed);
std::unique_ptr<Strategy> MakeWatchStrategy(const StrategyOptions& o, uint64_t seed);
std::unique_ptr<Strategy> MakeLockStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id,
                                           bool wait, bool fenced);
std::unique_ptr<Strategy> MakeLock2pcStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id);
std::unique_ptr<Strategy> MakeNaiveStrategy(const StrategyOptions& o, uint64_t seed);
std::unique_ptr<Strategy> MakeMultiNoWatchStrategy(const StrategyOptions& o, uint64_t seed);

// Helpers shared by the strategies.
// The Outcome of a txn that committed on attempt `attempts` with `result`.
Outcome OkOutcome(int attempts, const AbortCounts& aborts, TxnResult result);
// An Outcome that failed with `reason` after `attempts` attempts.
Outcome FailOutcome(AbortReason reason, int attempts, const AbortCounts& aborts, std::string detail = {});
Outcome InfoOutcome(AbortReason reason, int attempts, const AbortCounts& aborts, std::string detail = {});
// For the one-slot strategies (StrategyNeedsOneSlot) on a slot-confined
// connection: the refusal (fail, cross-slot, nothing sent) of a txn whose
// keys span cluster slots; nullopt when it may run.
std::optional<Outcome> RefuseCrossSlot(const Connection& conn, const Txn& txn, std::string_view strategy);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_STRATEGIES_H_
