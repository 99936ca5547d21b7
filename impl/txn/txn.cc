#include "impl/txn/txn.h"

#include <algorithm>

namespace txlab {

namespace {
void AddUnique(std::vector<std::string>& v, const std::string& k) {
  if (std::find(v.begin(), v.end(), k) == v.end()) v.push_back(k);
}
}  // namespace

std::vector<std::string> Txn::ReadKeys() const {
  std::vector<std::string> keys;
  for (const MicroOp& op : ops) {
    if (!op.reads()) continue;
    AddUnique(keys, op.key);
    if (op.kind == MicroOp::Kind::kTransfer) AddUnique(keys, op.key2);
  }
  return keys;
}

std::vector<std::string> Txn::WriteKeys() const {
  std::vector<std::string> keys;
  for (const MicroOp& op : ops) {
    if (!op.writes()) continue;
    AddUnique(keys, op.key);
    if (op.kind == MicroOp::Kind::kTransfer) AddUnique(keys, op.key2);
  }
  return keys;
}

std::vector<std::string> Txn::SortedKeys() const {
  std::vector<std::string> keys;
  for (const MicroOp& op : ops) {
    keys.push_back(op.key);
    if (op.kind == MicroOp::Kind::kTransfer) keys.push_back(op.key2);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

bool Txn::read_only() const {
  return std::none_of(ops.begin(), ops.end(), [](const MicroOp& op) { return op.writes(); });
}

const char* OutcomeKindName(Outcome::Kind k) {
  switch (k) {
    case Outcome::Kind::kOk: return "ok";
    case Outcome::Kind::kFail: return "fail";
    case Outcome::Kind::kInfo: return "info";
  }
  return "?";
}

}  // namespace txlab
