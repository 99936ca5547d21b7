// StateCache: the memo table of the WGL search, a set of 128-bit keys.
//
// A key is the hash of (set of linearized operations, model state). The
// linearized set is hashed incrementally (Zobrist: XOR of a random 128-bit
// word per operation), the state by PartitionState, so a search step costs
// O(1) here instead of copying an n-bit bitset (porcupine stores one per
// entry: n^2/8 bytes per partition). The price is probabilistic exactness:
// two different (set, state) pairs share a key with probability about
// entries^2 / 2^128, i.e. never in practice; a collision could only prune a
// branch (a false "illegal"), never accept a bad history.
//
// Open addressing, linear probing, 16 bytes per slot, grows at 1/2 load.
// Insert refuses to grow beyond the byte budget given at construction.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_STATE_CACHE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_STATE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace txlab {
namespace lin {

class StateCache {
 public:
  // expected: a guess of the entries needed (sizes the table once).
  explicit StateCache(size_t max_bytes, size_t expected = 512) : max_bytes_(max_bytes) {
    size_t n = 1024;
    while (n < 2 * expected && (2 * n) * sizeof(Slot) <= max_bytes_) n *= 2;
    table_.resize(n);
  }

  enum class Result { kInserted, kPresent, kFull };
  Result Insert(uint64_t lo, uint64_t hi) {
    if (lo == 0 && hi == 0) lo = 1;  // (0, 0) marks an empty slot
    if ((size_ + 1) * 2 > table_.size() && !Grow()) return Result::kFull;
    size_t mask = table_.size() - 1;
    for (size_t i = (lo ^ (hi >> 7)) & mask;; i = (i + 1) & mask) {
      Slot& s = table_[i];
      if (s.lo == 0 && s.hi == 0) {
        s = {lo, hi};
        ++size_;
        return Result::kInserted;
      }
      if (s.lo == lo && s.hi == hi) return Result::kPresent;
    }
  }
  size_t size() const { return size_; }
  size_t bytes() const { return table_.size() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t lo = 0, hi = 0;
  };
  bool Grow() {
    if (table_.size() * 2 * sizeof(Slot) > max_bytes_) return false;
    std::vector<Slot> old(table_.size() * 2);
    old.swap(table_);
    size_t mask = table_.size() - 1;
    for (const Slot& s : old) {
      if (s.lo == 0 && s.hi == 0) continue;
      size_t i = (s.lo ^ (s.hi >> 7)) & mask;
      while (table_[i].lo != 0 || table_[i].hi != 0) i = (i + 1) & mask;
      table_[i] = s;
    }
    return true;
  }

  size_t max_bytes_;
  size_t size_ = 0;
  std::vector<Slot> table_;
};

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_STATE_CACHE_H_
