#include "impl/txn/strategy.h"

#include "impl/txn/strategies.h"

#include "impl/txn/slots.h"

namespace txlab {

const std::vector<std::string>& StrategyNames() {
  static const std::vector<std::string> names = {
      "lua",      "watch", "lock", "lock-wait", "lock-fenced", "lock-wait-fenced",
      "lock-2pc", "naive", "multi-no-watch"};
  return names;
}

bool IsNegativeControl(std::string_view name) {
  return name == "naive" || name == "multi-no-watch";
}

bool StrategyNeedsOneSlot(std::string_view name) {
  return name == "lua" || name == "watch" || name == "multi-no-watch";
}

std::unique_ptr<Strategy> MakeStrategy(std::string_view name, const StrategyOptions& o, uint64_t seed,
                                       int64_t client_id) {
  if (name == "lua") return MakeLuaStrategy(o, seed);
  if (name == "watch") return MakeWatchStrategy(o, seed);
  if (name == "lock") return MakeLockStrategy(o, seed, client_id, false, false);
  if (name == "lock-wait") return MakeLockStrategy(o, seed, client_id, true, false);
  if (name == "lock-fenced") return MakeLockStrategy(o, seed, client_id, false, true);
  if (name == "lock-wait-fenced") return MakeLockStrategy(o, seed, client_id, true, true);
  if (name == "lock-2pc") return MakeLock2pcStrategy(o, seed, client_id);
  if (name == "naive") return MakeNaiveStrategy(o, seed);
  if (name == "multi-no-watch") return MakeMultiNoWatchStrategy(o, seed);
  return nullptr;
}

Outcome OkOutcome(int attempts, const AbortCounts& aborts, TxnResult result) {
  Outcome o;
  o.attempts = attempts;
  o.aborts = aborts;
  o.result = std::move(result);
  return o;
}

Outcome FailOutcome(AbortReason reason, int attempts, const AbortCounts& aborts, std::string detail) {
  Outcome o;
  o.kind = Outcome::Kind::kFail;
  o.reason = reason;
  o.attempts = attempts;
  o.aborts = aborts;
  o.detail = std::move(detail);
  return o;
}

std::optional<Outcome> RefuseCrossSlot(const Connection& conn, const Txn& txn, std::string_view strategy) {
  if (!conn.slot_confined()) return std::nullopt;
  const std::vector<std::string> keys = txn.SortedKeys();
  for (size_t i = 1; i < keys.size(); ++i) {
    if (KeySlot(keys[i]) != KeySlot(keys[0])) {
      AbortCounts aborts;
      aborts.Add(AbortReason::kCrossSlot);
      return FailOutcome(AbortReason::kCrossSlot, 1, aborts,
                         std::string(strategy) + " needs one cluster slot per txn: " + keys[0] + " is in slot " +
                             std::to_string(KeySlot(keys[0])) + ", " + keys[i] + " in slot " +
                             std::to_string(KeySlot(keys[i])) + " (hash-tag the keys: --key-tags)");
    }
  }
  return std::nullopt;
}

Outcome InfoOutcome(AbortReason reason, int attempts, const AbortCounts& aborts, std::string detail) {
  Outcome o = FailOutcome(reason, attempts, aborts, std::move(detail));
  o.kind = Outcome::Kind::kInfo;
  return o;
}

}  // namespace txlab
