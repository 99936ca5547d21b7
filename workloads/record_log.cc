#include "workloads/record_log.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace txlab {

namespace {

enum Header : size_t {
  kProcess,
  kInvokeNs,
  kInvokeOrder,
  kCompleteNs,
  kCompleteOrder,
  kPacked,
  kHeaderWords,
};

// kPacked: completed (bit 0), kind (8..15), reason (16..23), strategy
// (24..31), txn tag (32..39), op count (40..63).
uint64_t Pack(bool completed, Outcome::Kind kind, AbortReason reason, uint8_t strategy, uint8_t tag, size_t ops) {
  return uint64_t{completed} | uint64_t{static_cast<uint8_t>(kind)} << 8 |
         uint64_t{static_cast<uint8_t>(reason)} << 16 | uint64_t{strategy} << 24 | uint64_t{tag} << 32 |
         uint64_t{ops} << 40;
}

constexpr size_t kMaxOps = (size_t{1} << 24) - 1;
constexpr size_t kMaxKeyLength = (size_t{1} << 24) - 1;

}  // namespace

void RecordLog::FreeWords::operator()(uint64_t* p) const { std::free(p); }

void RecordLog::NewBlock() {
  if (!blocks_.empty()) blocks_.back().used = static_cast<size_t>(cur_ - blocks_.back().words.get());
  const size_t n = blocks_.empty() ? kFirstBlockWords : kBlockWords;
  const size_t bytes = n * sizeof(uint64_t);
  // Uninitialised: pages are touched only as words are written.
  void* p = std::aligned_alloc(blocks_.empty() ? alignof(uint64_t) : bytes, bytes);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  if (!blocks_.empty()) madvise(p, bytes, MADV_HUGEPAGE);  // a hint; ignored where THP is off
#endif
  blocks_.push_back(Block{std::unique_ptr<uint64_t[], FreeWords>(static_cast<uint64_t*>(p)), 0});
  cur_ = blocks_.back().words.get();
  end_ = cur_ + n;
}

size_t RecordLog::UsedIn(size_t b) const {
  if (b + 1 == blocks_.size()) return static_cast<size_t>(cur_ - blocks_[b].words.get());
  return blocks_[b].used;
}

size_t RecordLog::words() const {
  size_t n = 0;
  for (size_t b = 0; b < blocks_.size(); ++b) n += UsedIn(b);
  return n;
}

void RecordLog::PutBytes(const std::string& s) {
  const size_t n = s.size();
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, n - i < 8 ? n - i : 8);
    Put(w);
  }
}

void RecordLog::Begin(int64_t process, int64_t invoke_ns, uint64_t invoke_order, uint8_t strategy,
                      const Txn& txn) {
  if (txn.ops.size() > kMaxOps) throw std::length_error("RecordLog: too many micro-ops in one txn");
  if (end_ - cur_ < static_cast<ptrdiff_t>(kHeaderWords)) NewBlock();
  uint64_t* h = cur_;
  cur_ += kHeaderWords;
  h[kProcess] = static_cast<uint64_t>(process);
  h[kInvokeNs] = static_cast<uint64_t>(invoke_ns);
  h[kInvokeOrder] = invoke_order;
  h[kCompleteNs] = 0;
  h[kCompleteOrder] = 0;
  h[kPacked] = Pack(false, Outcome::Kind::kInfo, AbortReason::kCrashed, strategy, txn.tag, txn.ops.size());
  for (const MicroOp& op : txn.ops) {
    if (op.key.size() > kMaxKeyLength || op.key2.size() > kMaxKeyLength) {
      throw std::length_error("RecordLog: key too long");
    }
    Put(uint64_t{static_cast<uint8_t>(op.kind)} | uint64_t{op.key.size()} << 8 | uint64_t{op.key2.size()} << 32);
    Put(static_cast<uint64_t>(op.value));
    PutBytes(op.key);
    PutBytes(op.key2);
  }
  open_ = h;
  ++records_;
}

void RecordLog::Complete(int64_t complete_ns, uint64_t complete_order, Outcome::Kind kind, AbortReason reason,
                         const TxnResult& result) {
  if (!open_) throw std::logic_error("RecordLog::Complete without Begin");
  uint64_t* h = open_;
  open_ = nullptr;
  h[kCompleteNs] = static_cast<uint64_t>(complete_ns);
  h[kCompleteOrder] = complete_order;
  const uint64_t p = h[kPacked];
  h[kPacked] = Pack(true, kind, reason, static_cast<uint8_t>(p >> 24), static_cast<uint8_t>(p >> 32), p >> 40);
  const bool store = kind == Outcome::Kind::kOk;
  Put(store ? result.ops.size() : 0);
  if (!store) return;
  for (const MicroResult& r : result.ops) {
    Put(uint64_t{r.value.has_value()} | uint64_t{r.list.size()} << 1);
    if (r.value) Put(static_cast<uint64_t>(*r.value));
    for (int64_t v : r.list) Put(static_cast<uint64_t>(v));
  }
}

uint64_t RecordLog::Reader::Get() {
  while (pos_ == log_.UsedIn(block_)) {
    ++block_;
    pos_ = 0;
  }
  return log_.blocks_[block_].words[pos_++];
}

void RecordLog::Reader::GetBytes(size_t n, std::string* out) {
  out->resize(n);
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t w = Get();
    std::memcpy(out->data() + i, &w, n - i < 8 ? n - i : 8);
  }
}

void RecordLog::Reader::Next(TxnRecord* rec) {
  uint64_t h[kHeaderWords];
  for (uint64_t& w : h) w = Get();
  rec->process = static_cast<int64_t>(h[kProcess]);
  rec->invoke_ns = static_cast<int64_t>(h[kInvokeNs]);
  rec->invoke_order = h[kInvokeOrder];
  rec->complete_ns = static_cast<int64_t>(h[kCompleteNs]);
  rec->complete_order = h[kCompleteOrder];
  const uint64_t p = h[kPacked];
  rec->completed = (p & 1) != 0;
  rec->kind = static_cast<Outcome::Kind>(static_cast<uint8_t>(p >> 8));
  rec->reason = static_cast<AbortReason>(static_cast<uint8_t>(p >> 16));
  rec->strategy = static_cast<uint8_t>(p >> 24);
  rec->txn.tag = static_cast<uint8_t>(p >> 32);
  rec->txn.ops.resize(p >> 40);
  for (MicroOp& op : rec->txn.ops) {
    const uint64_t d = Get();
    op.kind = static_cast<MicroOp::Kind>(static_cast<uint8_t>(d));
    op.value = static_cast<int64_t>(Get());
    GetBytes((d >> 8) & kMaxKeyLength, &op.key);
    GetBytes(d >> 32, &op.key2);
  }
  rec->result.ops.clear();
  if (!rec->completed) return;
  rec->result.ops.resize(Get());
  for (MicroResult& r : rec->result.ops) {
    const uint64_t d = Get();
    if (d & 1) {
      r.value = static_cast<int64_t>(Get());
    } else {
      r.value.reset();
    }
    r.list.resize(d >> 1);
    for (int64_t& v : r.list) v = static_cast<int64_t>(Get());
  }
}

}  // namespace txlab
