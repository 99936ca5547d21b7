// The RESP server over the embedded engine, driven from outside the process
// as a client would: hiredis, redis-cli (subprocess) and raw bytes. Every
// server binds 127.0.0.1 port 0 and every wait is bounded.
#include "impl/server/server.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <future>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "impl/engine/engine.h"
#include "impl/server/event_loops.h"
#include "impl/server/resp_reply_reader.h"
#include "impl/server/resp_writer.h"
#include "impl/server/test_client.h"

namespace txlab {
namespace {

using namespace std::chrono_literals;
using testing::HiredisCall;
using testing::HiredisConnect;
using testing::RawExchange;

constexpr int64_t kBusyThresholdMs = 200;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions o = {}) {
    EngineOptions eo;
    eo.busy_reply_threshold_ms = kBusyThresholdMs;
    engine_ = std::make_unique<Engine>(eo);
    o.port = 0;
    o.busy_reply_threshold_ms = kBusyThresholdMs;
    server_ = std::make_unique<Server>(engine_.get(), o);
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    port_ = server_->port();
    ASSERT_GT(port_, 0);
  }
  void SetUp() override { StartServer(); }
  // A fresh engine and server with these options instead of the default ones.
  void RestartServer(ServerOptions o) {
    ASSERT_TRUE(server_->Stop(20s));
    server_.reset();
    engine_.reset();
    StartServer(o);
  }
  // One event loop: every connection shares the thread that runs a script,
  // so whatever answers them during BUSY is the watchdog's lent thread.
  void RestartWithOneLoop() {
    ServerOptions o;
    o.threads = 1;
    RestartServer(o);
  }
  void TearDown() override {
    if (server_) {
      EXPECT_TRUE(server_->Stop(20s));
    }
    server_.reset();
    engine_.reset();
  }

  Reply Call(redisContext* c, const std::vector<std::string>& argv) { return HiredisCall(c, argv); }

  // Reads exactly `n` replies from a raw socket (RESP2 or RESP3).
  std::vector<Reply> ReadReplies(int fd, size_t n) {
    ReplyReader reader;
    std::vector<Reply> out;
    char buf[4096];
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
      Reply r;
      auto s = reader.Next(&r);
      if (s == ReplyReader::Status::kReply) {
        out.push_back(std::move(r));
        continue;
      }
      if (s == ReplyReader::Status::kError) break;
      ssize_t got = ::recv(fd, buf, sizeof buf, 0);
      if (got <= 0) break;
      reader.Feed(std::string_view(buf, static_cast<size_t>(got)));
    }
    return out;
  }

  void SendAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  std::string RedisCli(const std::string& args, int* status = nullptr) {
    return testing::RunShell("timeout 20 redis-cli -h 127.0.0.1 -p " + std::to_string(port_) + " " + args + " 2>&1",
                             status);
  }

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

// ---- basic commands, pipelining, transactions -----------------------------

TEST_F(ServerTest, PingSetGetThroughHiredis) {
  auto c = HiredisConnect(port_);
  ASSERT_TRUE(c && !c->err);
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Status("PONG"));
  EXPECT_EQ(Call(c.get(), {"SET", "k", std::string("v\0\r\nx", 5)}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"GET", "k"}), Reply::Bulk(std::string("v\0\r\nx", 5)));
  EXPECT_EQ(Call(c.get(), {"GET", "missing"}), Reply::Nil());
  EXPECT_EQ(Call(c.get(), {"INCR", "n"}), Reply::Integer(1));
  EXPECT_EQ(Call(c.get(), {"NOSUCH", "a"}), Reply::Error("ERR unknown command 'NOSUCH', with args beginning with: 'a' "));
}

TEST_F(ServerTest, PipelinedRepliesInOrder) {
  auto c = HiredisConnect(port_);
  ASSERT_TRUE(c && !c->err);
  constexpr int kN = 5000;
  for (int i = 0; i < kN; ++i) redisAppendCommand(c.get(), "INCR p");
  for (int i = 1; i <= kN; ++i) {
    void* r = nullptr;
    ASSERT_EQ(redisGetReply(c.get(), &r), REDIS_OK);
    ASSERT_EQ(testing::FromHiredis(static_cast<redisReply*>(r)), Reply::Integer(i));
    freeReplyObject(r);
  }
}

