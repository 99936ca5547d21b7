// Expiry: SET EX/PX/EXAT/PXAT/KEEPTTL, EXPIRE family, TTL/PTTL/PERSIST, lazy
// and active expiry, all on the engine's Clock.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

using Expire = EngineTest;

TEST_F(Expire, SetExAndTtl) {
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "10"}), Ok());
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(10));
  EXPECT_EQ(c_->Call({"PTTL", "k"}), Int(10000));
  clock_.AdvanceMs(2600);
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(7));  // (7400 + 500) / 1000
  EXPECT_EQ(c_->Call({"PTTL", "k"}), Int(7400));
  clock_.AdvanceMs(7400);
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk("v"));  // expires strictly after
  clock_.AdvanceMs(1);
  EXPECT_EQ(c_->Call({"GET", "k"}), Nil());
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(-2));
}

TEST_F(Expire, SetPxExatPxat) {
  int64_t now_ms = clock_.NowMs();
  c_->Call({"SET", "a", "v", "PX", "1500"});
  EXPECT_EQ(c_->Call({"PTTL", "a"}), Int(1500));
  c_->Call({"SET", "b", "v", "EXAT", std::to_string(now_ms / 1000 + 100)});
  EXPECT_EQ(c_->Call({"TTL", "b"}), Int(100 - (now_ms % 1000 >= 500 ? 1 : 0)));
  c_->Call({"SET", "c", "v", "PXAT", std::to_string(now_ms + 5000)});
  EXPECT_EQ(c_->Call({"PTTL", "c"}), Int(5000));
  // An absolute time in the past: the key is set, then immediately stale.
  c_->Call({"SET", "d", "v", "PXAT", "1"});
  EXPECT_EQ(c_->Call({"EXISTS", "d"}), Int(0));
}

TEST_F(Expire, SetInvalidExpireTimes) {
  const char* kErr = "ERR invalid expire time in 'set' command";
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "0"}), Err(kErr));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "PX", "-5"}), Err(kErr));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "9223372036854775807"}), Err(kErr));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "PX", "9223372036854775807"}), Err(kErr));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "abc"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "10", "PX", "10"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"SET", "k", "v", "EX", "10", "KEEPTTL"}), Err(kSyntax));
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
}

TEST_F(Expire, SetClearsTtlUnlessKeepTtl) {
  c_->Call({"SET", "k", "v", "EX", "100"});
  c_->Call({"SET", "k", "v2", "KEEPTTL"});
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(100));
  c_->Call({"SET", "k", "v3"});
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(-1));
}

TEST_F(Expire, IncrAndAppendKeepTtl) {
  c_->Call({"SET", "n", "1", "EX", "100"});
  c_->Call({"INCR", "n"});
  c_->Call({"APPEND", "n", "0"});
  EXPECT_EQ(c_->Call({"TTL", "n"}), Int(100));
  EXPECT_EQ(c_->Call({"GET", "n"}), Bulk("20"));
}

TEST_F(Expire, ExpireFamily) {
  c_->Call({"SET", "k", "v"});
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "100"}), Int(1));
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(100));
  EXPECT_EQ(c_->Call({"PEXPIRE", "k", "5000"}), Int(1));
  EXPECT_EQ(c_->Call({"PTTL", "k"}), Int(5000));
  int64_t now_ms = clock_.NowMs();
  EXPECT_EQ(c_->Call({"PEXPIREAT", "k", std::to_string(now_ms + 7000)}), Int(1));
  EXPECT_EQ(c_->Call({"PTTL", "k"}), Int(7000));
  EXPECT_EQ(c_->Call({"EXPIREAT", "k", std::to_string(now_ms / 1000 + 50)}), Int(1));
  EXPECT_GT(c_->Call({"PTTL", "k"}).integer(), 49000);
  EXPECT_EQ(c_->Call({"PERSIST", "k"}), Int(1));
  EXPECT_EQ(c_->Call({"PERSIST", "k"}), Int(0));
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(-1));
  EXPECT_EQ(c_->Call({"EXPIRE", "missing", "100"}), Int(0));
  EXPECT_EQ(c_->Call({"PERSIST", "missing"}), Int(0));
}

