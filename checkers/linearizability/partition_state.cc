#include "checkers/linearizability/partition_state.h"

namespace txlab {
namespace lin {

namespace {

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

PartitionState::PartitionState(const Partition& p, ValueStore* values) : p_(p), values_(values) {
  slots_.resize(p.keys.size());
  for (size_t k = 0; k < slots_.size(); ++k) {
    // Scalars start absent; lists and strings start empty (porcupine's kv
    // get of a missing key returns "").
    slots_[k] = p.kinds[k] == KeyKind::kScalar ? kNil : 0;
    hash_ ^= Term(static_cast<uint32_t>(k), slots_[k]);
  }
}

uint64_t PartitionState::Term(uint32_t key, int64_t slot) const {
  // Strings are compared by content: equal strings built differently must
  // hash alike for the cache to recognise the state.
  uint64_t v = p_.kinds[key] == KeyKind::kString ? values_->StringHash(slot) : static_cast<uint64_t>(slot);
  return Mix(v + Mix(key + 0x9e3779b97f4a7c15ULL));
}

void PartitionState::Set(uint32_t key, int64_t value) {
  undo_.emplace_back(key, slots_[key]);
  hash_ ^= Term(key, slots_[key]) ^ Term(key, value);
  slots_[key] = value;
}

bool PartitionState::ApplyMop(const Mop& m, bool check) {
  int64_t& s = slots_[m.key];
  switch (m.code) {
    case MopCode::kRead:
      return !check || s == m.a;
    case MopCode::kReadString:
      return !check || values_->StringEquals(s, m.a);
    case MopCode::kWrite:
      Set(m.key, m.a);
      return true;
    case MopCode::kCas: {
      bool match = s == m.a;
      if (check && match != (m.c != 0)) return false;
      if (match) Set(m.key, m.b);
      return true;
    }
    case MopCode::kIncr: {
      int64_t cur = s == kNil ? 0 : s;
      if (!ValueStore::IsInt(cur)) return false;
      int64_t next = cur + m.a;
      if (!ValueStore::IsInt(next)) return false;
      if (check && m.checked_b && next != m.b) return false;
      Set(m.key, next);
      return true;
    }
    case MopCode::kAppendList:
      Set(m.key, values_->ListChild(s, m.a));
      return true;
    case MopCode::kAppendString:
      Set(m.key, values_->StringChild(s, m.a));
      return true;
    case MopCode::kAcquire:
      if (s != kNil) return false;
      Set(m.key, 1);
      return true;
    case MopCode::kRelease:
      if (s != 1) return false;
      Set(m.key, kNil);
      return true;
  }
  return false;
}

bool PartitionState::Apply(const LinOp& op) {
  size_t mark = undo_.size();
  const bool check = !op.indeterminate;
  for (const Mop& m : op.mops) {
    if (!ApplyMop(m, check)) {
      while (undo_.size() > mark) {
        auto [k, old] = undo_.back();
        undo_.pop_back();
        hash_ ^= Term(k, slots_[k]) ^ Term(k, old);
        slots_[k] = old;
      }
      return false;
    }
  }
  marks_.push_back(mark);
  return true;
}

void PartitionState::Undo() {
  size_t mark = marks_.back();
  marks_.pop_back();
  while (undo_.size() > mark) {
    auto [k, old] = undo_.back();
    undo_.pop_back();
    hash_ ^= Term(k, slots_[k]) ^ Term(k, old);
    slots_[k] = old;
  }
}

std::string PartitionState::DescribeSlot(uint32_t key, int64_t slot) const {
  switch (p_.kinds[key]) {
    case KeyKind::kList: return values_->DescribeList(slot);
    case KeyKind::kString: return Edn::String(values_->Materialize(slot)).ToEdn();
    case KeyKind::kScalar: return values_->DescribeScalar(slot);
  }
  return "?";
}

std::string PartitionState::Describe() const {
  if (p_.keys.size() == 1 && p_.keys[0].is_nil()) return DescribeSlot(0, slots_[0]);
  std::string s = "{";
  for (uint32_t k = 0; k < slots_.size(); ++k) {
    if (k) s += ", ";
    s += p_.keys[k].ToEdn() + " " + DescribeSlot(k, slots_[k]);
  }
  return s + "}";
}

std::string PartitionState::DescribeOp(const LinOp& op) const {
  std::string s;
  const bool unkeyed = p_.keys.size() == 1 && p_.keys[0].is_nil();
  for (const Mop& m : op.mops) {
    if (!s.empty()) s += "; ";
    std::string k = unkeyed ? "" : p_.keys[m.key].ToEdn() + " ";
    switch (m.code) {
      case MopCode::kRead:
      case MopCode::kReadString:
        s += "read " + k + "-> " + (op.indeterminate ? "?" : DescribeSlot(m.key, m.a));
        break;
      case MopCode::kWrite: s += "write " + k + DescribeSlot(m.key, m.a); break;
      case MopCode::kCas:
        s += "cas " + k + values_->DescribeScalar(m.a) + " -> " + values_->DescribeScalar(m.b) +
             (op.indeterminate ? " : ?" : m.c ? " : ok" : " : failed");
        break;
      case MopCode::kIncr:
        s += (m.a == 1 ? "incr " + k : "add " + k + std::to_string(m.a) + " ") +
             (op.indeterminate || !m.checked_b ? "-> ?" : "-> " + std::to_string(m.b));
        break;
      case MopCode::kAppendList: s += "append " + k + values_->DescribeScalar(m.a); break;
      case MopCode::kAppendString: s += "append " + k + Edn::String(values_->Chunk(m.a)).ToEdn(); break;
      case MopCode::kAcquire: s += "acquire " + k; break;
      case MopCode::kRelease: s += "release " + k; break;
    }
  }
  if (op.indeterminate) s += "  [indeterminate]";
  return s;
}

std::string PartitionState::WhyIllegal(const LinOp& op) {
  if (Apply(op)) {
    Undo();
    return "";
  }
  std::string reasons;
  for (const Mop& m : op.mops) {
    std::string cur = DescribeSlot(m.key, slots_[m.key]);
    std::string k = p_.keys[m.key].is_nil() ? "the value" : p_.keys[m.key].ToEdn();
    switch (m.code) {
      case MopCode::kRead:
      case MopCode::kReadString:
        if (!op.indeterminate) reasons += "read " + DescribeSlot(m.key, m.a) + " but " + k + " is " + cur + "; ";
        break;
      case MopCode::kCas:
        reasons += std::string("cas expected ") + values_->DescribeScalar(m.a) + " to " +
                   (m.c ? "match" : "not match") + " but " + k + " is " + cur + "; ";
        break;
      case MopCode::kIncr:
        reasons += "incr of " + k + " = " + cur + " cannot return " + std::to_string(m.b) + "; ";
        break;
      case MopCode::kAcquire: reasons += "acquire while held; "; break;
      case MopCode::kRelease: reasons += "release while free; "; break;
      default: break;
    }
  }
  if (reasons.size() >= 2) reasons.resize(reasons.size() - 2);
  return reasons.empty() ? "illegal in this state" : reasons;
}

}  // namespace lin
}  // namespace txlab
