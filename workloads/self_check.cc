#include "workloads/self_check.h"

#include <map>
#include <vector>

#include <fmt/format.h>

namespace txlab {

Verdict SelfCheckBank(const History& h, int64_t expected_total) {
  Verdict v;
  v.checker = "bank-invariant";
  size_t reads = 0, bad = 0;
  for (const Op& op : h) {
    if (op.type != OpType::kOk || op.f != "read" || !op.value.is_map()) continue;
    ++reads;
    int64_t total = 0;
    bool negative = false;
    for (const auto& [k, bal] : op.value.as_map()) {
      if (!bal.is_int()) continue;
      total += bal.as_int();
      negative |= bal.as_int() < 0;
    }
    if (total != expected_total || negative) {
      if (++bad <= 5) {
        v.details.push_back(fmt::format("read at index {} (process {}): total {} != {}{}\n  {}", op.index,
                                        op.process, total, expected_total, negative ? ", negative balance" : "",
                                        op.value.ToEdn()));
      }
      if (bad == 1) v.summary = fmt::format("total {} != {}", total, expected_total);
    }
  }
  if (bad > 0) {
    v.outcome = Verdict::Outcome::kIllegal;
    v.summary += fmt::format(" ({} of {} reads wrong)", bad, reads);
  } else if (reads == 0) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "no ok reads";
  } else {
    v.outcome = Verdict::Outcome::kOk;
    v.summary = "ok";
  }
  return v;
}

Verdict SelfCheckCounter(const History& h) {
  Verdict v;
  v.checker = "counter-invariant";
  struct Pending {
    int64_t key;
    bool incr;
    int64_t delta;
    int64_t lower;  // acknowledged increments of key when invoked (reads)
  };
  std::map<int64_t, Pending> in_flight;  // by process
  std::map<int64_t, int64_t> acked, attempted;
  size_t reads = 0, bad = 0;
  for (const Op& op : h) {
    if (!op.value.is_vector() || op.value.as_vector().size() != 2) continue;
    const Edn::Vector& kv = op.value.as_vector();
    if (!kv[0].is_int()) continue;
    const int64_t key = kv[0].as_int();
    if (op.type == OpType::kInvoke) {
      const bool incr = op.f == "incr";
      const int64_t delta = incr && kv[1].is_int() ? kv[1].as_int() : 0;
      in_flight[op.process] = Pending{key, incr, delta, acked[key]};
      if (incr) attempted[key] += delta;  // counted until known to have failed
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    Pending p = it->second;
    in_flight.erase(it);
    if (p.incr) {
      if (op.type == OpType::kOk) acked[key] += p.delta;
      if (op.type == OpType::kFail) attempted[key] -= p.delta;
      continue;
    }
    if (op.type != OpType::kOk || !kv[1].is_int()) continue;
    ++reads;
    const int64_t value = kv[1].as_int();
    const int64_t upper = attempted[key];
    if (value < p.lower || value > upper) {
      if (++bad <= 5) {
        v.details.push_back(fmt::format("read at index {} (process {}) of key {}: {} outside [{}, {}]{}",
                                        op.index, op.process, key, value, p.lower, upper,
                                        value < p.lower ? ": acknowledged increments were lost" : ""));
      }
      if (bad == 1) v.summary = fmt::format("key {}: read {} outside [{}, {}]", key, value, p.lower, upper);
    }
  }
  if (bad > 0) {
    v.outcome = Verdict::Outcome::kIllegal;
    v.summary += fmt::format(" ({} of {} reads wrong)", bad, reads);
  } else if (reads == 0) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "no ok reads";
  } else {
    v.outcome = Verdict::Outcome::kOk;
    v.summary = "ok";
  }
  return v;
}

}  // namespace txlab
