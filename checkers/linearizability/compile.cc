#include "checkers/linearizability/compile.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "checkers/linearizability/value_store.h"

namespace txlab {
namespace lin {

// Comparing with string_view literals checks the length first: no strlen.
using namespace std::string_view_literals;

namespace {

// A micro-operation before its key is numbered and its values encoded
// (a key's kind, and so the encoding of its reads, is known only once every
// op has been seen).
// Points into the History (which outlives compilation): no value copies.
const Edn kNilEdn;

struct AbsMop {
  MopCode code;
  const Edn* key;
  const Edn* x;         // operands as written
  const Edn* y;
  bool checked = true;  // whether the output part (x of a read, y of incr/cas) is known
  int64_t delta = 1;    // kIncr
  // x as a scalar slot when that needs no interning (an integer or nil),
  // computed while x is in cache; kNoScalar otherwise.
  int64_t x_scalar = kNoScalar;
  static constexpr int64_t kNoScalar = std::numeric_limits<int64_t>::min();
};

int64_t CheapScalar(const Edn* x) {
  if (x->is_nil()) return kNil;
  if (x->is_int() && ValueStore::IsInt(x->as_int())) return x->as_int();
  return AbsMop::kNoScalar;
}

struct AbsOp {
  LinOp op;  // everything but mops
  std::vector<AbsMop> mops;
};

int64_t RootOf(std::vector<int64_t>& parent, int64_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

bool IsPair(const Edn& v) { return v.is_vector() && v.as_vector().size() == 2; }

// [[:append k v] [:r k nil] ...]: a vector of [keyword k v] micro-ops.
bool LooksLikeTxn(const Edn& v) {
  if (!v.is_vector() || v.as_vector().empty()) return false;
  for (const Edn& m : v.as_vector()) {
    if (!m.is_vector() || m.as_vector().size() != 3 || !m.as_vector()[0].is_keyword()) return false;
  }
  return true;
}

const std::string& MopName(const Edn& m) {
  static const std::string empty;
  if (!m.is_vector() || m.as_vector().empty()) return empty;
  const Edn& n = m.as_vector()[0];
  return n.is_keyword() ? n.as_keyword() : n.is_string() ? n.as_string() : empty;
}

bool DecideKeyed(const History& h, const CompileOptions& opt, const std::string& model) {
  if (opt.keyed == CompileOptions::Keyed::kYes) return true;
  if (opt.keyed == CompileOptions::Keyed::kNo) return false;
  if (model == "kv" || model == "list-append") return true;
  if (model == "txn") return false;
  // Keyed iff every invocation carries a [k v] tuple (a cas a [k [old new]]).
  bool any = false;
  for (const Op& op : h) {
    if (op.type != OpType::kInvoke) continue;
    any = true;
    if (!IsPair(op.value)) return false;
    if (op.f == "cas"sv && !IsPair(op.value.as_vector()[1])) return false;
  }
  return any;
}

}  // namespace

// An indeterminate op whose effects no determinate op can observe may be
// dropped: if it took effect at some point, then no observer of its key
// ran between that point and the next overwrite (else it would have seen
// the value), so removing it changes no check. "Observe" per key kind:
//   scalar  a read of that exact value, or a cas expecting it (a successful
//           or indeterminate one: its effect depends on it); keys with
//           increments, failed-cas observations or locks are never
//           eligible (they observe values indirectly)
//   list    a read whose list contains the appended element
//   string  a get whose string contains the put or appended text
// Written values need not be unique: "never observed" is what matters.
static size_t DropUnobserved(Partition* p, ValueStore* vs) {
  if (std::none_of(p->ops.begin(), p->ops.end(), [](const LinOp& op) { return op.indeterminate; })) return 0;
  const size_t nkeys = p->keys.size();
  std::vector<bool> unsafe(nkeys, false);
  std::vector<std::unordered_map<int64_t, bool>> seen(nkeys);  // scalar values / list elements observed
  std::vector<std::vector<std::string>> gets(nkeys);            // string reads
  for (const LinOp& op : p->ops) {
    for (const Mop& m : op.mops) {
      switch (m.code) {
        case MopCode::kIncr:
        case MopCode::kAcquire:
        case MopCode::kRelease:
          unsafe[m.key] = true;
          break;
        case MopCode::kCas:
          // Even an indeterminate cas observes: its effect depends on the value.
          if (!op.indeterminate && m.c == 0) unsafe[m.key] = true;
          else seen[m.key][m.a] = true;
          break;
        case MopCode::kRead:
          if (op.indeterminate) break;
          if (p->kinds[m.key] == KeyKind::kList) {
            for (int64_t n = m.a; n > 0; n = vs->ListParent(n)) seen[m.key][vs->ListLast(n)] = true;
          } else {
            seen[m.key][m.a] = true;
          }
          break;
        case MopCode::kReadString:
          if (!op.indeterminate) gets[m.key].push_back(vs->Materialize(m.a));
          break;
        default:
          break;
      }
    }
  }
  auto observed = [&](const Mop& m) {
    if (unsafe[m.key]) return true;
    switch (m.code) {
      case MopCode::kWrite:
        if (p->kinds[m.key] == KeyKind::kString) {
          std::string s = vs->Materialize(m.a);
          for (const std::string& g : gets[m.key]) {
            if (g.find(s) != std::string::npos) return true;
          }
          return false;
        }
        if (p->kinds[m.key] == KeyKind::kList) return true;  // writes of whole lists: not worth the reasoning
        return seen[m.key].count(m.a) > 0;
      case MopCode::kAppendList:
        return seen[m.key].count(m.a) > 0;
      case MopCode::kAppendString: {
        const std::string& c = vs->Chunk(m.a);
        for (const std::string& g : gets[m.key]) {
          if (g.find(c) != std::string::npos) return true;
        }
        return false;
      }
      case MopCode::kCas:
        return true;  // conditional effects: keep
      default:
        return true;
    }
  };
  size_t before = p->ops.size();
  std::vector<LinOp> kept;
  kept.reserve(before);
  for (LinOp& op : p->ops) {
    bool drop = op.indeterminate;
    for (const Mop& m : op.mops) {
      if (!drop) break;
      drop = !observed(m);
    }
    if (!drop) kept.push_back(std::move(op));
  }
  p->ops = std::move(kept);
  return before - p->ops.size();
}


std::string DetectModel(const History& h) {
  bool txn = false, kv = false, mutex = false, counter = false, cas = false, append = false, string_append = false;
  for (const Op& op : h) {
    const std::string& f = op.f;
    if (f == "txn"sv || (f.empty() && LooksLikeTxn(op.value))) txn = true;
    else if (f == "get"sv || f == "put"sv) kv = true;
    else if (f == "acquire"sv || f == "release"sv) mutex = true;
    else if (f == "incr"sv || f == "add"sv) counter = true;
    else if (f == "cas"sv) cas = true;
    else if (f == "append"sv) {
      append = true;
      const Edn& v = op.value;
      if ((IsPair(v) && v.as_vector()[1].is_string()) || v.is_string()) string_append = true;
    }
  }
  if (txn) return "txn";
  if (kv || string_append) return "kv";
  if (mutex) return "mutex";
  if (counter) return "counter";
  if (append) return "list-append";
  if (cas) return "cas-register";
  return "register";
}

std::string Compile(const History& h, const CompileOptions& options, Compiled* out) {
  *out = Compiled();
  out->values = std::make_shared<ValueStore>();
  out->cas_fail_is_mismatch = options.cas_fail_is_mismatch;
  ValueStore& vs = *out->values;
  const std::string model = options.model.empty() ? DetectModel(h) : options.model;
  out->model = model;
  const bool keyed = DecideKeyed(h, options, model);
  if (model == "kv"sv) vs.Reserve(h.size());  // a string chunk and node per put/append/get

  // ---- pair invocations with completions
  std::vector<AbsOp> ops;
  std::unordered_map<int64_t, size_t> open;  // process -> index of its invoke
  auto key_and_value = [&](const Edn& v, const Edn** key, const Edn** val) {
    if (keyed) {
      if (!IsPair(v)) return false;
      *key = &v.as_vector()[0];
      *val = &v.as_vector()[1];
    } else {
      *key = &kNilEdn;
      *val = &v;
    }
    return true;
  };
  auto build = [&](size_t inv, size_t done, OpType outcome, std::string* err) -> bool {
    const Op& in = h[inv];
    const Op* fin = done == SIZE_MAX ? nullptr : &h[done];
    AbsOp a;
    a.op.call = static_cast<int64_t>(inv);
    a.op.invoke_index = inv;
    a.op.complete_index = done;
    a.op.process = in.process;
    const bool indeterminate = outcome != OpType::kOk && !(outcome == OpType::kFail && in.f == "cas"sv);
    a.op.indeterminate = indeterminate;
    a.op.ret = indeterminate ? kNever : static_cast<int64_t>(done);
    auto where = [&] { return "op " + std::to_string(in.index) + " (:f :" + in.f + ")"; };
    const Edn& result = (fin && outcome == OpType::kOk) ? fin->value : in.value;
    // Elle's hand-written histories omit :f on transactions.
    static const std::string kTxn = "txn";
    const std::string& f = in.f.empty() && LooksLikeTxn(in.value) ? kTxn : in.f;
    const Edn *key = &kNilEdn, *v = &kNilEdn, *rv = &kNilEdn;
    if (f == "txn"sv) {
      if (!result.is_vector()) {
        *err = where() + ": a txn's :value must be a vector of micro-ops";
        return false;
      }
      for (const Edn& m : result.as_vector()) {
        const std::string& name = MopName(m);
        if (!m.is_vector() || m.as_vector().size() != 3) {
          *err = where() + ": micro-op " + m.ToEdn() + " is not [f k v]";
          return false;
        }
        const Edn& k = m.as_vector()[1];
        const Edn& x = m.as_vector()[2];
        AbsMop mop{MopCode::kRead, &k, &x, &kNilEdn, !indeterminate};
        if (name == "r"sv) mop.code = MopCode::kRead;
        else if (name == "w"sv) mop.code = MopCode::kWrite;
        else if (name == "append"sv) mop.code = MopCode::kAppendList;
        else if (name == "incr"sv) {
          mop.code = MopCode::kIncr;
          mop.y = &x;
          mop.checked = !indeterminate && x.is_int();
        } else {
          *err = where() + ": unknown micro-op " + m.ToEdn() + " (expected :r, :w, :append, :incr)";
          return false;
        }
        if (mop.code == MopCode::kRead && indeterminate) continue;  // no effect, no check
        a.mops.push_back(std::move(mop));
      }
    } else if (f == "read"sv || f == "get"sv) {
      if (indeterminate) return true;  // a read that may not have happened tells nothing
      if (!key_and_value(result, &key, &v)) {
        *err = where() + ": expected a [key value] tuple, got " + result.ToEdn();
        return false;
      }
      a.mops.push_back({f == "get"sv ? MopCode::kReadString : MopCode::kRead, key, v, &kNilEdn, true});
    } else if (f == "write"sv || f == "put"sv) {
      if (!key_and_value(in.value, &key, &v)) {
        *err = where() + ": expected a [key value] tuple, got " + in.value.ToEdn();
        return false;
      }
      a.mops.push_back({MopCode::kWrite, key, v, &kNilEdn, true});
    } else if (f == "cas"sv) {
      if (!key_and_value(in.value, &key, &v) || !IsPair(*v)) {
        *err = where() + ": a cas takes [old new]" + (keyed ? " as [key [old new]]" : "") + ", got " + in.value.ToEdn();
        return false;
      }
      AbsMop mop{MopCode::kCas, key, &v->as_vector()[0], &v->as_vector()[1], !indeterminate};
      mop.delta = outcome == OpType::kOk ? 1 : 0;
      a.mops.push_back(std::move(mop));
    } else if (f == "incr"sv || f == "add"sv) {
      const Edn* kin = &kNilEdn;
      if (!key_and_value(in.value, &key, &kin)) {
        *err = where() + ": expected a [key value] tuple, got " + in.value.ToEdn();
        return false;
      }
      AbsMop mop{MopCode::kIncr, key, &kNilEdn, &kNilEdn, false};
      if (f == "add"sv) {
        if (!kin->is_int()) {
          *err = where() + ": an add takes an integer delta, got " + kin->ToEdn();
          return false;
        }
        mop.delta = kin->as_int();
      } else if (!indeterminate) {
        const Edn* k2 = &kNilEdn;
        if (!key_and_value(result, &k2, &rv)) {
          *err = where() + ": expected a [key value] tuple, got " + result.ToEdn();
          return false;
        }
        mop.y = rv;
        mop.checked = rv->is_int();
      }
      a.mops.push_back(std::move(mop));
    } else if (f == "append"sv) {
      if (!key_and_value(in.value, &key, &v)) {
        *err = where() + ": expected a [key value] tuple, got " + in.value.ToEdn();
        return false;
      }
      a.mops.push_back({v->is_string() ? MopCode::kAppendString : MopCode::kAppendList, key, v, &kNilEdn, true});
    } else if (f == "acquire"sv || f == "release"sv) {
      if (keyed && !key_and_value(in.value, &key, &v)) {
        *err = where() + ": expected a [key value] tuple, got " + in.value.ToEdn();
        return false;
      }
      a.mops.push_back(
          {f == "acquire"sv ? MopCode::kAcquire : MopCode::kRelease, key, &kNilEdn, &kNilEdn, !indeterminate});
    } else {
      *err = where() + ": unknown operation :" + f + " for the linearizability checker";
      return false;
    }
    if (a.mops.empty()) return true;
    for (AbsMop& m : a.mops) m.x_scalar = CheapScalar(m.x);
    ops.push_back(std::move(a));
    return true;
  };

  // Pair first, then build in invocation order (no sort of built ops).
  struct Pairing {
    size_t inv, done;
    OpType outcome;
  };
  std::vector<Pairing> pairs;
  pairs.reserve(h.size() / 2 + 1);
  std::vector<size_t> done_of(h.size(), SIZE_MAX);
  std::vector<OpType> outcome_of(h.size(), OpType::kInfo);
  std::vector<bool> is_open_invoke(h.size(), false);
  for (size_t i = 0; i < h.size(); ++i) {
    const Op& op = h[i];
    if (op.type == OpType::kInvoke) {
      open[op.process] = i;
      is_open_invoke[i] = true;
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) return "op " + std::to_string(op.index) + ": completion without an invocation";
    size_t inv = it->second;
    open.erase(it);
    done_of[inv] = i;
    outcome_of[inv] = op.type;
  }
  std::string err;
  ops.reserve(h.size() / 2 + 1);
  for (size_t inv = 0; inv < h.size(); ++inv) {
    if (!is_open_invoke[inv]) continue;
    const size_t done = done_of[inv];
    const OpType outcome = done == SIZE_MAX ? OpType::kInfo : outcome_of[inv];
    if (outcome == OpType::kFail && !(options.cas_fail_is_mismatch && h[inv].f == "cas"sv)) {
      ++out->dropped_fail;
      continue;
    }
    size_t before = ops.size();
    if (!build(inv, done, outcome, &err)) return err;
    if (ops.size() == before && outcome != OpType::kOk) ++out->dropped_indeterminate_reads;
  }

  // ---- keys: global ids, kinds, union-find over each op's keys
  // Integer keys (the common case) skip printing.
  std::unordered_map<int64_t, int64_t> int_key_ids;
  std::unordered_map<std::string, int64_t> key_ids;
  std::vector<Edn> key_edn;
  std::vector<KeyKind> kinds;
  std::vector<std::vector<int64_t>> op_keys(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    op_keys[i].reserve(ops[i].mops.size());
    for (AbsMop& m : ops[i].mops) {
      const int64_t next = static_cast<int64_t>(key_edn.size());
      bool inserted;
      int64_t k;
      if (m.key->is_int()) {
        auto [it, ins] = int_key_ids.emplace(m.key->as_int(), next);
        inserted = ins;
        k = it->second;
      } else {
        auto [it, ins] = key_ids.emplace(m.key->ToEdn(), next);
        inserted = ins;
        k = it->second;
      }
      if (inserted) {
        key_edn.push_back(*m.key);
        kinds.push_back(KeyKind::kScalar);
      }
      op_keys[i].push_back(k);
      // A key holds a list if it is appended to, or if a read returned a list:
      // a list-append key that is only ever read reads [] (LRANGE of a
      // missing key), which a scalar register with initial nil could not.
      if (m.code == MopCode::kAppendList) kinds[k] = KeyKind::kList;
      if (m.code == MopCode::kRead && m.x != nullptr && m.x->is_vector()) kinds[k] = KeyKind::kList;
      if (m.code == MopCode::kAppendString || m.code == MopCode::kReadString) kinds[k] = KeyKind::kString;
    }
  }
  // kv puts and reads on string keys are string operations.
  std::vector<int64_t> parent(key_edn.size());
  std::iota(parent.begin(), parent.end(), 0);
  for (const auto& ks : op_keys) {
    for (size_t j = 1; j < ks.size(); ++j) {
      int64_t a = RootOf(parent, ks[0]), b = RootOf(parent, ks[j]);
      if (a != b) parent[b] = a;
    }
  }
  std::unordered_map<int64_t, size_t> part_of_root;
  std::vector<std::unordered_map<int64_t, uint32_t>> dense;
  for (size_t i = 0; i < ops.size(); ++i) {
    int64_t root = RootOf(parent, op_keys[i][0]);
    auto [pit, pnew] = part_of_root.emplace(root, out->partitions.size());
    if (pnew) {
      out->partitions.emplace_back();
      dense.emplace_back();
    }
    Partition& p = out->partitions[pit->second];
    auto& d = dense[pit->second];
    LinOp op = std::move(ops[i].op);
    for (size_t j = 0; j < ops[i].mops.size(); ++j) {
      AbsMop& am = ops[i].mops[j];
      int64_t gk = op_keys[i][j];
      auto [dit, dnew] = d.emplace(gk, static_cast<uint32_t>(p.keys.size()));
      if (dnew) {
        p.keys.push_back(key_edn[gk]);
        p.kinds.push_back(kinds[gk]);
      }
      Mop m;
      m.key = dit->second;
      m.code = am.code;
      const KeyKind kind = kinds[gk];
      switch (am.code) {
        case MopCode::kRead:
        case MopCode::kReadString:
          if (kind == KeyKind::kList) {
            m.code = MopCode::kRead;
            m.a = vs.ListOf(*am.x);
          } else if (kind == KeyKind::kString) {
            m.code = MopCode::kReadString;
            m.a = vs.StringOf(am.x->is_string() ? am.x->as_string() : am.x->is_nil() ? "" : am.x->ToEdn());
          } else {
            m.a = am.x_scalar != AbsMop::kNoScalar ? am.x_scalar : vs.Scalar(*am.x);
          }
          break;
        case MopCode::kWrite:
          if (kind == KeyKind::kString) m.a = vs.StringOf(am.x->is_string() ? am.x->as_string() : am.x->ToEdn());
          else if (kind == KeyKind::kList) m.a = vs.ListOf(*am.x);
          else m.a = am.x_scalar != AbsMop::kNoScalar ? am.x_scalar : vs.Scalar(*am.x);
          break;
        case MopCode::kCas:
          m.a = vs.Scalar(*am.x);
          m.b = vs.Scalar(*am.y);
          m.c = am.delta;
          m.checked_b = am.checked;
          break;
        case MopCode::kIncr:
          m.a = am.delta;
          m.checked_b = am.checked;
          if (am.checked) m.b = am.y->as_int();
          break;
        case MopCode::kAppendList:
          m.a = vs.Scalar(*am.x);
          break;
        case MopCode::kAppendString:
          m.a = vs.StringChunk(am.x->as_string());
          break;
        case MopCode::kAcquire:
        case MopCode::kRelease:
          break;
      }
      op.mops.push_back(m);
    }
    p.ops.push_back(std::move(op));
  }

  for (Partition& p : out->partitions) out->dropped_unobserved += FinishPartition(&p, &vs, options.drop_unobserved);
  return "";
}

size_t FinishPartition(Partition* p, ValueStore* vs, bool drop_unobserved) {
  const size_t dropped = drop_unobserved ? DropUnobserved(p, vs) : 0;
  // Classes of interchangeable indeterminate ops (same effects).
  std::unordered_map<std::string, int32_t> classes;
  for (LinOp& op : p->ops) {
    if (!op.indeterminate) continue;
    std::string sig;
    for (const Mop& m : op.mops) {
      int64_t parts[5] = {static_cast<int64_t>(m.code), m.key, m.a, m.b, m.c};
      sig.append(reinterpret_cast<const char*>(parts), sizeof(parts));
    }
    auto [it, inserted] = classes.emplace(sig, static_cast<int32_t>(classes.size()));
    op.class_id = it->second;
  }
  return dropped;
}

Partition MergeAll(const Compiled& c) {
  Partition all;
  for (const Partition& p : c.partitions) {
    uint32_t base = static_cast<uint32_t>(all.keys.size());
    all.keys.insert(all.keys.end(), p.keys.begin(), p.keys.end());
    all.kinds.insert(all.kinds.end(), p.kinds.begin(), p.kinds.end());
    for (LinOp op : p.ops) {
      for (Mop& m : op.mops) m.key += base;
      op.class_id = -1;
      all.ops.push_back(std::move(op));
    }
  }
  std::sort(all.ops.begin(), all.ops.end(), [](const LinOp& a, const LinOp& b) { return a.call < b.call; });
  return all;
}

}  // namespace lin
}  // namespace txlab
