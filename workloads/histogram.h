// Histogram: latency distribution with HdrHistogram-style log-linear
// buckets. Values below 2^kSubBits are exact; above, each power-of-two range
// is split into 2^(kSubBits-1) equal buckets, so any recorded value is
// reported within a relative error of 2^-(kSubBits-1) (< 1.6% with 7 bits),
// across the whole int64 range, in a fixed 30 KB array. Record is O(1) with
// no allocation; histograms merge by adding counts.
//
// Thread-safety: none; keep one per client and Merge() them.
#ifndef TXLAB_WORKLOADS_HISTOGRAM_H_
#define TXLAB_WORKLOADS_HISTOGRAM_H_

#include <array>
#include <cstdint>

namespace txlab {

class Histogram {
 public:
  static constexpr int kSubBits = 7;
  static constexpr int kSub = 1 << kSubBits;        // 128 exact values
  static constexpr int kHalf = kSub / 2;            // buckets per power of two
  static constexpr int kBuckets = kSub + (63 - kSubBits) * kHalf;

  // Records one value; negative values count as 0.
  void Record(int64_t v);
  void Merge(const Histogram& o);

  uint64_t count() const { return count_; }
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }

  // The value at quantile q in [0, 1] (0.99 = p99): the highest value of the
  // bucket holding the ceil(q * count)-th smallest value, clamped to
  // [min, max] (so Percentile(1) == max()). 0 when empty.
  int64_t Percentile(double q) const;

  // Exposed for tests.
  static int BucketOf(int64_t v);
  static int64_t BucketLow(int b);
  static int64_t BucketHigh(int b);  // inclusive

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  __int128 sum_ = 0;
};

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_HISTOGRAM_H_
