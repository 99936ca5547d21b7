#include "checkers/linearizability/value_store.h"

#include <algorithm>
#include <cstring>

namespace txlab {
namespace lin {

namespace {
constexpr uint64_t kBase = 0x100000001b3ULL;  // odd: powers never vanish mod 2^64
constexpr uint64_t kMod2 = (uint64_t{1} << 61) - 1;
constexpr uint64_t kBase2 = 1000003;

uint64_t MulMod2(uint64_t a, uint64_t b) {
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  uint64_t lo = static_cast<uint64_t>(p & kMod2), hi = static_cast<uint64_t>(p >> 61);
  uint64_t r = lo + hi;
  return r >= kMod2 ? r - kMod2 : r;
}

uint64_t AddMod2(uint64_t a, uint64_t b) {
  uint64_t r = a + b;
  return r >= kMod2 ? r - kMod2 : r;
}
}  // namespace

ValueStore::ValueStore() { Clear(); }

void ValueStore::Clear() {
  scalar_ids_.clear();
  scalar_text_.clear();
  list_index_.Clear();
  lists_.clear();
  lists_.push_back({-1, 0});
  std::fill(chunk_slots_.begin(), chunk_slots_.end(), -1);
  chunks_.clear();
  chunk_hash_.clear();
  chunk_pow_.clear();
  chunk_hash2_.clear();
  chunk_pow2_.clear();
  string_index_.Clear();
  strings_.clear();
  strings_.push_back({-1, -1, 0, 0, 0});
}

void ValueStore::PairIndex::Clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{0, 0, -1});
  size_ = 0;
}

static uint64_t Spread(uint64_t x) {
  x ^= x >> 29;
  x *= 0xbf58476d1ce4e5b9ULL;
  return x ^ (x >> 32);
}

int64_t ValueStore::PairIndex::FindOrInsert(int64_t a, int64_t b, int64_t next, bool* inserted) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = Spread(static_cast<uint64_t>(a) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(b)) & mask;;
       i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.id < 0) {
      s = {a, b, next};
      ++size_;
      *inserted = true;
      return next;
    }
    if (s.a == a && s.b == b) {
      *inserted = false;
      return s.id;
    }
  }
}

void ValueStore::PairIndex::Reserve(size_t n) {
  if (slots_.size() < 2 * n) Rehash(2 * n);
}

void ValueStore::PairIndex::Grow() { Rehash(slots_.size() * 2); }

void ValueStore::PairIndex::Rehash(size_t slots) {
  size_t n = 64;
  while (n < slots) n *= 2;
  std::vector<Slot> old(n, Slot{0, 0, -1});
  old.swap(slots_);
  size_ = 0;
  bool ignored;
  for (const Slot& s : old) {
    if (s.id >= 0) FindOrInsert(s.a, s.b, s.id, &ignored);
  }
}

void ValueStore::Reserve(size_t n) {
  if (chunk_slots_.size() < 2 * n) RehashChunks(2 * n);
  chunks_.reserve(n);
  chunk_hash_.reserve(n);
  chunk_pow_.reserve(n);
  chunk_hash2_.reserve(n);
  chunk_pow2_.reserve(n);
  string_index_.Reserve(n);
  strings_.reserve(n);
}

int64_t ValueStore::Scalar(const Edn& v) {
  if (v.is_nil()) return kNil;
  if (v.is_int() && IsInt(v.as_int())) return v.as_int();
  std::string text = v.ToEdn();
  auto [it, inserted] = scalar_ids_.emplace(std::move(text), 0);
  if (inserted) {
    it->second = kNil + 1 + static_cast<int64_t>(scalar_text_.size());
    scalar_text_.push_back(it->first);
  }
  return it->second;
}

std::string ValueStore::DescribeScalar(int64_t slot) const {
  if (slot == kNil) return "nil";
  if (IsInt(slot)) return std::to_string(slot);
  size_t i = static_cast<size_t>(slot - kNil - 1);
  return i < scalar_text_.size() ? scalar_text_[i] : "?";
}

int64_t ValueStore::ListChild(int64_t node, int64_t element) {
  bool inserted;
  int64_t id = list_index_.FindOrInsert(node, element, static_cast<int64_t>(lists_.size()), &inserted);
  if (inserted) lists_.push_back({node, element});
  return id;
}

int64_t ValueStore::ListOf(const Edn& list) {
  int64_t node = 0;
  if (list.is_vector()) {
    for (const Edn& e : list.as_vector()) node = ListChild(node, Scalar(e));
  }
  return node;
}

