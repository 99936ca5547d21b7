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
    bool incr;
    int64_t key;
    int64_t delta;
    std::map<int64_t, int64_t> lower;  // reads: acknowledged increments when invoked
  };
  std::map<int64_t, Pending> in_flight;  // by process
  std::map<int64_t, int64_t> acked, attempted;
  size_t reads = 0, bad = 0;
  for (const Op& op : h) {
    if (op.f != "incr" && op.f != "read") continue;
    if (op.type == OpType::kInvoke) {
      Pending p{op.f == "incr", 0, 0, {}};
      if (p.incr) {
        if (!op.value.is_vector() || op.value.as_vector().size() != 2) continue;
        p.key = op.value.as_vector()[0].as_int();
        p.delta = op.value.as_vector()[1].as_int();
        attempted[p.key] += p.delta;  // counted until known to have failed
      } else {
        p.lower = acked;
      }
      in_flight[op.process] = std::move(p);
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    Pending p = std::move(it->second);
    in_flight.erase(it);
    if (p.incr) {
      if (op.type == OpType::kOk) acked[p.key] += p.delta;
      if (op.type == OpType::kFail) attempted[p.key] -= p.delta;
      continue;
    }
    if (op.type != OpType::kOk || !op.value.is_map()) continue;
    for (const auto& [k, val] : op.value.as_map()) {
      if (!k.is_int() || !val.is_int()) continue;
      ++reads;
      const int64_t key = k.as_int(), value = val.as_int();
      const int64_t lower = p.lower[key], upper = attempted[key];
      if (value < lower || value > upper) {
        if (++bad <= 5) {
          v.details.push_back(fmt::format("read at index {} (process {}) of key {}: {} outside [{}, {}]{}",
                                          op.index, op.process, key, value, lower, upper,
                                          value < lower ? ": acknowledged increments were lost" : ""));
        }
        if (bad == 1) v.summary = fmt::format("key {}: read {} outside [{}, {}]", key, value, lower, upper);
      }
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
