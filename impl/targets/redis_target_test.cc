// RespConnection / RedisTarget against a real redis-server 7.0 started by
// scripts/redis/start-server (and stopped by PID, see test_redis.h).
#include <gtest/gtest.h>

#include <memory>

#include "impl/targets/make_target.h"
#include "impl/targets/resp_connection.h"
#include "impl/targets/test_calls.h"
#include "impl/targets/test_redis.h"

namespace txlab {
namespace {

using testing::Call;
using testing::RedisProcesses;

bool IsIoErr(const Reply& r) { return r.is_error() && r.error_code() == "IOERR"; }

class RedisTargetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RedisProcesses("server"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ok()) << server_->output();
    std::string e;
    target_ = MakeTarget(Url(), &e);
    ASSERT_TRUE(target_) << e;
    ASSERT_TRUE(static_cast<RedisTarget*>(target_.get())->FlushAll(&e)) << e;
  }
  static std::string Url(const std::string& suffix = "") {
    return "redis://127.0.0.1:" + std::to_string(server_->port()) + suffix;
  }

  static RedisProcesses* server_;
  std::unique_ptr<Target> target_;
};

RedisProcesses* RedisTargetTest::server_ = nullptr;

TEST_F(RedisTargetTest, BasicCalls) {
  EXPECT_EQ(target_->Describe(), Url());
  auto c = target_->Connect();
  EXPECT_EQ(Call(*c, Cmd("PING")), Reply::Status("PONG"));
  EXPECT_EQ(Call(*c, Cmd("SET", "k", "v")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("GET", "k")), Reply::Bulk("v"));
  EXPECT_EQ(Call(*c, Cmd("GET", "missing")), Reply::Nil());
  EXPECT_EQ(Call(*c, Cmd("INCR", "n")), Reply::Integer(1));
  EXPECT_EQ(Call(*c, Cmd("RPUSH", "l", "a", "b")), Reply::Integer(2));
  EXPECT_EQ(Call(*c, Cmd("LRANGE", "l", "0", "-1")), Reply::Array({Reply::Bulk("a"), Reply::Bulk("b")}));
  Reply wrong = Call(*c, Cmd("INCR", "k"));  // a Redis error is a reply, not IOERR
  EXPECT_EQ(wrong.error_code(), "ERR");
  EXPECT_EQ(c->commands(), 8u);
  const int64_t t0 = c->NowNs();
  EXPECT_EQ(t0 > 0 && c->NowNs() >= t0, true);
}

TEST_F(RedisTargetTest, MultiExecAndWatchConflict) {
  auto a = target_->Connect();
  auto b = target_->Connect();
  EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*a, Cmd("INCR", "n")), Reply::Queued());
  EXPECT_EQ(Call(*a, Cmd("INCR", "n")), Reply::Queued());
  EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::Array({Reply::Integer(1), Reply::Integer(2)}));
  // Each Connect() is its own socket: b's write breaks a's WATCH.
  EXPECT_EQ(Call(*a, Cmd("WATCH", "n")), Reply::Ok());
  EXPECT_EQ(Call(*b, Cmd("SET", "n", "10")), Reply::Ok());
  EXPECT_EQ(Call(*a, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*a, Cmd("INCR", "n")), Reply::Queued());
  EXPECT_EQ(Call(*a, Cmd("EXEC")), Reply::NilArray());
  EXPECT_EQ(Call(*b, Cmd("GET", "n")), Reply::Bulk("10"));
}

TEST_F(RedisTargetTest, SelectsTheDatabase) {
  std::string e;
  auto t2 = MakeTarget(Url("/2"), &e);
  ASSERT_TRUE(t2) << e;
  EXPECT_EQ(t2->Describe(), Url("/2"));
  auto c2 = t2->Connect();
  auto c0 = target_->Connect();
  EXPECT_EQ(Call(*c2, Cmd("SET", "only-in-2", "x")), Reply::Ok());
  EXPECT_EQ(Call(*c0, Cmd("GET", "only-in-2")), Reply::Nil());
  EXPECT_EQ(Call(*c2, Cmd("GET", "only-in-2")), Reply::Bulk("x"));
  // A reconnect selects it again.
  static_cast<RespConnection*>(c2.get())->Disconnect();
  EXPECT_EQ(Call(*c2, Cmd("GET", "only-in-2")), Reply::Bulk("x"));
}

