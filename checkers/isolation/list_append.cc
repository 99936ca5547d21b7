#include "checkers/isolation/list_append.h"

#include <algorithm>

namespace txlab::isolation {

namespace {

constexpr uint32_t kAbsent = FlatMap64::kAbsent;

// The elements of a read; a nil read (in an :ok txn) is the empty list.
struct ListView {
  const uint32_t* data;
  uint32_t size;
};

ListView Elements(const TxnTable& t, const Mop& m) {
  if (m.list_len == Mop::kNil) return ListView{nullptr, 0};
  return ListView{t.list_pool.data() + m.list_begin, m.list_len};
}

std::string JoinValues(const TxnTable& t, const std::vector<uint32_t>& vs, bool unknown_prefix) {
  std::string s = "[";
  if (unknown_prefix) s += "...";
  for (size_t i = 0; i < vs.size(); ++i) {
    if (i || unknown_prefix) s += ' ';
    s += t.values.Name(vs[i]);
  }
  return s + "]";
}

}  // namespace

bool ListAppendAnalysis::IsOkRead(uint32_t txn, const Mop& m) const {
  // Reads of :info txns are unknown (Jepsen leaves them nil); a non-nil one
  // was observed, so it counts like Elle's "possible" history does.
  const TxnStatus s = t_.txns[txn].status;
  return m.kind == MopKind::kRead && (s == TxnStatus::kOk || (s == TxnStatus::kInfo && m.list_len != Mop::kNil));
}

uint32_t ListAppendAnalysis::LastElement(const Mop& read) const {
  if (read.list_len == Mop::kNil || read.list_len == 0) return kInit;
  return t_.list_pool[read.list_begin + read.list_len - 1];
}

uint32_t ListAppendAnalysis::PreviousElement(uint32_t key, uint32_t value) const {
  const uint32_t pos = position_.Find(PackPair(key, value));
  if (pos != kAbsent) return pos == 0 ? kInit : order_pool_[order_begin_[key] + pos - 1];
  // Never observed: it came after everything that was.
  return order_len_[key] == 0 ? kInit : order_pool_[order_begin_[key] + order_len_[key] - 1];
}

bool ListAppendAnalysis::BuildIndexes(std::string* error) {
  const size_t nkeys = t_.keys.size();
  longest_.assign(nkeys, kNone);
  longest_txn_.assign(nkeys, kNone);
  append_count_.assign(nkeys, 0);
  single_append_.assign(nkeys, kNone);
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      if (m.kind == MopKind::kAppend) {
        const uint64_t kv = PackPair(m.key, m.value);
        // A txn's append is intermediate if it appends to the key again later.
        for (uint32_t j = i + 1; j < x.mop_end; ++j) {
          if (t_.mops[j].kind == MopKind::kAppend && t_.mops[j].key == m.key) {
            intermediate_.Insert(kv, id);
            break;
          }
        }
        bool inserted = false;
        if (x.status == TxnStatus::kFail) {
          failed_writer_.Insert(kv, id, &inserted);
        } else {
          writer_.Insert(kv, id, &inserted);
          ++append_count_[m.key];
          single_append_[m.key] = m.value;
        }
        if (!inserted || (x.status == TxnStatus::kFail ? writer_.Find(kv) : failed_writer_.Find(kv)) != kAbsent) {
          *error = "value " + t_.values.Name(m.value) + " appended to key " + t_.keys.Name(m.key) +
                   " more than once (list-append needs unique appends per key); see op " +
                   std::to_string(t_.OpIndex(id));
          return false;
        }
      } else if (IsOkRead(id, m) && m.list_len != Mop::kNil) {
        uint32_t& best = longest_[m.key];
        if (best == kNone || t_.mops[best].list_len < m.list_len) {
          best = i;
          longest_txn_[m.key] = id;
        }
      }
    }
  }
  return true;
}

void ListAppendAnalysis::BuildVersionOrders() {
  const size_t nkeys = t_.keys.size();
  order_begin_.assign(nkeys, 0);
  order_len_.assign(nkeys, 0);
  std::vector<uint32_t> stamp(t_.values.size(), UINT32_MAX);
  for (uint32_t k = 0; k < nkeys; ++k) {
    order_begin_[k] = static_cast<uint32_t>(order_pool_.size());
    if (longest_[k] != kNone) {
      const ListView l = Elements(t_, t_.mops[longest_[k]]);
      for (uint32_t i = 0; i < l.size; ++i) {
        const uint32_t e = l.data[i];
        if (stamp[e] == k) continue;  // duplicates are reported elsewhere; keep the first
        stamp[e] = k;
        position_.Insert(PackPair(k, e), order_len_[k]++);
        order_pool_.push_back(e);
      }
    } else if (append_count_[k] == 1) {
      position_.Insert(PackPair(k, single_append_[k]), 0);
      order_pool_.push_back(single_append_[k]);
      order_len_[k] = 1;
    }
  }
}

