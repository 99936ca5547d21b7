#include "checkers/invariants/counter.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace txlab {

namespace {

struct Incr {
  std::string key;   // EDN of the counter name; "" for the unnamed counter
  int64_t delta = 0;
  size_t invoke_pos = 0;
  size_t complete_pos = SIZE_MAX;  // SIZE_MAX: never completed
  OpType outcome = OpType::kInfo;
};

struct Read {
  size_t invoke_pos = 0;
  size_t complete_pos = 0;
  const Op* op = nullptr;  // the :ok completion
};

bool IsIncr(const Op& op) { return op.f == "incr" || op.f == "add"; }

// Parses an increment's value; false if malformed.
bool ParseIncr(const Edn& v, std::string* key, int64_t* delta) {
  if (v.is_int()) {
    key->clear();
    *delta = v.as_int();
    return true;
  }
  if (v.is_vector() && v.as_vector().size() == 2 && v.as_vector()[1].is_int()) {
    *key = v.as_vector()[0].ToEdn();
    *delta = v.as_vector()[1].as_int();
    return true;
  }
  return false;
}

std::string CounterName(const std::string& key) { return key.empty() ? "the counter" : key; }

}  // namespace

Verdict CheckCounter(const History& h) {
  Verdict v;
  v.checker = "counter-invariant";
  std::vector<Incr> incrs;
  std::vector<Read> reads;
  std::unordered_map<int64_t, std::pair<bool, size_t>> open;  // process -> (is incr, index)
  std::vector<size_t> read_invoke(h.size(), SIZE_MAX);
  for (size_t pos = 0; pos < h.size(); ++pos) {
    const Op& op = h[pos];
    const bool incr = IsIncr(op);
    if (!incr && op.f != "read") continue;
    if (op.type == OpType::kInvoke) {
      if (incr) {
        Incr x;
        if (!ParseIncr(op.value, &x.key, &x.delta)) {
          v.outcome = Verdict::Outcome::kUnknown;
          v.summary = "op " + std::to_string(op.index) + ": increment value must be [counter delta] or delta, got " +
                      op.value.ToEdn();
          return v;
        }
        x.invoke_pos = pos;
        open[op.process] = {true, incrs.size()};
        incrs.push_back(x);
      } else {
        open[op.process] = {false, pos};
      }
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;  // completion without invocation: nothing to bound
    const auto [was_incr, idx] = it->second;
    open.erase(it);
    if (was_incr) {
      incrs[idx].complete_pos = pos;
      incrs[idx].outcome = op.type;
    } else if (op.type == OpType::kOk) {
      reads.push_back(Read{idx, pos, &op});
    }
  }
  if (reads.empty()) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "no :ok read of the counters";
    return v;
  }

  // Sweep positions once, snapshotting per-key sums at each read's
  // invocation (D: :ok increments completed so far) and completion (A:
  // non-failed increments invoked so far), each split into positive and
  // negative deltas. The ops counted in D are certain; those in A but not D
  // may or may not count, so
  //   lower = D(i) + (Aneg(c) - Dneg(i)) = Dpos(i) + Aneg(c)
  //   upper = D(i) + (Apos(c) - Dpos(i)) = Dneg(i) + Apos(c).
  struct Sums {
    int64_t pos = 0, neg = 0;
  };
  std::map<std::string, Sums> definite, attempted;
  std::vector<std::map<std::string, Sums>> at_invoke(reads.size()), at_complete(reads.size());
  // Events by position: increments' invocations and :ok completions, reads'
  // invocations and completions.
  std::vector<std::vector<std::pair<int, size_t>>> events(h.size());  // (kind, index)
  enum { kIncrInvoke, kIncrOk, kReadInvoke, kReadComplete };
  for (size_t i = 0; i < incrs.size(); ++i) {
    if (incrs[i].outcome != OpType::kFail) events[incrs[i].invoke_pos].push_back({kIncrInvoke, i});
    if (incrs[i].outcome == OpType::kOk) events[incrs[i].complete_pos].push_back({kIncrOk, i});
  }
  for (size_t r = 0; r < reads.size(); ++r) {
    events[reads[r].invoke_pos].push_back({kReadInvoke, r});
    events[reads[r].complete_pos].push_back({kReadComplete, r});
  }
  for (const auto& at : events) {
    for (const auto& [kind, i] : at) {
      switch (kind) {
        case kIncrInvoke: {
          Sums& s = attempted[incrs[i].key];
          (incrs[i].delta >= 0 ? s.pos : s.neg) += incrs[i].delta;
          break;
        }
        case kIncrOk: {
          Sums& s = definite[incrs[i].key];
          (incrs[i].delta >= 0 ? s.pos : s.neg) += incrs[i].delta;
          break;
        }
        case kReadInvoke: at_invoke[i] = definite; break;
        case kReadComplete: at_complete[i] = attempted; break;
      }
    }
  }

  size_t bad = 0;
  std::map<std::string, std::string> final_line;  // key -> "value in [lo, hi]"
  for (size_t r = 0; r < reads.size(); ++r) {
    const Op& op = *reads[r].op;
    std::vector<std::pair<std::string, int64_t>> values;
    if (op.value.is_int()) {
      values.emplace_back("", op.value.as_int());
    } else if (op.value.is_map()) {
      for (const auto& [k, val] : op.value.as_map()) {
        if (!val.is_int()) {
          v.outcome = Verdict::Outcome::kUnknown;
          v.summary = "read " + std::to_string(op.index) + ": value of " + k.ToEdn() + " is not an integer";
          return v;
        }
        values.emplace_back(k.ToEdn(), val.as_int());
      }
    } else {
      v.outcome = Verdict::Outcome::kUnknown;
      v.summary = "read " + std::to_string(op.index) + ": value must be an integer or a map, got " + op.value.ToEdn();
      return v;
    }
    for (const auto& [key, value] : values) {
      const Sums d = at_invoke[r].count(key) ? at_invoke[r].at(key) : Sums{};
      const Sums a = at_complete[r].count(key) ? at_complete[r].at(key) : Sums{};
      const int64_t lo = d.pos + a.neg;
      const int64_t hi = d.neg + a.pos;
      final_line[key] = CounterName(key) + " = " + std::to_string(value) + " (read " + std::to_string(op.index) +
                        "), bounds [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
      if (lo <= value && value <= hi) continue;
      const std::string line = "read " + std::to_string(op.index) + " of " + CounterName(key) + " = " +
                               std::to_string(value) + ", outside [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "]" +
                               (value < lo ? ": acknowledged increments were lost" : ": more than was ever added");
      if (bad == 0) v.summary = line;
      if (bad < 32) v.details.push_back(line);
      ++bad;
    }
  }
  for (const auto& [key, line] : final_line) v.details.push_back("final: " + line);
  if (bad == 0) {
    v.outcome = Verdict::Outcome::kOk;
    v.summary = "ok";
  } else {
    v.outcome = Verdict::Outcome::kIllegal;
    if (bad > 1) v.summary += " (and " + std::to_string(bad - 1) + " more)";
  }
  return v;
}

}  // namespace txlab
