#include "checkers/isolation/snapshot_phenomena.h"

namespace txlab::isolation {

namespace {

RelSet FirstOf(RelSet bits) {
  for (RelSet r : {kWW, kWR}) {
    if (bits & r) return r;
  }
  return 0;
}

}  // namespace

void FindGsia(const DepGraph& g, const TxnTable& t, const std::vector<uint32_t>& scc, bool process, bool realtime,
              AnomalySink* sink) {
  for (uint32_t u : scc) {
    const uint32_t* target = g.targets_begin(u);
    const RelSet* rels = g.rels_begin(u);
    for (; target != g.targets_end(u); ++target, ++rels) {
      const RelSet forward = FirstOf(*rels);
      if (forward == 0) continue;
      const uint32_t v = *target;
      // u -ww|wr-> v: v read or overwrote u's write, so v started after u
      // committed, unless something shows v started first.
      const RelSet back = FirstOf(g.RelsBetween(v, u));
      std::string type;
      RelSet step = 0;
      if (back != 0) {
        if (u > v) continue;  // each pair once
        type = "GSIa";
        step = back;
      } else {
        const Txn& a = t.txns[u];
        const Txn& b = t.txns[v];
        const bool b_before_a = b.status == TxnStatus::kOk && b.complete_pos != Txn::kNoPos &&
                                b.complete_pos < a.invoke_pos;
        if (!b_before_a) continue;
        if (process && a.process == b.process) {
          type = "GSIa-process";
          step = kProcess;
        } else if (realtime) {
          type = "GSIa-realtime";
          step = kRealtime;
        } else {
          continue;
        }
      }
      if (!sink->Wants(type)) {
        sink->Count(type);
        continue;
      }
      sink->Add(Anomaly{type, {u, v}, {forward, step},
                        "Adya's G-SIa (interference): T2 depends on T1 (" + std::string(RelName(forward)) +
                            ") yet started before T1 committed"});
    }
  }
}

}  // namespace txlab::isolation
