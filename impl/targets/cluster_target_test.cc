// ClusterTarget / ClusterConnection against a real 3-master Redis Cluster
// (scripts/redis/start-cluster), one for the whole suite, stopped by PID.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <optional>

#include "impl/targets/cluster_connection.h"
#include "impl/targets/make_target.h"
#include "impl/targets/resp_link.h"
#include "impl/txn/slots.h"
#include "impl/targets/test_calls.h"
#include "impl/targets/test_redis.h"
#include "impl/txn/script.h"
#include "impl/txn/strategy.h"
#include "workloads/runner.h"

namespace txlab {
namespace {

using testing::Call;
using testing::RedisProcesses;

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new RedisProcesses("cluster"); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(cluster_->ok()) << cluster_->output();
    std::string e;
    auto t = MakeTarget(Url(), &e);
    ASSERT_TRUE(t) << e;
    target_.reset(static_cast<ClusterTarget*>(t.release()));
    ASSERT_TRUE(target_->FlushAll(&e)) << e;
  }
  static std::string Url() { return "cluster://127.0.0.1:" + std::to_string(cluster_->port()); }
  static NodeAddr Node(int i) { return NodeAddr{"127.0.0.1", cluster_->ports()[i]}; }
  // Straight to node i, no routing.
  static Reply Direct(int i, const std::vector<std::string>& argv) {
    RespLink l("127.0.0.1", cluster_->ports()[i], NetOptions());
    return l.Call(argv);
  }
  // A hash tag "tN" whose slot is served by node i and differs from `not_slot`.
  std::string TagOn(int i, int not_slot = -1) {
    for (int n = 0; n < 100000; ++n) {
      std::string tag = "t" + std::to_string(n);
      int s = KeySlot(tag);
      if (s != not_slot && target_->slot_map().NodeFor(s) == Node(i)) return tag;
    }
    return "";
  }
  static ClusterConnection& Cc(std::unique_ptr<Connection>& c) { return static_cast<ClusterConnection&>(*c); }

  static RedisProcesses* cluster_;
  std::unique_ptr<ClusterTarget> target_;
};

RedisProcesses* ClusterTest::cluster_ = nullptr;

TEST_F(ClusterTest, DiscoversTheSlotMap) {
  EXPECT_EQ(target_->Describe(), Url());
  ASSERT_EQ(target_->slot_map().Masters().size(), 3u);
  // start-cluster: P -> 0-5460, P+1 -> 5461-10922, P+2 -> 10923-16383.
  EXPECT_EQ(target_->slot_map().NodeFor(0), Node(0));
  EXPECT_EQ(target_->slot_map().NodeFor(KeySlot("bar")), Node(0));   // 5061
  EXPECT_EQ(target_->slot_map().NodeFor(5461), Node(1));
  EXPECT_EQ(target_->slot_map().NodeFor(KeySlot("foo")), Node(2));   // 12182
  EXPECT_EQ(Direct(0, {"CLUSTER", "KEYSLOT", "foo{{bar}}zap"}), Reply::Integer(KeySlot("foo{{bar}}zap")));
}

TEST_F(ClusterTest, RoutesByKeySlot) {
  auto c = target_->Connect();
  for (const char* k : {"foo", "bar", "123456789", "{user1000}.following"}) {
    EXPECT_EQ(Call(*c, Cmd("SET", k, std::string("v-") + k)), Reply::Ok()) << k;
  }
  for (const char* k : {"foo", "bar", "123456789", "{user1000}.following"}) {
    EXPECT_EQ(Call(*c, Cmd("GET", k)), Reply::Bulk(std::string("v-") + k)) << k;
  }
  EXPECT_EQ(Direct(2, {"GET", "foo"}), Reply::Bulk("v-foo"));  // stored where it belongs
  EXPECT_EQ(Direct(0, {"GET", "bar"}), Reply::Bulk("v-bar"));
  EXPECT_EQ(Cc(c).moved(), 0u);
  // Multi-key commands across slots are the server's to refuse (C4).
  EXPECT_EQ(Call(*c, Cmd("MSET", "foo", "1", "bar", "2")).error_code(), "CROSSSLOT");
}

