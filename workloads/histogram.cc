#include "workloads/histogram.h"

#include <algorithm>
#include <cmath>

namespace txlab {

int Histogram::BucketOf(int64_t v) {
  if (v < kSub) return v < 0 ? 0 : static_cast<int>(v);
  const int msb = 63 - __builtin_clzll(static_cast<uint64_t>(v));  // >= kSubBits
  const int shift = msb - (kSubBits - 1);                           // keeps the top kSubBits bits
  const int top = static_cast<int>(v >> shift);                     // in [kHalf, kSub)
  return kSub + (msb - kSubBits) * kHalf + (top - kHalf);
}

int64_t Histogram::BucketLow(int b) {
  if (b < kSub) return b;
  const int msb = (b - kSub) / kHalf + kSubBits;
  const int top = (b - kSub) % kHalf + kHalf;
  return static_cast<int64_t>(top) << (msb - (kSubBits - 1));
}

int64_t Histogram::BucketHigh(int b) {
  if (b < kSub) return b;
  const int msb = (b - kSub) / kHalf + kSubBits;
  const int64_t width = int64_t{1} << (msb - (kSubBits - 1));
  return BucketLow(b) + (width - 1);
}

void Histogram::Record(int64_t v) {
  if (v < 0) v = 0;
  ++counts_[BucketOf(v)];
  if (count_ == 0 || v < min_) min_ = v;
  if (v > max_) max_ = v;
  ++count_;
  sum_ += v;
}

void Histogram::Merge(const Histogram& o) {
  if (o.count_ == 0) return;
  for (int i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  if (count_ == 0 || o.min_ < min_) min_ = o.min_;
  max_ = std::max(max_, o.max_);
  count_ += o.count_;
  sum_ += o.sum_;
}

int64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) return std::clamp(BucketHigh(b), min_, max_);
  }
  return max_;
}

}  // namespace txlab
