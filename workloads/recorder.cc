#include "workloads/recorder.h"

#include <algorithm>
#include <sstream>

#include "model/history_io.h"

namespace txlab {

namespace {
struct Event {
  uint64_t order;
  bool complete;
  const TxnRecord* rec;
};
}  // namespace

History BuildHistory(const Workload& workload, const std::vector<const ClientLog*>& logs) {
  std::vector<Event> events;
  for (const ClientLog* log : logs) {
    for (const TxnRecord& r : *log) {
      events.push_back({r.invoke_order, false, &r});
      if (r.completed) events.push_back({r.complete_order, true, &r});
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.order != b.order) return a.order < b.order;
    return !a.complete && b.complete;
  });
  History h;
  h.reserve(events.size());
  for (const Event& e : events) {
    const TxnRecord& r = *e.rec;
    Op op;
    op.index = static_cast<int64_t>(h.size());
    op.process = r.process;
    op.f = workload.HistoryF(r.txn);
    if (!e.complete) {
      op.type = OpType::kInvoke;
      op.time_ns = r.invoke_ns;
      op.value = workload.InvokeValue(r.txn);
    } else {
      op.time_ns = r.complete_ns;
      switch (r.kind) {
        case Outcome::Kind::kOk:
          op.type = OpType::kOk;
          op.value = workload.OkValue(r.txn, r.result);
          break;
        case Outcome::Kind::kFail:
          op.type = OpType::kFail;
          op.value = workload.InvokeValue(r.txn);
          op.error = std::string(AbortReasonName(r.reason));
          break;
        case Outcome::Kind::kInfo:
          op.type = OpType::kInfo;
          op.value = workload.InvokeValue(r.txn);
          op.error = std::string(AbortReasonName(r.reason));
          break;
      }
    }
    h.push_back(std::move(op));
  }
  // Times must not decrease along the history; with threads, two clocks
  // read in the other order than the events were sorted cannot happen
  // (the order key is the time), but keep the invariant explicit.
  for (size_t i = 1; i < h.size(); ++i) h[i].time_ns = std::max(h[i].time_ns, h[i - 1].time_ns);
  return h;
}

uint64_t HistoryHash(const History& h) {
  std::ostringstream out;
  WriteEdnHistory(h, out);
  const std::string s = out.str();
  uint64_t x = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    x ^= c;
    x *= 0x100000001b3ull;
  }
  return x;
}

}  // namespace txlab
