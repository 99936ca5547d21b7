#include "workloads/client.h"

namespace txlab {

int ClientEnv::PickStrategy() {
  if (strategies.size() == 1) return 0;
  const double u = rng.Double();
  for (size_t i = 0; i < cumulative_share.size(); ++i) {
    if (u < cumulative_share[i]) return static_cast<int>(i);
  }
  return static_cast<int>(strategies.size()) - 1;
}

namespace {

// Takes the outcome's result: read results (whole lists) can be large.
void Complete(ClientEnv& env, Outcome& o) {
  const int64_t now = env.conn->NowNs();
  TxnRecord& r = env.current;
  env.metrics[r.strategy].Add(o, env.conn->commands() - env.current_commands_start,
                              now - env.current_invoke_abs_ns);
  if (env.record) {
    r.complete_ns = now - env.start_ns;
    r.complete_order = env.control->OrderKey(now);
    r.completed = true;
    r.kind = o.kind;
    r.reason = o.reason;
    r.result = std::move(o.result);
    env.log.push_back(std::move(r));
  }
  env.in_flight = false;
  if (o.kind == Outcome::Kind::kInfo) env.process += env.process_stride;
}

}  // namespace

Task<void> RunAndRecord(ClientEnv& env, Txn txn, int s) {
  const int64_t now = env.conn->NowNs();
  env.current = TxnRecord{};
  env.current.process = env.process;
  env.current.strategy = static_cast<uint8_t>(s);
  env.current_invoke_abs_ns = now;
  env.current_commands_start = env.conn->commands();
  if (env.record) {
    env.current.invoke_ns = now - env.start_ns;
    env.current.invoke_order = env.control->OrderKey(now);
    env.current.txn = std::move(txn);
  }
  env.in_flight = true;
  // The strategy reads the txn from the record when recording (no copy).
  const Txn& t = env.record ? env.current.txn : txn;
  Outcome o = co_await env.strategies[s]->Run(*env.conn, t);
  Complete(env, o);
}

Task<void> ClientLoop(ClientEnv& env) {
  while (!env.control->ShouldStop()) {
    Txn txn = env.workload->Next(env.rng);
    const int s = env.PickStrategy();
    co_await RunAndRecord(env, std::move(txn), s);
  }
}

void AbandonInFlight(ClientEnv& env, AbortReason why) {
  if (!env.in_flight) return;
  Outcome o;
  o.kind = Outcome::Kind::kInfo;
  o.reason = why;
  o.attempts = 1;
  o.aborts.Add(why);
  Complete(env, o);
}

}  // namespace txlab
