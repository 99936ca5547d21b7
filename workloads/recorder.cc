#include "workloads/recorder.h"

#include <algorithm>
#include <sstream>

#include "model/history_io.h"

namespace txlab {

namespace {
struct Event {
  uint64_t order;
  bool complete;
  size_t op;  // into the ops built per record
};

Op Completion(const Workload& workload, const TxnRecord& r) {
  Op op;
  op.process = r.process;
  op.f = workload.HistoryF(r.txn);
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
  return op;
}
}  // namespace

History BuildHistory(const Workload& workload, const std::vector<const ClientLog*>& logs,
                     std::vector<uint8_t>* op_strategy) {
  // Decode each record once into its invocation and completion, then sort
  // the events (a stable sort: within one log, records are in order).
  std::vector<Op> ops;
  std::vector<uint8_t> strategy_of;  // per entry of ops
  std::vector<Event> events;
  for (const ClientLog* log : logs) {
    log->ForEach([&](const TxnRecord& r) {
      Op invoke;
      invoke.process = r.process;
      invoke.f = workload.HistoryF(r.txn);
      invoke.type = OpType::kInvoke;
      invoke.time_ns = r.invoke_ns;
      invoke.value = workload.InvokeValue(r.txn);
      events.push_back({r.invoke_order, false, ops.size()});
      ops.push_back(std::move(invoke));
      strategy_of.push_back(r.strategy);
      if (r.completed) {
        events.push_back({r.complete_order, true, ops.size()});
        ops.push_back(Completion(workload, r));
        strategy_of.push_back(r.strategy);
      }
    });
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.order != b.order) return a.order < b.order;
    return !a.complete && b.complete;
  });
  History h;
  h.reserve(events.size());
  if (op_strategy) op_strategy->clear();
  for (const Event& e : events) {
    Op& op = ops[e.op];
    op.index = static_cast<int64_t>(h.size());
    h.push_back(std::move(op));
    if (op_strategy) op_strategy->push_back(strategy_of[e.op]);
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