TEST_F(ClusterTest, FollowsMoved) {
  auto c = target_->Connect();
  EXPECT_EQ(Direct(2, {"SET", "foo", "x"}), Reply::Ok());
  EXPECT_EQ(Direct(0, {"GET", "foo"}), Reply::Error("MOVED 12182 " + Node(2).str()));  // C3
  target_->slot_map().Update(KeySlot("foo"), Node(0));  // a stale map
  EXPECT_EQ(Call(*c, Cmd("GET", "foo")), Reply::Bulk("x"));
  EXPECT_EQ(Cc(c).moved(), 1u);
  EXPECT_EQ(target_->slot_map().NodeFor(KeySlot("foo")), Node(2));  // repaired
  EXPECT_EQ(Call(*c, Cmd("GET", "foo")), Reply::Bulk("x"));
  EXPECT_EQ(Cc(c).moved(), 1u);
}

TEST_F(ClusterTest, FollowsMovedWhenPinningATransaction) {
  auto c = target_->Connect();
  const std::string k = "{" + TagOn(1) + "}k";
  target_->slot_map().Update(KeySlot(k), Node(0));  // stale: MULTI + SET go to the wrong node first
  EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("SET", k, "1")), Reply::Queued());
  EXPECT_EQ(Cc(c).pinned_node(), Node(1));
  EXPECT_EQ(Call(*c, Cmd("EXEC")), Reply::Array({Reply::Ok()}));
  EXPECT_EQ(Cc(c).moved(), 1u);
  EXPECT_EQ(Direct(1, {"GET", k}), Reply::Bulk("1"));
}

TEST_F(ClusterTest, AskAndTryAgainDuringMigration) {
  // Slot of "{mig}" starts on its owner; mark it migrating to another node.
  const int slot = KeySlot("{mig}a");
  int owner = -1;
  for (int i = 0; i < 3; ++i) {
    if (target_->slot_map().NodeFor(slot) == Node(i)) owner = i;
  }
  ASSERT_GE(owner, 0);
  const int dest = (owner + 1) % 3;
  EXPECT_EQ(Direct(owner, {"SET", "{mig}a", "1"}), Reply::Ok());
  const std::string owner_id = Direct(owner, {"CLUSTER", "MYID"}).str();
  const std::string dest_id = Direct(dest, {"CLUSTER", "MYID"}).str();
  const std::string s = std::to_string(slot);
  ASSERT_TRUE(Direct(dest, {"CLUSTER", "SETSLOT", s, "IMPORTING", owner_id}).is_ok());
  ASSERT_TRUE(Direct(owner, {"CLUSTER", "SETSLOT", s, "MIGRATING", dest_id}).is_ok());
  struct Restore {
    int a, b;
    std::string s;
    ~Restore() {
      Direct(a, {"CLUSTER", "SETSLOT", s, "STABLE"});
      Direct(b, {"CLUSTER", "SETSLOT", s, "STABLE"});
    }
  } restore{owner, dest, s};

  auto c = target_->Connect();
  EXPECT_EQ(Call(*c, Cmd("GET", "{mig}a")), Reply::Bulk("1"));  // still on the owner
  EXPECT_EQ(Cc(c).asked(), 0u);
  EXPECT_EQ(Call(*c, Cmd("GET", "{mig}absent")), Reply::Nil());  // ASK -> ASKING + GET on dest (C5)
  EXPECT_EQ(Cc(c).asked(), 1u);
  EXPECT_EQ(target_->slot_map().NodeFor(slot), Node(owner));  // ASK does not change the map
  Reply r = Call(*c, Cmd("MGET", "{mig}a", "{mig}absent"));     // split keys: TRYAGAIN, bounded
  EXPECT_EQ(r.error_code(), "TRYAGAIN") << r.ToString();
  EXPECT_EQ(Cc(c).retried(), 5u);
}

