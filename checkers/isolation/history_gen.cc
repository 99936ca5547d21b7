#include "checkers/isolation/history_gen.h"

#include <algorithm>
#include <random>
#include <vector>

namespace txlab::isolation {

History GenerateSerializableListAppend(const ListAppendGenOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int p = std::max(1, o.processes);
  // Keys and their lists (the serial execution's state).
  std::vector<std::vector<int64_t>> lists;
  std::vector<int64_t> active;
  auto fresh_key = [&]() {
    lists.emplace_back();
    return static_cast<int64_t>(lists.size() - 1);
  };
  for (int i = 0; i < o.active_keys; ++i) active.push_back(fresh_key());

  struct Event {
    int64_t time;
    uint32_t txn;
    bool completion;
  };
  std::vector<Event> events;
  events.reserve(o.txns * 2);
  std::vector<Edn> invoke_values(o.txns), done_values(o.txns);
  std::vector<OpType> outcome(o.txns, OpType::kOk);
  std::vector<int64_t> process(o.txns);
  std::vector<int64_t> slot_process(p);
  for (int q = 0; q < p; ++q) slot_process[q] = q;
  // Windows: invoke up to half a round of p txns early, complete up to half
  // a round late; x + y < p keeps every process sequential.
  const int64_t scale = 1000;
  const int64_t half = std::max<int64_t>(1, (scale * p) / 2 - 1);
  std::uniform_int_distribution<int64_t> shift(0, half - 1);
  std::uniform_int_distribution<int> nmops(1, std::max(1, o.max_mops));
  std::uniform_int_distribution<size_t> pick(0, active.size() - 1);

  // Position of each txn in time (the serial order unless scrambled).
  std::vector<uint32_t> when(o.txns);
  for (uint32_t i = 0; i < o.txns; ++i) when[i] = i;
  if (o.scramble_realtime) std::shuffle(when.begin(), when.end(), rng);

  std::vector<int64_t> attempts;  // appends tried per key, applied or not
  for (uint32_t i = 0; i < o.txns; ++i) {
    const int q = static_cast<int>(when[i] % p);
    process[i] = slot_process[q];
    const double r = unit(rng);
    OpType type = r < o.fail_fraction ? OpType::kFail
                  : r < o.fail_fraction + o.info_fraction ? OpType::kInfo
                                                          : OpType::kOk;
    const bool applied = type == OpType::kOk || (type == OpType::kInfo && unit(rng) < 0.5);
    Edn::Vector inv, done;
    const int n = nmops(rng);
    for (int m = 0; m < n; ++m) {
      const int64_t k = active[pick(rng)];
      if (unit(rng) < o.read_fraction) {
        inv.push_back(Edn::Vec({Edn::Kw("r"), Edn::Int(k), Edn()}));
        Edn seen;  // nil unless applied
        if (applied && o.registers) {
          if (!lists[k].empty()) seen = Edn::Int(lists[k].back());
        } else if (applied) {
          Edn::Vector elems;
          for (int64_t v : lists[k]) elems.push_back(Edn::Int(v));
          seen = Edn::Vec(std::move(elems));
        }
        done.push_back(Edn::Vec({Edn::Kw("r"), Edn::Int(k), std::move(seen)}));
      } else {
        // Values are unique per key: the attempt number on that key.
        std::vector<int64_t>& l = lists[k];
        if (attempts.size() < lists.size()) attempts.resize(lists.size() * 2, 0);
        const int64_t v = ++attempts[k];
        const char* f = o.registers ? "w" : "append";
        inv.push_back(Edn::Vec({Edn::Kw(f), Edn::Int(k), Edn::Int(v)}));
        done.push_back(Edn::Vec({Edn::Kw(f), Edn::Int(k), Edn::Int(v)}));
        if (applied) l.push_back(v);
      }
    }
    // Retire keys that are full; they stay readable in older ops only.
    for (auto& k : active) {
      if (static_cast<int>(lists[k].size()) >= o.max_writes_per_key) k = fresh_key();
    }
    invoke_values[i] = Edn::Vec(std::move(inv));
    done_values[i] = type == OpType::kOk ? Edn::Vec(std::move(done)) : invoke_values[i];
    outcome[i] = type;
    if (type == OpType::kInfo) {
      if (o.scramble_realtime) {
        process[i] = (int64_t{1} << 32) + i;  // slots are not filled in time order: a process of its own
      } else {
        slot_process[q] += p;  // a fresh process for this slot
      }
    }
    const int64_t t = static_cast<int64_t>(when[i]) * scale;
    events.push_back(Event{t - shift(rng), i, false});
    events.push_back(Event{t + shift(rng) + 1, i, true});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.completion < b.completion;
  });
  History h;
  h.reserve(events.size());
  const int64_t t0 = events.empty() ? 0 : events.front().time;
  for (const Event& e : events) {
    Op op;
    op.index = static_cast<int64_t>(h.size());
    op.type = e.completion ? outcome[e.txn] : OpType::kInvoke;
    op.process = process[e.txn];
    op.f = "txn";
    op.value = e.completion ? std::move(done_values[e.txn]) : invoke_values[e.txn];
    op.time_ns = e.time - t0;
    h.push_back(std::move(op));
  }
  return h;
}

}  // namespace txlab::isolation
