// Rng: the one pseudo-random generator of txlab (xoshiro256**, seeded by
// splitmix64). Every random choice in a run draws from an Rng derived from
// the run's seed, and the distributions below are written out here (not
// std::uniform_int_distribution, whose output differs between standard
// libraries), so a seed means the same run everywhere.
#ifndef TXLAB_IMPL_TXN_RANDOM_H_
#define TXLAB_IMPL_TXN_RANDOM_H_

#include <cstdint>

namespace txlab {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) {
    uint64_t x = seed;
    for (uint64_t& w : s_) w = SplitMix(x);
  }

  // A seed for an independent stream: Rng(Derive(seed, stream_id)).
  static uint64_t Derive(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (0x9e3779b97f4a7c15ull * (stream + 1));
    return SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). REQUIRES: n > 0. (Lemire's multiply-shift; the tiny
  // bias for huge n does not matter here.)
  uint64_t Uniform(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Double() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Bernoulli(double p) { return Double() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_RANDOM_H_