TEST_F(Expire, ExpireInThePastDeletes) {
  c_->Call({"SET", "k", "v"});
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "-1"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
  c_->Call({"SET", "k", "v"});
  EXPECT_EQ(c_->Call({"PEXPIREAT", "k", "0"}), Int(1));
  EXPECT_EQ(c_->Call({"EXISTS", "k"}), Int(0));
}

TEST_F(Expire, ExpireOptions) {
  c_->Call({"SET", "k", "v"});
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "100", "XX"}), Int(0));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "100", "GT"}), Int(0));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "100", "NX"}), Int(1));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "200", "NX"}), Int(0));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "50", "GT"}), Int(0));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "200", "GT"}), Int(1));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "300", "LT"}), Int(0));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "150", "lt"}), Int(1));
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(150));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "1", "NX", "XX"}),
            Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "1", "GT", "LT"}),
            Err("ERR GT and LT options at the same time are not compatible"));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "1", "FOO"}), Err("ERR Unsupported option FOO"));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "x"}), Err(kNotInt));
  EXPECT_EQ(c_->Call({"EXPIRE", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(c_->Call({"PEXPIRE", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(150));
}

TEST_F(Expire, RenameCarriesTtl) {
  c_->Call({"SET", "a", "v", "EX", "100"});
  c_->Call({"RENAME", "a", "b"});
  EXPECT_EQ(c_->Call({"TTL", "b"}), Int(100));
  c_->Call({"SET", "c", "v"});
  c_->Call({"RENAME", "c", "b"});
  EXPECT_EQ(c_->Call({"TTL", "b"}), Int(-1));
}

TEST_F(Expire, LazyExpiryOnEveryAccessPath) {
  c_->Call({"RPUSH", "l", "a"});
  c_->Call({"PEXPIRE", "l", "10"});
  clock_.AdvanceMs(11);
  EXPECT_EQ(c_->Call({"LLEN", "l"}), Int(0));
  EXPECT_EQ(c_->Call({"TYPE", "l"}), Status("none"));
  // Writes see an expired key as missing: SETNX succeeds, INCR starts at 0.
  c_->Call({"SET", "s", "5", "PX", "10"});
  clock_.AdvanceMs(11);
  EXPECT_EQ(c_->Call({"INCR", "s"}), Int(1));
  EXPECT_EQ(c_->Call({"TTL", "s"}), Int(-1));
}

TEST_F(Expire, KeysSkipsStaleDbsizeCountsThem) {
  c_->Call({"SET", "a", "v", "PX", "10"});
  c_->Call({"SET", "b", "v"});
  clock_.AdvanceMs(11);
  EXPECT_EQ(c_->Call({"KEYS", "*"}), Bulks({"b"}));
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(2));  // not deleted yet, as in Redis
  engine_->ActiveExpireCycle();
  EXPECT_EQ(c_->Call({"DBSIZE"}), Int(1));
}

TEST_F(Expire, ActiveExpireCycleCoversAllDbs) {
  for (int db = 0; db < 16; ++db) {
    c_->Call({"SELECT", std::to_string(db)});
    c_->Call({"SET", "k", "v", "PX", "5"});
    c_->Call({"SET", "keep", "v"});
  }
  clock_.AdvanceMs(6);
  engine_->ActiveExpireCycle();
  for (int db = 0; db < 16; ++db) {
    c_->Call({"SELECT", std::to_string(db)});
    EXPECT_EQ(c_->Call({"DBSIZE"}), Int(1));
  }
}

TEST(ExpireThread, BackgroundActiveExpiry) {
  VirtualClock clock;
  EngineOptions o;
  o.clock = &clock;
  o.active_expire = true;
  Engine engine(o);
  auto c = engine.Connect();
  c->Call({"SET", "k", "v", "PX", "10"});
  clock.AdvanceMs(20);
  // DBSIZE does not expire lazily: only the background thread can shrink it.
  for (int i = 0; i < 50 && c->Call({"DBSIZE"}) != Int(0); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(c->Call({"DBSIZE"}), Int(0));
}

}  // namespace
}  // namespace txlab::testing