TEST_F(ServerTest, MultiExecPipelinedInOneWrite) {
  int fd = testing::ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  std::string req = EncodeCommand({"MULTI"}) + EncodeCommand({"SET", "x", "1"}) + EncodeCommand({"LPUSH", "x", "a"}) +
                    EncodeCommand({"INCR", "x"}) + EncodeCommand({"EXEC"}) + "GET x\r\n";
  SendAll(fd, req);
  auto replies = ReadReplies(fd, 6);
  ::close(fd);
  ASSERT_EQ(replies.size(), 6u);
  EXPECT_EQ(replies[0], Reply::Ok());
  EXPECT_EQ(replies[1], Reply::Queued());
  EXPECT_EQ(replies[4], Reply::Array({Reply::Ok(),
                                      Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                                      Reply::Integer(2)}));
  EXPECT_EQ(replies[5], Reply::Bulk("2"));
}

TEST_F(ServerTest, LargeValuesRoundTrip) {
  auto c = HiredisConnect(port_);
  ASSERT_TRUE(c && !c->err);
  std::string big(4 << 20, 'z');
  big[12345] = '\0';
  EXPECT_EQ(Call(c.get(), {"SET", "big", big}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"GET", "big"}), Reply::Bulk(big));
}

// ---- RESP3 ---------------------------------------------------------------

TEST_F(ServerTest, Hello3SwitchesToResp3) {
  int fd = testing::ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  SendAll(fd, "HELLO 3\r\nGET missing\r\nCONFIG GET appendonly\r\nHELLO 2\r\nGET missing\r\n");
  std::string expect_hello_prefix = "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n";
  std::string got;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + 10s;
  // The RESP2 HELLO ends with "*0\r\n" (modules) and then "$-1\r\n".
  while (got.find("*0\r\n$-1\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(got.rfind(expect_hello_prefix, 0), 0u) << got;
  // GET of a missing key in RESP3 is "_", CONFIG GET is a map.
  EXPECT_NE(got.find("\r\n*0\r\n_\r\n%1\r\n$10\r\nappendonly\r\n$2\r\nno\r\n*14\r\n"), std::string::npos) << got;
  EXPECT_TRUE(got.size() > 5 && got.substr(got.size() - 5) == "$-1\r\n") << got;
}

TEST_F(ServerTest, Resp3NilExecAfterWatch) {
  int fd = testing::ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  SendAll(fd, "HELLO 3\r\nWATCH w\r\n");
  ASSERT_EQ(ReadReplies(fd, 2).size(), 2u);
  auto other = HiredisConnect(port_);
  EXPECT_EQ(Call(other.get(), {"SET", "w", "1"}), Reply::Ok());
  SendAll(fd, "MULTI\r\nGET w\r\nEXEC\r\n");
  std::string got;
  char buf[256];
  while (got.find("_\r\n") == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(got, "+OK\r\n+QUEUED\r\n_\r\n");  // T19: EXEC -> nil, RESP3 "_"
}

TEST_F(ServerTest, HelloErrors) {
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"HELLO", "4"}), Reply::Error("NOPROTO unsupported protocol version"));
  EXPECT_EQ(Call(c.get(), {"HELLO", "x"}), Reply::Error("ERR Protocol version is not an integer or out of range"));
  EXPECT_EQ(Call(c.get(), {"HELLO", "2", "FOO"}), Reply::Error("ERR Syntax error in HELLO option 'FOO'"));
  EXPECT_EQ(Call(c.get(), {"HELLO", "2", "AUTH", "default"}), Reply::Error("ERR Syntax error in HELLO option 'AUTH'"));
  Reply r = Call(c.get(), {"HELLO", "2", "SETNAME", "me"});
  ASSERT_EQ(r.type(), Reply::Type::kArray);
  EXPECT_EQ(r.elems().size(), 14u);
  EXPECT_EQ(Call(c.get(), {"CLIENT", "GETNAME"}), Reply::Bulk("me"));
}

TEST_F(ServerTest, RedisCliResp3AndPlain) {
  if (!testing::HaveProgram("redis-cli")) GTEST_SKIP() << "redis-cli not installed";
  EXPECT_EQ(RedisCli("SET a hello"), "OK\n");
  EXPECT_EQ(RedisCli("GET a"), "hello\n");
  EXPECT_EQ(RedisCli("-3 GET a"), "hello\n");
  EXPECT_EQ(RedisCli("--no-raw -3 GET nothing"), "(nil)\n");
  EXPECT_EQ(RedisCli("--no-raw -3 CONFIG GET appendonly"), "1# \"appendonly\" => \"no\"\n");
  EXPECT_EQ(RedisCli("--no-raw INCR counter"), "(integer) 1\n");
  // Several commands on one connection through redis-cli's stdin.
  EXPECT_EQ(testing::RunShell("printf 'MULTI\\nINCR c2\\nINCR c2\\nEXEC\\n' | timeout 20 redis-cli -p " +
                              std::to_string(port_) + " 2>&1"),
            "OK\nQUEUED\nQUEUED\n1\n2\n");
  // --pipe: raw protocol mass insertion.
  std::string pipe_out = testing::RunShell("printf 'SET p1 1\\r\\nSET p2 2\\r\\n' | timeout 20 redis-cli -p " +
                                           std::to_string(port_) + " --pipe 2>&1");
  EXPECT_NE(pipe_out.find("errors: 0, replies: 2"), std::string::npos) << pipe_out;
  EXPECT_EQ(RedisCli("MGET p1 p2"), "1\n2\n");
}