void ListAppendAnalysis::CheckInternal(uint32_t id, AnomalySink* sink) {
  const Txn& x = t_.txns[id];
  struct State {
    uint32_t key;
    bool known;  // false: elems is a suffix after an unknown prefix
    std::vector<uint32_t> elems;
  };
  std::vector<State> states;
  auto find = [&](uint32_t key) -> State* {
    for (State& s : states) {
      if (s.key == key) return &s;
    }
    return nullptr;
  };
  bool internal_done = false, future_done = false;
  for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
    const Mop& m = t_.mops[i];
    if (m.kind == MopKind::kAppend) {
      if (!future_done) {
        // A future read: an earlier read in this txn already held this element.
        for (uint32_t j = x.mop_begin; j < i; ++j) {
          const Mop& r = t_.mops[j];
          if (r.kind != MopKind::kRead || r.key != m.key) continue;
          const ListView l = Elements(t_, r);
          if (std::find(l.data, l.data + l.size, m.value) != l.data + l.size) {
            Anomaly a{"future-read", {id}, {}, ""};
            a.detail = t_.Label(id) + " read " + t_.MopText(r) + " before appending " +
                       t_.values.Name(m.value) + " itself: " + t_.MopsText(id);
            sink->Add(std::move(a));
            future_done = true;
            break;
          }
        }
      }
      if (State* s = find(m.key)) {
        s->elems.push_back(m.value);
      } else {
        states.push_back(State{m.key, false, {m.value}});
      }
      continue;
    }
    const ListView l = Elements(t_, m);
    State* s = find(m.key);
    if (s != nullptr && !internal_done) {
      bool ok;
      if (s->known) {
        ok = l.size == s->elems.size() && std::equal(l.data, l.data + l.size, s->elems.begin());
      } else {
        ok = l.size >= s->elems.size() &&
             std::equal(l.data + (l.size - s->elems.size()), l.data + l.size, s->elems.begin());
      }
      if (!ok) {
        Anomaly a{"internal", {id}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + " but its own earlier reads and appends imply " +
                   JoinValues(t_, s->elems, !s->known) + ": " + t_.MopsText(id);
        sink->Add(std::move(a));
        internal_done = true;  // Elle reports the first per txn
      }
    }
    if (s == nullptr) {
      states.push_back(State{m.key, true, {}});
      s = &states.back();
    }
    s->known = true;
    s->elems.assign(l.data, l.data + l.size);
  }
}

void ListAppendAnalysis::CheckReads(AnomalySink* sink) {
  std::vector<uint32_t> stamp(t_.values.size(), UINT32_MAX);
  std::vector<uint8_t> incompatible_reported(t_.keys.size(), 0);
  uint32_t read_no = 0;
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    if (x.status == TxnStatus::kOk) CheckInternal(id, sink);
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      if (!IsOkRead(id, m)) continue;
      const ListView l = Elements(t_, m);
      ++read_no;
      bool dup = false;
      for (uint32_t j = 0; j < l.size; ++j) {
        const uint32_t e = l.data[j];
        const uint64_t kv = PackPair(m.key, e);
        if (stamp[e] == read_no) dup = true;
        stamp[e] = read_no;
        const uint32_t failed = failed_writer_.Find(kv);
        if (failed != kAbsent) {
          if (sink->Wants("G1a")) {
            Anomaly a{"G1a", {id, failed}, {}, ""};
            a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", whose element " + t_.values.Name(e) +
                       " was appended by failed " + t_.Label(failed) + " " + t_.MopsText(failed);
            sink->Add(std::move(a));
          } else {
            sink->Count("G1a");
          }
        } else if (writer_.Find(kv) == kAbsent) {
          if (sink->Wants("garbage-read")) {
            Anomaly a{"garbage-read", {id}, {}, ""};
            a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", but no transaction appended " +
                       t_.values.Name(e) + " to key " + t_.keys.Name(m.key);
            sink->Add(std::move(a));
          } else {
            sink->Count("garbage-read");
          }
        }
      }
      if (dup) {
        Anomaly a{"duplicate-elements", {id}, {}, ""};
        a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", which holds an element more than once";
        sink->Add(std::move(a));
      }
      if (l.size > 0) {
        const uint32_t last = l.data[l.size - 1];
        const uint32_t w = intermediate_.Find(PackPair(m.key, last));
        if (w != kAbsent && w != id) {
          Anomaly a{"G1b", {id, w}, {}, ""};
          a.detail = t_.Label(id) + " read " + t_.MopText(m) + ", ending in " + t_.values.Name(last) +
                     ", an intermediate append of " + t_.Label(w) + " " + t_.MopsText(w);
          sink->Add(std::move(a));
        }
      }
      // Every read must be a prefix of the longest one.
      const Mop& longest = t_.mops[longest_[m.key] == kNone ? i : longest_[m.key]];
      const ListView lv = Elements(t_, longest);
      if (l.size > lv.size || !std::equal(l.data, l.data + l.size, lv.data)) {
        if (!incompatible_reported[m.key]) {
          incompatible_reported[m.key] = 1;
          const uint32_t other = longest_txn_[m.key];
          uint32_t at = 0;
          while (at < l.size && at < lv.size && l.data[at] == lv.data[at]) ++at;
          Anomaly a{"incompatible-order", {id, other}, {}, ""};
          a.detail = "key " + t_.keys.Name(m.key) + ": " + t_.Label(id) + " read " + t_.ListText(m) + " and " +
                     t_.Label(other) + " read " + t_.ListText(longest) + "; they first differ at position " +
                     std::to_string(at) + " (" + (at < l.size ? t_.values.Name(l.data[at]) : "end") + " vs " +
                     (at < lv.size ? t_.values.Name(lv.data[at]) : "end") +
                     "), so no single order of appends explains both";
          sink->Add(std::move(a));
        }
      }
    }
  }
}

