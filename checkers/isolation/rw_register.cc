#include "checkers/isolation/rw_register.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "checkers/isolation/dep_graph.h"

namespace txlab::isolation {

namespace {
constexpr uint32_t kAbsent = FlatMap64::kAbsent;
constexpr uint32_t kNone = UINT32_MAX - 1;  // "no external read/write of this key"
}  // namespace

uint32_t RwRegisterAnalysis::ExtRead(uint32_t txn, uint32_t key) const {
  const Txn& x = t_.txns[txn];
  for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
    const Mop& m = t_.mops[i];
    if (m.key != key) continue;
    return m.kind == MopKind::kRead ? m.value : kNone;  // value may be kNil
  }
  return kNone;
}

uint32_t RwRegisterAnalysis::ExtWrite(uint32_t txn, uint32_t key) const {
  const Txn& x = t_.txns[txn];
  uint32_t v = kNone;
  for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
    const Mop& m = t_.mops[i];
    if (m.key == key && m.kind == MopKind::kWrite) v = m.value;
  }
  return v;
}

bool RwRegisterAnalysis::VersionBefore(uint32_t key, uint32_t v1, uint32_t v2) const {
  if (v2 == kNil || v2 == kNone || v1 == kNone) return false;
  if (v1 == kNil) return true;  // the initial state precedes everything
  return wfr_edges_.count({key, v1, v2}) > 0;
}