std::string ValueStore::DescribeList(int64_t node) const {
  std::vector<int64_t> elems;
  for (int64_t n = node; n > 0; n = lists_[n].first) elems.push_back(lists_[n].second);
  std::reverse(elems.begin(), elems.end());
  std::string s = "[";
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i) s += ' ';
    s += DescribeScalar(elems[i]);
  }
  return s + "]";
}

void ValueStore::RehashChunks(size_t slots) {
  size_t n = 64;
  while (n < slots) n *= 2;
  chunk_slots_.assign(n, -1);
  const size_t mask = n - 1;
  for (size_t id = 0; id < chunks_.size(); ++id) {
    size_t i = Spread(chunk_hash_[id]) & mask;
    while (chunk_slots_[i] >= 0) i = (i + 1) & mask;
    chunk_slots_[i] = static_cast<int64_t>(id);
  }
}

int64_t ValueStore::StringChunk(std::string_view s) {
  uint64_t h = 0, p = 1;
  for (unsigned char c : s) {
    h = h * kBase + c + 1;
    p *= kBase;
  }
  if ((chunks_.size() + 1) * 2 > chunk_slots_.size()) RehashChunks(chunk_slots_.size() * 2);
  const size_t mask = chunk_slots_.size() - 1;
  size_t i = Spread(h) & mask;
  for (; chunk_slots_[i] >= 0; i = (i + 1) & mask) {
    const int64_t id = chunk_slots_[i];
    if (chunk_hash_[id] == h && chunks_[id] == s) return id;
  }
  const int64_t id = AddChunk(s, h, p);
  chunk_slots_[i] = id;
  return id;
}

int64_t ValueStore::AddChunk(std::string_view s, uint64_t h, uint64_t p) {
  const int64_t id = static_cast<int64_t>(chunks_.size());
  chunks_.emplace_back(s);
  uint64_t h2 = 0, p2 = 1;
  for (unsigned char c : s) {
    h2 = AddMod2(MulMod2(h2, kBase2), c + 1);
    p2 = MulMod2(p2, kBase2);
  }
  chunk_hash_.push_back(h);
  chunk_pow_.push_back(p);
  chunk_hash2_.push_back(h2);
  chunk_pow2_.push_back(p2);
  return id;
}

int64_t ValueStore::NewChunk(std::string_view s) {
  uint64_t h = 0, p = 1;
  for (unsigned char c : s) {
    h = h * kBase + c + 1;
    p *= kBase;
  }
  // Not entered in the chunk index: StringChunk never returns it.
  return AddChunk(s, h, p);
}

int64_t ValueStore::NewString(std::string_view s) {
  const int64_t chunk = NewChunk(s);
  if (s.empty()) return 0;
  const int64_t id = static_cast<int64_t>(strings_.size());
  strings_.push_back({0, chunk, s.size(), chunk_hash_[chunk], chunk_hash2_[chunk]});
  return id;
}

int64_t ValueStore::StringChild(int64_t node, int64_t chunk) {
  if (chunks_[chunk].empty()) return node;
  bool inserted;
  int64_t id = string_index_.FindOrInsert(node, chunk, static_cast<int64_t>(strings_.size()), &inserted);
  if (inserted) {
    const StringNode& p = strings_[node];
    strings_.push_back({node, chunk, p.length + chunks_[chunk].size(), p.hash * chunk_pow_[chunk] + chunk_hash_[chunk],
                        AddMod2(MulMod2(p.hash2, chunk_pow2_[chunk]), chunk_hash2_[chunk])});
  }
  return id;
}

bool ValueStore::StringEquals(int64_t a, int64_t b) const {
  if (a == b) return true;
  const StringNode &x = strings_[a], &y = strings_[b];
  if (x.length != y.length || x.hash != y.hash || x.hash2 != y.hash2) return false;
  if (x.length > 64) return true;  // see the header: 125 bits of hash
  // Short strings: compare the bytes, laid out from the end, without allocating.
  char sa[64], sb[64];
  auto fill = [&](int64_t node, char* out) {
    size_t end = strings_[node].length;
    for (int64_t n = node; n > 0; n = strings_[n].parent) {
      const std::string& c = chunks_[strings_[n].chunk];
      end -= c.size();
      std::memcpy(out + end, c.data(), c.size());
    }
  };
  fill(a, sa);
  fill(b, sb);
  return std::memcmp(sa, sb, x.length) == 0;
}

std::string ValueStore::Materialize(int64_t node) const {
  std::vector<int64_t> parts;
  for (int64_t n = node; n > 0; n = strings_[n].parent) parts.push_back(strings_[n].chunk);
  std::string s;
  s.reserve(strings_[node].length);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) s += chunks_[*it];
  return s;
}

}  // namespace lin
}  // namespace txlab
