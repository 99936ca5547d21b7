// RecordLog: what is packed is what is decoded, field for field, across
// block boundaries (the history built from it must stay byte-identical).
#include "workloads/record_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "impl/txn/random.h"

namespace txlab {
namespace {

uint64_t SeedFromEnv(uint64_t fallback) {
  const char* s = std::getenv("TXLAB_SEED");
  return s && *s ? std::strtoull(s, nullptr, 10) : fallback;
}

std::string RandomKey(Rng& rng) {
  std::string k = "k:";
  const uint64_t n = rng.Uniform(20);  // 2..21 bytes: below, at and above 8 and 16
  for (uint64_t i = 0; i < n; ++i) k.push_back(static_cast<char>(rng.Uniform(256)));
  return k;
}

TxnRecord RandomRecord(Rng& rng, int64_t i) {
  TxnRecord r;
  r.process = static_cast<int64_t>(rng.Uniform(100)) - 3;
  r.invoke_ns = i * 1000;
  r.invoke_order = static_cast<uint64_t>(2 * i);
  r.strategy = static_cast<uint8_t>(rng.Uniform(4));
  r.txn.tag = static_cast<uint8_t>(rng.Uniform(3));
  const uint64_t ops = rng.Uniform(6);  // 0..5
  for (uint64_t k = 0; k < ops; ++k) {
    MicroOp op;
    op.kind = static_cast<MicroOp::Kind>(rng.Uniform(6));
    op.key = RandomKey(rng);
    if (op.kind == MicroOp::Kind::kTransfer) op.key2 = RandomKey(rng);
    op.value = static_cast<int64_t>(rng.Next());  // negative too
    r.txn.ops.push_back(op);
  }
  r.completed = rng.Uniform(10) != 0;
  if (r.completed) {
    r.complete_ns = r.invoke_ns + 500;
    r.complete_order = r.invoke_order + 1;
    r.kind = static_cast<Outcome::Kind>(rng.Uniform(3));
    r.reason = static_cast<AbortReason>(rng.Uniform(kAbortReasonCount));
    if (r.kind == Outcome::Kind::kOk) {
      for (uint64_t k = 0; k < ops; ++k) {
        MicroResult m;
        if (rng.Uniform(2)) m.value = static_cast<int64_t>(rng.Next());
        const uint64_t n = rng.Uniform(4) == 0 ? rng.Uniform(3000) : rng.Uniform(4);  // some span blocks
        for (uint64_t j = 0; j < n; ++j) m.list.push_back(static_cast<int64_t>(rng.Next()));
        r.result.ops.push_back(m);
      }
    }
  }
  return r;
}

void ExpectSame(const TxnRecord& a, const TxnRecord& b, size_t i) {
  SCOPED_TRACE("record " + std::to_string(i));
  EXPECT_EQ(a.process, b.process);
  EXPECT_EQ(a.invoke_ns, b.invoke_ns);
  EXPECT_EQ(a.invoke_order, b.invoke_order);
  EXPECT_EQ(a.completed, b.completed);
  EXPECT_EQ(a.strategy, b.strategy);
  EXPECT_EQ(a.txn.tag, b.txn.tag);
  ASSERT_EQ(a.txn.ops.size(), b.txn.ops.size());
  for (size_t k = 0; k < a.txn.ops.size(); ++k) {
    EXPECT_EQ(a.txn.ops[k].kind, b.txn.ops[k].kind);
    EXPECT_EQ(a.txn.ops[k].key, b.txn.ops[k].key);
    EXPECT_EQ(a.txn.ops[k].key2, b.txn.ops[k].key2);
    EXPECT_EQ(a.txn.ops[k].value, b.txn.ops[k].value);
  }
  if (!a.completed) return;
  EXPECT_EQ(a.complete_ns, b.complete_ns);
  EXPECT_EQ(a.complete_order, b.complete_order);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.reason, b.reason);
  ASSERT_EQ(a.result.ops.size(), b.result.ops.size());
  for (size_t k = 0; k < a.result.ops.size(); ++k) {
    EXPECT_EQ(a.result.ops[k].value, b.result.ops[k].value);
    EXPECT_EQ(a.result.ops[k].list, b.result.ops[k].list);
  }
}

TEST(RecordLogTest, DecodesWhatWasPackedAcrossBlocks) {
  const uint64_t seed = SeedFromEnv(20261125);
  std::printf("seed %llu (TXLAB_SEED replays)\n", static_cast<unsigned long long>(seed));
  Rng rng(seed);
  std::vector<TxnRecord> want;
  RecordLog log;
  for (int64_t i = 0; i < 4000; ++i) {
    TxnRecord r = RandomRecord(rng, i);
    log.Begin(r.process, r.invoke_ns, r.invoke_order, r.strategy, r.txn);
    if (r.completed) log.Complete(r.complete_ns, r.complete_order, r.kind, r.reason, r.result);
    if (r.kind != Outcome::Kind::kOk) r.result.ops.clear();  // only :ok results are kept
    want.push_back(std::move(r));
  }
  ASSERT_EQ(log.size(), want.size());
  EXPECT_GT(log.words(), 2 * RecordLog::kBlockWords) << "the test should span several blocks";
  size_t i = 0;
  log.ForEach([&](const TxnRecord& got) {
    ASSERT_LT(i, want.size());
    ExpectSame(want[i], got, i);
    ++i;
  });
  EXPECT_EQ(i, want.size());
}

TEST(RecordLogTest, EmptyLogAndCompleteWithoutBegin) {
  RecordLog log;
  EXPECT_TRUE(log.empty());
  int n = 0;
  log.ForEach([&](const TxnRecord&) { ++n; });
  EXPECT_EQ(n, 0);
  EXPECT_THROW(log.Complete(1, 1, Outcome::Kind::kOk, AbortReason::kGiveUp, {}), std::logic_error);
}

}  // namespace
}  // namespace txlab