void ListAppendAnalysis::CheckLostUpdates(AnomalySink* sink) {
  // Group committed txns by (key, the state they first read), counting those
  // that then appended to the key. Two in one group lost an update.
  FlatMap64 group_of(1024);
  std::vector<std::vector<uint32_t>> groups;
  std::vector<uint64_t> group_key;
  std::vector<uint32_t> group_read;  // a representative read mop
  struct KeyState {
    uint32_t key;
    uint32_t read_mop;  // first read of key, or kNone
    bool wrote;
  };
  std::vector<KeyState> ks;
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    if (x.status != TxnStatus::kOk) continue;
    ks.clear();
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      KeyState* s = nullptr;
      for (KeyState& k : ks) {
        if (k.key == m.key) s = &k;
      }
      if (s == nullptr) {
        ks.push_back(KeyState{m.key, kNone, false});
        s = &ks.back();
      }
      if (m.kind == MopKind::kRead) {
        if (s->read_mop == kNone) s->read_mop = i;
        continue;
      }
      if (s->wrote || s->read_mop == kNone) continue;
      s->wrote = true;
      // Hash of (key, list read); nil and [] differ, as in Elle.
      const Mop& r = t_.mops[s->read_mop];
      uint64_t h = 1469598103934665603ull ^ (static_cast<uint64_t>(m.key) * 0x9E3779B97F4A7C15ull);
      const ListView l = Elements(t_, r);
      h = (h ^ (r.list_len == Mop::kNil ? 0xFFFFull : l.size)) * 1099511628211ull;
      for (uint32_t j = 0; j < l.size; ++j) h = (h ^ l.data[j]) * 1099511628211ull;
      if (h == FlatMap64::kEmpty) h = 0;
      bool inserted = false;
      uint32_t& g = group_of.Insert(h, static_cast<uint32_t>(groups.size()), &inserted);
      if (inserted) {
        groups.emplace_back();
        group_key.push_back(m.key);
        group_read.push_back(s->read_mop);
      }
      groups[g].push_back(id);
    }
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() < 2) continue;
    Anomaly a{"lost-update", groups[g], {}, ""};
    a.detail = std::to_string(groups[g].size()) + " committed transactions read key " +
               t_.keys.Name(static_cast<uint32_t>(group_key[g])) + " = " + t_.ListText(t_.mops[group_read[g]]) +
               " and then appended to it:";
    for (uint32_t id : groups[g]) a.detail += "\n    " + t_.Label(id) + " " + t_.MopsText(id);
    sink->Add(std::move(a));
  }
}

void ListAppendAnalysis::CheckDirtyUpdates(AnomalySink* sink) {
  // Walk each version order; a committed append after a failed one (with only
  // indeterminate ones between) means the failed write was built upon.
  for (uint32_t k = 0; k < t_.keys.size(); ++k) {
    TxnStatus t1 = TxnStatus::kOk;
    uint32_t t1_txn = kNone;
    uint32_t range_begin = 0;
    for (uint32_t p = 0; p < order_len_[k]; ++p) {
      const uint32_t e = order_pool_[order_begin_[k] + p];
      uint32_t w = writer_.Find(PackPair(k, e));
      TxnStatus t2;
      if (w != kAbsent) {
        t2 = t_.txns[w].status;
      } else if ((w = failed_writer_.Find(PackPair(k, e))) != kAbsent) {
        t2 = TxnStatus::kFail;
      } else {
        continue;  // garbage; reported elsewhere
      }
      if (t2 == TxnStatus::kInfo) continue;  // can't say; keep the range
      if (t1 == TxnStatus::kFail && t2 == TxnStatus::kOk) {
        std::vector<uint32_t> vs(order_pool_.begin() + order_begin_[k] + range_begin,
                                 order_pool_.begin() + order_begin_[k] + p + 1);
        Anomaly a{"dirty-update", {t1_txn, w}, {}, ""};
        a.detail = "key " + t_.keys.Name(k) + ": versions " + JoinValues(t_, vs, false) + " go from failed " +
                   t_.Label(t1_txn) + " to committed " + t_.Label(w);
        sink->Add(std::move(a));
      }
      if (t2 == TxnStatus::kFail && t1 == TxnStatus::kFail) continue;  // widen the failed range
      t1 = t2;
      t1_txn = w;
      range_begin = p;
    }
  }
}

