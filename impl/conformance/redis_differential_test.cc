// The reference model AND the engine held to a real redis-server 7.0.15.
//
// One redis-server is started for the suite (scripts/redis/start-server via
// impl/targets/test_redis.h; stopped by PID at the end, also on failure).
// RapidCheck generates programs (model/model_gen.h): 3 sessions, MULTI/EXEC/
// WATCH/DISCARD/RESET, queue-time and run-time errors, SELECT/SWAPDB/FLUSHDB,
// disconnects. Every program runs on
//   * the real server: one RespLink (connection) per session, FLUSHALL and
//     fresh connections before each program;
//   * KeyspaceModel (model/keyspace_model.h);
//   * the engine in-process (EngineOptions{.active_expire = false}).
// Every reply (canonicalised by model/reply_order.h: unordered replies
// sorted; errors compared by full text) of the model and of the engine must
// equal the server's, and so must the final state of every database
// (program::DumpState). On a divergence RapidCheck shrinks the program to the
// shortest one that still diverges and prints it with the three replies, then
//     RC_PARAMS="reproduce=..."
// to replay it. RC_PARAMS="max_success=2000" searches longer.
//
// Time: real time runs on in redis-server and the engine, while the model's
// clock stands still, so nothing time-dependent is generated: no clock or
// active-expiry ops, and commands that set a TTL or an absolute expiry time
// in the future are replaced by PING (ExpiryFree below). Expiry forms that
// are deterministic stay: EXPIRE/PEXPIRE with a ttl <= 0 (the key is deleted
// at once) or a non-integer (error), SET with an invalid EX/PX (error),
// KEEPTTL, TTL/PTTL/PERSIST (always on keys without a TTL).
//
// If no redis-server can be started (not installed), the test is skipped.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "impl/conformance/contended_mix.h"
#include "impl/conformance/engine_target.h"
#include "impl/engine/engine.h"
#include "impl/targets/resp_link.h"
#include "impl/targets/test_redis.h"
#include "model/keyspace_model.h"
#include "model/model_gen.h"
#include "model/model_program.h"
#include "model/reply_order.h"

namespace txlab {
namespace {

using program::Op;
using program::Program;

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

bool PositiveInteger(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (char ch : s)
    if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
  return std::stoll(s) > 0;
}

// False for commands whose outcome depends on real time passing (see the
// header comment): a TTL in the future, or any absolute expiry time.
bool ExpiryFree(const std::vector<std::string>& argv) {
  const std::string name = Upper(argv[0]);
  if (name == "EXPIREAT" || name == "PEXPIREAT") return false;
  if ((name == "EXPIRE" || name == "PEXPIRE") && argv.size() >= 3) return !PositiveInteger(argv[2]);
  if (name == "SET") {
    for (size_t i = 3; i < argv.size(); ++i) {
      const std::string opt = Upper(argv[i]);
      if (opt == "EXAT" || opt == "PXAT") return false;
      if ((opt == "EX" || opt == "PX") && i + 1 < argv.size() && PositiveInteger(argv[i + 1])) return false;
    }
  }
  return true;
}

// The real server: one connection per session, opened on first use.
class RedisSide {
 public:
  explicit RedisSide(int port) : port_(port) {}
  Reply Call(int session, const std::vector<std::string>& argv) { return Link(session).Call(argv); }
  void AdvanceClock(int64_t) {}   // not generated
  void ActiveExpireCycle() {}     // not generated
  void Disconnect(int session) { links_.erase(session); }  // ~RespLink closes the socket

