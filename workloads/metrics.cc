#include "workloads/metrics.h"

namespace txlab {

void StrategyMetrics::Add(const Outcome& o, uint64_t commands_used, int64_t latency) {
  ++txns;
  attempts += o.attempts;
  commands += commands_used;
  lock_waits += static_cast<uint64_t>(o.lock_waits);
  aborts += o.aborts;
  switch (o.kind) {
    case Outcome::Kind::kOk:
      ++commits;
      commit_attempts += o.attempts;
      commit_commands += commands_used;
      commit_lock_waits += static_cast<uint64_t>(o.lock_waits);
      latency_ns.Record(latency);
      break;
    case Outcome::Kind::kFail:
      ++fails;
      if (o.reason == AbortReason::kGiveUp) ++give_ups;
      if (o.reason == AbortReason::kInsufficientFunds) ++refused;
      break;
    case Outcome::Kind::kInfo:
      ++infos;
      break;
  }
}

void StrategyMetrics::Merge(const StrategyMetrics& o) {
  txns += o.txns;
  commits += o.commits;
  fails += o.fails;
  give_ups += o.give_ups;
  refused += o.refused;
  infos += o.infos;
  attempts += o.attempts;
  commit_attempts += o.commit_attempts;
  commands += o.commands;
  commit_commands += o.commit_commands;
  lock_waits += o.lock_waits;
  commit_lock_waits += o.commit_lock_waits;
  aborts += o.aborts;
  latency_ns.Merge(o.latency_ns);
}

double StrategyMetrics::AbortRate() const {
  // Aborted attempts: every attempt that did not end its txn, plus the
  // final attempts of txns that failed for a reason other than a refusal.
  uint64_t aborted = attempts - txns + (fails - refused);
  return attempts ? static_cast<double>(aborted) / static_cast<double>(attempts) : 0;
}

double StrategyMetrics::RetriesPerCommit() const {
  return commits ? static_cast<double>(commit_attempts - commits) / static_cast<double>(commits) : 0;
}

double StrategyMetrics::LockWaitsPerCommit() const {
  return commits ? static_cast<double>(commit_lock_waits) / static_cast<double>(commits) : 0;
}

double StrategyMetrics::CommandsPerCommit() const {
  return commits ? static_cast<double>(commit_commands) / static_cast<double>(commits) : 0;
}

double StrategyMetrics::Throughput(int64_t elapsed_ns) const {
  return elapsed_ns > 0 ? static_cast<double>(commits) * 1e9 / static_cast<double>(elapsed_ns) : 0;
}

nlohmann::json StrategyMetrics::ToJson(int64_t elapsed_ns) const {
  nlohmann::json by_reason = nlohmann::json::object();
  for (size_t i = 0; i < kAbortReasonCount; ++i) {
    by_reason[std::string(AbortReasonName(static_cast<AbortReason>(i)))] = aborts.n[i];
  }
  const Histogram& h = latency_ns;
  return {
      {"strategy", strategy},
      {"txns", txns},
      {"commits", commits},
      {"fails", fails},
      {"give_ups", give_ups},
      {"refused", refused},
      {"infos", infos},
      {"attempts", attempts},
      {"throughput_commits_per_s", Throughput(elapsed_ns)},
      {"abort_rate", AbortRate()},
      {"retries_per_commit", RetriesPerCommit()},
      {"lock_waits", lock_waits},
      {"lock_waits_per_commit", LockWaitsPerCommit()},
      {"commands_per_commit", CommandsPerCommit()},
      {"aborts_by_reason", by_reason},
      {"latency_ns",
       {{"count", h.count()},
        {"mean", h.mean()},
        {"min", h.min()},
        {"p50", h.Percentile(0.50)},
        {"p90", h.Percentile(0.90)},
        {"p99", h.Percentile(0.99)},
        {"p99.9", h.Percentile(0.999)},
        {"max", h.max()}}},
  };
}

}  // namespace txlab
