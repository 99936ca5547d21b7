// The thread runner driving the `watch` and `lua` strategies on the bank
// workload against a real redis-server, through TargetFactoryFor; the bank
// invariant must hold and the history must carry real monotonic times.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "checkers/invariants/bank.h"
#include "impl/targets/make_target.h"
#include "impl/targets/resp_link.h"
#include "impl/targets/test_redis.h"
#include "workloads/runner.h"

namespace txlab {
namespace {

Task<Reply> Get(Connection& conn, std::string key) { co_return co_await conn.Call(Cmd("GET", key)); }

using testing::RedisProcesses;

class RunnerOnRedisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RedisProcesses("server"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->ok()) << server_->output(); }
  static std::string Url() { return "redis://127.0.0.1:" + std::to_string(server_->port()); }

  static RedisProcesses* server_;
};

RedisProcesses* RunnerOnRedisTest::server_ = nullptr;

// TXLAB_TARGETS_RUNNER_OPS=N (default 400) and TXLAB_TARGETS_RUNNER_CLIENTS
// (default 4) make it a longer soak.
int64_t EnvInt(const char* name, int64_t dflt) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : dflt;
}

TEST_F(RunnerOnRedisTest, BankKeepsItsInvariantUnderWatchAndLua) {
  const int64_t ops = EnvInt("TXLAB_TARGETS_RUNNER_OPS", 400);
  const std::vector<std::vector<StrategyShare>> mixes = {
      {{"watch", 1.0}}, {{"lua", 1.0}}, {{"watch", 0.5}, {"lua", 0.5}}};
  uint64_t seed = 11;
  for (const auto& mix : mixes) {
    RespLink junk("127.0.0.1", server_->port(), NetOptions());
    ASSERT_TRUE(junk.Call({"SET", "junk", "1"}).is_ok());  // the factory must flush it

    RunConfig c;
    c.workload = "bank";
    c.runner = "threads";
    c.clients = static_cast<int>(EnvInt("TXLAB_TARGETS_RUNNER_CLIENTS", 4));
    c.ops = ops;
    c.seed = seed++;
    c.strategies = mix;
    std::string e;
    TargetFactory factory = TargetFactoryFor(Url(), &e);
    ASSERT_TRUE(factory) << e;
    RunOutput out = MakeThreadRunner(factory)->Run(c);
    const std::string label = c.StrategyLabel();

    const int64_t total = WorkloadFor(c)->ExpectedTotal();
    ASSERT_GT(total, 0);
    Verdict v = CheckBank(out.history, total);
    EXPECT_TRUE(v.ok()) << label << ": " << v.summary;

    int ok_transfers = 0, completions = 0;
    std::map<int64_t, int64_t> last_time;  // per process: times never go back
    for (const Op& op : out.history) {
      EXPECT_GE(op.time_ns, 0) << label;
      EXPECT_LE(op.time_ns, out.elapsed_ns + 5'000'000'000) << label;
      auto [it, fresh] = last_time.emplace(op.process, op.time_ns);
      if (!fresh) {
        EXPECT_GE(op.time_ns, it->second) << label;
        it->second = op.time_ns;
      }
      if (op.type != OpType::kInvoke) ++completions;
      if (op.type == OpType::kOk && op.f == "transfer") ++ok_transfers;
    }
    EXPECT_GE(completions, ops) << label;
    EXPECT_GT(ok_transfers, ops / 4) << label;
    int64_t info = 0, fail = 0;
    for (const Op& op : out.history) {
      info += op.type == OpType::kInfo;
      fail += op.type == OpType::kFail;
    }
    std::printf("%s: %lld ops in %.2f s, %d ok transfers, %lld fail, %lld info\n", label.c_str(),
                static_cast<long long>(ops), out.elapsed_ns / 1e9, ok_transfers, static_cast<long long>(fail),
                static_cast<long long>(info));
    EXPECT_GT(out.elapsed_ns, 0) << label;
    EXPECT_EQ(junk.Call({"EXISTS", "junk"}), Reply::Integer(0)) << label;
  }
}

// On a cluster (SEMANTICS C4-C7) a script or WATCH/MULTI/EXEC is confined to
// one slot. Untagged bank keys (acct:0 .. acct:4) span slots: lua and watch
// refuse every such txn before sending it (:fail cross-slot, never :info),
// and the accounts keep their balances. With --key-tags auto (the default)
// the same run on a cluster:// target tags every key {bank} and commits.
TEST(RunnerOnClusterTest, TxnsAcrossSlotsFailWithCrossSlotAndAutoTagsRunThem) {
  RedisProcesses cluster("cluster");
  ASSERT_TRUE(cluster.ok()) << cluster.output();
  const std::string url = "cluster://127.0.0.1:" + std::to_string(cluster.port());
  for (std::string s : {"lua", "watch"}) {
    RunConfig c;
    c.workload = "bank";
    c.runner = "threads";
    c.target = url;
    c.clients = 2;
    c.ops = 40;
    c.strategies = {{s, 1.0}};
    std::string e;
    TargetFactory factory = TargetFactoryFor(url, &e);
    ASSERT_TRUE(factory) << e;

    c.key_tags = "none";
    RunOutput out = MakeThreadRunner(factory)->Run(c);
    int refused = 0;
    for (const Op& op : out.history) {
      if (op.type == OpType::kInvoke) continue;
      EXPECT_EQ(op.type, OpType::kFail) << s;
      EXPECT_EQ(op.error, "cross-slot") << s;
      refused += op.type == OpType::kFail;
    }
    EXPECT_GT(refused, 40) << s;  // 40 txns and the final read
    // The final read's abort is not counted in the metrics.
    EXPECT_EQ(out.metrics[0].aborts.Get(AbortReason::kCrossSlot), static_cast<uint64_t>(refused - 1)) << s;
    std::unique_ptr<Target> t = MakeTarget(url, &e);
    ASSERT_TRUE(t) << e;
    std::unique_ptr<Connection> conn = t->Connect();
    for (int i = 0; i < 5; ++i) {
      Reply r = RunSync(Get(*conn, "acct:" + std::to_string(i)));
      EXPECT_EQ(r, Reply::Bulk("100")) << s << " acct:" << i;
    }

    c.key_tags = "auto";
    EXPECT_EQ(ResolvedHashTag(c), "bank");
    out = MakeThreadRunner(factory)->Run(c);
    EXPECT_TRUE(CheckBank(out.history, 500).ok()) << s;
    EXPECT_GT(out.metrics[0].commits, 20u) << s;
    EXPECT_EQ(out.metrics[0].aborts.Get(AbortReason::kCrossSlot), 0u) << s;
  }
}

}  // namespace
}  // namespace txlab