TEST_F(ClusterTest, HashTaggedWatchMultiExec) {
  auto a = target_->Connect();
  auto b = target_->Connect();
  for (int node = 0; node < 3; ++node) {
    const std::string t = TagOn(node);
    const std::string x = "{" + t + "}x", y = "{" + t + "}y";
    EXPECT_EQ(Call(*a, Cmd("WATCH", x, y)), Reply::Ok());
    EXPECT_EQ(Cc(a).pinned_node(), Node(node));
    EXPECT_EQ(Call(*a, Cmd("GET", x)), Reply::Nil());
    EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
    EXPECT_EQ(Call(*a, Cmd("SET", x, "1")), Reply::Queued());
    EXPECT_EQ(Call(*a, Cmd("INCRBY", y, "5")), Reply::Queued());
    EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::Array({Reply::Ok(), Reply::Integer(5)}));
    EXPECT_EQ(Cc(a).pinned_node(), std::nullopt);
    EXPECT_EQ(Direct(node, {"GET", y}), Reply::Bulk("5"));
    // MULTI first: held back until the first keyed command picks the node.
    EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
    EXPECT_EQ(Cc(a).pinned_node(), std::nullopt);
    EXPECT_EQ(Call(*a, Cmd("INCR", y)), Reply::Queued());
    EXPECT_EQ(Cc(a).pinned_node(), Node(node));
    EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::Array({Reply::Integer(6)}));
    // A conflicting write from another client aborts a watched EXEC.
    EXPECT_EQ(Call(*a, Cmd("WATCH", x)), Reply::Ok());
    EXPECT_EQ(Call(*b, Cmd("SET", x, "2")), Reply::Ok());
    EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
    EXPECT_EQ(Call(*a, Cmd("SET", x, "3")), Reply::Queued());
    EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::NilArray());
    EXPECT_EQ(Call(*a, Cmd("GET", x)), Reply::Bulk("2"));
  }
  // An empty transaction still runs.
  EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::Array({}));
  EXPECT_EQ(Cc(a).moved(), 0u);
}

TEST_F(ClusterTest, CrossSlotTransactionsAreRefusedBeforeSending) {
  auto c = target_->Connect();
  const std::string t0 = TagOn(0);
  const std::string same_node = TagOn(0, KeySlot(t0));  // another slot on the same node (C4, C6)
  const std::string other_node = TagOn(1);
  for (const std::string& t1 : {same_node, other_node}) {
    const std::string x = "{" + t0 + "}x", y = "{" + t1 + "}y";
    EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
    EXPECT_EQ(Call(*c, Cmd("SET", x, "1")), Reply::Queued());
    Reply refused = Call(*c, Cmd("SET", y, "1"));
    EXPECT_EQ(refused.error_code(), "CROSSSLOT") << refused.ToString();
    EXPECT_EQ(Call(*c, Cmd("EXEC")).error_code(), "EXECABORT");
    EXPECT_EQ(Call(*c, Cmd("GET", x)), Reply::Nil());  // nothing of it ran
    EXPECT_EQ(Call(*c, Cmd("GET", y)), Reply::Nil());
    // WATCH of two slots, and a read of another slot after WATCH.
    EXPECT_EQ(Call(*c, Cmd("WATCH", x, y)).error_code(), "CROSSSLOT");
    EXPECT_EQ(Call(*c, Cmd("UNWATCH")), Reply::Ok());
    EXPECT_EQ(Call(*c, Cmd("WATCH", x)), Reply::Ok());
    EXPECT_EQ(Call(*c, Cmd("GET", y)).error_code(), "CROSSSLOT");
    EXPECT_EQ(Call(*c, Cmd("UNWATCH")), Reply::Ok());
    // The connection is clean afterwards.
    EXPECT_EQ(Call(*c, Cmd("SET", y, "2")), Reply::Ok());
    EXPECT_EQ(Call(*c, Cmd("GET", y)), Reply::Bulk("2"));
    EXPECT_EQ(Call(*c, Cmd("DEL", y)), Reply::Integer(1));
  }
}

TEST_F(ClusterTest, EvalshaOnEachNodeReloadsPerNode) {
  // Script caches are per node (C8): flush them all, then the strategies'
  // RunScript must get NOSCRIPT and SCRIPT LOAD on each node in turn.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Direct(i, {"SCRIPT", "FLUSH"}).is_ok());
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto c = target_->Connect();
  for (int i = 0; i < 3; ++i) {
    const std::string k = "{" + TagOn(i) + "}n";
    EXPECT_EQ(Direct(i, {"SCRIPT", "EXISTS", script.sha()}), Reply::Array({Reply::Integer(0)}));
    EXPECT_EQ(testing::Script(*c, script, {k}, {"7"}), Reply::Integer(7)) << "node " << i;
    EXPECT_EQ(Direct(i, {"SCRIPT", "EXISTS", script.sha()}), Reply::Array({Reply::Integer(1)}));
    EXPECT_EQ(Direct(i, {"GET", k}), Reply::Bulk("7"));
    EXPECT_EQ(testing::Script(*c, script, {k}, {"1"}), Reply::Integer(8));
  }
  // Declared keys of two slots: the server's CROSSSLOT (C7).
  Reply r = Call(*c, Cmd("EVALSHA", script.sha(), "2", "{" + TagOn(0) + "}a", "{" + TagOn(1) + "}b", "1"));
  EXPECT_EQ(r.error_code(), "CROSSSLOT") << r.ToString();
}

