#include "checkers/isolation/txn_table.h"

#include <algorithm>
#include <unordered_map>

namespace txlab::isolation {

uint32_t AtomTable::Intern(const Edn& v) {
  if (v.is_int()) {
    // Integers are the common case (Jepsen generators use them for keys and
    // values), so they skip the string rendering; small ones skip hashing.
    const int64_t i = v.as_int();
    if (i >= 0 && i < kSmall) {
      if (static_cast<size_t>(i) >= small_.size()) small_.resize(std::min<size_t>(kSmall, 2 * i + 64), 0);
      uint32_t& slot = small_[i];
      if (slot == 0) {
        int_of_.push_back(i);
        str_index_.push_back(-1);
        slot = static_cast<uint32_t>(int_of_.size());
      }
      return slot - 1;
    }
    const uint64_t bits = static_cast<uint64_t>(v.as_int());
    if (bits != FlatMap64::kEmpty) {
      bool inserted = false;
      uint32_t& id = ints_.Insert(bits, static_cast<uint32_t>(int_of_.size()), &inserted);
      if (inserted) {
        int_of_.push_back(v.as_int());
        str_index_.push_back(-1);
      }
      return id;
    }
  }
  std::string text = v.ToEdn();
  auto [it, inserted] = others_.emplace(text, static_cast<uint32_t>(int_of_.size()));
  if (inserted) {
    int_of_.push_back(0);
    str_index_.push_back(static_cast<int32_t>(strs_.size()));
    strs_.push_back(std::move(text));
  }
  return it->second;
}

std::string AtomTable::Name(uint32_t id) const {
  if (id >= int_of_.size()) return "nil";
  if (str_index_[id] >= 0) return strs_[str_index_[id]];
  return std::to_string(int_of_[id]);
}

const char* WorkloadName(WorkloadKind w) {
  switch (w) {
    case WorkloadKind::kListAppend: return "list-append";
    case WorkloadKind::kRwRegister: return "rw-register";
    case WorkloadKind::kDetect: return "detect";
  }
  return "?";
}

int64_t TxnTable::OpIndex(uint32_t t) const {
  const Txn& x = txns[t];
  const uint32_t pos = x.complete_pos != Txn::kNoPos ? x.complete_pos : x.invoke_pos;
  if (history == nullptr) return pos;
  const int64_t idx = (*history)[pos].index;
  return idx >= 0 ? idx : pos;
}

std::string TxnTable::ListText(const Mop& m) const {
  if (m.kind == MopKind::kRead && workload == WorkloadKind::kRwRegister) {
    return m.value == Mop::kNil ? "nil" : values.Name(m.value);
  }
  if (m.list_len == Mop::kNil) return "nil";
  // Explanations name whole reads; a read of thousands of elements would
  // drown them, and the ends are what the checks look at.
  const uint32_t n = m.list_len;
  const uint32_t half = kShownElements / 2;
  std::string s = "[";
  for (uint32_t i = 0; i < n; ++i) {
    if (n > kShownElements && i == half) {
      s += " ...(" + std::to_string(n - 2 * half) + " more)...";
      i = n - half - 1;
      continue;
    }
    if (i) s += ' ';
    s += values.Name(list_pool[m.list_begin + i]);
  }
  return s + "]";
}

std::string TxnTable::MopText(const Mop& m) const {
  switch (m.kind) {
    case MopKind::kAppend: return "[:append " + keys.Name(m.key) + " " + values.Name(m.value) + "]";
    case MopKind::kWrite: return "[:w " + keys.Name(m.key) + " " + values.Name(m.value) + "]";
    case MopKind::kRead: return "[:r " + keys.Name(m.key) + " " + ListText(m) + "]";
  }
  return "?";
}

std::string TxnTable::Label(uint32_t t) const {
  const Txn& x = txns[t];
  const char* type = x.status == TxnStatus::kOk ? "ok" : x.status == TxnStatus::kFail ? "fail" : "info";
  return "{:index " + std::to_string(OpIndex(t)) + ", :process " + std::to_string(x.process) + ", :type :" + type +
         "}";
}

std::string TxnTable::MopsText(uint32_t t) const {
  std::string s = "[";
  for (uint32_t i = txns[t].mop_begin; i < txns[t].mop_end; ++i) {
    if (i != txns[t].mop_begin) s += ' ';
    s += MopText(mops[i]);
  }
  return s + "]";
}

namespace {

bool IsClientTxn(const Op& op) {
  return (op.f.empty() || op.f == "txn") && op.value.is_vector();
}

struct Seen {
  bool append = false, list_read = false, write = false, scalar_read = false;
};

// Parses op.value into out->mops; false with *error on a malformed micro-op.
bool ParseMops(const Op& op, TxnTable* out, Seen* seen, std::string* error) {
  for (const Edn& m : op.value.as_vector()) {
    if (!m.is_vector() || m.as_vector().size() < 2 ||
        !(m.as_vector()[0].is_keyword() || m.as_vector()[0].is_string())) {
      *error = "op " + std::to_string(op.index) + ": micro-op is not [f k v]: " + m.ToEdn();
      return false;
    }
    const auto& v = m.as_vector();
    // :append, or "append" as JSON spells it.
    const std::string& f = v[0].is_keyword() ? v[0].as_keyword() : v[0].as_string();
    Mop mop;
    mop.key = out->keys.Intern(v[1]);
    const Edn nil;
    const Edn& arg = v.size() > 2 ? v[2] : nil;
    if (f == "append" || f == "w") {
      if (arg.is_vector() || arg.is_map() || arg.is_nil()) {
        *error = "op " + std::to_string(op.index) + ": written value must be a scalar: " + m.ToEdn();
        return false;
      }
      mop.kind = f == "append" ? MopKind::kAppend : MopKind::kWrite;
      mop.value = out->values.Intern(arg);
      (f == "append" ? seen->append : seen->write) = true;
    } else if (f == "r") {
      mop.kind = MopKind::kRead;
      if (arg.is_vector()) {
        seen->list_read = true;
        mop.list_begin = static_cast<uint32_t>(out->list_pool.size());
        mop.list_len = static_cast<uint32_t>(arg.as_vector().size());
        for (const Edn& e : arg.as_vector()) out->list_pool.push_back(out->values.Intern(e));
      } else if (!arg.is_nil()) {
        if (arg.is_map()) {
          *error = "op " + std::to_string(op.index) + ": read value must be a list or scalar: " + m.ToEdn();
          return false;
        }
        seen->scalar_read = true;
        mop.value = out->values.Intern(arg);
      }
    } else {
      *error = "op " + std::to_string(op.index) + ": unknown micro-op " + m.ToEdn() +
               " (expected :append, :r or :w)";
      return false;
    }
    out->mops.push_back(mop);
  }
  return true;
}

}  // namespace

bool BuildTxnTable(const History& h, WorkloadKind workload, TxnTable* out, std::string* error) {
  out->history = &h;
  out->txns.reserve(h.size() / 2 + 1);
  Seen seen;
  // Open transaction per process: index into out->txns.
  std::unordered_map<int64_t, uint32_t> open;
  std::vector<uint8_t> parsed;  // whether txns[i] has its mops yet
  parsed.reserve(h.size() / 2 + 1);
  for (size_t pos = 0; pos < h.size(); ++pos) {
    const Op& op = h[pos];
    if (!IsClientTxn(op) && op.type == OpType::kInvoke) continue;
    if (op.type == OpType::kInvoke) {
      Txn t;
      t.process = op.process;
      t.invoke_pos = static_cast<uint32_t>(pos);
      t.complete_pos = Txn::kNoPos;
      t.status = TxnStatus::kInfo;
      open[op.process] = static_cast<uint32_t>(out->txns.size());
      out->txns.push_back(t);
      parsed.push_back(0);
      continue;
    }
    auto it = open.find(op.process);
    uint32_t id;
    if (it == open.end()) {
      if (!IsClientTxn(op)) continue;
      // A completion with no invocation: stands alone.
      Txn t;
      t.process = op.process;
      t.invoke_pos = static_cast<uint32_t>(pos);
      id = static_cast<uint32_t>(out->txns.size());
      out->txns.push_back(t);
      parsed.push_back(0);
    } else {
      id = it->second;
      open.erase(it);
    }
    Txn& t = out->txns[id];
    t.complete_pos = static_cast<uint32_t>(pos);
    t.status = op.type == OpType::kOk ? TxnStatus::kOk
               : op.type == OpType::kFail ? TxnStatus::kFail
                                          : TxnStatus::kInfo;
    const Op& source = op.value.is_vector() ? op : h[t.invoke_pos];
    t.mop_begin = static_cast<uint32_t>(out->mops.size());
    if (!ParseMops(source, out, &seen, error)) return false;
    t.mop_end = static_cast<uint32_t>(out->mops.size());
    parsed[id] = 1;
  }
  // Invocations never completed: indeterminate, with the invoked micro-ops.
  // Their mops go at the end of the pool; ranges need not be in txn order.
  for (uint32_t id = 0; id < out->txns.size(); ++id) {
    if (parsed[id]) continue;
    Txn& t = out->txns[id];
    t.mop_begin = static_cast<uint32_t>(out->mops.size());
    if (!ParseMops(h[t.invoke_pos], out, &seen, error)) return false;
    t.mop_end = static_cast<uint32_t>(out->mops.size());
  }
  const bool append_like = seen.append || seen.list_read;
  const bool register_like = seen.write || seen.scalar_read;
  if (workload == WorkloadKind::kDetect) {
    if (append_like && register_like) {
      *error = "history mixes list-append (:append, list reads) and rw-register (:w, scalar reads) micro-ops";
      return false;
    }
    workload = register_like ? WorkloadKind::kRwRegister : WorkloadKind::kListAppend;
  } else if (workload == WorkloadKind::kListAppend && register_like) {
    *error = "list-append history holds :w micro-ops or scalar reads";
    return false;
  } else if (workload == WorkloadKind::kRwRegister && append_like) {
    *error = "rw-register history holds :append micro-ops or list reads";
    return false;
  }
  out->workload = workload;
  return true;
}

}  // namespace txlab::isolation
