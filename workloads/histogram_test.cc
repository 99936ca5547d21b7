#include "workloads/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "impl/txn/random.h"
#include "workloads/zipf.h"

namespace txlab {
namespace {

TEST(HistogramTest, BucketsTileTheRange) {
  for (int b = 0; b + 1 < Histogram::kBuckets; ++b) {
    ASSERT_EQ(Histogram::BucketHigh(b) + 1, Histogram::BucketLow(b + 1)) << b;
  }
  for (int64_t v : {int64_t{0}, int64_t{127}, int64_t{128}, int64_t{1000}, int64_t{123456789},
                    INT64_MAX}) {
    int b = Histogram::BucketOf(v);
    EXPECT_LE(Histogram::BucketLow(b), v);
    EXPECT_GE(Histogram::BucketHigh(b), v);
  }
}

TEST(HistogramTest, PercentilesWithinRelativeError) {
  const uint64_t seed = 12345;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  Rng rng(seed);
  Histogram h;
  std::vector<int64_t> values;
  for (int i = 0; i < 100000; ++i) {
    int64_t v = static_cast<int64_t>(rng.Uniform(1u << rng.Uniform(30)));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    int64_t exact = values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    int64_t got = h.Percentile(q);
    EXPECT_GE(got, exact) << q;
    EXPECT_LE(got, exact + exact / 64 + 1) << q;
  }
  EXPECT_EQ(h.Percentile(1.0), values.back());
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.min(), values.front());
  Histogram a, b;
  a.Record(5);
  b.Record(500);
  a.Merge(b);
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.Percentile(0.5), 5);
  EXPECT_EQ(a.Percentile(1), 500);
}

TEST(ZipfTest, SkewedTowardsSmallKeys) {
  Rng rng(99);
  Zipf z(1000, 0.99);
  std::vector<int> count(1000);
  for (int i = 0; i < 100000; ++i) ++count[z.Next(rng)];
  EXPECT_GT(count[0], count[1]);
  EXPECT_GT(count[1], count[10]);
  EXPECT_GT(count[0], 5000);  // ~13% for θ = 0.99, n = 1000
  Zipf uniform(10, 0);
  std::vector<int> u(10);
  for (int i = 0; i < 10000; ++i) ++u[uniform.Next(rng)];
  for (int c : u) EXPECT_NEAR(c, 1000, 150);
}

}  // namespace
}  // namespace txlab