TEST_F(ClusterTest, LostNodeConnectionMidTransaction) {
  auto c = target_->Connect();
  const std::string k = "{" + TagOn(2) + "}k";
  EXPECT_EQ(Call(*c, Cmd("SET", k, "1")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("WATCH", k)), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("INCR", k)), Reply::Queued());
  EXPECT_EQ(Direct(2, {"CLIENT", "KILL", "TYPE", "normal"}).type(), Reply::Type::kInteger);
  Reply lost = Call(*c, Cmd("INCR", k));
  EXPECT_EQ(lost.error_code(), "IOERR") << lost.ToString();
  EXPECT_EQ(Call(*c, Cmd("EXEC")).error_code(), "IOERR");  // refused: the MULTI is gone
  EXPECT_EQ(Call(*c, Cmd("GET", k)), Reply::Bulk("1"));     // nothing ran; reconnected
  // An EXEC whose reply is lost is IOERR too (indeterminate), and ends the transaction.
  EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("INCR", k)), Reply::Queued());
  EXPECT_EQ(Direct(2, {"CLIENT", "KILL", "TYPE", "normal"}).type(), Reply::Type::kInteger);
  EXPECT_EQ(Call(*c, Cmd("EXEC")).error_code(), "IOERR");
  EXPECT_EQ(Call(*c, Cmd("GET", k)), Reply::Bulk("1"));
}

// The real strategies on a cluster, with hash-tagged keys: each transfer
// stays within one tag (one slot), different txns go to different nodes.
TEST_F(ClusterTest, WatchAndLuaStrategiesWithHashTaggedAccounts) {
  const int kAccounts = 4;
  std::vector<std::string> tags;
  for (int i = 0; i < 3; ++i) tags.push_back(TagOn(i));
  auto Account = [&](int g, int i) { return "{" + tags[g] + "}acct:" + std::to_string(i); };
  {
    auto c = target_->Connect();
    for (int g = 0; g < 3; ++g) {
      for (int i = 0; i < kAccounts; ++i) ASSERT_TRUE(Call(*c, Cmd("SET", Account(g, i), "100")).is_ok());
    }
  }
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Direct(i, {"SCRIPT", "FLUSH"}).is_ok());
  std::atomic<int> ok{0}, info{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto conn = target_->Connect();
      auto strategy = MakeStrategy(t % 2 ? "lua" : "watch", StrategyOptions(), 100 + t, t);
      std::mt19937 rng(t);
      for (int n = 0; n < 150; ++n) {
        const int g = rng() % 3, from = rng() % kAccounts, to = (from + 1 + rng() % (kAccounts - 1)) % kAccounts;
        Txn txn;
        MicroOp op;
        op.kind = MicroOp::Kind::kTransfer;
        op.key = Account(g, from);
        op.key2 = Account(g, to);
        op.value = 1 + rng() % 5;
        txn.ops.push_back(op);
        Outcome o = RunSync(strategy->Run(*conn, txn));
        if (o.kind == Outcome::Kind::kOk) ++ok;
        if (o.kind == Outcome::Kind::kInfo) ++info;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GT(ok.load(), 300);
  EXPECT_EQ(info.load(), 0);
  auto c = target_->Connect();
  for (int g = 0; g < 3; ++g) {
    int64_t total = 0;
    for (int i = 0; i < kAccounts; ++i) {
      Reply r = Direct(g, {"GET", Account(g, i)});  // each group lives on its node
      ASSERT_EQ(r.type(), Reply::Type::kBulk) << r.ToString();
      EXPECT_GE(std::stoll(r.str()), 0);
      total += std::stoll(r.str());
    }
    EXPECT_EQ(total, 100 * kAccounts) << "group on node " << g;
  }
}

TEST_F(ClusterTest, FactoryFlushesEveryMaster) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Direct(i, {"SET", "{" + TagOn(i) + "}junk", "1"}).is_ok());
  std::string e;
  TargetFactory f = TargetFactoryFor(Url(), &e);
  ASSERT_TRUE(f) << e;
  EXPECT_TRUE(e.empty());
  std::unique_ptr<Target> t = f(RunConfig());
  ASSERT_TRUE(t);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Direct(i, {"DBSIZE"}), Reply::Integer(0));
}

}  // namespace
}  // namespace txlab
