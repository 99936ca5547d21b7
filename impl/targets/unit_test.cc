// No server needed: slots (SEMANTICS.md C1, C2), URLs, key positions,
// redirect parsing, and the transaction guard.
#include <gtest/gtest.h>

#include "impl/targets/command_keys.h"
#include "impl/targets/slot_map.h"
#include "impl/txn/slots.h"
#include "impl/targets/target_url.h"
#include "impl/targets/txn_guard.h"

namespace txlab {
namespace {

TEST(Slots, Crc16XmodemCheckValue) {  // C1
  EXPECT_EQ(Crc16Xmodem("123456789"), 0x31C3);
  EXPECT_EQ(Crc16Xmodem(""), 0);
}

TEST(Slots, VerifiedKeySlots) {  // C1: CLUSTER KEYSLOT on Redis 7.0
  EXPECT_EQ(KeySlot("123456789"), 12739);
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
}

TEST(Slots, HashTags) {  // C2
  EXPECT_EQ(KeySlot("{user1000}.following"), 3443);
  EXPECT_EQ(KeySlot("{user1000}.followers"), 3443);
  EXPECT_EQ(HashTagOf("foo{}{bar}"), "foo{}{bar}");
  EXPECT_EQ(KeySlot("foo{}{bar}"), 8363);
  EXPECT_EQ(HashTagOf("foo{{bar}}zap"), "{bar");
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), 4015);
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(HashTagOf("foo{bar}{zap}"), "bar");
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), 5061);
  EXPECT_EQ(HashTagOf("foo{bar"), "foo{bar");
  EXPECT_EQ(HashTagOf("foo}bar{"), "foo}bar{");
  EXPECT_EQ(KeySlot("{acct:42}"), 14381);  // §4.3
  EXPECT_EQ(KeySlot("{acct:42}:lock"), 14381);
}

TEST(TargetUrl, Parses) {
  TargetUrl u;
  std::string e;
  ASSERT_TRUE(ParseTargetUrl("embedded", &u, &e));
  EXPECT_EQ(u.kind, TargetUrl::Kind::kEmbedded);
  ASSERT_TRUE(ParseTargetUrl("redis://127.0.0.1:6379", &u, &e)) << e;
  EXPECT_EQ(u.kind, TargetUrl::Kind::kRedis);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 6379);
  EXPECT_EQ(u.db, 0);
  ASSERT_TRUE(ParseTargetUrl("redis://localhost:7000/3?timeout_ms=250&connect_timeout_ms=100", &u, &e)) << e;
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.db, 3);
  EXPECT_EQ(u.net.timeout_ms, 250);
  EXPECT_EQ(u.net.connect_timeout_ms, 100);
  ASSERT_TRUE(ParseTargetUrl("cluster://127.0.0.1:7001", &u, &e)) << e;
  EXPECT_EQ(u.kind, TargetUrl::Kind::kCluster);
  for (const char* bad : {"redis://127.0.0.1", "redis://127.0.0.1:0", "redis://127.0.0.1:70000", "redis://host:1",
                          "tcp://127.0.0.1:1", "redis://127.0.0.1:1/x", "cluster://127.0.0.1:1/2",
                          "redis://127.0.0.1:1?foo=1", "redis://127.0.0.1:1?timeout_ms=0"}) {
    EXPECT_FALSE(ParseTargetUrl(bad, &u, &e)) << bad;
    EXPECT_FALSE(e.empty()) << bad;
  }
}

std::vector<size_t> Keys(std::vector<std::string> argv) {
  return CommandKeyIndexes(CommandName(argv), argv);
}

TEST(CommandKeys, Positions) {
  EXPECT_EQ(Keys({"get", "k"}), (std::vector<size_t>{1}));
  EXPECT_EQ(Keys({"SET", "k", "v", "NX", "PX", "100"}), (std::vector<size_t>{1}));
  EXPECT_EQ(Keys({"WATCH", "a", "b", "c"}), (std::vector<size_t>{1, 2, 3}));
  EXPECT_EQ(Keys({"MSET", "a", "1", "b", "2"}), (std::vector<size_t>{1, 3}));
  EXPECT_EQ(Keys({"EVALSHA", "abc", "2", "a", "b", "x"}), (std::vector<size_t>{3, 4}));
  EXPECT_EQ(Keys({"EVALSHA", "abc", "0", "x"}), (std::vector<size_t>{}));
  EXPECT_EQ(Keys({"MULTI"}), (std::vector<size_t>{}));
  EXPECT_EQ(Keys({"SCRIPT", "LOAD", "return 1"}), (std::vector<size_t>{}));
  EXPECT_EQ(Keys({"GET"}), (std::vector<size_t>{}));
}

TEST(Redirects, Parse) {
  auto m = ParseRedirect("MOVED 12182 127.0.0.1:7003");
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->ask);
  EXPECT_EQ(m->slot, 12182);
  EXPECT_EQ(m->node, (NodeAddr{"127.0.0.1", 7003}));
  auto a = ParseRedirect("ASK 5 127.0.0.1:7001");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->ask);
  EXPECT_FALSE(ParseRedirect("MOVED x 127.0.0.1:7003"));
  EXPECT_FALSE(ParseRedirect("ERR something"));
}

TEST(TxnGuard, RefusesTheRestOfALostTransaction) {
  TxnGuard g;
  EXPECT_TRUE(g.BeforeSend({"GET", "k"}));
  g.OnTransportFailure();  // outside a transaction: nothing to protect
  EXPECT_FALSE(g.refusing());
  EXPECT_TRUE(g.BeforeSend({"WATCH", "k"}));
  EXPECT_TRUE(g.BeforeSend({"GET", "k"}));
  g.OnTransportFailure();  // the WATCH is gone with the socket
  EXPECT_TRUE(g.refusing());
  EXPECT_FALSE(g.BeforeSend({"GET", "k"}));
  EXPECT_FALSE(g.BeforeSend({"MULTI"}));
  EXPECT_FALSE(g.BeforeSend({"SET", "k", "1"}));  // would run at once on a new socket
  EXPECT_FALSE(g.BeforeSend({"EXEC"}));            // refused, and ends the transaction
  EXPECT_FALSE(g.refusing());
  EXPECT_TRUE(g.BeforeSend({"SET", "k", "2"}));
}

TEST(TxnGuard, FailedExecEndsTheTransaction) {
  TxnGuard g;
  EXPECT_TRUE(g.BeforeSend({"MULTI"}));
  EXPECT_TRUE(g.BeforeSend({"SET", "k", "1"}));
  EXPECT_TRUE(g.BeforeSend({"EXEC"}));
  g.OnTransportFailure();  // EXEC itself lost: indeterminate, but over
  EXPECT_FALSE(g.refusing());
  EXPECT_TRUE(g.BeforeSend({"GET", "k"}));
}

TEST(TxnGuard, NewWatchEndsARefusal) {
  TxnGuard g;
  EXPECT_TRUE(g.BeforeSend({"WATCH", "k"}));
  g.OnTransportFailure();               // the strategy gives up without UNWATCH
  EXPECT_FALSE(g.BeforeSend({"WATCH", "k"}));  // next attempt: refused once
  EXPECT_TRUE(g.BeforeSend({"WATCH", "k"}));   // then runs
  EXPECT_TRUE(g.in_txn());
}

}  // namespace
}  // namespace txlab