 private:
  RespLink& Link(int session) {
    auto& l = links_[session];
    if (!l) l = std::make_unique<RespLink>("127.0.0.1", port_, NetOptions{});
    return *l;
  }
  int port_;
  std::map<int, std::unique_ptr<RespLink>> links_;
};

bool IsBylex(const std::vector<std::string>& argv) {
  if (Upper(argv[0]) != "ZRANGE") return false;
  for (const auto& a : argv)
    if (Upper(a) == "BYLEX") return true;
  return false;
}

// ZRANGE ... BYLEX on a sorted set whose scores are not all equal: Redis
// documents the result as unspecified. redis-server 7.0 answers from its
// (score, member) order, checking the first and last element first
// (zslIsInLexRange / zzlIsInLexRange), and the model copies that, so the model
// is still compared; the engine walks differently (e.g. ZADD c 0 n 2 1;
// ZRANGE c [m (o BYLEX: redis-server and the model (empty array), the engine
// ["n"]), which is not a bug, so its reply is not compared. `before` is the
// model before the command.
bool UnspecifiedLexRange(const KeyspaceModel& before, const program::Step& step) {
  if (!IsBylex(step.argv) || step.argv.size() < 2) return false;
  KeyspaceModel probe = before;  // reads on a copy
  probe.Call(program::kDumpSession, {"SELECT", std::to_string(before.SelectedDb(step.session))});
  Reply all = probe.Call(program::kDumpSession, {"ZRANGE", step.argv[1], "0", "-1", "WITHSCORES"});
  if (all.type() != Reply::Type::kArray) return false;
  for (size_t i = 3; i < all.elems().size(); i += 2)
    if (all.elems()[i].str() != all.elems()[1].str()) return true;
  return false;
}

// The engine's reply `e` agrees with the server's `r`, up to unspecified
// BYLEX results (inside EXEC every BYLEX slot gets the benefit of the doubt:
// the set's scores at that moment are not at hand).
bool EngineAgrees(const KeyspaceModel* before, const program::Step& step, bool exec,
                  const std::vector<std::vector<std::string>>& queued, const Reply& r, const Reply& e) {
  if (r == e) return true;
  if (!exec) return before && UnspecifiedLexRange(*before, step);
  if (r.type() != Reply::Type::kArray || e.type() != Reply::Type::kArray || r.elems().size() != queued.size() ||
      e.elems().size() != queued.size())
    return false;
  for (size_t i = 0; i < queued.size(); ++i)
    if (r.elems()[i] != e.elems()[i] && !IsBylex(queued[i])) return false;
  return true;
}

std::string Describe(const Reply& r) { return r.ToString() + " [type " + std::to_string(int(r.type())) + "]"; }

// Runs `p` on the server, the model and the engine; the first divergence as
// text, or nothing. The server must already be empty.
std::optional<std::string> RunProgram(int port, const Program& p, std::string* io_error) {
  RedisSide redis(port);
  KeyspaceModel model;
  EngineTarget engine{EngineTarget::ClockKind::kReal};
  for (size_t i = 0; i < p.size(); ++i) {
    const Op& op = p[i];
    const auto* step = std::get_if<program::Step>(&op);
    std::vector<std::vector<std::string>> queued;
    bool exec = false;
    if (step) {
      exec = Upper(step->argv[0]) == "EXEC" && model.InMulti(step->session);
      if (exec) queued = model.Queued(step->session);
    }
    std::optional<KeyspaceModel> before;
    if (step && IsBylex(step->argv)) before = model;
    std::optional<Reply> r = program::Apply(redis, op);
    std::optional<Reply> m = program::Apply(model, op);
    std::optional<Reply> e = program::Apply(engine, op);
    if (!step) continue;
    if (IsIoError(*r)) {
      *io_error = program::ToString(op) + ": " + r->ToString();
      return std::nullopt;
    }
    auto canon = [&](const Reply& x) {
      return exec ? CanonicalExecReply(queued, x) : CanonicalReply(step->argv, x);
    };
    Reply rc = canon(*r), mc = canon(*m), ec = canon(*e);
    const bool engine_ok = EngineAgrees(before ? &*before : nullptr, *step, exec, queued, rc, ec);
    if (rc != mc || !engine_ok) {
      return "op " + std::to_string(i + 1) + ": " + program::ToString(op) + "\n    redis-server 7.0: " +
             Describe(rc) + "\n    model:            " + Describe(mc) + (rc == mc ? "" : "   <-- differs") +
             "\n    engine:           " + Describe(ec) + (engine_ok ? "" : "   <-- differs");
    }
  }
  const int dbs = KeyspaceModel::kDefaultDatabases;
  auto want = program::DumpState(redis, dbs);
  auto got_m = program::DumpState(model, dbs);
  auto got_e = program::DumpState(engine, dbs);
  for (const auto& [side, got] : {std::pair{"model", &got_m}, std::pair{"engine", &got_e}}) {
    for (size_t i = 0; i < std::min(want.size(), got->size()); ++i) {
      if (want[i] != (*got)[i]) {
        return std::string("final state: ") + side + " differs at '" + want[i].first + "' (" + side + ": '" +
               (*got)[i].first + "')\n    redis-server 7.0: " + Describe(want[i].second) + "\n    " + side +
               ":  " + Describe((*got)[i].second);
      }
    }
    if (want.size() != got->size())
      return std::string("final state: ") + side + " dump has " + std::to_string(got->size()) +
             " entries, redis-server's " + std::to_string(want.size());
  }
  return std::nullopt;
}

// Default run size: 100 programs of up to 200 ops per test (about 1-2 s in
// all). RC_PARAMS, when set, wins.
const bool kDefaultParams = [] {
  setenv("RC_PARAMS", "max_success=100 max_size=200", /*overwrite=*/0);
  return true;
}();

class RedisDifferential : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::RedisProcesses("server"); }
  static void TearDownTestSuite() {
    delete server_;  // stops it by PID
    server_ = nullptr;
  }
  void SetUp() override {
    if (!server_->ok()) GTEST_SKIP() << "no redis-server: " << server_->output();
  }

