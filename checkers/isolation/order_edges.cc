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
  // Events by history position, so one linear walk sees them in real-time
  // order: slot[pos] = txn * 2 + (1 if this is its :ok completion).
  uint32_t max_pos = 0;
  for (const Txn& x : t.txns) {
    max_pos = std::max(max_pos, x.invoke_pos);
    if (x.complete_pos != Txn::kNoPos) max_pos = std::max(max_pos, x.complete_pos);
  }
  constexpr uint64_t kNone = UINT64_MAX;
  std::vector<uint64_t> slot(t.txns.empty() ? 0 : static_cast<size_t>(max_pos) + 1, kNone);
  for (uint32_t id = 0; id < t.txns.size(); ++id) {
    const Txn& x = t.txns[id];
    if (x.status == TxnStatus::kFail) continue;
    slot[x.invoke_pos] = static_cast<uint64_t>(id) * 2;
    // A completion without an invocation shares its position; it is handled
    // right after its invocation below.
    if (x.status == TxnStatus::kOk && x.complete_pos != x.invoke_pos) {
      slot[x.complete_pos] = static_cast<uint64_t>(id) * 2 + 1;
    }
  }
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
    if (s == kNone) continue;
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
