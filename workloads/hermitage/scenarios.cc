#include "workloads/hermitage/scenarios.h"

#include <algorithm>

#include <fmt/format.h>

namespace txlab::hermitage {
namespace {

MicroOp R(const std::string& k) { return MicroOp{MicroOp::Kind::kRead, k, "", 0}; }
MicroOp W(const std::string& k, int64_t v) { return MicroOp{MicroOp::Kind::kWrite, k, "", v}; }

Txn T(std::vector<MicroOp> ops) {
  Txn t;
  t.ops = std::move(ops);
  return t;
}

// A predicate read: every key of the universe, absent ones included.
void Scan(std::vector<MicroOp>* ops) {
  for (const std::string& k : UniverseKeys()) ops->push_back(R(k));
}

bool Committed(const Observation& o, size_t i) { return o.outcomes[i].kind == Outcome::Kind::kOk; }

// The value micro-op `op` of client `i` read (REQUIRES: committed).
std::optional<int64_t> Read(const Observation& o, size_t i, size_t op) { return o.outcomes[i].result.ops[op].value; }

std::string Show(std::optional<int64_t> v) { return v ? std::to_string(*v) : "nil"; }

// The final value of `k` if the committed txns among `txns` ran one after
// another in the order `perm`, starting from the setup state. Only blind
// writes matter for the scenarios this serves (G0).
std::map<std::string, std::optional<int64_t>> SerialFinal(const std::vector<Txn>& txns, const std::vector<int>& perm) {
  std::map<std::string, std::optional<int64_t>> s;
  for (const std::string& k : UniverseKeys()) s[k] = std::nullopt;
  s["k1"] = 10;
  s["k2"] = 20;
  for (int i : perm) {
    for (const MicroOp& op : txns[i].ops) {
      if (op.kind == MicroOp::Kind::kWrite) s[op.key] = op.value;
    }
  }
  return s;
}

// "" if the final state equals that of some serial order of the committed
// txns, else a description of the state.
std::string FinalNotSerial(const std::vector<Txn>& txns, const Observation& o) {
  std::vector<int> perm;
  for (size_t i = 0; i < txns.size(); ++i) {
    if (Committed(o, i)) perm.push_back(static_cast<int>(i));
  }
  do {
    if (SerialFinal(txns, perm) == o.final_state) return "";
  } while (std::next_permutation(perm.begin(), perm.end()));
  return fmt::format("final k1={} k2={} is no serial order of the {} committed txns", Show(o.final_state.at("k1")),
                     Show(o.final_state.at("k2")), txns.size());
}

std::vector<Scenario> Build() {
  std::vector<Scenario> v;

  {  // G0: write cycles (dirty writes).
    Scenario s;
    s.id = "G0";
    s.title = "write cycle (dirty write): final state mixes two txns' writes";
    s.txns = {T({W("k1", 11), W("k2", 21)}), T({W("k1", 12), W("k2", 22)})};
    s.primary = {0, 1, 0, 0, 1, 1};
    const std::vector<Txn> txns = s.txns;
    s.check = [txns](const Observation& o) { return FinalNotSerial(txns, o); };
    s.elle = true;
    s.mapping = "T1 = w k1 11, w k2 21; T2 = w k1 12, w k2 22";
    v.push_back(std::move(s));
  }
  {  // G1a: aborted reads. The abort is a refused transfer (the only
     // voluntary abort a Txn has), which comes before the write.
    Scenario s;
    s.id = "G1a";
    s.title = "aborted read: a txn sees a write of a txn that aborted";
    Txn t1;
    t1.ops = {MicroOp{MicroOp::Kind::kTransfer, "k2", "k1", 1000}, W("k1", 101)};
    s.txns = {t1, T({R("k1")})};
    s.primary = {0, 1, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 0)) return "T1 committed although its transfer must be refused";
      if (Committed(o, 1) && Read(o, 1, 0) == 101) return "T2 read k1=101 written by aborted T1";
      if (o.final_state.at("k1") == 101) return "aborted T1's k1=101 persisted";
      return "";
    };
    s.mapping = "T1 = transfer 1000 k2->k1 (refused: k2=20), w k1 101; T2 = r k1";
    v.push_back(std::move(s));
  }
  {  // G1b: intermediate reads.
    Scenario s;
    s.id = "G1b";
    s.title = "intermediate read: a txn sees a value its writer later overwrote";
    s.txns = {T({W("k1", 101), W("k1", 11)}), T({R("k1")})};
    s.primary = {0, 1, 0, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 1) && Read(o, 1, 0) == 101) return "T2 read intermediate k1=101";
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = w k1 101, w k1 11; T2 = r k1";
    v.push_back(std::move(s));
  }
  {  // G1c: circular information flow.
    Scenario s;
    s.id = "G1c";
    s.title = "circular information flow: each txn sees the other's write";
    s.txns = {T({W("k1", 11), R("k2")}), T({W("k2", 22), R("k1")})};
    s.primary = {0, 1, 0, 1, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 0) && Committed(o, 1) && Read(o, 0, 1) == 22 && Read(o, 1, 1) == 11) {
        return "T1 read k2=22 (T2's) and T2 read k1=11 (T1's)";
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = w k1 11, r k2; T2 = w k2 22, r k1";
    v.push_back(std::move(s));
  }
  {  // OTV: observed transaction vanishes.
    Scenario s;
    s.id = "OTV";
    s.title = "observed txn vanishes: a reader sees one writer's k1 and the other's k2";
    s.txns = {T({W("k1", 11), W("k2", 19)}), T({W("k1", 12), W("k2", 18)}), T({R("k1"), R("k2")})};
    s.primary = {0, 0, 1, 0, 2, 1, 2, 1, 2};
    s.check = [](const Observation& o) -> std::string {
      if (!Committed(o, 2)) return "";
      auto a = Read(o, 2, 0), b = Read(o, 2, 1);
      if ((a == 11 && b == 18) || (a == 12 && b == 19)) {
        return fmt::format("T3 read k1={} k2={}: one writer's k1 with the other's k2", Show(a), Show(b));
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = w k1 11, w k2 19; T2 = w k1 12, w k2 18; T3 = r k1, r k2";
    v.push_back(std::move(s));
  }
  {  // PMP: predicate-many-preceders (read-predicate variant).
    Scenario s;
    s.id = "PMP";
    s.title = "predicate-many-preceders: a second predicate read sees an insert the first did not";
    std::vector<MicroOp> t1;
    Scan(&t1);  // where value = 30
    Scan(&t1);  // where value % 3 = 0
    s.txns = {T(t1), T({W("k3", 30)})};
    s.primary = {0, 1, 1, 0, 0};
    s.check = [](const Observation& o) -> std::string {
      if (!Committed(o, 0)) return "";
      const size_t n = UniverseKeys().size();
      bool first = false, second = false;
      for (size_t i = 0; i < n; ++i) {
        first |= Read(o, 0, i) == 30;
        auto v = Read(o, 0, n + i);
        second |= v && *v % 3 == 0;
      }
      if (!first && second) return "T1's second predicate read saw k3=30, its first did not";
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = scan k1..k4 (value = 30), scan k1..k4 (value % 3 = 0); T2 = w k3 30";
    v.push_back(std::move(s));
  }
  {  // P4: lost update.
    Scenario s;
    s.id = "P4";
    s.title = "lost update: two read-modify-writes of k1 both commit from the same read";
    s.txns = {T({R("k1"), W("k1", 11)}), T({R("k1"), W("k1", 12)})};
    s.primary = {0, 1, 0, 1, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 0) && Committed(o, 1) && Read(o, 0, 0) == Read(o, 1, 0)) {
        return fmt::format("T1 and T2 both read k1={} and both committed a write of k1", Show(Read(o, 0, 0)));
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = r k1, w k1 11; T2 = r k1, w k1 12 (unique values instead of Hermitage's 11 twice)";
    v.push_back(std::move(s));
  }
  {  // G-single: read skew.
    Scenario s;
    s.id = "G-single";
    s.title = "read skew: a reader sees k1 before and k2 after another txn";
    s.txns = {T({R("k1"), R("k2")}), T({R("k1"), R("k2"), W("k1", 12), W("k2", 18)})};
    s.primary = {0, 1, 1, 1, 1, 1, 0, 0};
    s.check = [](const Observation& o) -> std::string {
      if (!Committed(o, 0)) return "";
      auto a = Read(o, 0, 0), b = Read(o, 0, 1);
      if ((a == 10 && b == 18) || (a == 12 && b == 20)) {
        return fmt::format("T1 read k1={} k2={}: half of T2", Show(a), Show(b));
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = r k1, r k2; T2 = r k1, r k2, w k1 12, w k2 18";
    v.push_back(std::move(s));
  }
  {  // G2-item: write skew.
    Scenario s;
    s.id = "G2-item";
    s.title = "write skew: both txns read k1,k2, write disjoint keys, both commit";
    s.txns = {T({R("k1"), R("k2"), W("k1", 11)}), T({R("k1"), R("k2"), W("k2", 21)})};
    s.primary = {0, 0, 1, 1, 0, 1, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 0) && Committed(o, 1) && Read(o, 0, 1) == 20 && Read(o, 1, 0) == 10) {
        return "both committed; T1 read k2=20 (not T2's 21) and T2 read k1=10 (not T1's 11)";
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = r k1, r k2, w k1 11; T2 = r k1, r k2, w k2 21";
    v.push_back(std::move(s));
  }
  {  // G2: anti-dependency cycle over predicate reads.
    Scenario s;
    s.id = "G2";
    s.title = "predicate write skew: both scan, both insert a matching row, both commit";
    std::vector<MicroOp> t1, t2;
    Scan(&t1);
    t1.push_back(W("k3", 30));
    Scan(&t2);
    t2.push_back(W("k4", 42));
    s.txns = {T(t1), T(t2)};
    s.primary = {0, 1, 0, 1, 0, 1};
    s.check = [](const Observation& o) -> std::string {
      // Scan order is k1..k4: op 3 is k4, op 2 is k3.
      if (Committed(o, 0) && Committed(o, 1) && !Read(o, 0, 3) && !Read(o, 1, 2)) {
        return "both committed; neither scan saw the other's insert";
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = scan k1..k4 (value % 3 = 0), w k3 30; T2 = scan k1..k4, w k4 42";
    v.push_back(std::move(s));
  }
  {  // G2, Fekete's read-only anomaly (3 txns).
    Scenario s;
    s.id = "G2-fekete";
    s.title = "read-only anomaly: T3 sees T2 but not T1, though T1 read before T2";
    s.txns = {T({R("k1"), R("k2"), W("k1", 0)}), T({R("k2"), W("k2", 25)}), T({R("k1"), R("k2")})};
    s.primary = {0, 0, 1, 1, 1, 2, 2, 2, 0, 0};
    s.check = [](const Observation& o) -> std::string {
      if (Committed(o, 0) && Committed(o, 1) && Committed(o, 2) && Read(o, 0, 1) == 20 && Read(o, 2, 0) == 10 &&
          Read(o, 2, 1) == 25) {
        return "T1 read k2=20 then wrote k1=0; T3 read k1=10 k2=25";
      }
      return "";
    };
    s.elle = true;
    s.mapping = "T1 = r k1, r k2, w k1 0; T2 = r k2, w k2 25 (k2 += 5); T3 = r k1, r k2";
    v.push_back(std::move(s));
  }
  return v;
}

}  // namespace

const std::vector<std::string>& UniverseKeys() {
  static const std::vector<std::string> keys = {"k1", "k2", "k3", "k4"};
  return keys;
}

std::vector<std::vector<std::string>> SetupCommands() { return {{"SET", "k1", "10"}, {"SET", "k2", "20"}}; }

const std::vector<Scenario>& Scenarios() {
  static const std::vector<Scenario> all = Build();
  return all;
}

}  // namespace txlab::hermitage