void ListAppendAnalysis::AddEdges(std::vector<Edge>* edges) {
  // Read index first: who observed each state (key, last element).
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      if (!IsOkRead(id, m)) continue;
      const uint32_t entry = static_cast<uint32_t>(read_txn_.size());
      uint32_t& head = read_head_.Insert(PackPair(m.key, LastElement(m)), kNone);
      read_txn_.push_back(id);
      read_next_.push_back(head);
      head = entry;
    }
  }
  for (uint32_t id = 0; id < t_.txns.size(); ++id) {
    const Txn& x = t_.txns[id];
    if (x.status == TxnStatus::kFail) continue;
    for (uint32_t i = x.mop_begin; i < x.mop_end; ++i) {
      const Mop& m = t_.mops[i];
      if (m.kind == MopKind::kRead) {
        if (!IsOkRead(id, m)) continue;
        const uint32_t last = LastElement(m);
        if (last == kInit) continue;
        const uint32_t w = writer_.Find(PackPair(m.key, last));
        if (w != kAbsent && w != id) edges->push_back(Edge{w, id, kWR});
        continue;
      }
      const uint32_t prev = PreviousElement(m.key, m.value);
      if (prev != kInit) {
        const uint32_t w = writer_.Find(PackPair(m.key, prev));
        if (w != kAbsent && w != id) edges->push_back(Edge{w, id, kWW});
      }
      for (uint32_t r = read_head_.Find(PackPair(m.key, prev)); r != kAbsent && r != kNone; r = read_next_[r]) {
        if (read_txn_[r] != id) edges->push_back(Edge{read_txn_[r], id, kRW});
      }
    }
  }
}

bool ListAppendAnalysis::Run(AnomalySink* sink, std::vector<Edge>* edges, std::string* error) {
  if (!BuildIndexes(error)) return false;
  BuildVersionOrders();
  CheckReads(sink);
  CheckLostUpdates(sink);
  CheckDirtyUpdates(sink);
  AddEdges(edges);
  return true;
}

std::string ListAppendAnalysis::Explain(uint32_t a, uint32_t b, RelSet rel, const std::string& a_name,
                                        const std::string& b_name) const {
  const Txn& tb = t_.txns[b];
  for (uint32_t i = tb.mop_begin; i < tb.mop_end; ++i) {
    const Mop& m = t_.mops[i];
    const std::string key = t_.keys.Name(m.key);
    if (rel == kWR && IsOkRead(b, m)) {
      const uint32_t last = LastElement(m);
      if (last != kInit && writer_.Find(PackPair(m.key, last)) == a) {
        return b_name + " observed " + a_name + "'s append of " + t_.values.Name(last) + " to key " + key;
      }
    }
    if (m.kind != MopKind::kAppend) continue;
    const uint32_t prev = PreviousElement(m.key, m.value);
    if (rel == kWW && prev != kInit && writer_.Find(PackPair(m.key, prev)) == a) {
      return b_name + " appended " + t_.values.Name(m.value) + " after " + a_name + " appended " +
             t_.values.Name(prev) + " to key " + key;
    }
    if (rel == kRW) {
      const Txn& ta = t_.txns[a];
      for (uint32_t j = ta.mop_begin; j < ta.mop_end; ++j) {
        const Mop& r = t_.mops[j];
        if (r.key != m.key || !IsOkRead(a, r) || LastElement(r) != prev) continue;
        if (prev == kInit) {
          return a_name + " observed the initial (empty) state of key " + key + ", which " + b_name +
                 " changed by appending " + t_.values.Name(m.value);
        }
        return a_name + " read key " + key + " = " + t_.ListText(r) + ", which did not yet include " + b_name +
               "'s append of " + t_.values.Name(m.value);
      }
    }
  }
  return b_name + " depends on " + a_name + " (" + RelName(rel) + ")";
}

}  // namespace txlab::isolation
