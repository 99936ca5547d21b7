#include "impl/txn/txn_eval.h"

#include <charconv>

namespace txlab {

std::vector<std::string> WriteOp::Argv() const {
  std::vector<std::string> argv;
  argv.reserve(2 + values.size());
  argv.push_back(is_list ? "RPUSH" : "SET");
  argv.push_back(key);
  if (is_list) {
    for (int64_t v : values) argv.push_back(std::to_string(v));
  } else {
    argv.push_back(std::to_string(values.back()));
  }
  return argv;
}

namespace {

WriteOp& WriteFor(Evaluation& e, const std::string& key, bool is_list) {
  for (WriteOp& w : e.writes) {
    if (w.key == key) return w;
  }
  e.writes.push_back(WriteOp{is_list, key, {}});
  return e.writes.back();
}

}  // namespace

Evaluation Evaluate(const Txn& txn, const StoreSnapshot& snapshot) {
  Evaluation e;
  // Local view: starts as the snapshot, updated by the txn's own writes.
  StoreSnapshot local = snapshot;
  auto reg = [&](const std::string& k) -> std::optional<int64_t>& { return local.registers[k]; };
  for (const MicroOp& op : txn.ops) {
    MicroResult mr;
    switch (op.kind) {
      case MicroOp::Kind::kRead:
        mr.value = reg(op.key);
        break;
      case MicroOp::Kind::kWrite:
        reg(op.key) = op.value;
        WriteFor(e, op.key, false).values = {op.value};
        break;
      case MicroOp::Kind::kIncr: {
        int64_t v = reg(op.key).value_or(0) + op.value;
        reg(op.key) = v;
        mr.value = v;
        WriteFor(e, op.key, false).values = {v};
        break;
      }
      case MicroOp::Kind::kTransfer: {
        int64_t from = reg(op.key).value_or(0);
        if (from < op.value) {
          e.refused = true;
          e.writes.clear();
          e.result.ops.clear();
          return e;
        }
        int64_t to = reg(op.key2).value_or(0);
        reg(op.key) = from - op.value;
        reg(op.key2) = to + op.value;
        WriteFor(e, op.key, false).values = {from - op.value};
        WriteFor(e, op.key2, false).values = {to + op.value};
        break;
      }
      case MicroOp::Kind::kAppend:
        local.lists[op.key].push_back(op.value);
        WriteFor(e, op.key, true).values.push_back(op.value);
        break;
      case MicroOp::Kind::kReadList:
        mr.list = local.lists[op.key];
        break;
    }
    e.result.ops.push_back(std::move(mr));
  }
  return e;
}

bool IsListKey(const Txn& txn, const std::string& key) {
  for (const MicroOp& op : txn.ops) {
    if (op.key == key) return op.is_list();
  }
  return false;
}

std::vector<std::string> ReadArgv(const Txn& txn, const std::string& key) {
  if (IsListKey(txn, key)) return {"LRANGE", key, "0", "-1"};
  return {"GET", key};
}

namespace {
bool ParseInt(const std::string& s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

bool ParseRegister(const Reply& r, std::optional<int64_t>* out) {
  if (r.is_nil()) {
    out->reset();
    return true;
  }
  if (r.type() == Reply::Type::kInteger) {
    *out = r.integer();
    return true;
  }
  if (r.type() != Reply::Type::kBulk) return false;
  int64_t v;
  if (!ParseInt(r.str(), &v)) return false;
  *out = v;
  return true;
}

bool ParseList(const Reply& r, std::vector<int64_t>* out) {
  out->clear();
  if (r.is_nil()) return true;
  if (r.type() != Reply::Type::kArray) return false;
  for (const Reply& e : r.elems()) {
    int64_t v;
    if (e.type() == Reply::Type::kInteger) {
      v = e.integer();
    } else if (e.type() != Reply::Type::kBulk || !ParseInt(e.str(), &v)) {
      return false;
    }
    out->push_back(v);
  }
  return true;
}

bool StoreRead(const Txn& txn, const std::string& key, const Reply& r, StoreSnapshot* snap) {
  if (IsListKey(txn, key)) return ParseList(r, &snap->lists[key]);
  return ParseRegister(r, &snap->registers[key]);
}

}  // namespace txlab
