// Strategy "watch": optimistic concurrency with WATCH/MULTI/EXEC.
//
//   WATCH <read set>; GET/LRANGE each; evaluate locally; MULTI; queue the
//   writes; EXEC.
// EXEC replies nil if any watched key was touched since WATCH (T-series in
// SEMANTICS §1): the attempt aborts with watch-conflict and is retried after
// a jittered exponential backoff, until max_attempts ⇒ give-up. Read-only
// txns also end in an (empty) MULTI/EXEC, which validates their snapshot.
// Write-only keys are not watched: blind writes need no validation.
#include "impl/txn/random.h"
#include "impl/txn/strategies.h"
#include "impl/txn/txn_eval.h"

namespace txlab {
namespace {

class WatchStrategy final : public Strategy {
 public:
  WatchStrategy(const StrategyOptions& o, uint64_t seed) : options_(o), rng_(seed) {}
  std::string_view name() const override { return "watch"; }

  Task<Outcome> Run(Connection& conn, const Txn& txn) override {
    if (std::optional<Outcome> refused = RefuseCrossSlot(conn, txn, name())) co_return std::move(*refused);
    AbortCounts aborts;
    const std::vector<std::string> read_keys = txn.ReadKeys();
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (attempt > 1) co_await conn.Sleep(BackoffDelayNs(options_.backoff, attempt - 1, rng_));
      if (!read_keys.empty()) {
        std::vector<std::string> watch = {"WATCH"};
        watch.insert(watch.end(), read_keys.begin(), read_keys.end());
        Reply r = co_await conn.Call(std::move(watch));
        if (r.is_error()) {
          aborts.Add(AbortReason::kCommandError);
          co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.str());
        }
      }
      StoreSnapshot snap;
      for (const std::string& k : read_keys) {
        Reply r = co_await conn.Call(ReadArgv(txn, k));
        if (!StoreRead(txn, k, r, &snap)) {
          co_await conn.Call(Cmd("UNWATCH"));
          aborts.Add(AbortReason::kCommandError);
          co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.ToString());
        }
      }
      Evaluation e = Evaluate(txn, snap);
      if (e.refused) {
        co_await conn.Call(Cmd("UNWATCH"));
        aborts.Add(AbortReason::kInsufficientFunds);
        co_return FailOutcome(AbortReason::kInsufficientFunds, attempt, aborts);
      }
      co_await conn.Call(Cmd("MULTI"));
      for (const WriteOp& w : e.writes) {
        Reply q = co_await conn.Call(w.Argv());
        if (q.is_error()) break;  // poisons the txn: EXEC replies EXECABORT
      }
      Reply r = co_await conn.Call(Cmd("EXEC"));
      if (r.is_nil()) {
        aborts.Add(AbortReason::kWatchConflict);
        continue;
      }
      if (r.is_error()) {
        AbortReason why = r.error_code() == "EXECABORT" ? AbortReason::kExecAbort : AbortReason::kCommandError;
        aborts.Add(why);
        // EXECABORT executes nothing; any other error (lost connection) is unknown.
        if (why == AbortReason::kExecAbort) co_return FailOutcome(why, attempt, aborts, r.str());
        co_return InfoOutcome(why, attempt, aborts, r.str());
      }
      for (const Reply& each : r.elems()) {
        if (each.is_error()) {  // run-time error inside EXEC: no rollback (T12)
          aborts.Add(AbortReason::kCommandError);
          co_return InfoOutcome(AbortReason::kCommandError, attempt, aborts, each.str());
        }
      }
      co_return OkOutcome(attempt, aborts, std::move(e.result));
    }
    aborts.Add(AbortReason::kGiveUp);
    co_return FailOutcome(AbortReason::kGiveUp, options_.max_attempts, aborts);
  }

 private:
  StrategyOptions options_;
  Rng rng_;
};

}  // namespace

std::unique_ptr<Strategy> MakeWatchStrategy(const StrategyOptions& o, uint64_t seed) {
  return std::make_unique<WatchStrategy>(o, seed);
}

}  // namespace txlab
