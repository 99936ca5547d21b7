// `txlab serve` AND the reference model held to a real redis-server 7.0 over
// the wire (issue #6, "Differential testing against real Redis").
//
// One redis-server (scripts/redis/start-server, active expiry off with DEBUG
// SET-ACTIVE-EXPIRE 0) and one `txlab serve` process (scripts/redis/
// start-txlab-serve build/impl/server/txlab_serve --no-active-expire) are
// started for the suite on free loopback ports and stopped by PID at the end,
// also when a test fails (impl/targets/test_redis.h: destructor, atexit,
// fatal signals, and a watchdog if this process is killed).
//
// RapidCheck generates programs (diff_gen.h: strings, hashes, lists, sets,
// sorted sets, expiry in deterministic classes, MULTI/EXEC/WATCH/DISCARD/
// RESET, EVAL/EVALSHA of generated scripts, queue-time and run-time errors,
// SELECT/SWAPDB/FLUSHDB, disconnects) over several connections; each runs on
// both servers and the model (diff_runner.h) and every reply is compared. A
// divergence is shrunk by RapidCheck to the shortest program that still
// diverges and printed as redis-cli input with connection numbers, with the
// seed and RC_PARAMS="reproduce=..." to replay it.
//
// Size: TXLAB_DIFF_COMMANDS commands per test (default 1500: a few seconds).
// The long run: TXLAB_DIFF_COMMANDS=100000 (see results/conformance/).
// TXLAB_SEED=N picks the seed (default: from the clock; printed);
// TXLAB_DIFF_REPORT=path.json writes the counts of each test there.
// Skipped if redis-server cannot be started.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "impl/conformance/contended_mix.h"
#include "impl/conformance/diff_gen.h"
#include "impl/conformance/diff_runner.h"
#include "impl/conformance/lua_exclusions.h"
#include "impl/targets/resp_link.h"
#include "impl/targets/test_redis.h"
#include "model/reply_order.h"

