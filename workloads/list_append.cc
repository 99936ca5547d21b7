// Workload "list-append" (Elle). Each txn has min_ops..max_ops micro-ops over
// `keys` list keys: append a value unique across the run, or read the whole
// list. Appends with unique values make every read reveal a prefix of the
// key's version order, which lets the isolation checker infer the
// dependency graph and find cycles (SEMANTICS §6.2).
#include <atomic>

#include "workloads/elle_txn.h"
#include "workloads/workload.h"

namespace txlab {
namespace {

constexpr char kPrefix[] = "la:";
constexpr size_t kPrefixLen = sizeof(kPrefix) - 1;

class ListAppend final : public Workload {
 public:
  explicit ListAppend(const WorkloadOptions& o) : o_(o) {}
  std::string_view name() const override { return "list-append"; }

  Txn Next(Rng& rng) override {
    Txn t;
    int n = static_cast<int>(rng.Range(o_.min_ops, o_.max_ops));
    for (int i = 0; i < n; ++i) {
      std::string key = kPrefix + std::to_string(rng.Uniform(o_.keys));
      if (rng.Bernoulli(o_.ReadFraction(0.5))) {
        t.ops.push_back({MicroOp::Kind::kReadList, std::move(key), {}, 0});
      } else {
        t.ops.push_back({MicroOp::Kind::kAppend, std::move(key), {}, next_value_.fetch_add(1)});
      }
    }
    return t;
  }

  std::vector<Txn> FinalReads() const override {
    Txn t;
    for (int k = 0; k < o_.keys; ++k) t.ops.push_back({MicroOp::Kind::kReadList, kPrefix + std::to_string(k), {}, 0});
    return {t};
  }

  std::string HistoryF(const Txn&) const override { return "txn"; }
  Edn InvokeValue(const Txn& t) const override { return ElleInvokeValue(t, kPrefixLen); }
  Edn OkValue(const Txn& t, const TxnResult& r) const override { return ElleOkValue(t, r, kPrefixLen); }

 private:
  WorkloadOptions o_;
  std::atomic<int64_t> next_value_{1};
};

}  // namespace

std::unique_ptr<Workload> MakeListAppendWorkload(const WorkloadOptions& o) {
  return std::make_unique<ListAppend>(o);
}

}  // namespace txlab
