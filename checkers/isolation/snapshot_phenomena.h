// Adya's snapshot-isolation phenomena G-SIa and G-SIb (Adya, "Weak
// Consistency", PhD thesis, MIT 1999, section 4.3), as far as a client's
// observations reveal them.
//
// Adya's start-ordered serialization graph (SSG) adds to the dependency
// graph a start-dependency Ti -> Tj whenever Ti committed before Tj started.
// Commit and start points are the database's; a client sees them only
// through real time (a txn starts after its invocation and commits before
// its :ok) and its own process order. Hence:
//
//   GSIa (interference): a ww or wr edge Ti -> Tj with no start-dependency
//     Ti -> Tj, i.e. Tj started before Ti committed. Reported when a client
//     can prove that order:
//       GSIa           Tj -> Ti is also a ww or wr edge (Tj must have
//                      committed before Ti started too: impossible both ways)
//       GSIa-process   Tj completed before Ti was invoked, same process
//       GSIa-realtime  Tj completed before Ti was invoked
//     Each is also a two-transaction G0/G1c cycle (plain, -process,
//     -realtime), and implies it.
//   GSIb (missed effects): a cycle with exactly one anti-dependency edge;
//     found by the cycle search as G-single (see cycle_search.h GsibName).
//
// The -process / -realtime variants assume start and commit points inside
// the client's interval (Daudjee and Salem's strong session SI / strong SI);
// Elle's "snapshot-isolation" (generalised SI, which may serve a stale
// snapshot) does not, so they rule out strict-serializable (and the strong
// SI models), not snapshot-isolation. See consistency_models.cc.
#ifndef TXLAB_CHECKERS_ISOLATION_SNAPSHOT_PHENOMENA_H_
#define TXLAB_CHECKERS_ISOLATION_SNAPSHOT_PHENOMENA_H_

#include <cstdint>
#include <vector>

#include "checkers/isolation/anomaly.h"
#include "checkers/isolation/dep_graph.h"
#include "checkers/isolation/txn_table.h"

namespace txlab::isolation {

// Finds G-SIa pairs among the transactions of one strongly connected
// component of g (both transactions of a pair always share one). Process /
// real-time evidence is used only when `process` / `realtime` is set (the
// run built those edges). Cost: O(sum of out-degrees in scc * degree).
void FindGsia(const DepGraph& g, const TxnTable& t, const std::vector<uint32_t>& scc, bool process, bool realtime,
              AnomalySink* sink);

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_SNAPSHOT_PHENOMENA_H_
