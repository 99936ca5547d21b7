#include "checkers/isolation/order_edges.h"

#include <algorithm>
#include <unordered_map>

namespace txlab::isolation {

void AddProcessEdges(const TxnTable& t, std::vector<Edge>* out) {
  // txns are in invocation order, and a process has one op in flight, so
  // invocation order per process is its execution order.
  std::unordered_map<int64_t, uint32_t> last_ok;
  for (uint32_t id = 0; id < t.txns.size(); ++id) {
    const Txn& x = t.txns[id];
    if (x.status != TxnStatus::kOk) continue;
    auto [it, inserted] = last_ok.emplace(x.process, id);
    if (!inserted) {
      out->push_back(Edge{it->second, id, kProcess});
      it->second = id;
    }
  }
}

void AddRealtimeEdges(const TxnTable& t, std::vector<Edge>* out) {
  const std::vector<uint64_t> slot =
      RealtimeEventSlots(t, [&](uint32_t id) { return t.txns[id].status != TxnStatus::kFail; });
  std::vector<uint32_t> frontier;  // txn ids
  auto complete = [&](uint32_t id) {
    const Txn& x = t.txns[id];
    // Everything that completed before x's invocation is now implied by x.
    frontier.erase(std::remove_if(frontier.begin(), frontier.end(),
                                  [&](uint32_t a) { return t.txns[a].complete_pos < x.invoke_pos; }),
                   frontier.end());
    frontier.push_back(id);
  };
  for (uint64_t s : slot) {
    if (s == kNoEvent) continue;
    const uint32_t id = static_cast<uint32_t>(s / 2);
    if (s % 2 == 1) {
      complete(id);
      continue;
    }
    for (uint32_t a : frontier) out->push_back(Edge{a, id, kRealtime});
    const Txn& x = t.txns[id];
    if (x.status == TxnStatus::kOk && x.complete_pos == x.invoke_pos) complete(id);
  }
}

}  // namespace txlab::isolation