bool RwRegisterAnalysis::Run(AnomalySink* sink, std::vector<Edge>* edges, std::string* error) {
  FlatMap64 ok_writer(1024), any_writer(1024), failed(64), intermediate(64);
  // Readers by (key, value read externally; kNil for nil), :ok txns only.
  FlatMap64 read_head(1024);
  std::vector<uint32_t> read_next, read_txn;
  std::vector<std::vector<uint32_t>> key_writers(t_.keys.size());  // :ok external writers per key

  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      const uint64_t kv = PackPair(m.key, m.value);
      if (m.kind == MopKind::kWrite) {
        any_writer.Insert(kv, id);
        if (x.status == TxnStatus::kFail) failed.Insert(kv, id);
        bool last = true;
        for (uint32_t j = i + 1; j < x.mop_end; ++j) {
          if (t_.mops[j].kind == MopKind::kWrite && t_.mops[j].key == m.key) last = false;
        }
        if (!last) {
          intermediate.Insert(kv, id);
        } else if (x.status == TxnStatus::kOk) {
          bool inserted = false;
          const uint32_t other = ok_writer.Insert(kv, id, &inserted);
          if (!inserted) {
            *error = "key " + t_.keys.Name(m.key) + " had value " + t_.values.Name(m.value) +
                     " written by more than one committed op (" + std::to_string(t_.OpIndex(other)) + " and " +
                     std::to_string(t_.OpIndex(id)) + "); rw-register needs unique writes";
            return false;
          }
          key_writers[m.key].push_back(id);
        }
      } else if (x.status == TxnStatus::kOk && ExtRead(id, m.key) != kNone) {
        // Only the first op on the key gets here as an external read.
        bool first = true;
        for (uint32_t j = x.mop_begin; j < i; ++j) {
          if (t_.mops[j].key == m.key) first = false;
        }
        if (!first) continue;
        const uint32_t entry = static_cast<uint32_t>(read_txn.size());
        uint32_t& head = read_head.Insert(kv, kAbsent);
        read_txn.push_back(id);
        read_next.push_back(head);
        head = entry;
      }
    }
  }

  // Non-cycle anomalies of committed txns.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> lost;  // (key, read) -> txns
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    if (x.status != TxnStatus::kOk) continue;
    std::vector<std::pair<uint32_t, uint32_t>> state;  // key -> value seen (its own view)
    std::vector<std::pair<uint32_t, uint32_t>> first_read;
    std::vector<uint32_t> wrote;
    bool internal_done = false;
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      std::pair<uint32_t, uint32_t>* s = nullptr;
      for (auto& p : state) {
        if (p.first == m.key) s = &p;
      }
      if (m.kind == MopKind::kWrite) {
        if (s) s->second = m.value; else state.emplace_back(m.key, m.value);
        // Lost update: first write of a key this txn read before.
        bool already = false;
        for (uint32_t k : wrote) already |= k == m.key;
        if (!already) {
          for (auto& fr : first_read) {
            if (fr.first == m.key) {
              wrote.push_back(m.key);
              lost[fr].push_back(id);
            }
          }
        }
        continue;
      }
      bool seen_read = false;
      for (auto& fr : first_read) seen_read |= fr.first == m.key;
      if (!seen_read) first_read.emplace_back(m.key, m.value);
      if (s && s->second != m.value && !internal_done) {
        Anomaly a{"internal", {id}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + " but had itself just seen or written " +
                   t_.values.Name(s->second) + ": " + t_.MopsText(id);
        sink->Add(std::move(a));
        internal_done = true;
      }
      if (s) s->second = m.value; else state.emplace_back(m.key, m.value);
      if (m.value == kNil) continue;
      const uint64_t kv = PackPair(m.key, m.value);
      const uint32_t f = failed.Find(kv);
      const uint32_t im = intermediate.Find(kv);
      if (f != kAbsent) {
        Anomaly a{"G1a", {id, f}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", written by failed " + t_.Label(f) + " " +
                   t_.MopsText(f);
        sink->Add(std::move(a));
      } else if (any_writer.Find(kv) == kAbsent) {
        Anomaly a{"garbage-read", {id}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", but no transaction wrote " +
                   t_.values.Name(m.value) + " to key " + t_.keys.Name(m.key);
        sink->Add(std::move(a));
      }
      if (im != kAbsent && im != id) {
        Anomaly a{"G1b", {id, im}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", an intermediate write of " + t_.Label(im) + " " +
                   t_.MopsText(im);
        sink->Add(std::move(a));
      }
    }
  }
  for (const auto& [kr, txns] : lost) {
    if (txns.size() < 2) continue;
    Anomaly a{"lost-update", txns, {}, ""};
    a.detail = std::to_string(txns.size()) + " committed transactions read key " + t_.keys.Name(kr.first) + " = " +
               (kr.second == kNil ? std::string("nil") : t_.values.Name(kr.second)) + " and then wrote it:";
    for (uint32_t id : txns) a.detail += "\n    " + t_.Label(id) + " " + t_.MopsText(id);
    sink->Add(std::move(a));
  }

  // Writes-follow-reads version edges, dropped if they contradict each other.
  if (wfr_keys_) {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> wfr;
    for (uint32_t id = 0; id < t_.txns.size(); ++id) {
      const Txn& x = t_.txns[id];
      if (x.status != TxnStatus::kOk) continue;
      for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
        const Mop& m = t_.mops[i];
        if (m.kind != MopKind::kRead || m.value == kNil || ExtRead(id, m.key) != m.value) continue;
        const uint32_t w = ExtWrite(id, m.key);
        if (w != kNone && w != m.value) wfr.emplace_back(m.key, m.value, w);
      }
    }
    FlatMap64 vid(1024);
    std::vector<std::pair<uint32_t, uint32_t>> names;
    std::vector<Edge> vedges;
    auto node = [&](uint32_t k, uint32_t v) {
      bool inserted = false;
      const uint32_t n = vid.Insert(PackPair(k, v), static_cast<uint32_t>(names.size()), &inserted);
      if (inserted) names.emplace_back(k, v);
      return n;
    };
    for (const auto& [k, v1, v2] : wfr) vedges.push_back(Edge{node(k, v1), node(k, v2), kWW});
    DepGraph vg(static_cast<uint32_t>(names.size()), &vedges);
    std::vector<int32_t> scratch(names.size(), -1);
    const auto cycles = StronglyConnectedComponents(vg, kWW, nullptr, &scratch);
    for (const auto& comp : cycles) {
      Anomaly a{"cyclic-versions", {}, {}, ""};
      a.detail = "key " + t_.keys.Name(names[comp[0]].first) + ": writes-follow-reads orders versions in a cycle:";
      for (uint32_t v : comp) a.detail += " " + t_.values.Name(names[v].second);
      sink->Add(std::move(a));
    }
    if (cycles.empty()) wfr_edges_.insert(wfr.begin(), wfr.end());
  }

  // Edges.
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    if (x.status != TxnStatus::kOk) continue;
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      if (m.kind != MopKind::kRead || m.value == kNil || ExtRead(id, m.key) != m.value) continue;
      const uint32_t w = ok_writer.Find(PackPair(m.key, m.value));
      if (w != kAbsent && w != id) edges->push_back(Edge{w, id, kWR});
    }
  }
  for (uint32_t k = 0; k < t_.keys.size(); ++k) {
    // nil < every value: readers of nil -> every writer of k.
    for (uint32_t r = read_head.Find(PackPair(k, kNil)); r != kAbsent; r = read_next[r]) {
      for (uint32_t w : key_writers[k]) {
        if (w != read_txn[r]) edges->push_back(Edge{read_txn[r], w, kRW});
      }
    }
  }
  // A version edge v1 < v2: ww from v1's writer, rw from v1's readers, to
  // v2's writer (only :ok txns, as in Elle's ext-index).
  auto version_edge = [&](uint32_t k, uint32_t v1, uint32_t v2, RelSet ww, RelSet rw) {
    const uint32_t w2 = ok_writer.Find(PackPair(k, v2));
    if (w2 == kAbsent) return;
    const uint32_t w1 = ok_writer.Find(PackPair(k, v1));
    if (w1 != kAbsent && w1 != w2) edges->push_back(Edge{w1, w2, ww});
    for (uint32_t r = read_head.Find(PackPair(k, v1)); r != kAbsent; r = read_next[r]) {
      if (read_txn[r] != w2) edges->push_back(Edge{read_txn[r], w2, rw});
    }
  };
  for (const auto& [k, v1, v2] : wfr_edges_) version_edge(k, v1, v2, kWW, kRW);
  // Process / real-time inference. Contradictions among these facts are not
  // cyclic-versions (that would rule out read-uncommitted): they show up as
  // -process / -realtime cycles over the tagged edges.
  inferred_ = InferVersionsFromOrder(t_, order_.process, order_.realtime);
  for (const InferredVersion& f : inferred_) {
    const bool p = f.source == kProcess;
    version_edge(f.key, f.v1, f.v2, p ? kWWProcess : kWWRealtime, p ? kRWProcess : kRWRealtime);
  }
  return true;
}

