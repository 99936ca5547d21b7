#include "checkers/linearizability/streamed_history.h"

#include <algorithm>
#include <cstdlib>

#include "checkers/linearizability/compile.h"

namespace txlab {
namespace lin {

Val StreamedHistory::Int(int64_t i) {
  if (ValueStore::IsInt(i)) return i;
  std::string t = std::to_string(i);
  entries_.push_back({ValKind::kBigInt, static_cast<uint32_t>(t.size()), text_.size()});
  text_ += t;
  return kNil + static_cast<Val>(entries_.size());
}

Val StreamedHistory::Text(ValKind kind, std::string_view text) {
  entries_.push_back({kind, static_cast<uint32_t>(text.size()), text_.size()});
  text_.append(text);
  return kNil + static_cast<Val>(entries_.size());
}

Val StreamedHistory::Vector(const Val* elems, size_t n) {
  entries_.push_back({ValKind::kVector, static_cast<uint32_t>(n), elems_.size()});
  elems_.insert(elems_.end(), elems, elems + n);
  return kNil + static_cast<Val>(entries_.size());
}

Val StreamedHistory::KeyString(uint32_t key, std::string_view text) {
  std::string& t = keys_[key].text;
  if (text.size() > 0xffff || t.size() >= (uint64_t{1} << 44)) return Text(ValKind::kString, text);
  const Val v = kKeyStringBase + static_cast<Val>((static_cast<uint64_t>(t.size()) << 16) | text.size());
  t.append(text);
  return v;
}

Edn StreamedHistory::ToEdn(Val v, uint32_t key) const {
  if (v == kNil) return Edn();
  if (ValueStore::IsInt(v)) return Edn::Int(v);
  if (IsKeyString(v)) return Edn::String(std::string(KeyText(v, key)));
  const Entry& e = entries_[v - kNil - 1];
  switch (e.kind) {
    case ValKind::kString: return Edn::String(std::string(TextOf(e)));
    case ValKind::kKeyword: return Edn::Kw(std::string(TextOf(e)));
    case ValKind::kBool: return Edn::Bool(TextOf(e) == "true");
    case ValKind::kBigInt: return Edn::Int(std::strtoll(std::string(TextOf(e)).c_str(), nullptr, 10));
    case ValKind::kVector: {
      Edn::Vector items;
      for (uint32_t i = 0; i < e.len; ++i) items.push_back(ToEdn(elems_[e.off + i], key));
      return Edn::Vec(std::move(items));
    }
  }
  return Edn();
}

uint32_t StreamedHistory::IntKey(int64_t k) {
  auto [it, inserted] = int_keys_.emplace(k, static_cast<uint32_t>(keys_.size()));
  if (inserted) {
    keys_.emplace_back();
    keys_.back().edn = Edn::Int(k);
  }
  return it->second;
}

uint32_t StreamedHistory::TextKey(ValKind kind, std::string_view text) {
  std::string id(1, kind == ValKind::kString ? 's' : 'k');
  id.append(text);
  auto [it, inserted] = text_keys_.emplace(std::move(id), static_cast<uint32_t>(keys_.size()));
  if (inserted) {
    keys_.emplace_back();
    keys_.back().edn = kind == ValKind::kString ? Edn::String(std::string(text)) : Edn::Kw(std::string(text));
  }
  return it->second;
}

// The encodings below mirror Compile's (compile.cc) for each key kind.
int64_t StreamedHistory::Scalar(Val v, uint32_t key, ValueStore* vs) const {
  if (v == kNil || ValueStore::IsInt(v)) return v;
  return vs->Scalar(ToEdn(v, key));
}

bool StreamedHistory::IsVector(Val v) const {
  if (v == kNil || ValueStore::IsInt(v) || IsKeyString(v)) return false;
  return entries_[v - kNil - 1].kind == ValKind::kVector;
}

int64_t StreamedHistory::ListOf(Val v, uint32_t key, ValueStore* vs) const {
  if (v == kNil || ValueStore::IsInt(v) || IsKeyString(v)) return 0;
  const Entry& e = entries_[v - kNil - 1];
  if (e.kind != ValKind::kVector) return 0;
  int64_t node = 0;
  for (uint32_t i = 0; i < e.len; ++i) node = vs->ListChild(node, Scalar(elems_[e.off + i], key, vs));
  return node;
}

std::string_view StreamedHistory::StringOf(Val v, uint32_t key, bool nil_is_empty, std::string* scratch) const {
  if (v == kNil && nil_is_empty) return {};
  if (IsKeyString(v)) return KeyText(v, key);
  if (v != kNil && !ValueStore::IsInt(v)) {
    const Entry& e = entries_[v - kNil - 1];
    if (e.kind == ValKind::kString) return TextOf(e);
  }
  *scratch = ToEdn(v, key).ToEdn();
  return *scratch;
}

void StreamedHistory::MaterializePartition(uint32_t key, ValueStore* vs, Partition* out) const {
  const Key& k = keys_[key];
  out->keys.clear();  // keeps the vectors' memory for the next partition
  out->kinds.clear();
  out->ops.clear();
  out->keys.push_back(k.edn);
  out->kinds.push_back(k.kind);
  std::vector<const StreamedOp*> order;
  order.reserve(k.ops.size());
  for (const StreamedOp& s : k.ops) {
    if (!(s.flags & StreamedOp::kDropped)) order.push_back(&s);
  }
  std::sort(order.begin(), order.end(), [](const StreamedOp* a, const StreamedOp* b) { return a->call < b->call; });
  out->ops.reserve(order.size());
  std::string scratch;
  for (const StreamedOp* s : order) {
    LinOp op;
    op.indeterminate = s->flags & StreamedOp::kIndeterminate;
    op.call = s->call;
    op.ret = op.indeterminate ? kNever : static_cast<int64_t>(s->ret);
    op.invoke_index = s->call;
    op.complete_index = s->ret == StreamedOp::kNoReturn ? SIZE_MAX : s->ret;
    Mop m;
    m.code = s->code;
    switch (s->code) {
      case MopCode::kRead:
      case MopCode::kReadString:
        if (k.kind == KeyKind::kList) {
          m.code = MopCode::kRead;
          m.a = ListOf(s->x, key, vs);
        } else if (k.kind == KeyKind::kString) {
          m.code = MopCode::kReadString;
          m.a = vs->NewString(StringOf(s->x, key, true, &scratch));
        } else {
          m.a = Scalar(s->x, key, vs);
        }
        break;
      case MopCode::kWrite:
        if (k.kind == KeyKind::kString) m.a = vs->NewString(StringOf(s->x, key, false, &scratch));
        else if (k.kind == KeyKind::kList) m.a = ListOf(s->x, key, vs);
        else m.a = Scalar(s->x, key, vs);
        break;
      case MopCode::kCas:
        m.a = Scalar(s->x, key, vs);
        m.b = Scalar(s->y, key, vs);
        m.c = (s->flags & StreamedOp::kCasOk) ? 1 : 0;
        m.checked_b = !op.indeterminate;
        break;
      case MopCode::kIncr:
        m.a = s->x;
        m.checked_b = s->flags & StreamedOp::kCheckedB;
        if (m.checked_b) m.b = s->y;
        break;
      case MopCode::kAppendList:
        m.a = Scalar(s->x, key, vs);
        break;
      case MopCode::kAppendString:
        m.a = vs->NewChunk(StringOf(s->x, key, false, &scratch));
        break;
      case MopCode::kAcquire:
      case MopCode::kRelease:
        break;
    }
    op.mops.push_back(m);
    out->ops.push_back(std::move(op));
  }
}

std::vector<StreamedHistory::TxnGroup> StreamedHistory::GroupTxns() const {
  std::vector<uint32_t> parent(keys_.size());
  for (uint32_t k = 0; k < parent.size(); ++k) parent[k] = k;
  auto root = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const StreamedTxn& t : txns) {
    for (uint32_t j = 1; j < t.mops; ++j) {
      uint32_t a = root(txn_mops[t.first_mop].key), b = root(txn_mops[t.first_mop + j].key);
      if (a != b) parent[b] = a;
    }
  }
  // Groups in order of first appearance, as Compile numbers partitions.
  std::vector<TxnGroup> groups;
  std::vector<int32_t> group_of_root(keys_.size(), -1);
  std::vector<bool> listed(keys_.size(), false);
  std::vector<uint32_t> order(txns.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return txns[a].call < txns[b].call; });
  for (uint32_t i : order) {
    const StreamedTxn& t = txns[i];
    const uint32_t r = root(txn_mops[t.first_mop].key);
    if (group_of_root[r] < 0) {
      group_of_root[r] = static_cast<int32_t>(groups.size());
      groups.emplace_back();
    }
    TxnGroup& g = groups[group_of_root[r]];
    g.txns.push_back(i);
    for (uint32_t j = 0; j < t.mops; ++j) {
      const uint32_t k = txn_mops[t.first_mop + j].key;
      if (!listed[k]) {
        listed[k] = true;
        g.keys.push_back(k);
      }
    }
  }
  return groups;
}