// ---- AUTH ----------------------------------------------------------------

TEST_F(ServerTest, RequirePassAndAuth) {
  server_->Stop(20s);
  server_.reset();
  ServerOptions o;
  o.requirepass = "sekret";
  StartServer(o);
  auto c = HiredisConnect(port_);
  ASSERT_TRUE(c && !c->err);
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Error("NOAUTH Authentication required."));
  EXPECT_EQ(Call(c.get(), {"CLIENT", "ID"}), Reply::Error("NOAUTH Authentication required."));
  EXPECT_EQ(Call(c.get(), {"GET"}), Reply::Error("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(Call(c.get(), {"FOO", "bar"}), Reply::Error("ERR unknown command 'FOO', with args beginning with: 'bar' "));
  EXPECT_EQ(Call(c.get(), {"HELLO", "3"}).error_code(), "NOAUTH");
  EXPECT_EQ(Call(c.get(), {"AUTH", "wrong"}),
            Reply::Error("WRONGPASS invalid username-password pair or user is disabled."));
  EXPECT_EQ(Call(c.get(), {"AUTH", "bob", "sekret"}),
            Reply::Error("WRONGPASS invalid username-password pair or user is disabled."));
  EXPECT_EQ(Call(c.get(), {"AUTH", "a", "b", "c"}), Reply::Error("ERR syntax error"));
  EXPECT_EQ(Call(c.get(), {"AUTH", "sekret"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Status("PONG"));
  // RESET de-authenticates.
  EXPECT_EQ(Call(c.get(), {"RESET"}), Reply::Status("RESET"));
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Error("NOAUTH Authentication required."));
  EXPECT_EQ(Call(c.get(), {"AUTH", "default", "sekret"}), Reply::Ok());
  // Before AUTH, big requests are refused (Redis's pre-auth limits).
  auto r = RawExchange(port_, "*11\r\n");
  EXPECT_EQ(r.bytes, "-ERR Protocol error: unauthenticated multibulk length\r\n");
  EXPECT_TRUE(r.closed);
  r = RawExchange(port_, "HELLO 3 AUTH default sekret\r\nGET nothing\r\n");
  EXPECT_NE(r.bytes.find("proto\r\n:3\r\n"), std::string::npos);
  EXPECT_EQ(r.bytes.substr(r.bytes.size() - 3), "_\r\n");
  if (testing::HaveProgram("redis-cli")) {
    EXPECT_EQ(RedisCli("-a sekret --no-auth-warning SET x 1"), "OK\n");
  }
}

TEST_F(ServerTest, AuthWithoutPassword) {
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"AUTH", "x"}).str().rfind("ERR AUTH <password> called without any password", 0), 0u);
  EXPECT_EQ(Call(c.get(), {"AUTH", "default", "anything"}), Reply::Ok());
}

TEST_F(ServerTest, ConfigSetRequirePass) {
  auto admin = HiredisConnect(port_);
  EXPECT_EQ(Call(admin.get(), {"CONFIG", "SET", "requirepass", "pw"}), Reply::Ok());
  EXPECT_EQ(Call(admin.get(), {"PING"}), Reply::Status("PONG"));  // already-open connections stay authenticated
  EXPECT_EQ(Call(admin.get(), {"CONFIG", "GET", "requirepass"}), Reply::Array({Reply::Bulk("requirepass"), Reply::Bulk("pw")}));
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Error("NOAUTH Authentication required."));
  EXPECT_EQ(Call(c.get(), {"AUTH", "pw"}), Reply::Ok());
  EXPECT_EQ(Call(admin.get(), {"CONFIG", "SET", "requirepass", ""}), Reply::Ok());
}

