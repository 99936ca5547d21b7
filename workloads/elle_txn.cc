#include "workloads/elle_txn.h"

namespace txlab {
namespace {

Edn MicroOpEdn(const MicroOp& op, const MicroResult* r, size_t prefix_len) {
  Edn key = Edn::Int(std::stoll(op.key.substr(prefix_len)));
  switch (op.kind) {
    case MicroOp::Kind::kAppend:
      return Edn::Vec({Edn::Kw("append"), key, Edn::Int(op.value)});
    case MicroOp::Kind::kWrite:
      return Edn::Vec({Edn::Kw("w"), key, Edn::Int(op.value)});
    case MicroOp::Kind::kReadList: {
      if (!r) return Edn::Vec({Edn::Kw("r"), key, Edn::Nil()});
      Edn::Vector list;
      for (int64_t v : r->list) list.push_back(Edn::Int(v));
      return Edn::Vec({Edn::Kw("r"), key, Edn::Vec(std::move(list))});
    }
    case MicroOp::Kind::kRead:
      return Edn::Vec({Edn::Kw("r"), key, r && r->value ? Edn::Int(*r->value) : Edn::Nil()});
    default:  // incr / transfer are not Elle micro-ops; not generated here
      return Edn::Vec({Edn::Kw("unknown"), key, Edn::Int(op.value)});
  }
}

}  // namespace

Edn ElleInvokeValue(const Txn& txn, size_t prefix_len) {
  Edn::Vector v;
  v.reserve(txn.ops.size());
  for (const MicroOp& op : txn.ops) v.push_back(MicroOpEdn(op, nullptr, prefix_len));
  return Edn::Vec(std::move(v));
}

Edn ElleOkValue(const Txn& txn, const TxnResult& result, size_t prefix_len) {
  Edn::Vector v;
  v.reserve(txn.ops.size());
  for (size_t i = 0; i < txn.ops.size(); ++i) v.push_back(MicroOpEdn(txn.ops[i], &result.ops[i], prefix_len));
  return Edn::Vec(std::move(v));
}

}  // namespace txlab
