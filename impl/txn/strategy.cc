#include "impl/txn/strategy.h"

#include "impl/txn/strategies.h"

namespace txlab {

const std::vector<std::string>& StrategyNames() {
  static const std::vector<std::string> names = {
      "lua", "watch", "lock", "lock-wait", "lock-fenced", "lock-wait-fenced", "naive", "multi-no-watch"};
  return names;
}

bool IsNegativeControl(std::string_view name) {
  return name == "naive" || name == "multi-no-watch";
}

std::unique_ptr<Strategy> MakeStrategy(std::string_view name, const StrategyOptions& o, uint64_t seed,
                                       int64_t client_id) {
  if (name == "lua") return MakeLuaStrategy(o, seed);
  if (name == "watch") return MakeWatchStrategy(o, seed);
  if (name == "lock") return MakeLockStrategy(o, seed, client_id, false, false);
  if (name == "lock-wait") return MakeLockStrategy(o, seed, client_id, true, false);
  if (name == "lock-fenced") return MakeLockStrategy(o, seed, client_id, false, true);
  if (name == "lock-wait-fenced") return MakeLockStrategy(o, seed, client_id, true, true);
  if (name == "naive") return MakeNaiveStrategy(o, seed);
  if (name == "multi-no-watch") return MakeMultiNoWatchStrategy(o, seed);
  return nullptr;
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

Outcome InfoOutcome(AbortReason reason, int attempts, const AbortCounts& aborts, std::string detail) {
  Outcome o = FailOutcome(reason, attempts, aborts, std::move(detail));
  o.kind = Outcome::Kind::kInfo;
  return o;
}

}  // namespace txlab