TEST_F(ServerTest, ConfigGetSet) {
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"CONFIG", "GET", "busy-reply-threshold"}),
            Reply::Array({Reply::Bulk("busy-reply-threshold"), Reply::Bulk(std::to_string(kBusyThresholdMs))}));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "GET", "lua*"}),
            Reply::Array({Reply::Bulk("lua-time-limit"), Reply::Bulk(std::to_string(kBusyThresholdMs))}));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "foo", "1"}),
            Reply::Error("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "lua-time-limit", "x"}),
            Reply::Error("ERR CONFIG SET failed (possibly related to argument 'lua-time-limit') - argument couldn't be "
                         "parsed into an integer"));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "busy-reply-threshold", std::to_string(kBusyThresholdMs)}), Reply::Ok());
  // Any value in range is taken (as redis-server 7.0) and reaches the engine;
  // the alias shows it too.
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "lua-time-limit", "1234"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CONFIG", "GET", "busy-reply-threshold"}),
            Reply::Array({Reply::Bulk("busy-reply-threshold"), Reply::Bulk("1234")}));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "busy-reply-threshold", "-1"}),
            Reply::Error("ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument must "
                         "be between 0 and 9223372036854775807 inclusive"));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "busy-reply-threshold", std::to_string(kBusyThresholdMs)}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CONFIG", "GET", "lua-time-limit"}),
            Reply::Array({Reply::Bulk("lua-time-limit"), Reply::Bulk(std::to_string(kBusyThresholdMs))}));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "GET"}), Reply::Error("ERR wrong number of arguments for 'config|get' command"));
  EXPECT_EQ(Call(c.get(), {"CONFIG", "SET", "save", ""}), Reply::Ok());
}

// ---- connection commands ---------------------------------------------------

TEST_F(ServerTest, ClientCommands) {
  auto c = HiredisConnect(port_);
  auto d = HiredisConnect(port_);
  Reply id = Call(c.get(), {"CLIENT", "ID"});
  ASSERT_EQ(id.type(), Reply::Type::kInteger);
  EXPECT_NE(id, Call(d.get(), {"CLIENT", "ID"}));
  EXPECT_EQ(Call(c.get(), {"CLIENT", "GETNAME"}), Reply::Nil());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "SETNAME", "alice"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "GETNAME"}), Reply::Bulk("alice"));
  EXPECT_EQ(Call(c.get(), {"CLIENT", "SETNAME", "a b"}),
            Reply::Error("ERR Client names cannot contain spaces, newlines or special characters."));
  EXPECT_EQ(Call(c.get(), {"CLIENT", "SETNAME"}),
            Reply::Error("ERR wrong number of arguments for 'client|setname' command"));
  EXPECT_EQ(Call(c.get(), {"CLIENT", "FOO"}), Reply::Error("ERR unknown subcommand 'FOO'. Try CLIENT HELP."));
  EXPECT_EQ(Call(c.get(), {"CLIENT"}), Reply::Error("ERR wrong number of arguments for 'client' command"));
  Reply list = Call(d.get(), {"CLIENT", "LIST"});
  EXPECT_NE(list.str().find("id=" + std::to_string(id.integer()) + " "), std::string::npos) << list.str();
  EXPECT_NE(list.str().find("name=alice"), std::string::npos) << list.str();
  Reply info = Call(c.get(), {"INFO"});
  EXPECT_NE(info.str().find("redis_version:7.0.15"), std::string::npos);
  EXPECT_NE(info.str().find("connected_clients:"), std::string::npos);
  Call(c.get(), {"SET", "k", "v"});
  EXPECT_NE(Call(c.get(), {"INFO", "keyspace"}).str().find("db0:keys=1,"), std::string::npos);
  Reply count = Call(c.get(), {"COMMAND", "COUNT"});
  ASSERT_EQ(count.type(), Reply::Type::kInteger);
  EXPECT_GT(count.integer(), 50);
  Reply get_info = Call(c.get(), {"COMMAND", "INFO", "get"});
  ASSERT_EQ(get_info.elems().size(), 1u);
  EXPECT_EQ(get_info.elems()[0].elems()[0], Reply::Bulk("get"));
  EXPECT_EQ(get_info.elems()[0].elems()[1], Reply::Integer(2));
}