void StreamedHistory::MaterializeTxnGroup(const TxnGroup& g, ValueStore* vs, Partition* out) const {
  out->keys.clear();
  out->kinds.clear();
  out->ops.clear();
  std::unordered_map<uint32_t, uint32_t> dense;
  for (uint32_t k : g.keys) {
    dense.emplace(k, static_cast<uint32_t>(out->keys.size()));
    out->keys.push_back(keys_[k].edn);
    out->kinds.push_back(KeyKind::kScalar);
  }
  // A key with an append, or a read that returned a list, holds a list (the
  // only kind a transaction sets), as in Compile.
  for (uint32_t i : g.txns) {
    const StreamedTxn& t = txns[i];
    for (uint32_t j = 0; j < t.mops; ++j) {
      const StreamedTxnMop& m = txn_mops[t.first_mop + j];
      if (m.code == MopCode::kAppendList || (m.code == MopCode::kRead && IsVector(m.x))) {
        out->kinds[dense[m.key]] = KeyKind::kList;
      }
    }
  }
  out->ops.reserve(g.txns.size());
  for (uint32_t i : g.txns) {
    const StreamedTxn& t = txns[i];
    LinOp op;
    op.indeterminate = t.indeterminate;
    op.call = t.call;
    op.ret = t.indeterminate ? kNever : static_cast<int64_t>(t.ret);
    op.invoke_index = t.call;
    op.complete_index = t.ret == StreamedOp::kNoReturn ? SIZE_MAX : t.ret;
    for (uint32_t j = 0; j < t.mops; ++j) {
      const StreamedTxnMop& sm = txn_mops[t.first_mop + j];
      Mop m;
      m.key = dense[sm.key];
      m.code = sm.code;
      const bool list = out->kinds[m.key] == KeyKind::kList;
      switch (sm.code) {
        case MopCode::kRead:
        case MopCode::kWrite:
          m.a = list ? ListOf(sm.x, sm.key, vs) : Scalar(sm.x, sm.key, vs);
          break;
        case MopCode::kAppendList:
          m.a = Scalar(sm.x, sm.key, vs);
          break;
        case MopCode::kIncr:
          m.a = 1;
          m.checked_b = sm.checked;
          if (sm.checked) m.b = sm.x;
          break;
        default:
          break;
      }
      op.mops.push_back(m);
    }
    out->ops.push_back(std::move(op));
  }
}

}  // namespace lin
}  // namespace txlab
