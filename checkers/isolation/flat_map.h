// FlatMap64: an open-addressing hash map from uint64_t keys to uint32_t
// values, for the checker's hot indexes ((key, element) -> txn, ...).
//
// Why not std::unordered_map: a million-transaction history needs several
// indexes of a few million entries each; node-based maps cost ~50 bytes and a
// cache miss per entry, this one 12 bytes and usually one probe.
//
// Contract: the key kEmpty (UINT64_MAX) is reserved and may not be inserted.
// Not thread-safe; no erase.
#ifndef TXLAB_CHECKERS_ISOLATION_FLAT_MAP_H_
#define TXLAB_CHECKERS_ISOLATION_FLAT_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace txlab::isolation {

class FlatMap64 {
 public:
  static constexpr uint64_t kEmpty = UINT64_MAX;
  static constexpr uint32_t kAbsent = UINT32_MAX;

  explicit FlatMap64(size_t expected = 16) { Rehash(Capacity(expected)); }

  // Returns the value for key, or kAbsent.
  uint32_t Find(uint64_t key) const {
    size_t i = Slot(key);
    while (true) {
      const uint64_t k = keys_[i];
      if (k == key) return values_[i];
      if (k == kEmpty) return kAbsent;
      i = (i + 1) & mask_;
    }
  }

  // Inserts key -> value unless key is present. Returns a reference to the
  // stored value (the old one when the key was present) and sets *inserted.
  uint32_t& Insert(uint64_t key, uint32_t value, bool* inserted = nullptr) {
    if ((size_ + 1) * 4 > keys_.size() * 3) Rehash(keys_.size() * 2);
    size_t i = Slot(key);
    while (true) {
      const uint64_t k = keys_[i];
      if (k == key) {
        if (inserted) *inserted = false;
        return values_[i];
      }
      if (k == kEmpty) {
        keys_[i] = key;
        values_[i] = value;
        ++size_;
        if (inserted) *inserted = true;
        return values_[i];
      }
      i = (i + 1) & mask_;
    }
  }

  size_t size() const { return size_; }

 private:
  static size_t Capacity(size_t expected) {
    size_t c = 16;
    while (c * 3 < expected * 4 + 4) c *= 2;
    return c;
  }
  size_t Slot(uint64_t key) const {
    // A full 64-bit mix (splitmix64's finalizer): packed (key, value) pairs
    // of small dense ids differ in few bits, and linear probing punishes
    // any clustering.
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return static_cast<size_t>(key) & mask_;
  }
  void Rehash(size_t capacity) {
    std::vector<uint64_t> old_keys(capacity, kEmpty);
    std::vector<uint32_t> old_values(capacity, 0);
    old_keys.swap(keys_);
    old_values.swap(values_);
    mask_ = capacity - 1;
    size_ = 0;
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != kEmpty) Insert(old_keys[i], old_values[i]);
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Packs a (key id, value id) pair into one map key.
inline uint64_t PackPair(uint32_t a, uint32_t b) { return (static_cast<uint64_t>(a) << 32) | b; }

}  // namespace txlab::isolation

#endif  // TXLAB_CHECKERS_ISOLATION_FLAT_MAP_H_
