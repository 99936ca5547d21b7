// Workload "rw-register" (Elle). Each txn has min_ops..max_ops micro-ops
// over `keys` registers: write a value unique across the run, or read.
// Unique values make every read recoverable: the checker knows which write
// it observed.
#include <atomic>

#include "workloads/elle_txn.h"
#include "workloads/workload.h"

namespace txlab {
namespace {

constexpr char kPrefix[] = "rw:";

class RwRegister final : public Workload {
 public:
  explicit RwRegister(const WorkloadOptions& o) : o_(o), prefix_(o.KeyPrefix(kPrefix)) {}
  std::string_view name() const override { return "rw-register"; }

  Txn Next(Rng& rng) override {
    Txn t;
    int n = static_cast<int>(rng.Range(o_.min_ops, o_.max_ops));
    for (int i = 0; i < n; ++i) {
      std::string key = prefix_ + std::to_string(rng.Uniform(o_.keys));
      if (rng.Bernoulli(o_.ReadFraction(0.5))) {
        t.ops.push_back({MicroOp::Kind::kRead, std::move(key), {}, 0});
      } else {
        t.ops.push_back({MicroOp::Kind::kWrite, std::move(key), {}, next_value_.fetch_add(1)});
      }
    }
    return t;
  }

  std::vector<Txn> FinalReads() const override {
    Txn t;
    for (int k = 0; k < o_.keys; ++k) t.ops.push_back({MicroOp::Kind::kRead, prefix_ + std::to_string(k), {}, 0});
    return {t};
  }

  std::string HistoryF(const Txn&) const override { return "txn"; }
  Edn InvokeValue(const Txn& t) const override { return ElleInvokeValue(t, prefix_.size()); }
  Edn OkValue(const Txn& t, const TxnResult& r) const override { return ElleOkValue(t, r, prefix_.size()); }

 private:
  WorkloadOptions o_;
  std::string prefix_;
  std::atomic<int64_t> next_value_{1};
};

}  // namespace

std::unique_ptr<Workload> MakeRwRegisterWorkload(const WorkloadOptions& o) {
  return std::make_unique<RwRegister>(o);
}

}  // namespace txlab
