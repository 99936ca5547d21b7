// RecordLog: one client's recorded txns, packed into 64-bit words.
//
// Recording runs inside the measured loop, so it must cost little
// (bench/recording_bench.cc holds it under 10% of throughput). Keeping each
// Txn and TxnResult alive (vectors, strings, read lists: several heap
// blocks per txn, interleaved with the engine's short-lived allocations)
// cost up to a third of the client's CPU on threads. Here a txn is copied
// into the client's own arena instead: a few dozen words appended to
// blocks that never move, no locking, no heap allocation per txn, no
// formatting; the Txn and TxnResult are freed as without recording.
// BuildHistory decodes the words after the run.
//
// What remains is mostly the kernel's first touch of fresh memory (one
// page fault per 4 KiB, ~8 list-append txns): after a first block of
// 64 KiB, blocks are 2 MiB, aligned and advised as transparent huge pages,
// so a long run takes one fault per 2 MiB where the kernel allows it.
//
// Layout of one record (words):
//   header   process, invoke_ns, invoke_order, complete_ns, complete_order,
//            packed {completed, kind, reason, strategy, tag, op count}
//   ops      per micro-op: {kind, key length, key2 length}, value, key
//            bytes, key2 bytes (8 per word)
//   results  (only once completed) result count, then per result
//            {has value, list length}, the value, the list's values
// The header never straddles two blocks (it is patched at completion);
// the rest may.
//
// Not thread-safe: one client appends, the runner reads after the run.
#ifndef TXLAB_WORKLOADS_RECORD_LOG_H_
#define TXLAB_WORKLOADS_RECORD_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "impl/txn/abort_reason.h"
#include "impl/txn/txn.h"

namespace txlab {

// One decoded record.
struct TxnRecord {
  int64_t process = 0;
  // Times in ns since the run started (the runner's clock: virtual in the
  // simulator), and order keys: the simulator numbers every event; threads
  // use the monotonic time itself.
  int64_t invoke_ns = 0;
  int64_t complete_ns = 0;
  uint64_t invoke_order = 0;
  uint64_t complete_order = 0;
  bool completed = false;
  Outcome::Kind kind = Outcome::Kind::kInfo;
  AbortReason reason = AbortReason::kCrashed;
  uint8_t strategy = 0;  // index into the run's strategy list
  Txn txn;
  TxnResult result;
};

class RecordLog {
 public:
  static constexpr size_t kFirstBlockWords = size_t{1} << 13;  // 64 KiB
  static constexpr size_t kBlockWords = size_t{1} << 18;       // 2 MiB

  // Records an invocation. A record still open (never completed) stays
  // without completion.
  void Begin(int64_t process, int64_t invoke_ns, uint64_t invoke_order, uint8_t strategy, const Txn& txn);
  // Completes the open record; `result` is stored only for kOk.
  void Complete(int64_t complete_ns, uint64_t complete_order, Outcome::Kind kind, AbortReason reason,
                const TxnResult& result);

  size_t size() const { return records_; }
  bool empty() const { return records_ == 0; }
  // Words in use (memory is ~8 bytes each).
  size_t words() const;

  // Decodes every record in order into `fn(const TxnRecord&)`.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    Reader r(*this);
    TxnRecord rec;
    for (size_t i = 0; i < records_; ++i) {
      r.Next(&rec);
      fn(static_cast<const TxnRecord&>(rec));
    }
  }

 private:
  struct FreeWords {
    void operator()(uint64_t* p) const;
  };
  struct Block {
    std::unique_ptr<uint64_t[], FreeWords> words;
    size_t used = 0;
  };
  class Reader {
   public:
    explicit Reader(const RecordLog& log) : log_(log) {}
    void Next(TxnRecord* rec);

   private:
    uint64_t Get();
    void GetBytes(size_t n, std::string* out);
    const RecordLog& log_;
    size_t block_ = 0;
    size_t pos_ = 0;
  };

  void NewBlock();
  void Put(uint64_t w) {
    if (cur_ == end_) NewBlock();
    *cur_++ = w;
  }
  void PutBytes(const std::string& s);
  // Words written in block b.
  size_t UsedIn(size_t b) const;

  std::vector<Block> blocks_;
  uint64_t* cur_ = nullptr;
  uint64_t* end_ = nullptr;
  uint64_t* open_ = nullptr;  // header of the record awaiting Complete
  size_t records_ = 0;
};

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_RECORD_LOG_H_
