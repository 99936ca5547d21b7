// Read-write register inference (Elle's elle.rw-register).
//
// Objects are registers; [:w k v] writes a value unique per key, [:r k v]
// reads one (nil: the initial state). A read reveals only which write it saw,
// so the version order is partial:
//   - nil precedes every value written or read (the initial state);
//   - with `wfr_keys` (writes follow reads), a txn that read v and then wrote
//     v' orders v < v';
//   - with `order.process` / `order.realtime`, process and real-time order
//     (order_versions.h), as edges tagged kWWProcess / kRWRealtime ... so
//     that cycles through them are -process / -realtime anomalies.
// Per transaction only its external values matter: the first read of a key
// (when not preceded by its own write) and its last write of the key.
// For each version-order edge v1 < v2 on key k:
//   ww  writers of v1 -> writers of v2;   rw  readers of v1 -> writers of v2;
// and wr  writer of v -> every txn that externally read v.
// As in Elle, only :ok transactions feed these indexes.
//
// Non-cycle anomalies: G1a (read of a failed write), G1b (read of another
// txn's non-final write), internal (a read disagrees with the txn's own
// earlier read or write), garbage-read (a value nobody wrote), lost-update,
// cyclic-versions (the wfr order contradicts itself; those edges are dropped).
#ifndef TXLAB_CHECKERS_ISOLATION_RW_REGISTER_H_
#define TXLAB_CHECKERS_ISOLATION_RW_REGISTER_H_

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/flat_map.h"
#include "checkers/isolation/order_versions.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

// Which orders version inference may use (see order_versions.h).
struct OrderInference {
  bool process = false;   // each key sequential per process
  bool realtime = false;  // each key linearizable
};

class RwRegisterAnalysis : public EdgeExplainer {
 public:
  // REQUIRES: t.workload == kRwRegister; t outlives this object.
  RwRegisterAnalysis(const TxnTable& t, bool wfr_keys, OrderInference order = {})
      : t_(t), wfr_keys_(wfr_keys), order_(order) {}

  // Finds non-cycle anomalies and appends ww, wr, rw edges. Returns false
  // with *error if two committed txns wrote the same value to one key.
  bool Run(AnomalySink* sink, std::vector<Edge>* edges, std::string* error);

  std::string Explain(uint32_t a, uint32_t b, RelSet rel, const std::string& a_name,
                      const std::string& b_name) const override;

 private:
  static constexpr uint32_t kNil = Mop::kNil;
  // External read / final write of key in txn, or kAbsent.
  uint32_t ExtRead(uint32_t txn, uint32_t key) const;
  uint32_t ExtWrite(uint32_t txn, uint32_t key) const;
  bool VersionBefore(uint32_t key, uint32_t v1, uint32_t v2) const;
  // The inferred fact v1 < v2 on key from `source`, or null.
  const InferredVersion* Inferred(uint32_t key, uint32_t v1, uint32_t v2, RelSet source) const;
  std::string Why(const InferredVersion& f) const;

  const TxnTable& t_;
  bool wfr_keys_;
  OrderInference order_;
  std::vector<InferredVersion> inferred_;  // sorted by (key, v1, v2, source)
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> wfr_edges_;  // (key, v1, v2), kept after cycle check
};

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_RW_REGISTER_H_