  // Runs the generated programs (RC_PARAMS; by default 100 programs of up
  // to 200 ops per test).
  void Check(program::GenConfig config) {
    config.clock_ops = false;
    config.active_expire_ops = false;
    config.keep = ExpiryFree;
    const int port = server_->port();
    RespLink control("127.0.0.1", port, NetOptions{});
    ASSERT_EQ(control.Call({"PING"}).ToString(), Reply::Status("PONG").ToString());
    const std::string version = control.Call({"INFO", "server"}).str();
    ASSERT_NE(version.find("redis_version:7.0."), std::string::npos) << version;
    std::string io_error;
    const auto start = std::chrono::steady_clock::now();
    const bool ok = rc::check(name_, [&] {
      const Program p = *program::GenProgram(config);
      RC_ASSERT(control.Call({"FLUSHALL"}) == Reply::Ok());
      std::optional<std::string> diff = RunProgram(port, p, &io_error);
      RC_ASSERT(io_error.empty());
      if (diff) RC_FAIL("\n" + *diff + "\nprogram (" + std::to_string(p.size()) + " ops):\n" + program::ToString(p));
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %.1f s\n", name_.c_str(), secs);
    EXPECT_TRUE(io_error.empty()) << "transport failure: " << io_error;
    EXPECT_TRUE(ok) << "divergence from redis-server (shrunk program above)";
  }

  std::string name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  static testing::RedisProcesses* server_;
};
testing::RedisProcesses* RedisDifferential::server_ = nullptr;

// The default mix: 3 sessions, 7 keys shared by all types, 3 databases.
TEST_F(RedisDifferential, DefaultMix) { Check(program::GenConfig{}); }

// Contention: 3 sessions on 2 keys in one database, transactions dominating,
// so WATCHed keys are touched (or not) by the others all the time.
TEST_F(RedisDifferential, ContendedTransactions) {
  Check(ContendedTransactionsMix());
}

}  // namespace
}  // namespace txlab