const InferredVersion* RwRegisterAnalysis::Inferred(uint32_t key, uint32_t v1, uint32_t v2, RelSet source) const {
  const auto probe = std::make_tuple(key, v1, v2, source);
  auto it = std::lower_bound(inferred_.begin(), inferred_.end(), probe, [](const InferredVersion& f, const auto& p) {
    return std::make_tuple(f.key, f.v1, f.v2, f.source) < p;
  });
  if (it == inferred_.end() || std::make_tuple(it->key, it->v1, it->v2, it->source) != probe) return nullptr;
  return &*it;
}

std::string RwRegisterAnalysis::Why(const InferredVersion& f) const {
  if (f.before == f.after) {
    return t_.Label(f.before) + " read " + t_.values.Name(f.v1) + " and then wrote " + t_.values.Name(f.v2) +
           " (a serializable txn's read precedes its own write)";
  }
  const std::string key = t_.keys.Name(f.key);
  if (f.source == kProcess) {
    return "process " + std::to_string(t_.txns[f.before].process) + " ran " + t_.Label(f.before) + " before " +
           t_.Label(f.after) + ", and key " + key + " is sequential per process under this model";
  }
  return t_.Label(f.before) + " completed before " + t_.Label(f.after) + " was invoked, and key " + key +
         " is linearizable under this model";
}

std::string RwRegisterAnalysis::Explain(uint32_t a, uint32_t b, RelSet rel, const std::string& a_name,
                                        const std::string& b_name) const {
  const Txn& tb = t_.txns[b];
  for (uint32_t i = tb.mop_begin; i < tb.mop_end; ++i) {
    const Mop& m = t_.mops[i];
    const std::string key = t_.keys.Name(m.key);
    if (rel == kWR && m.kind == MopKind::kRead && m.value != kNil && ExtRead(b, m.key) == m.value &&
        ExtWrite(a, m.key) == m.value) {
      return a_name + " wrote key " + key + " = " + t_.values.Name(m.value) + ", which " + b_name + " read";
    }
    if (m.kind != MopKind::kWrite || ExtWrite(b, m.key) != m.value) continue;
    if (rel & (kProcessInferred | kRealtimeInferred)) {
      const RelSet source = (rel & kProcessInferred) ? kProcess : kRealtime;
      const bool ww = (rel & kAnyWW) != 0;
      const uint32_t v1 = ww ? ExtWrite(a, m.key) : ExtRead(a, m.key);
      if (v1 == kNone || v1 == kNil) continue;
      if (const InferredVersion* f = Inferred(m.key, v1, m.value, source)) {
        return a_name + (ww ? " set key " : " read key ") + key + (ww ? " to " : " = ") + t_.values.Name(v1) +
               ", and " + b_name + " set it to " + t_.values.Name(m.value) + ", which came later in the version order: " +
               Why(*f);
      }
      continue;
    }
    if (rel == kWW) {
      const uint32_t v1 = ExtWrite(a, m.key);
      if (VersionBefore(m.key, v1, m.value)) {
        return a_name + " set key " + key + " to " + t_.values.Name(v1) + ", and " + b_name + " set it to " +
               t_.values.Name(m.value) + ", which came later in the version order";
      }
    }
    if (rel == kRW) {
      const uint32_t v1 = ExtRead(a, m.key);
      if (VersionBefore(m.key, v1, m.value)) {
        return a_name + " read key " + key + " = " + (v1 == kNil ? std::string("nil") : t_.values.Name(v1)) +
               ", and " + b_name + " set it to " + t_.values.Name(m.value) + ", which came later in the version order";
      }
    }
  }
  return b_name + " depends on " + a_name + " (" + RelName(rel) + ")";
}

}  // namespace txlab::isolation
