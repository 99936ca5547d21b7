// ValueStore: turns history values into 64-bit slot values.
//
// Scalars (register and counter values): integers in [-2^62, 2^62) are
// themselves; nil is kNil; every other value (strings, keywords, big
// integers, vectors) is interned to an id at or above kNil + 1. Equal values
// get equal slots, so a register read is one comparison.
//
// Lists (list-append): hash-consed nodes (parent, element); node 0 is the
// empty list. The same list always has the same node, so a read of
// [1 2 3] is one comparison with the node the appends built.
//
// Strings (porcupine's kv get/put/append): nodes (parent, chunk) with the
// length and a polynomial hash of the whole content, so "ab"+"c" and
// "a"+"bc" compare equal (content, not construction, is the value). Node 0 is
// the empty string. Equality compares lengths and two independent
// polynomial hashes (mod 2^64 and mod 2^61-1), and confirms byte by byte
// only for strings up to 64 bytes: longer appended strings would otherwise
// cost O(length) per read (a false match needs both hashes to collide, odds
// about 2^-125, like the search's memo).
//
// Not thread-safe: one store per check.
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_VALUE_STORE_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_VALUE_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/edn.h"

namespace txlab {
namespace lin {

inline constexpr int64_t kNil = int64_t{1} << 62;

class ValueStore {
 public:
  ValueStore();
  // Forgets every value, keeping the memory (for the next partition).
  void Clear();
  // Sizes the string tables for about n strings (saves rehashing on big kv histories).
  void Reserve(size_t n);

  // ---- scalars
  int64_t Scalar(const Edn& v);
  static bool IsInt(int64_t slot) { return slot < kNil && slot >= -kNil; }
  std::string DescribeScalar(int64_t slot) const;

  // ---- lists
  int64_t ListChild(int64_t node, int64_t element);
  // The node of a list read ([1 2 3]; nil is the empty list). Elements are scalars.
  int64_t ListOf(const Edn& list);
  std::string DescribeList(int64_t node) const;
  // The last element of a non-empty list node.
  int64_t ListLast(int64_t node) const { return lists_[node].second; }
  int64_t ListParent(int64_t node) const { return lists_[node].first; }

  // ---- strings
  int64_t StringChunk(std::string_view s);      // a chunk id for kAppendString
  int64_t StringChild(int64_t node, int64_t chunk);
  int64_t StringOf(std::string_view s) { return StringChild(0, StringChunk(s)); }
  // The same without looking for an equal chunk or node first (strings
  // compare by content, so duplicates are harmless; saves a hash probe per
  // op when a partition is built, see streamed_history.cc).
  int64_t NewChunk(std::string_view s);
  int64_t NewString(std::string_view s);
  bool StringEquals(int64_t a, int64_t b) const;
  uint64_t StringHash(int64_t node) const { return strings_[node].hash; }
  std::string Materialize(int64_t node) const;
  const std::string& Chunk(int64_t chunk) const { return chunks_[chunk]; }

 private:
  // (a, b) -> id, open addressing: list and string nodes are looked up on
  // every append the search tries, so no node allocation per entry.
  class PairIndex {
   public:
    // The id of (a, b); when absent, inserts next and sets *inserted.
    int64_t FindOrInsert(int64_t a, int64_t b, int64_t next, bool* inserted);
    void Reserve(size_t n);
    void Clear();

   private:
    struct Slot {
      int64_t a, b, id;  // id -1: empty
    };
    void Grow();
    void Rehash(size_t slots);
    std::vector<Slot> slots_;
    size_t size_ = 0;
  };
  struct StringNode {
    int64_t parent;
    int64_t chunk;
    uint64_t length;
    uint64_t hash;   // polynomial hash of the whole content, mod 2^64
    uint64_t hash2;  // a second one, mod 2^61 - 1
  };

  std::unordered_map<std::string, int64_t> scalar_ids_;
  std::vector<std::string> scalar_text_;
  PairIndex list_index_;
  std::vector<std::pair<int64_t, int64_t>> lists_;  // (parent, element)
  void RehashChunks(size_t slots);
  int64_t AddChunk(std::string_view s, uint64_t hash, uint64_t pow);
  std::vector<int64_t> chunk_slots_;  // open addressing by chunk_hash_: chunk id, -1 empty
  std::vector<std::string> chunks_;
  std::vector<uint64_t> chunk_hash_, chunk_pow_;    // hash and base^length of each chunk, mod 2^64
  std::vector<uint64_t> chunk_hash2_, chunk_pow2_;  // the same mod 2^61 - 1
  PairIndex string_index_;
  std::vector<StringNode> strings_;
};

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_VALUE_STORE_H_
