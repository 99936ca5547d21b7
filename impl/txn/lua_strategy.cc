// Strategy "lua": the whole transaction is one EVALSHA of TxnScript. A
// script runs atomically in Redis (no other command interleaves), so there is
// nothing to retry: no conflicts, no locks. The cost is that the logic must
// be expressible server-side and all keys known up front.
#include <algorithm>

#include "impl/txn/script.h"
#include "impl/txn/strategies.h"
#include "impl/txn/txn_eval.h"

namespace txlab {
namespace {

char Code(MicroOp::Kind k) {
  switch (k) {
    case MicroOp::Kind::kRead: return 'r';
    case MicroOp::Kind::kWrite: return 'w';
    case MicroOp::Kind::kIncr: return 'i';
    case MicroOp::Kind::kTransfer: return 't';
    case MicroOp::Kind::kAppend: return 'a';
    case MicroOp::Kind::kReadList: return 'l';
  }
  return '?';
}

class LuaStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "lua"; }

  Task<Outcome> Run(Connection& conn, const Txn& txn) override {
    if (std::optional<Outcome> refused = RefuseCrossSlot(conn, txn, name())) co_return std::move(*refused);
    std::vector<std::string> keys;
    std::vector<std::string> args;
    args.reserve(4 * txn.ops.size());
    auto index_of = [&](const std::string& k) {
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) {
        keys.push_back(k);
        return keys.size();
      }
      return static_cast<size_t>(it - keys.begin()) + 1;
    };
    for (const MicroOp& op : txn.ops) {
      args.push_back(std::string(1, Code(op.kind)));
      args.push_back(std::to_string(index_of(op.key)));
      args.push_back(op.kind == MicroOp::Kind::kTransfer ? std::to_string(index_of(op.key2)) : "0");
      args.push_back(std::to_string(op.value));
    }
    Reply r = co_await RunScript(conn, TxnScript(), keys, args);
    AbortCounts aborts;
    if (r.is_error()) {
      if (r.error_code() == "INSUFFICIENT") {
        aborts.Add(AbortReason::kInsufficientFunds);
        co_return FailOutcome(AbortReason::kInsufficientFunds, 1, aborts, r.str());
      }
      // Refused before running (C7: keys of several slots): nothing written.
      if (r.error_code() == "CROSSSLOT") {
        aborts.Add(AbortReason::kCrossSlot);
        co_return FailOutcome(AbortReason::kCrossSlot, 1, aborts, r.str());
      }
      // A script error mid-way does not roll back (SEMANTICS S7): unknown.
      aborts.Add(AbortReason::kScriptError);
      co_return InfoOutcome(AbortReason::kScriptError, 1, aborts, r.str());
    }
    Outcome out;
    out.attempts = 1;
    if (r.type() != Reply::Type::kArray || r.elems().size() != txn.ops.size()) {
      aborts.Add(AbortReason::kScriptError);
      co_return InfoOutcome(AbortReason::kScriptError, 1, aborts, "unexpected reply " + r.ToString());
    }
    for (size_t i = 0; i < txn.ops.size(); ++i) {
      MicroResult mr;
      const Reply& e = r.elems()[i];
      bool ok = true;
      switch (txn.ops[i].kind) {
        case MicroOp::Kind::kRead:
        case MicroOp::Kind::kIncr:
          ok = ParseRegister(e, &mr.value);
          break;
        case MicroOp::Kind::kReadList:
          ok = ParseList(e, &mr.list);
          break;
        default:
          break;
      }
      if (!ok) {
        aborts.Add(AbortReason::kScriptError);
        co_return InfoOutcome(AbortReason::kScriptError, 1, aborts, "unexpected element " + e.ToString());
      }
      out.result.ops.push_back(std::move(mr));
    }
    co_return out;
  }
};

}  // namespace

std::unique_ptr<Strategy> MakeLuaStrategy(const StrategyOptions&, uint64_t) {
  return std::make_unique<LuaStrategy>();
}

}  // namespace txlab
