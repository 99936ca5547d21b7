// Workload "bank" (Jepsen's bank test). N accounts start with the same
// balance; transfers move 1..max_transfer from one account to another and are
// refused rather than overdraw; read txns read every account. Whatever the
// interleaving, a serializable store keeps every read's sum equal to the
// initial total. History shape (Jepsen):
//   {:f :transfer, :value {:from 0, :to 3, :amount 4}}
//   {:f :read, :value nil} -> {:f :read, :value {0 100, 1 97, ...}}
#include "workloads/workload.h"

namespace txlab {
namespace {

enum Tag : uint8_t { kTransfer = 0, kRead = 1 };

class Bank final : public Workload {
 public:
  explicit Bank(const WorkloadOptions& o) : o_(o), prefix_(o.KeyPrefix("acct:")) {}
  std::string_view name() const override { return "bank"; }

  // One SET per account: untagged accounts span cluster slots, where one
  // MSET would be refused (CROSSSLOT).
  std::vector<std::vector<std::string>> SetupCommands() const override {
    std::vector<std::vector<std::string>> sets;
    for (int i = 0; i < o_.accounts; ++i) sets.push_back({"SET", Account(i), std::to_string(o_.initial_balance)});
    return sets;
  }

  Txn Next(Rng& rng) override {
    if (rng.Bernoulli(o_.ReadFraction(0.25))) return ReadAll();
    Txn t;
    t.tag = kTransfer;
    int from = static_cast<int>(rng.Uniform(o_.accounts));
    int to = static_cast<int>(rng.Uniform(o_.accounts - 1));
    if (to >= from) ++to;
    t.ops.push_back({MicroOp::Kind::kTransfer, Account(from), Account(to), rng.Range(1, o_.max_transfer)});
    return t;
  }

  std::vector<Txn> FinalReads() const override { return {ReadAll()}; }

  Txn ReadAll() const {
    Txn t;
    t.tag = kRead;
    for (int i = 0; i < o_.accounts; ++i) t.ops.push_back({MicroOp::Kind::kRead, Account(i), {}, 0});
    return t;
  }

  std::string HistoryF(const Txn& t) const override { return t.tag == kRead ? "read" : "transfer"; }

  Edn InvokeValue(const Txn& t) const override {
    if (t.tag == kRead) return Edn::Nil();
    const MicroOp& op = t.ops[0];
    return Edn::MapOf({{Edn::Kw("from"), Edn::Int(Index(op.key))},
                       {Edn::Kw("to"), Edn::Int(Index(op.key2))},
                       {Edn::Kw("amount"), Edn::Int(op.value)}});
  }

  Edn OkValue(const Txn& t, const TxnResult& r) const override {
    if (t.tag != kRead) return InvokeValue(t);
    Edn::Map m;
    for (size_t i = 0; i < t.ops.size(); ++i) {
      const auto& v = r.ops[i].value;
      m.emplace_back(Edn::Int(Index(t.ops[i].key)), v ? Edn::Int(*v) : Edn::Nil());
    }
    return Edn::MapOf(std::move(m));
  }

  int64_t ExpectedTotal() const override { return o_.accounts * o_.initial_balance; }

 private:
  std::string Account(int i) const { return prefix_ + std::to_string(i); }
  int64_t Index(const std::string& key) const { return std::stoll(key.substr(prefix_.size())); }
  WorkloadOptions o_;
  std::string prefix_;
};

}  // namespace

std::unique_ptr<Workload> MakeBankWorkload(const WorkloadOptions& o) { return std::make_unique<Bank>(o); }

}  // namespace txlab
