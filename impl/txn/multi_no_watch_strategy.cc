// Strategy "multi-no-watch" (negative control): the common mistake of
// believing MULTI makes a read-modify-write atomic. Reads run outside the
// transaction (commands queued in MULTI cannot return values to the client
// before EXEC), writes are queued in MULTI and applied atomically by EXEC,
// but without WATCH nothing checks that the reads are still current: lost
// updates remain. Read-only txns are plain reads (torn multi-key reads).
#include "impl/txn/strategies.h"
#include "impl/txn/unprotected_read.h"

namespace txlab {
namespace {

class MultiNoWatchStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "multi-no-watch"; }

  Task<Outcome> Run(Connection& conn, const Txn& txn) override {
    if (std::optional<Outcome> refused = RefuseCrossSlot(conn, txn, name())) co_return std::move(*refused);
    AbortCounts aborts;
    UnprotectedRead read = co_await ReadUnprotected(conn, txn, aborts);
    if (read.failed) co_return std::move(*read.failed);
    Evaluation& e = read.eval;
    if (!e.writes.empty()) {
      co_await conn.Call(Cmd("MULTI"));
      for (const WriteOp& w : e.writes) {
        Reply q = co_await conn.Call(w.Argv());
        if (q.is_error()) break;  // EXEC will reply EXECABORT
      }
      Reply r = co_await conn.Call(Cmd("EXEC"));
      if (r.is_error()) {
        AbortReason why = r.error_code() == "EXECABORT" ? AbortReason::kExecAbort : AbortReason::kCommandError;
        aborts.Add(why);
        if (why == AbortReason::kExecAbort) co_return FailOutcome(why, 1, aborts, r.str());
        co_return InfoOutcome(why, 1, aborts, r.str());
      }
      if (r.type() != Reply::Type::kArray) {
        aborts.Add(AbortReason::kCommandError);
        co_return InfoOutcome(AbortReason::kCommandError, 1, aborts, r.ToString());
      }
    }
    Outcome out;
    out.attempts = 1;
    out.result = std::move(e.result);
    co_return out;
  }
};

}  // namespace

std::unique_ptr<Strategy> MakeMultiNoWatchStrategy(const StrategyOptions&, uint64_t) {
  return std::make_unique<MultiNoWatchStrategy>();
}

}  // namespace txlab
