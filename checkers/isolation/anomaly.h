// Anomaly: one instance of something a history should not show, found by
// inference (G1a, internal, lost-update, ...) or by cycle search (G0, G1c,
// G-single, G2-item, ...), plus the interface workloads implement so that a
// cycle's edges can be explained in terms of keys and values.
#ifndef TXLAB_CHECKERS_ISOLATION_ANOMALY_H_
#define TXLAB_CHECKERS_ISOLATION_ANOMALY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checkers/isolation/dep_graph.h"

namespace txlab::isolation {

struct Anomaly {
  std::string type;            // Elle's name: "G1a", "G-single-realtime", "lost-update", ...
  std::vector<uint32_t> txns;  // transactions involved; for a cycle, in cycle order
  // For a cycle: steps[i] is the relation (one Rel bit) that orders txns[i]
  // before txns[(i + 1) % n]. Empty for other anomalies.
  std::vector<RelSet> steps;
  std::string detail;  // what was observed, one or more lines (filled for non-cycles at detection)
};

// Explains data edges (ww, wr, rw) between two transactions in the words of
// the workload: which key, which values.
class EdgeExplainer {
 public:
  virtual ~EdgeExplainer() = default;
  // Why `b` depends on `a` by `rel`; names are how the text refers to them.
  virtual std::string Explain(uint32_t a, uint32_t b, RelSet rel, const std::string& a_name,
                              const std::string& b_name) const = 0;
};

// Caps how many instances of one non-cycle anomaly type are kept (all are
// counted); a broken database can produce millions.
constexpr size_t kMaxInstancesPerType = 32;

// Collects anomalies, keeping the first kMaxInstancesPerType of each type and
// counting all of them.
class AnomalySink {
 public:
  // True if an instance of `type` would still be kept (lets callers skip
  // rendering text nobody will read).
  bool Wants(const std::string& type) const {
    auto it = counts_.find(type);
    return it == counts_.end() || it->second < kMaxInstancesPerType;
  }
  void Add(Anomaly a) {
    size_t& n = counts_[a.type];
    if (n++ < kMaxInstancesPerType) kept_.push_back(std::move(a));
  }
  // Counts an instance without keeping it.
  void Count(const std::string& type) { ++counts_[type]; }
  const std::map<std::string, size_t>& counts() const { return counts_; }
  const std::vector<Anomaly>& kept() const { return kept_; }
  std::vector<Anomaly>& kept() { return kept_; }

 private:
  std::map<std::string, size_t> counts_;
  std::vector<Anomaly> kept_;
};

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_ANOMALY_H_