// Connection commands inside MULTI, as redis-server 7.0.15: queued (checked
// at once: a bad one aborts the EXEC, T6), run at EXEC in their slot, not run
// when WATCH aborts the EXEC (T18); SHUTDOWN refused.
TEST_F(ServerTest, ConnectionCommandsQueueInsideMulti) {
  auto r = RawExchange(port_, "MULTI\r\nCLIENT SETNAME foo\r\nSET k 1\r\nCLIENT GETNAME\r\nECHO e\r\nEXEC\r\n"
                              "CLIENT GETNAME\r\n");
  EXPECT_EQ(r.bytes, "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n+OK\r\n+OK\r\n$3\r\nfoo\r\n$1\r\ne\r\n"
                     "$3\r\nfoo\r\n");
  r = RawExchange(port_, "MULTI\r\nCLIENT NOSUCH\r\nCLIENT SETNAME\r\nSHUTDOWN\r\nCONFIG SET x 1\r\nEXEC\r\n");
  EXPECT_EQ(r.bytes,
            "+OK\r\n-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n"
            "-ERR wrong number of arguments for 'client|setname' command\r\n"
            "-ERR Command not allowed inside a transaction\r\n+QUEUED\r\n"
            "-EXECABORT Transaction discarded because of previous errors.\r\n");
  // A run-time error of a queued connection command stays in its slot.
  r = RawExchange(port_, "MULTI\r\nCONFIG SET nosuch 1\r\nCLIENT ID\r\nEXEC\r\n");
  EXPECT_EQ(r.bytes.rfind("+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n-ERR Unknown option or number of arguments for CONFIG "
                          "SET - 'nosuch'\r\n:",
                          0),
            0u)
      << r.bytes;
  auto c = HiredisConnect(port_);
  auto d = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"WATCH", "w"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "SETNAME", "never"}), Reply::Queued());
  EXPECT_EQ(Call(d.get(), {"SET", "w", "1"}), Reply::Ok());
  EXPECT_TRUE(Call(c.get(), {"EXEC"}).is_nil());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "GETNAME"}), Reply::Nil());
  // DISCARD forgets them.
  EXPECT_EQ(Call(c.get(), {"MULTI"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "SETNAME", "never"}), Reply::Queued());
  EXPECT_EQ(Call(c.get(), {"DISCARD"}), Reply::Ok());
  EXPECT_EQ(Call(c.get(), {"CLIENT", "GETNAME"}), Reply::Nil());
}

TEST_F(ServerTest, QuitClosesAfterOk) {
  auto r = RawExchange(port_, "PING\r\nQUIT\r\nPING\r\n");
  EXPECT_EQ(r.bytes, "+PONG\r\n+OK\r\n");
  EXPECT_TRUE(r.closed);
}

TEST_F(ServerTest, ResetRestoresDefaults) {
  auto r = RawExchange(port_, "HELLO 3\r\nCLIENT SETNAME n\r\nSELECT 2\r\nMULTI\r\nRESET\r\nEXEC\r\nCLIENT GETNAME\r\n");
  // After RESET: RESP2, no name, out of MULTI (EXEC without MULTI).
  std::string tail = "+RESET\r\n-ERR EXEC without MULTI\r\n$-1\r\n";
  ASSERT_GE(r.bytes.size(), tail.size());
  EXPECT_EQ(r.bytes.substr(r.bytes.size() - tail.size()), tail) << r.bytes;
}