namespace txlab {
namespace {

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long long n = std::strtoll(v, &end, 10);
  if (*end != '\0' || n <= 0) {
    std::fprintf(stderr, "%s=%s: not a positive integer\n", name, v);
    std::exit(2);
  }
  return n;
}

const int64_t kCommands = EnvInt("TXLAB_DIFF_COMMANDS", 1500);
const int kMaxSize = 200;  // ops per program at most (about 100 on average)
const uint64_t kSeed = static_cast<uint64_t>(
    EnvInt("TXLAB_SEED", std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000'000 + 1));

// RapidCheck reads RC_PARAMS once; an explicit RC_PARAMS (reproduce=...) wins.
// Programs average roughly max_size / 4 ops while RapidCheck's size grows, so
// kCommands / 10 cases are plenty; the property stops sending once kCommands
// commands have run (the remaining cases do nothing).
const bool kParams = [] {
  const std::string params = "seed=" + std::to_string(kSeed) + " max_success=" + std::to_string(kCommands / 10 + 20) +
                             " max_size=" + std::to_string(kMaxSize);
  setenv("RC_PARAMS", params.c_str(), /*overwrite=*/0);
  return true;
}();

std::string Json(const std::string& test, const diff::Stats& s, int sessions, bool ok, double secs) {
  std::string ex = "{";
  for (const auto& [id, n] : s.excluded) ex += (ex.size() > 1 ? ", \"" : "\"") + id + "\": " + std::to_string(n);
  ex += "}";
  return "{\"test\": \"" + test + "\", \"seed\": " + std::to_string(kSeed) +
         ", \"connections\": " + std::to_string(sessions) + ", \"programs\": " + std::to_string(s.programs) +
         ", \"commands\": " + std::to_string(s.commands) + ", \"eval_commands\": " + std::to_string(s.eval_commands) +
         ", \"exec_commands\": " + std::to_string(s.exec_commands) +
         ", \"short_ttl_sleeps\": " + std::to_string(s.short_ttl_sleeps) +
         ", \"ttl_tolerated\": " + std::to_string(s.ttl_tolerated) +
         ", \"model_compared\": " + std::to_string(s.model_compared) +
         ", \"model_unpredicted\": " + std::to_string(s.model_unpredicted) +
         ", \"bylex_unspecified\": " + std::to_string(s.bylex_unspecified) + ", \"lua_excluded\": " + ex +
         ", \"divergences\": " + (ok ? "0" : "1") + ", \"seconds\": " + std::to_string(secs) + "}";
}

class ServeDifferential : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    redis_ = new testing::RedisProcesses("server");
    txlab_ = new testing::RedisProcesses("txlab-serve", std::string(TXLAB_SERVE_BINARY) + " --no-active-expire");
  }
  static void TearDownTestSuite() {
    delete redis_;  // stop by PID
    delete txlab_;
    redis_ = txlab_ = nullptr;
  }
  void SetUp() override {
    if (!redis_->ok()) GTEST_SKIP() << "no redis-server: " << redis_->output();
    ASSERT_TRUE(txlab_->ok()) << "txlab serve did not start: " << txlab_->output();
  }

  // Runs programs until kCommands commands have been compared; returns
  // whether no divergence was found.
  bool Check(program::GenConfig config, int eval_percent, diff::Endpoints ep, diff::Stats* stats) {
    config.clock_ops = false;
    config.active_expire_ops = false;
    ep.redis_port = redis_->port();
    ep.txlab_port = txlab_->port();
    RespLink redis("127.0.0.1", ep.redis_port, diff::DiffNetOptions());
    RespLink txlab("127.0.0.1", ep.txlab_port, diff::DiffNetOptions());
    const Reply version = redis.Call({"INFO", "server"});
    EXPECT_NE(version.str().find("redis_version:7.0."), std::string::npos) << version.ToString();
    EXPECT_TRUE(redis.Call({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}).is_ok());
    std::string io_error;
    const auto start = std::chrono::steady_clock::now();
    std::printf("%s: seed %llu (TXLAB_SEED=%llu replays), %lld commands, %d connections\n", name_.c_str(),
                static_cast<unsigned long long>(kSeed), static_cast<unsigned long long>(kSeed),
                static_cast<long long>(kCommands), config.sessions);
    std::fflush(stdout);
    const bool ok = rc::check(name_, [&] {
      if (stats->commands >= kCommands) return;  // enough: the remaining cases are trivial
      for (RespLink* l : {&redis, &txlab}) {
        RC_ASSERT(l->Call({"FLUSHALL"}) == Reply::Ok());
        RC_ASSERT(l->Call({"SCRIPT", "FLUSH"}) == Reply::Ok());
      }
      const Reply time = redis.Call({"TIME"});
      RC_ASSERT(time.type() == Reply::Type::kArray && time.elems().size() == 2);
      config.base_time_ms = std::stoll(time.elems()[0].str()) * 1000 + std::stoll(time.elems()[1].str()) / 1000;
      const program::Program p = *diff::GenDiffProgram(config, eval_percent);
      std::optional<std::string> d = diff::RunProgram(ep, p, config.base_time_ms, stats, &io_error);
      RC_ASSERT(io_error.empty());
      if (d) {
        last_failing_size_ = p.size();
        RC_FAIL("\n" + *d + "\nprogram (" + std::to_string(p.size()) + " ops; TXLAB_SEED=" + std::to_string(kSeed) +
                "), as redis-cli input (one connection per [cN]):\n" + diff::ToRedisCli(p, ep.resp3_sessions));
      }
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %lld programs, %lld commands (%lld EVAL, %lld EXEC run), %lld short-TTL sleeps, "
                "model compared %lld / unpredicted %lld, %.1f s\n",
                name_.c_str(), (long long)stats->programs, (long long)stats->commands, (long long)stats->eval_commands,
                (long long)stats->exec_commands, (long long)stats->short_ttl_sleeps, (long long)stats->model_compared,
                (long long)stats->model_unpredicted, secs);
    for (const auto& [id, n] : stats->excluded) std::printf("  Lua exclusion %s: %lld replies\n", id.c_str(), (long long)n);
    if (stats->bylex_unspecified > 0) {
      std::printf("  ZRANGE BYLEX over differing scores (unspecified; txlab serve not compared, the model is): %lld replies\n",
                  (long long)stats->bylex_unspecified);
    }
    EXPECT_TRUE(io_error.empty()) << "transport failure: " << io_error;
    if (const char* report = std::getenv("TXLAB_DIFF_REPORT")) {
      std::ofstream out(report, std::ios::app);
      out << Json(name_, *stats, config.sessions, ok, secs) << "\n";
    }
    return ok;
  }

  std::string name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  size_t last_failing_size_ = 0;  // ops of the last failing program: the shrunk one
  static testing::RedisProcesses* redis_;
  static testing::RedisProcesses* txlab_;
};
testing::RedisProcesses* ServeDifferential::redis_ = nullptr;
testing::RedisProcesses* ServeDifferential::txlab_ = nullptr;

// 4 connections (two of them RESP3), 7 keys shared by all types, 3
// databases, every command, EVAL in 8% of the ops.
TEST_F(ServeDifferential, DefaultMix) {
  program::GenConfig c;
  c.sessions = 4;
  diff::Endpoints ep;
  ep.resp3_sessions = {1, 3};
  diff::Stats stats;
  EXPECT_TRUE(Check(c, 8, ep, &stats)) << "divergence from redis-server (shrunk program above)";
  EXPECT_GE(stats.commands, kCommands);
  EXPECT_GT(stats.eval_commands, 0);
}

// 3 connections (one RESP3) on 2 keys in one database, transactions
// dominating (T18-T25 over the wire), scripts queued inside MULTI among them.
TEST_F(ServeDifferential, ContendedTransactions) {
  program::GenConfig c = ContendedTransactionsMix();
  c.weights["PEXPIRE"] = 2;
  c.weights["PTTL"] = 2;
  diff::Endpoints ep;
  ep.resp3_sessions = {2};
  diff::Stats stats;
  EXPECT_TRUE(Check(c, 12, ep, &stats)) << "divergence from redis-server (shrunk program above)";
  EXPECT_GT(stats.exec_commands, 0);
}

// RESP3 value types, exactly (type and value), of commands and of scripts
// before and after redis.setresp(3) (S11): sets (~), verbatim strings (=),
// big numbers ((), doubles, maps, and what Lua makes of each. On RESP2 the
// same exchanges must agree too. INFO and CLIENT INFO/LIST differ in content;
// only their type and format ("txt") are compared.
TEST_F(ServeDifferential, Resp3TypesMatchRedis) {
  const std::vector<std::vector<std::string>> setup = {
      {"DEL", "r3:s", "r3:h", "r3:z"}, {"SADD", "r3:s", "a"}, {"HSET", "r3:h", "f", "v"}, {"ZADD", "r3:z", "1.5", "m"}};
  const std::vector<std::vector<std::string>> same = {
      {"SMEMBERS", "r3:s"},
      {"SMEMBERS", "r3:nokey"},
      {"SINTER", "r3:s", "r3:s"},
      {"SINTER", "r3:s", "r3:nokey"},
      {"SUNION", "r3:s", "r3:nokey"},
      {"SDIFF", "r3:s", "r3:nokey"},
      {"SDIFF", "r3:nokey"},
      {"SMISMEMBER", "r3:s", "a", "b"},
      {"SINTERCARD", "1", "r3:s"},
      {"EVAL", "redis.setresp(3) return redis.call('sunion', KEYS[1])", "1", "r3:s"},
      {"HGETALL", "r3:h"},
      {"ZSCORE", "r3:z", "m"},
      {"ZRANGE", "r3:z", "0", "-1", "WITHSCORES"},
      {"ZREVRANGE", "r3:z", "0", "-1", "WITHSCORES"},
      {"LPOS", "r3:nokey", "a"},
      {"LPOS", "r3:nokey", "a", "COUNT", "1"},
      {"ZMSCORE", "r3:z", "m", "nosuch"},
      {"ZRANK", "r3:z", "nosuch"},
      {"ZPOPMIN", "r3:nokey"},
      {"ZPOPMAX", "r3:nokey", "2"},
      {"ZADD", "r3:z", "2", "p", "3", "q"},
      {"ZPOPMAX", "r3:z"},
      {"ZPOPMAX", "r3:z", "1"},
      {"ZPOPMIN", "r3:z", "0"},
      {"EVAL", "redis.setresp(3) return redis.call('zpopmax', KEYS[1], 1)", "1", "r3:z"},
      {"ZADD", "r3:z", "1.5", "m"},
      {"EVAL", "return {set={a=true}}", "0"},
      {"EVAL", "return {verbatim_string={format='txt', string='hello'}}", "0"},
      {"EVAL", "return {verbatim_string={format='mkdx', string='hello'}}", "0"},
      {"EVAL", "return {big_number='123'}", "0"},
      {"EVAL", "return {double=1.5}", "0"},
      {"EVAL", "return {map={a=1}}", "0"},
      {"EVAL", "return type(redis.call('smembers', KEYS[1]))", "1", "r3:s"},
      {"EVAL", "redis.setresp(3) return type(redis.call('smembers', KEYS[1])['set'])", "1", "r3:s"},
      {"EVAL", "redis.setresp(3) return redis.call('smembers', KEYS[1])", "1", "r3:s"},
      {"EVAL", "redis.setresp(3) return redis.call('smembers', KEYS[1])['set']['a']", "1", "r3:s"},
      {"EVAL", "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm')", "1", "r3:z"},
      {"EVAL", "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm')['double'] * 2", "1", "r3:z"},
      {"EVAL", "redis.setresp(3) return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", "1", "r3:z"},
      {"EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])", "1", "r3:h"},
      {"EVAL", "redis.setresp(3) return redis.call('hgetall', KEYS[1])['map']['f']", "1", "r3:h"},
      {"EVAL", "redis.setresp(3) return redis.call('get', 'r3:nokey') == nil", "0"},
      {"EVAL", "redis.setresp(3) redis.setresp(2) return redis.call('hgetall', KEYS[1])", "1", "r3:h"},
      {"MULTI"},
      {"SMEMBERS", "r3:s"},
      {"EVAL", "redis.setresp(3) return redis.call('smembers', KEYS[1])", "1", "r3:s"},
      {"EXEC"},
  };
  const std::vector<std::vector<std::string>> text = {{"INFO", "server"}, {"CLIENT", "INFO"}, {"CLIENT", "LIST"}};
  for (const char* protocol : {"3", "2"}) {
    SCOPED_TRACE(std::string("HELLO ") + protocol);
    RespLink redis("127.0.0.1", redis_->port(), diff::DiffNetOptions());
    RespLink txlab("127.0.0.1", txlab_->port(), diff::DiffNetOptions());
    for (RespLink* l : {&redis, &txlab}) {
      ASSERT_FALSE(l->Call({"HELLO", protocol}).is_error());
      for (const auto& argv : setup) ASSERT_FALSE(l->Call(argv).is_error());
    }
    for (const auto& argv : same) {
      const Reply r = redis.Call(argv), t = txlab.Call(argv);
      EXPECT_TRUE(r == t || (argv[0][0] == 'S' && CanonicalReply(argv, r) == CanonicalReply(argv, t) &&
                             r.type() == t.type()))
          << diff::CliQuote(argv[0]) << (argv.size() > 1 ? " " + diff::CliQuote(argv[1]) : "") << ": redis-server " << diff::Show(r)
          << ", txlab serve " << diff::Show(t);
    }
    for (const auto& argv : text) {
      const Reply r = redis.Call(argv), t = txlab.Call(argv);
      EXPECT_EQ(r.type(), t.type()) << argv[0] << ": redis-server " << diff::Show(r) << ", txlab serve " << diff::Show(t);
      const Reply::Type want = protocol == std::string("3") ? Reply::Type::kVerbatim : Reply::Type::kBulk;
      EXPECT_EQ(r.type(), want) << "redis-server's own " << argv[0] << " reply";
      if (r.type() == Reply::Type::kVerbatim && t.type() == Reply::Type::kVerbatim) {
        EXPECT_EQ(r.verbatim_format(), t.verbatim_format());
      }
    }
  }
}

// The runner must catch a wrong reply and shrink it: txlab serve's INCR
// replies are made off by one on the way back, and the shortest program that
// shows it is one command.
TEST_F(ServeDifferential, CatchesAndShrinksAWrongReply) {
  diff::Endpoints ep;
  ep.corrupt_txlab = [](const std::vector<std::string>& argv, Reply r) {
    if (diff::UpperCopy(argv[0]) == "INCR" && r.type() == Reply::Type::kInteger) return Reply::Integer(r.integer() + 1);
    return r;
  };
  diff::Stats stats;
  std::printf("(a divergence is expected below)\n");
  EXPECT_FALSE(Check(program::GenConfig{}, 8, ep, &stats));
  EXPECT_EQ(last_failing_size_, 1u);
}

// ... and a wrong final state (a write that txlab's reply hides): every SADD
// reply is replaced by what redis-server would say, but txlab's data is
// changed behind the runner's back by an extra SADD.
TEST_F(ServeDifferential, CatchesAWrongFinalState) {
  diff::Endpoints ep;
  const int port = txlab_->port();
  ep.corrupt_txlab = [port](const std::vector<std::string>& argv, Reply r) {
    if (diff::UpperCopy(argv[0]) == "SADD" && argv.size() > 2 && !r.is_error()) {
      RespLink side("127.0.0.1", port, diff::DiffNetOptions());
      side.Call({"SADD", argv[1], "intruder"});
    }
    return r;
  };
  diff::Stats stats;
  std::printf("(a divergence is expected below)\n");
  EXPECT_FALSE(Check(program::GenConfig{}, 0, ep, &stats));
  EXPECT_LE(last_failing_size_, 2u);
}

}  // namespace
}  // namespace txlab
