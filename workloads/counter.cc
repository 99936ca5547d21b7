// Workload "counter": read-modify-write increments (GET, add, SET, as the
// strategy sees fit) of a few hot keys, and single-key reads. A lost update
// shows as a read below the number of acknowledged increments. History
// shape of checkers/invariants/counter.h (named counters):
//   {:f :incr, :value [k 1]}
//   {:f :read, :value nil} -> {:f :read, :value {k 17}}
// The final read reads every counter in one txn.
#include "workloads/workload.h"

namespace txlab {
namespace {

enum Tag : uint8_t { kIncr = 0, kRead = 1 };

class Counter final : public Workload {
 public:
  explicit Counter(const WorkloadOptions& o) : o_(o), prefix_(o.KeyPrefix("ctr:")) {}
  std::string_view name() const override { return "counter"; }

  Txn Next(Rng& rng) override {
    Txn t;
    int k = static_cast<int>(rng.Uniform(o_.counter_keys));
    if (rng.Bernoulli(o_.ReadFraction(0.1))) {
      t.tag = kRead;
      t.ops.push_back({MicroOp::Kind::kRead, CounterKey(k), {}, 0});
    } else {
      t.tag = kIncr;
      t.ops.push_back({MicroOp::Kind::kIncr, CounterKey(k), {}, 1});
    }
    return t;
  }

  std::vector<Txn> FinalReads() const override {
    Txn t;
    t.tag = kRead;
    for (int i = 0; i < o_.counter_keys; ++i) t.ops.push_back({MicroOp::Kind::kRead, CounterKey(i), {}, 0});
    return {t};
  }

  std::string HistoryF(const Txn& t) const override { return t.tag == kIncr ? "incr" : "read"; }

  Edn InvokeValue(const Txn& t) const override {
    if (t.tag == kRead) return Edn::Nil();
    return Edn::Vec({Edn::Int(Index(t.ops[0].key)), Edn::Int(t.ops[0].value)});
  }

  Edn OkValue(const Txn& t, const TxnResult& r) const override {
    if (t.tag == kIncr) return InvokeValue(t);
    Edn::Map m;
    for (size_t i = 0; i < t.ops.size(); ++i) {
      m.emplace_back(Edn::Int(Index(t.ops[i].key)), Edn::Int(r.ops[i].value.value_or(0)));
    }
    return Edn::MapOf(std::move(m));
  }

 private:
  std::string CounterKey(int i) const { return prefix_ + std::to_string(i); }
  int64_t Index(const std::string& key) const { return std::stoll(key.substr(prefix_.size())); }
  WorkloadOptions o_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<Workload> MakeCounterWorkload(const WorkloadOptions& o) { return std::make_unique<Counter>(o); }

}  // namespace txlab