TEST_F(RedisTargetTest, TimeoutIsIoErrorThenReconnects) {
  std::string e;
  auto t = MakeTarget(Url("?timeout_ms=200"), &e);
  ASSERT_TRUE(t) << e;
  auto c = t->Connect();
  auto* rc = static_cast<RespConnection*>(c.get());
  EXPECT_EQ(Call(*c, Cmd("SET", "k", "1")), Reply::Ok());
  EXPECT_EQ(rc->link().generation(), 1u);
  Reply slow = Call(*c, Cmd("DEBUG", "SLEEP", "0.6"));
  EXPECT_TRUE(IsIoErr(slow)) << slow.ToString();
  EXPECT_NE(slow.str().find("timed out"), std::string::npos) << slow.str();
  EXPECT_FALSE(rc->link().connected());
  // Lazily reconnected on the next call (once the server is awake).
  Reply r;
  for (int i = 0; i < 50; ++i) {  // bounded: ~ 50 x 200 ms at worst
    r = Call(*c, Cmd("GET", "k"));
    if (!IsIoErr(r)) break;
  }
  EXPECT_EQ(r, Reply::Bulk("1"));
  EXPECT_GE(rc->link().generation(), 2u);
}

TEST_F(RedisTargetTest, ReconnectInsideATransactionIsRefused) {
  auto c = target_->Connect();
  auto* rc = static_cast<RespConnection*>(c.get());
  EXPECT_EQ(Call(*c, Cmd("SET", "k", "1")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("WATCH", "k")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
  rc->Disconnect();  // the server drops MULTI and WATCH with the socket
  // Queued on a new socket, this SET would run at once and unwatched.
  EXPECT_TRUE(IsIoErr(Call(*c, Cmd("SET", "k", "2"))));
  EXPECT_TRUE(IsIoErr(Call(*c, Cmd("EXEC"))));
  EXPECT_EQ(Call(*c, Cmd("GET", "k")), Reply::Bulk("1"));
}

TEST_F(RedisTargetTest, ServerClosingTheSocketMidTransaction) {
  auto c = target_->Connect();
  auto admin = target_->Connect();
  EXPECT_EQ(Call(*c, Cmd("SET", "k", "1")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("WATCH", "k")), Reply::Ok());
  EXPECT_EQ(Call(*admin, Cmd("CLIENT", "KILL", "TYPE", "normal")).type(), Reply::Type::kInteger);  // not itself
  Reply lost = Call(*c, Cmd("GET", "k"));  // in flight when the EOF shows
  EXPECT_TRUE(IsIoErr(lost)) << lost.ToString();
  // The rest of the transaction is refused, never sent on a new socket.
  EXPECT_TRUE(IsIoErr(Call(*c, Cmd("MULTI"))));
  EXPECT_TRUE(IsIoErr(Call(*c, Cmd("SET", "k", "2"))));
  EXPECT_TRUE(IsIoErr(Call(*c, Cmd("EXEC"))));
  // Then the connection is usable again.
  EXPECT_EQ(Call(*c, Cmd("GET", "k")), Reply::Bulk("1"));
  EXPECT_EQ(static_cast<RespConnection*>(c.get())->link().generation(), 2u);
}

TEST_F(RedisTargetTest, MakeTargetErrors) {
  std::string e;
  EXPECT_FALSE(MakeTarget("redis://127.0.0.1", &e));
  EXPECT_NE(e.find("PORT"), std::string::npos) << e;
  // A port nothing listens on (just stopped servers are unlikely there).
  EXPECT_FALSE(MakeTarget("redis://127.0.0.1:1?connect_timeout_ms=200", &e));
  EXPECT_NE(e.find("IOERR"), std::string::npos) << e;
  EXPECT_FALSE(TargetFactoryFor("redis://127.0.0.1:1?connect_timeout_ms=200", &e));
  EXPECT_FALSE(e.empty());
  EXPECT_FALSE(TargetFactoryFor("embedded", &e));
  EXPECT_TRUE(e.empty()) << e;
  auto embedded = MakeTarget("embedded", &e);
  ASSERT_TRUE(embedded);
  EXPECT_EQ(embedded->Describe(), "embedded");
}

// Own server: it is killed.
TEST(RedisKilled, IoErrorWhenTheServerDiesMidTransaction) {
  RedisProcesses server("server");
  ASSERT_TRUE(server.ok()) << server.output();
  std::string e;
  auto t = MakeTarget("redis://127.0.0.1:" + std::to_string(server.port()) + "?connect_timeout_ms=300", &e);
  ASSERT_TRUE(t) << e;
  auto c = t->Connect();
  EXPECT_EQ(Call(*c, Cmd("SET", "k", "1")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("WATCH", "k")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("MULTI")), Reply::Ok());
  EXPECT_EQ(Call(*c, Cmd("INCR", "k")), Reply::Queued());
  server.Kill();  // SIGKILL by PID
  Reply exec = Call(*c, Cmd("EXEC"));
  EXPECT_TRUE(IsIoErr(exec)) << exec.ToString();
  // The next call tries to reconnect, and the refusal is IOERR too.
  Reply next = Call(*c, Cmd("GET", "k"));
  EXPECT_TRUE(IsIoErr(next)) << next.ToString();
  server.Stop();
}

}  // namespace
}  // namespace txlab
