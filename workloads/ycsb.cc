// Workload "ycsb": YCSB-style transactions of ops_per_txn micro-ops over
// ycsb_keys registers chosen by zipf(θ); each micro-op is a read with
// probability read_fraction, else a write of a value unique across the run
// (so the rw-register isolation check applies to its histories too).
#include <atomic>

#include "workloads/elle_txn.h"
#include "workloads/workload.h"
#include "workloads/zipf.h"

namespace txlab {
namespace {

constexpr char kPrefix[] = "y:";

class Ycsb final : public Workload {
 public:
  explicit Ycsb(const WorkloadOptions& o) : o_(o), prefix_(o.KeyPrefix(kPrefix)), zipf_(o.ycsb_keys, o.zipf_theta) {}
  std::string_view name() const override { return "ycsb"; }

  Txn Next(Rng& rng) override {
    Txn t;
    for (int i = 0; i < o_.ops_per_txn; ++i) {
      std::string key = prefix_ + std::to_string(zipf_.Next(rng));
      if (rng.Bernoulli(o_.ReadFraction(0.5))) {
        t.ops.push_back({MicroOp::Kind::kRead, std::move(key), {}, 0});
      } else {
        t.ops.push_back({MicroOp::Kind::kWrite, std::move(key), {}, next_value_.fetch_add(1)});
      }
    }
    return t;
  }

  // The hottest keys only: reading all ycsb_keys would dwarf the run.
  std::vector<Txn> FinalReads() const override {
    Txn t;
    int n = o_.ycsb_keys < 16 ? o_.ycsb_keys : 16;
    for (int k = 0; k < n; ++k) t.ops.push_back({MicroOp::Kind::kRead, prefix_ + std::to_string(k), {}, 0});
    return {t};
  }

  std::string HistoryF(const Txn&) const override { return "txn"; }
  Edn InvokeValue(const Txn& t) const override { return ElleInvokeValue(t, prefix_.size()); }
  Edn OkValue(const Txn& t, const TxnResult& r) const override { return ElleOkValue(t, r, prefix_.size()); }

 private:
  WorkloadOptions o_;
  std::string prefix_;
  Zipf zipf_;
  std::atomic<int64_t> next_value_{1};
};

}  // namespace

std::unique_ptr<Workload> MakeYcsbWorkload(const WorkloadOptions& o) { return std::make_unique<Ycsb>(o); }

}  // namespace txlab
