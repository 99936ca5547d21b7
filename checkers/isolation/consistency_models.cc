#include "checkers/isolation/consistency_models.h"

#include <map>
#include <utility>

namespace txlab::isolation {

namespace {

using Dag = std::map<std::string, std::vector<std::string>>;

// Anomaly a -> anomalies a implies (Elle's implied-anomalies).
const Dag& ImpliedAnomalyDag() {
  static const Dag dag = {
      {"G0", {"G1c", "G0-process"}},
      {"G0-process", {"G1c-process", "G0-realtime"}},
      {"G0-realtime", {"G1c-realtime"}},
      {"G1a", {"G1"}},
      {"G1b", {"G1"}},
      {"G1c", {"G1", "G1c-process"}},
      {"G1c-process", {"G1c-realtime", "G1-process"}},
      {"G1c-realtime", {"G1-realtime"}},
      {"G1", {"G1-process"}},
      {"G1-process", {"G1-realtime"}},
      {"G-single-item", {"G-single", "G-single-item-process", "G-nonadjacent-item"}},
      {"G-single-item-process", {"G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process"}},
      {"G-single-item-realtime", {"G-single-realtime", "G-nonadjacent-item-realtime"}},
      {"G-single", {"G-nonadjacent", "GSIb", "G-single-process"}},
      {"G-single-process", {"G-nonadjacent-process", "G-single-realtime", "GSIb-process"}},
      {"G-single-realtime", {"G-nonadjacent-realtime", "GSIb-realtime"}},
      {"G-nonadjacent-item", {"G-nonadjacent", "G2-item", "G-nonadjacent-item-process"}},
      {"G-nonadjacent-item-process", {"G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime"}},
      {"G-nonadjacent-item-realtime", {"G2-item-realtime", "G-nonadjacent-realtime"}},
      {"G-nonadjacent", {"G2", "G-nonadjacent-process"}},
      {"G-nonadjacent-process", {"G2-process", "G-nonadjacent-realtime"}},
      {"G-nonadjacent-realtime", {"G2-realtime"}},
      {"G2", {"G2-process"}},
      {"G2-item", {"G2", "G2-item-process"}},
      {"G2-item-process", {"G2-process", "G2-item-realtime"}},
      {"G2-item-realtime", {"G2-realtime"}},
      {"G2-process", {"G2-realtime"}},
      // Adya's G-SIa / G-SIb (snapshot_phenomena.h). GSIa as reported is a
      // two-transaction ww/wr cycle, plain or through process / real-time
      // order. GSIb-process / -realtime are G-single cycles through start-
      // dependencies seen as process / real-time order: they hold against
      // strong (session) SI, not against generalised SI ("snapshot-isolation").
      {"GSIa", {"GSI", "G1c"}},
      {"GSIa-process", {"G1c-process", "GSIa-realtime"}},
      {"GSIa-realtime", {"G1c-realtime"}},
      {"GSIb", {"GSI"}},
      {"GSIb-process", {"G-nonadjacent-process", "GSIb-realtime"}},
      {"GSIb-realtime", {"G-nonadjacent-realtime"}},
      {"incompatible-order", {"G1a"}},
      {"future-read", {"G1c"}},
      {"dirty-update", {"G1a"}},
      {"lost-update", {"write-skew", "G2-item"}},
      {"write-skew", {"G2"}},
  };
  return dag;
}

const std::map<std::string, std::string>& CanonicalNames() {
  static const std::map<std::string, std::string> m = {
      {"consistent-view", "PL-2+"},
      {"conflict-serializable", "PL-3"},
      {"cursor-stability", "PL-CS"},
      {"forward-consistent-view", "PL-FCV"},
      {"monotonic-snapshot-read", "PL-MSR"},
      {"monotonic-view", "PL-2L"},
      {"read-committed", "PL-2"},
      {"read-uncommitted", "PL-1"},
      {"repeatable-read", "PL-2.99"},
      {"serializable", "PL-3"},
      {"snapshot-isolation", "PL-SI"},
      {"strict-serializable", "PL-SS"},
      {"strong-serializable", "PL-SS"},
      {"update-serializable", "PL-3U"},
      {"strong-session-read-uncommitted", "strong-session-PL-1"},
      {"strong-session-read-committed", "strong-session-PL-2"},
      {"strong-read-uncommitted", "strong-PL-1"},
      {"strong-read-committed", "strong-PL-2"},
  };
  return m;
}

// Model m -> models m implies (Elle's models graph), canonical names.
const Dag& ModelDag() {
  static const Dag dag = {
      {"causal-cerone", {"read-atomic"}},
      {"PL-2+", {"PL-CS", "PL-2L"}},
      {"PL-CS", {"PL-2"}},
      {"PL-FCV", {"PL-2+"}},
      {"PL-2", {"PL-1"}},
      {"PL-3", {"PL-2.99", "PL-3U", "PL-SI", "view-serializable"}},
      {"PL-3U", {"PL-FCV"}},
      {"monotonic-atomic-view", {"PL-2"}},
      {"PL-2L", {"PL-2"}},
      {"PL-MSR", {"PL-2"}},
      {"parallel-snapshot-isolation", {"causal-cerone", "ROLA"}},
      {"prefix", {"causal-cerone"}},
      {"read-atomic", {"monotonic-atomic-view"}},
      {"PL-2.99", {"PL-CS", "monotonic-atomic-view"}},
      {"ROLA", {"read-atomic"}},
      {"session-serializable", {"1SR"}},
      {"PL-SI", {"PL-FCV", "monotonic-atomic-view", "PL-MSR", "parallel-snapshot-isolation", "prefix"}},
      {"PL-SS",
       {"PL-3", "linearizable", "PL-SI", "strong-snapshot-isolation", "strong-session-serializable",
        "session-serializable"}},
      {"strong-session-PL-1", {"PL-1"}},
      {"strong-session-PL-2", {"PL-2", "strong-session-PL-1"}},
      {"strong-PL-1", {"strong-session-PL-1"}},
      {"strong-PL-2", {"strong-session-PL-2", "strong-PL-1"}},
      {"strong-session-serializable", {"PL-3", "strong-session-snapshot-isolation"}},
      {"strong-session-snapshot-isolation", {"PL-SI", "strong-session-PL-2"}},
      {"strong-snapshot-isolation", {"strong-session-snapshot-isolation", "strong-PL-2"}},
      {"linearizable", {"sequential"}},
      {"sequential", {"causal"}},
      {"causal", {"writes-follow-reads", "PRAM"}},
      {"PRAM", {"monotonic-reads", "monotonic-writes", "read-your-writes"}},
  };
  return dag;
}

// Model -> anomalies it proscribes beyond the models it implies.
const Dag& DirectProscribed() {
  static const Dag dag = {
      {"causal-cerone", {"internal", "G1a"}},
      {"PL-CS", {"G1", "G-cursor", "lost-update"}},
      {"PL-2L", {"G1", "G-monotonic"}},
      {"PL-MSR", {"G1", "G-MSR"}},
      {"PL-2+", {"G1", "G-single"}},
      {"PL-FCV", {"G1", "G-SIb", "GSIb"}},
      {"parallel-snapshot-isolation", {"internal", "G1a"}},
      {"PL-3", {"G1", "G2", "predicate-read-miss", "PL-3-cycle-exists", "internal"}},
      {"PL-2", {"G1", "PL-2-cycle-exists"}},
      {"PL-1", {"G0", "duplicate-elements", "cyclic-versions", "PL-1-cycle-exists", "garbage-read"}},
      {"prefix", {"internal", "G1a"}},
      {"PL-SI", {"internal", "G1", "G-SI", "GSI", "G-nonadjacent", "PL-SI-cycle-exists"}},
      {"read-atomic", {"internal", "G1a", "future-read"}},
      {"PL-2.99", {"G1", "G2-item", "PL-2.99-cycle-exists", "lost-update"}},
      {"ROLA", {"lost-update"}},
      {"PL-SS", {"G1", "G1c-realtime", "G2-realtime", "PL-SS-cycle-exists"}},
      {"strong-session-PL-1", {"strong-session-PL-1-cycle-exists", "G0-process"}},
      {"strong-session-PL-2", {"strong-session-PL-2-cycle-exists", "G1c-process"}},
      {"strong-PL-1", {"strong-PL-1-cycle-exists", "G0-realtime"}},
      {"strong-PL-2", {"strong-PL-2-cycle-exists", "G1c-realtime"}},
      {"strong-session-snapshot-isolation",
       {"internal", "G1-process", "G-nonadjacent-process", "strong-session-snapshot-isolation-cycle-exists"}},
      {"strong-snapshot-isolation",
       {"internal", "G1-realtime", "G-nonadjacent-realtime", "strong-snapshot-isolation-cycle-exists"}},
      {"strong-session-serializable", {"G1-process", "G2-process", "strong-session-serializable-cycle-exists"}},
      {"PL-3U", {"G1", "G-update"}},
  };
  return dag;
}

// Reverse of a DAG: b -> every a with a -> b.
Dag Reverse(const Dag& dag) {
  Dag r;
  for (const auto& [a, bs] : dag) {
    for (const auto& b : bs) r[b].push_back(a);
  }
  return r;
}

std::set<std::string> Closure(const Dag& dag, std::set<std::string> start) {
  std::vector<std::string> todo(start.begin(), start.end());
  while (!todo.empty()) {
    std::string x = std::move(todo.back());
    todo.pop_back();
    auto it = dag.find(x);
    if (it == dag.end()) continue;
    for (const auto& y : it->second) {
      if (start.insert(y).second) todo.push_back(y);
    }
  }
  return start;
}

}  // namespace

const std::vector<std::string>& ReportedModels() {
  static const std::vector<std::string> models = {"strict-serializable", "serializable",   "snapshot-isolation",
                                                  "repeatable-read",     "read-committed", "read-uncommitted"};
  return models;
}

std::string CanonicalModel(const std::string& model) {
  auto it = CanonicalNames().find(model);
  return it == CanonicalNames().end() ? model : it->second;
}

std::string FriendlyModel(const std::string& model) {
  if (model == "PL-3") return "serializable";
  if (model == "PL-SS") return "strict-serializable";
  for (const auto& [friendly, canonical] : CanonicalNames()) {
    if (canonical == model) return friendly;
  }
  return model;
}

bool IsKnownModel(const std::string& model) {
  const std::string c = CanonicalModel(model);
  if (ModelDag().count(c) || DirectProscribed().count(c)) return true;
  for (const auto& [a, bs] : ModelDag()) {
    for (const auto& b : bs) {
      if (b == c) return true;
    }
  }
  return false;
}

std::set<std::string> ImpliedAnomalies(const std::set<std::string>& anomalies) {
  return Closure(ImpliedAnomalyDag(), anomalies);
}

std::set<std::string> AnomaliesProhibitedBy(const std::string& model) {
  const std::set<std::string> models = Closure(ModelDag(), {CanonicalModel(model)});
  std::set<std::string> direct;
  for (const auto& m : models) {
    auto it = DirectProscribed().find(m);
    if (it != DirectProscribed().end()) direct.insert(it->second.begin(), it->second.end());
  }
  static const Dag implied_by = Reverse(ImpliedAnomalyDag());
  return Closure(implied_by, direct);
}

std::set<std::string> WithItemVariants(const std::set<std::string>& anomalies) {
  std::set<std::string> out = anomalies;
  for (const std::string& a : anomalies) {
    for (const char* base : {"G-single", "G-nonadjacent"}) {
      const std::string b = base;
      if (a.compare(0, b.size(), b) != 0) continue;
      const std::string rest = a.substr(b.size());
      if (rest.empty() || rest == "-process" || rest == "-realtime") out.insert(b + "-item" + rest);
    }
  }
  return out;
}

std::set<std::string> ImpossibleModels(const std::set<std::string>& anomalies) {
  const std::set<std::string> all = ImpliedAnomalies(anomalies);
  std::set<std::string> direct;
  for (const auto& [model, proscribed] : DirectProscribed()) {
    for (const auto& a : proscribed) {
      if (all.count(a)) {
        direct.insert(model);
        break;
      }
    }
  }
  static const Dag implied_by = Reverse(ModelDag());
  return Closure(implied_by, direct);
}

}  // namespace txlab::isolation
