// Workload "list-append" (Elle). Each txn has min_ops..max_ops micro-ops over
// `keys` list keys: append a value unique across the run, or read the whole
// list. Appends with unique values make every read reveal a prefix of the
// key's version order, which lets the isolation checker infer the
// dependency graph and find cycles (SEMANTICS §6.2). As in Elle, a key takes
// at most max_writes_per_key appends and is then replaced by a fresh key, so
// that reads stay short and the run's cost linear: `keys` slots, and slot i
// holds key i + keys * generation.
#include <atomic>
#include <cstdint>
#include <memory>

#include "workloads/elle_txn.h"
#include "workloads/workload.h"

namespace txlab {
namespace {

constexpr char kPrefix[] = "la:";

class ListAppend final : public Workload {
 public:
  explicit ListAppend(const WorkloadOptions& o)
      : o_(o), prefix_(o.KeyPrefix(kPrefix)), appends_(std::make_unique<std::atomic<int64_t>[]>(o.keys)) {
    for (int i = 0; i < o.keys; ++i) appends_[i].store(0);
  }
  std::string_view name() const override { return "list-append"; }

  Txn Next(Rng& rng) override {
    Txn t;
    int n = static_cast<int>(rng.Range(o_.min_ops, o_.max_ops));
    for (int i = 0; i < n; ++i) {
      const int slot = static_cast<int>(rng.Uniform(o_.keys));
      if (rng.Bernoulli(o_.ReadFraction(0.5))) {
        t.ops.push_back({MicroOp::Kind::kReadList, Key(slot, appends_[slot].load()), {}, 0});
      } else {
        const int64_t nth = appends_[slot].fetch_add(1);
        t.ops.push_back({MicroOp::Kind::kAppend, Key(slot, nth), {}, next_value_.fetch_add(1)});
      }
    }
    return t;
  }

  // Every key ever used, in one txn.
  std::vector<Txn> FinalReads() const override {
    Txn t;
    for (int slot = 0; slot < o_.keys; ++slot) {
      const int64_t n = appends_[slot].load();
      for (int64_t nth = 0; nth == 0 || nth < n; nth += PerKey()) {
        t.ops.push_back({MicroOp::Kind::kReadList, Key(slot, nth), {}, 0});
      }
    }
    return {t};
  }

  std::string HistoryF(const Txn&) const override { return "txn"; }
  Edn InvokeValue(const Txn& t) const override { return ElleInvokeValue(t, prefix_.size()); }
  Edn OkValue(const Txn& t, const TxnResult& r) const override { return ElleOkValue(t, r, prefix_.size()); }

 private:
  int64_t PerKey() const { return o_.max_writes_per_key > 0 ? o_.max_writes_per_key : INT64_MAX; }
  // The key of `slot` once it has taken `nth` appends.
  std::string Key(int slot, int64_t nth) const {
    return prefix_ + std::to_string(slot + int64_t{o_.keys} * (nth / PerKey()));
  }

  WorkloadOptions o_;
  std::string prefix_;
  std::unique_ptr<std::atomic<int64_t>[]> appends_;  // per slot
  std::atomic<int64_t> next_value_{1};
};

}  // namespace

std::unique_ptr<Workload> MakeListAppendWorkload(const WorkloadOptions& o) {
  return std::make_unique<ListAppend>(o);
}

}  // namespace txlab
