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

void Complete(ClientEnv& env, const Outcome& o) {
  const int64_t now = env.conn->NowNs();
  env.metrics[env.current_strategy].Add(o, env.conn->commands() - env.current_commands_start,
                                        now - env.current_invoke_abs_ns);
  if (env.record) env.log.Complete(now - env.start_ns, env.control->OrderKey(now), o.kind, o.reason, o.result);
  env.in_flight = false;
  if (o.kind == Outcome::Kind::kInfo) env.process += env.process_stride;
}

}  // namespace

Task<void> RunAndRecord(ClientEnv& env, Txn txn, int s) {
  const int64_t now = env.conn->NowNs();
  env.current_strategy = s;
  env.current_invoke_abs_ns = now;
  env.current_commands_start = env.conn->commands();
  if (env.record) env.log.Begin(env.process, now - env.start_ns, env.control->OrderKey(now), static_cast<uint8_t>(s), txn);
  env.in_flight = true;
  Outcome o = co_await env.strategies[s]->Run(*env.conn, txn);
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