TEST_F(ServerTest, HttpRequestClosesSilently) {
  auto r = RawExchange(port_, "POST / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.bytes, "");
  EXPECT_TRUE(r.closed);
}

// ---- malformed input --------------------------------------------------------

TEST_F(ServerTest, ProtocolErrorsCloseOnlyThatConnection) {
  auto bystander = HiredisConnect(port_);
  ASSERT_TRUE(bystander && !bystander->err);
  EXPECT_EQ(Call(bystander.get(), {"SET", "safe", "1"}), Reply::Ok());
  struct Case {
    std::string in;
    std::string reply;
  };
  const std::vector<Case> cases = {
      {"*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
      {"*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
      {"*1\r\n$600000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"},  // > proto-max-bulk-len
      {"*1\r\nx4\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n"},
      {"PING\r\n*2\r\n:5\r\n", "+PONG\r\n-ERR Protocol error: expected '$', got ':'\r\n"},
      {"SET a \"b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
      {std::string(70000, 'x'), "-ERR Protocol error: too big inline request\r\n"},
      {"*" + std::string(70000, '1'), "-ERR Protocol error: too big mbulk count string\r\n"},
      {"*1\r\n$" + std::string(70000, '9'), "-ERR Protocol error: too big bulk count string\r\n"},
      {"*2000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
  };
  for (const Case& c : cases) {
    auto r = RawExchange(port_, c.in);
    EXPECT_EQ(r.bytes, c.reply) << ::testing::PrintToString(c.in.substr(0, 30));
    EXPECT_TRUE(r.closed) << ::testing::PrintToString(c.in.substr(0, 30));
    EXPECT_EQ(Call(bystander.get(), {"GET", "safe"}), Reply::Bulk("1"));
  }
}

TEST_F(ServerTest, TruncatedFrameAppliesNothing) {
  // The connection closes in the middle of a SET: nothing happens.
  auto r = RawExchange(port_, "*3\r\n$3\r\nSET\r\n$1\r\nt\r\n$5\r\nhel", 100ms);
  EXPECT_EQ(r.bytes, "");
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"EXISTS", "t"}), Reply::Integer(0));
}

TEST_F(ServerTest, BinaryGarbageNeverHurtsOthers) {
  auto bystander = HiredisConnect(port_);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 60; ++i) {
    std::string junk(1 + rng() % 2000, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    if (i % 3 == 0) junk[0] = '*';  // reach the multibulk parser too
    auto r = RawExchange(port_, junk, 30ms, 2s, 1 + rng() % 64);
    (void)r;  // either an error and a close, or a wait: both are fine
    ASSERT_EQ(Call(bystander.get(), {"PING"}), Reply::Status("PONG")) << "after input " << i;
  }
  EXPECT_EQ(Call(bystander.get(), {"DBSIZE"}).type(), Reply::Type::kInteger);
}

// ---- T10: disconnect discards the transaction -------------------------------

TEST_F(ServerTest, DisconnectMidMultiDiscards) {
  int fd = testing::ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  SendAll(fd, "MULTI\r\nSET disc 1\r\nINCR disc2\r\n");
  ASSERT_EQ(ReadReplies(fd, 3), (std::vector<Reply>{Reply::Ok(), Reply::Queued(), Reply::Queued()}));
  ::close(fd);
  auto c = HiredisConnect(port_);
  // The Session is destroyed on the server's side shortly after the close.
  for (int i = 0; i < 100 && server_->connected_clients() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(Call(c.get(), {"EXISTS", "disc", "disc2"}), Reply::Integer(0));
  // A WATCH of that connection is gone too: a write by us is unaffected.
  EXPECT_EQ(Call(c.get(), {"SET", "disc", "x"}), Reply::Ok());
}

// ---- many clients, atomicity -------------------------------------------------

TEST_F(ServerTest, ConcurrentIncrementsAllCount) {
  constexpr int kClients = 40, kEach = 250;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&] {
      auto c = HiredisConnect(port_);
      if (!c || c->err) {
        ++failures;
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        if (HiredisCall(c.get(), {"INCR", "ctr"}).type() != Reply::Type::kInteger) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto c = HiredisConnect(port_);
  EXPECT_EQ(Call(c.get(), {"GET", "ctr"}), Reply::Bulk(std::to_string(kClients * kEach)));
}

TEST_F(ServerTest, TransfersKeepTheSumUnderConcurrency) {
  auto setup = HiredisConnect(port_);
  Call(setup.get(), {"MSET", "a", "1000", "b", "1000"});
  std::atomic<bool> stop{false};
  std::atomic<int> bad_sums{0}, reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      auto c = HiredisConnect(port_);
      for (int i = 0; i < 300; ++i) {
        // Pipelined MULTI/EXEC transfer, each direction.
        const char* from = (i + t) % 2 ? "a" : "b";
        const char* to = (i + t) % 2 ? "b" : "a";
        redisAppendCommand(c.get(), "MULTI");
        redisAppendCommand(c.get(), "DECRBY %s 3", from);
        redisAppendCommand(c.get(), "INCRBY %s 3", to);
        redisAppendCommand(c.get(), "EXEC");
        for (int k = 0; k < 4; ++k) {
          void* r = nullptr;
          if (redisGetReply(c.get(), &r) != REDIS_OK) return;
          freeReplyObject(r);
        }
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      auto c = HiredisConnect(port_);
      while (!stop.load()) {
        Reply r = HiredisCall(c.get(), {"MGET", "a", "b"});
        if (r.elems().size() != 2) {
          ++bad_sums;
          continue;
        }
        if (std::stoll(r.elems()[0].str()) + std::stoll(r.elems()[1].str()) != 2000) ++bad_sums;
        ++reads;
      }
    });
  }
  for (size_t i = 0; i < 6; ++i) threads[i].join();
  stop = true;
  for (size_t i = 6; i < threads.size(); ++i) threads[i].join();
  EXPECT_EQ(bad_sums.load(), 0);
  EXPECT_GT(reads.load(), 0);
  Reply final = Call(setup.get(), {"MGET", "a", "b"});
  EXPECT_EQ(std::stoll(final.elems()[0].str()) + std::stoll(final.elems()[1].str()), 2000);
}

// ---- blocking commands --------------------------------------------------------

TEST_F(ServerTest, BlockedClientsDoNotStarveTheServer) {
  // More blocked clients than worker threads: the server must still read
  // the LPUSH that wakes them.
  constexpr int kBlocked = 8;
  std::vector<std::future<Reply>> waits;
  for (int i = 0; i < kBlocked; ++i) {
    waits.push_back(std::async(std::launch::async, [this] {
      auto c = HiredisConnect(port_);
      return HiredisCall(c.get(), {"BLPOP", "queue", "10"});
    }));
  }
  auto c = HiredisConnect(port_);
  // Wait (bounded) until all are connected, then check the server answers.
  for (int i = 0; i < 200 && server_->connected_clients() < kBlocked + 1; ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(Call(c.get(), {"PING"}), Reply::Status("PONG"));
  for (int i = 0; i < kBlocked; ++i) EXPECT_EQ(Call(c.get(), {"RPUSH", "queue", std::to_string(i)}).type(), Reply::Type::kInteger);
  std::set<std::string> got;
  for (auto& w : waits) {
    ASSERT_EQ(w.wait_for(10s), std::future_status::ready);
    Reply r = w.get();
    ASSERT_EQ(r.elems().size(), 2u) << r.ToString();
    got.insert(r.elems()[1].str());
  }
  EXPECT_EQ(got.size(), static_cast<size_t>(kBlocked));
  // Inside MULTI a blocking command is queued and does not block (T13).
  auto r = RawExchange(port_, "MULTI\r\nBLPOP empty 0\r\nEXEC\r\n");
  EXPECT_EQ(r.bytes, "+OK\r\n+QUEUED\r\n*1\r\n*-1\r\n");
}

// ---- scripts: BUSY and SCRIPT KILL over the socket (S2-S4) ------------------

// ThreadSanitizer holds asynchronous signals until the thread reaches an
// instrumented call, and a Lua loop never does: the engine's signal-armed
// script kill cannot work there.
#if defined(__SANITIZE_THREAD__)
#define TXLAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TXLAB_TSAN 1
#endif
#endif

TEST_F(ServerTest, BusyAndScriptKillFromOtherConnections) {
#ifdef TXLAB_TSAN
  GTEST_SKIP() << "script kill is signal-based; not under ThreadSanitizer";
#endif
  RestartWithOneLoop();
  auto probe = HiredisConnect(port_);
  if (Call(probe.get(), {"EVAL", "return 1", "0"}) != Reply::Integer(1)) {
    GTEST_SKIP() << "scripting not available in this engine build";
  }
  std::promise<Reply> done;
  auto result = done.get_future();
  std::thread runner([&] {
    auto c = HiredisConnect(port_);
    done.set_value(HiredisCall(c.get(), {"EVAL", "while true do end", "0"}));
  });
  // Before the threshold others wait; after it they get BUSY.
  std::this_thread::sleep_for(std::chrono::milliseconds(kBusyThresholdMs + 200));
  auto other = HiredisConnect(port_);
  Reply busy = Call(other.get(), {"GET", "x"});
  EXPECT_EQ(busy.error_code(), "BUSY") << busy.ToString();
  // ClientConnection-level commands still work while the engine is busy.
  EXPECT_EQ(Call(other.get(), {"CLIENT", "ID"}).type(), Reply::Type::kInteger);
  EXPECT_EQ(Call(other.get(), {"SCRIPT", "KILL"}), Reply::Ok());
  if (result.wait_for(10s) != std::future_status::ready) {
    // The script is still running and would keep the server (and this test)
    // from ever finishing: fail loudly instead of hanging.
    std::fprintf(stderr, "FATAL: EVAL still running 10 s after SCRIPT KILL\n");
    std::abort();
  }
  Reply killed = result.get();
  EXPECT_EQ(killed.str().rfind("ERR Script killed by user with SCRIPT KILL", 0), 0u) << killed.ToString();
  runner.join();
  EXPECT_EQ(Call(other.get(), {"PING"}), Reply::Status("PONG"));
  EXPECT_EQ(Call(other.get(), {"SCRIPT", "KILL"}).error_code(), "NOTBUSY");
}

// T10 during S2: a client that disconnects while a script is past the
// threshold has its Session destroyed without waiting for the script, so it
// holds no thread. More clients leave than one loop may ever have threads;
// others must still get BUSY, and SCRIPT KILL must still work (S4).
TEST_F(ServerTest, T10_S2_DisconnectsDuringBusyHoldNoThread) {
#ifdef TXLAB_TSAN
  GTEST_SKIP() << "script kill is signal-based; not under ThreadSanitizer";
#endif
  RestartWithOneLoop();
  auto other = HiredisConnect(port_);
  if (Call(other.get(), {"EVAL", "return 1", "0"}) != Reply::Integer(1)) {
    GTEST_SKIP() << "scripting not available in this engine build";
  }
  Call(other.get(), {"SET", "w", "0"});
  std::promise<Reply> done;
  auto result = done.get_future();
  std::thread runner([&] {
    auto c = HiredisConnect(port_);
    done.set_value(HiredisCall(c.get(), {"EVAL", "while true do end", "0"}));
  });
  // Until the script runs past the threshold, GET either runs first or waits
  // and then gets BUSY. Bounded in count.
  Reply r;
  for (int i = 0; i < 200 && r.error_code() != "BUSY"; ++i) {
    r = Call(other.get(), {"GET", "w"});
    if (r.error_code() != "BUSY") std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(r.error_code(), "BUSY") << r.ToString();
  for (int i = 0; i < EventLoops::kMaxThreadsPerLoop + 4; ++i) {
    auto leaving = HiredisConnect(port_);
    // A MULTI with a queued command (answered from session state during
    // BUSY), then the disconnect: its Session is destroyed now.
    ASSERT_EQ(Call(leaving.get(), {"MULTI"}), Reply::Ok()) << "client " << i;
    ASSERT_EQ(Call(leaving.get(), {"SET", "w", "from-leaving"}).error_code(), "BUSY") << "client " << i;
  }
  EXPECT_EQ(Call(other.get(), {"GET", "w"}).error_code(), "BUSY");
  auto killer = HiredisConnect(port_);
  EXPECT_EQ(Call(killer.get(), {"SCRIPT", "KILL"}), Reply::Ok());
  if (result.wait_for(30s) != std::future_status::ready) {
    std::fprintf(stderr, "FATAL: EVAL still running 30 s after SCRIPT KILL\n");
    std::abort();
  }
  runner.join();
  EXPECT_EQ(result.get().str().rfind("ERR Script killed by user with SCRIPT KILL", 0), 0u);
  EXPECT_EQ(Call(other.get(), {"GET", "w"}), Reply::Bulk("0"));  // T10: no queued SET ran
  // Every parked session is gone with its connection (bounded wait).
  for (int i = 0; i < 1000 && server_->connected_clients() > 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server_->connected_clients(), 2);
}

// ---- shutdown --------------------------------------------------------------

TEST_F(ServerTest, StopClosesClients) {
  int fd = testing::ConnectLoopback(port_);
  ASSERT_GE(fd, 0);
  SendAll(fd, "MULTI\r\nSET after_stop 1\r\n");
  ASSERT_EQ(ReadReplies(fd, 2).size(), 2u);
  EXPECT_TRUE(server_->Stop(10s));
  char b;
  EXPECT_EQ(::recv(fd, &b, 1, 0), 0);  // EOF
  ::close(fd);
  server_.reset();
  // The engine is still there; the queued SET was never applied (T10).
  auto s = engine_->Connect();
  EXPECT_EQ(s->Call({"EXISTS", "after_stop"}), Reply::Integer(0));
}

TEST_F(ServerTest, ShutdownCommandRequestsStop) {
  EXPECT_FALSE(server_->WaitForShutdownRequest(10ms));
  auto r = RawExchange(port_, "SHUTDOWN NOSAVE\r\n");
  EXPECT_EQ(r.bytes, "");
  EXPECT_TRUE(r.closed);
  EXPECT_TRUE(server_->WaitForShutdownRequest(5s));
}

TEST(ServerStart, RefusesNonLoopbackAndBusyPort) {
  Engine engine;
  ServerOptions o;
  o.bind = "0.0.0.0";
  o.port = 0;
  Server s(&engine, o);
  std::string error;
  EXPECT_FALSE(s.Start(&error));
  EXPECT_NE(error.find("loopback"), std::string::npos) << error;

  ServerOptions a;
  a.port = 0;
  Server first(&engine, a);
  ASSERT_TRUE(first.Start(&error)) << error;
  ServerOptions b;
  b.port = first.port();
  Server second(&engine, b);
  EXPECT_FALSE(second.Start(&error));
  EXPECT_TRUE(first.Stop());
}

}  // namespace
}  // namespace txlab
