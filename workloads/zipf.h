// Zipf: keys 0..n-1 with P(k) ∝ 1/(k+1)^θ, by Gray et al.'s method ("Quickly
// generating billion-record synthetic databases", SIGMOD 1994), as YCSB's
// ZipfianGenerator does: O(n) set-up (zeta), O(1) per draw. θ = 0 is
// uniform; YCSB's default skew is θ = 0.99. REQUIRES 0 <= θ < 1, n >= 1.
#ifndef TXLAB_WORKLOADS_ZIPF_H_
#define TXLAB_WORKLOADS_ZIPF_H_

#include <cstdint>

#include "impl/txn/random.h"

namespace txlab {

class Zipf {
 public:
  Zipf(uint64_t n, double theta);
  uint64_t Next(Rng& rng) const;
  uint64_t n() const { return n_; }

 private:
  uint64_t n_;
  double theta_;
  double alpha_;
  double zetan_;
  double eta_;
};

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_ZIPF_H_
