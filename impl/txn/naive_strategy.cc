// Strategy "naive" (negative control): GET the read set, evaluate locally,
// SET the results, one command at a time. Nothing stops another client from
// writing between our read and our write, so concurrent read-modify-writes
// lose updates (bank money appears or vanishes, counter increments vanish)
// and multi-key reads see torn states. The checkers must catch it.
#include "impl/txn/strategies.h"
#include "impl/txn/unprotected_read.h"

namespace txlab {
namespace {

class NaiveStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "naive"; }

  Task<Outcome> Run(Connection& conn, const Txn& txn) override {
    AbortCounts aborts;
    UnprotectedRead read = co_await ReadUnprotected(conn, txn, aborts);
    if (read.failed) co_return std::move(*read.failed);
    Evaluation& e = read.eval;
    bool wrote = false;
    for (const WriteOp& w : e.writes) {
      Reply r = co_await conn.Call(w.Argv());
      if (r.is_error()) {
        aborts.Add(AbortReason::kCommandError);
        if (!wrote) co_return FailOutcome(AbortReason::kCommandError, 1, aborts, r.str());
        co_return InfoOutcome(AbortReason::kCommandError, 1, aborts, r.str());
      }
      wrote = true;
    }
    Outcome out;
    out.attempts = 1;
    out.result = std::move(e.result);
    co_return out;
  }
};

}  // namespace

std::unique_ptr<Strategy> MakeNaiveStrategy(const StrategyOptions&, uint64_t) {
  return std::make_unique<NaiveStrategy>();
}

}  // namespace txlab
