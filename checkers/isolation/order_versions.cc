#include "checkers/isolation/order_versions.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "checkers/isolation/flat_map.h"
#include "checkers/isolation/order_edges.h"

namespace txlab::isolation {

namespace {

constexpr uint32_t kNil = Mop::kNil;
constexpr uint32_t kUnset = UINT32_MAX - 1;  // no such version (values are ids below it)

struct Touch {
  uint32_t key, first, last;
};

// Per transaction, the keys it interacted with externally and its first /
// last version of each (see the header). :fail txns touch nothing.
class Touches {
 public:
  explicit Touches(const TxnTable& t) : begin_(t.txns.size() + 1, 0) {
    std::vector<std::pair<uint32_t, size_t>> seen;  // key -> index into touches_ for this txn
    for (uint32_t id = 0; id < t.txns.size(); ++id) {
      const Txn& x = t.txns[id];
      begin_[id] = static_cast<uint32_t>(touches_.size());
      if (x.status == TxnStatus::kFail) continue;
      const bool ok = x.status == TxnStatus::kOk;
      seen.clear();
      for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
        const Mop& m = t.mops[i];
        size_t at = SIZE_MAX;
        for (const auto& [k, idx] : seen) {
          if (k == m.key) at = idx;
        }
        if (at == SIZE_MAX) {
          at = touches_.size();
          seen.emplace_back(m.key, at);
          // first: the external read (ok txns only; reads of :info txns are unknown).
          const uint32_t first = (m.kind == MopKind::kRead && ok) ? m.value : kUnset;
          touches_.push_back(Touch{m.key, first, kUnset});
        }
        if (m.kind == MopKind::kWrite) touches_[at].last = m.value;
      }
      // Resolve: first = ext read else final write; last = final write else ext read.
      size_t out = begin_[id];
      for (size_t i = begin_[id]; i < touches_.size(); ++i) {
        Touch tc = touches_[i];
        if (tc.first == kUnset) tc.first = tc.last;
        if (tc.last == kUnset) tc.last = tc.first;
        if (tc.first == kUnset) continue;  // an :info txn's read: nothing known
        touches_[out++] = tc;
      }
      touches_.resize(out);
    }
    begin_[t.txns.size()] = static_cast<uint32_t>(touches_.size());
  }
  const Touch* begin(uint32_t txn) const { return touches_.data() + begin_[txn]; }
  const Touch* end(uint32_t txn) const { return touches_.data() + begin_[txn + 1]; }

 private:
  std::vector<uint32_t> begin_;
  std::vector<Touch> touches_;
};

class Emitter {
 public:
  explicit Emitter(std::vector<InferredVersion>* out) : out_(out) {}
  void Fact(uint32_t key, uint32_t v1, uint32_t v2, RelSet source, uint32_t before, uint32_t after) {
    // nil precedes everything already (initial state); v < nil contradicts
    // it, and the cycle that proves it goes through a plain rw edge.
    if (v1 == kNil || v2 == kNil || v1 == v2) return;
    out_->push_back(InferredVersion{key, v1, v2, source, before, after});
  }
  // The txn's own read precedes its own write (serializability).
  void Internal(uint32_t txn, const Touch& tc, RelSet source) { Fact(tc.key, tc.first, tc.last, source, txn, txn); }

 private:
  std::vector<InferredVersion>* out_;
};

void FromProcessOrder(const TxnTable& t, const Touches& touches, Emitter* emit) {
  std::unordered_map<int64_t, uint32_t> dense;
  FlatMap64 last_txn(1024), last_value(1024);  // (process, key) -> last :ok txn touching key, its last version
  for (uint32_t id = 0; id < t.txns.size(); ++id) {
    const Txn& b = t.txns[id];
    if (touches.begin(id) == touches.end(id)) continue;
    const uint32_t p = dense.emplace(b.process, static_cast<uint32_t>(dense.size())).first->second;
    for (const Touch* tc = touches.begin(id); tc != touches.end(id); ++tc) {
      const uint64_t slot = PackPair(p, tc->key);
      const uint32_t a = last_txn.Find(slot);
      if (a != FlatMap64::kAbsent) emit->Fact(tc->key, last_value.Find(slot), tc->first, kProcess, a, id);
      if (b.status != TxnStatus::kOk) continue;
      emit->Internal(id, *tc, kProcess);
      last_txn.Insert(slot, id) = id;
      last_value.Insert(slot, tc->last) = tc->last;
    }
  }
}

void FromRealtimeOrder(const TxnTable& t, const Touches& touches, Emitter* emit) {
  // Events by history position, as AddRealtimeEdges walks them.
  const std::vector<uint64_t> slot =
      RealtimeEventSlots(t, [&](uint32_t id) { return touches.begin(id) != touches.end(id); });
  struct Entry {
    uint32_t txn, last;
  };
  std::vector<std::vector<Entry>> frontier(t.keys.size());  // per key: :ok completions not yet superseded
  auto complete = [&](uint32_t id) {
    const Txn& b = t.txns[id];
    for (const Touch* tc = touches.begin(id); tc != touches.end(id); ++tc) {
      emit->Internal(id, *tc, kRealtime);
      auto& f = frontier[tc->key];
      // Whatever completed before b began precedes b; b now stands for it.
      f.erase(std::remove_if(f.begin(), f.end(),
                             [&](const Entry& e) { return t.txns[e.txn].complete_pos < b.invoke_pos; }),
              f.end());
      f.push_back(Entry{id, tc->last});
    }
  };
  for (uint64_t s : slot) {
    if (s == kNoEvent) continue;
    const uint32_t id = static_cast<uint32_t>(s / 2);
    if (s % 2 == 1) {
      complete(id);
      continue;
    }
    for (const Touch* tc = touches.begin(id); tc != touches.end(id); ++tc) {
      for (const Entry& e : frontier[tc->key]) emit->Fact(tc->key, e.last, tc->first, kRealtime, e.txn, id);
    }
    const Txn& x = t.txns[id];
    if (x.status == TxnStatus::kOk && x.complete_pos == x.invoke_pos) complete(id);
  }
}

}  // namespace

std::vector<InferredVersion> InferVersionsFromOrder(const TxnTable& t, bool process, bool realtime) {
  std::vector<InferredVersion> out;
  if (!process && !realtime) return out;
  const Touches touches(t);
  Emitter emit(&out);
  if (process) FromProcessOrder(t, touches, &emit);
  if (realtime) FromRealtimeOrder(t, touches, &emit);
  auto key = [](const InferredVersion& f) { return std::make_tuple(f.key, f.v1, f.v2, f.source); };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(), [&](const auto& a, const auto& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

}  // namespace txlab::isolation
