// Real redis-server 7.0 driven through scripts/redis/start-server: start it
// on a free loopback port, talk to it with hiredis and raw bytes, stop it by
// PID (RealRedisServer's destructor, which also runs when a test fails).
//
// The protocol cases compare real Redis with our RequestParser byte for byte:
// the replies real Redis sends for a malformed stream must be what our server
// would send (PING/ECHO replies, then the parser's error, then close).
// Skipped when redis-server is not installed.
#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "impl/server/resp_parser.h"
#include "impl/server/resp_writer.h"
#include "impl/server/test_client.h"

namespace txlab {
namespace {

using testing::FromHiredis;
using testing::HiredisCall;
using testing::RawExchange;
using testing::RealRedisServer;

class RealRedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveProgram("redis-server")) GTEST_SKIP() << "redis-server not installed";
    server_ = std::make_unique<RealRedisServer>(TXLAB_SOURCE_DIR);
    ASSERT_TRUE(server_->ok()) << server_->start_output();
  }
  std::unique_ptr<RealRedisServer> server_;
};

using Context = testing::HiredisContext;

Context Connect(int port) { return testing::HiredisConnect(port); }

TEST_F(RealRedisTest, CommandsThroughHiredis) {
  Context c = Connect(server_->port());
  ASSERT_TRUE(c && !c->err);
  EXPECT_EQ(HiredisCall(c.get(), {"PING"}), Reply::Status("PONG"));
  EXPECT_EQ(HiredisCall(c.get(), {"SET", "k", "v"}), Reply::Ok());
  EXPECT_EQ(HiredisCall(c.get(), {"GET", "k"}), Reply::Bulk("v"));
  EXPECT_EQ(HiredisCall(c.get(), {"GET", "missing"}), Reply::Nil());
  EXPECT_EQ(HiredisCall(c.get(), {"INCR", "n"}), Reply::Integer(1));
  EXPECT_EQ(HiredisCall(c.get(), {"MULTI"}), Reply::Ok());
  EXPECT_EQ(HiredisCall(c.get(), {"INCR", "n"}), Reply::Queued());
  EXPECT_EQ(HiredisCall(c.get(), {"LPUSH", "k", "x"}), Reply::Queued());
  EXPECT_EQ(HiredisCall(c.get(), {"EXEC"}),
            Reply::Array({Reply::Integer(2),
                          Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value")}));
}

TEST_F(RealRedisTest, PipelinedThroughHiredis) {
  Context c = Connect(server_->port());
  ASSERT_TRUE(c && !c->err);
  for (int i = 0; i < 100; ++i) redisAppendCommand(c.get(), "INCR p");
  for (int i = 1; i <= 100; ++i) {
    void* r = nullptr;
    ASSERT_EQ(redisGetReply(c.get(), &r), REDIS_OK);
    EXPECT_EQ(FromHiredis(static_cast<redisReply*>(r)), Reply::Integer(i));
    freeReplyObject(r);
  }
}

// What our server sends for `in`, if PING and ECHO were the only commands:
// each command's reply, then the protocol error and a close.
testing::RawResult ExpectedFromParser(std::string_view in) {
  RequestParser p;
  p.Feed(in);
  testing::RawResult out;
  std::vector<std::string> argv;
  while (true) {
    auto s = p.Next(&argv);
    if (s == RequestParser::Status::kCommand) {
      if (argv.size() == 1) {
        AppendReply(Reply::Status("PONG"), kResp2, &out.bytes);
      } else {
        AppendReply(Reply::Bulk(argv[1]), kResp2, &out.bytes);
      }
      continue;
    }
    if (s == RequestParser::Status::kError) {
      AppendReply(Reply::Error(p.error()), kResp2, &out.bytes);
      out.closed = true;
    }
    return out;
  }
}

TEST_F(RealRedisTest, ProtocolErrorsMatchOurParser) {
  const std::vector<std::string> cases = {
      "*2147483648\r\n",
      "*abc\r\n",
      "*-5\r\nPING\r\n",
      "*1\r\n$-1\r\n",
      "*1\r\n$536870913\r\n",
      "*1\r\n$536870912\r\n",
      "*1\r\nx4\r\n",
      "*1\r\n\r\n",
      "*1\r\n$4\r\nPINGxxPING\r\n",
      "*1\rx$4\r\nPING\r\n",
      "PING\r\n*1\r\n$x\r\n",
      "ECHO \"b\r\n",
      "ECHO \"b\"c\r\n",
      "ECHO 'a\\'b'\r\n",
      "ECHO \"\\x41\\n\"\r\n",
      "\r\n\r\nPING\n",
      std::string(70000, 'x'),
      "*" + std::string(70000, '1'),
      "*1\r\n$" + std::string(70000, '1'),
      std::string("\x00\x01\xff\r\n", 5),
      std::string("ECHO a\0b\r\n", 10),
      "*+1\r\n$4\r\nPING\r\n",
      "*01\r\n$4\r\nPING\r\n",
      "*1\r\n$04\r\nPING\r\n",
      "*1\r\n$\r\n",
      "*0\r\nPING\r\n",
      "*1\r\n$4\r\nPING\r\n*2\r\n:5\r\n",
      "*1 \r\n$4\r\nPING\r\n",
      "*2\r\n$4\r\nECHO\r\n$3\r\na\0b\r\n",
  };
  for (const std::string& in : cases) {
    testing::RawResult real = RawExchange(server_->port(), in, std::chrono::milliseconds(150));
    testing::RawResult ours = ExpectedFromParser(in);
    EXPECT_EQ(real.bytes, ours.bytes) << "input: " << ::testing::PrintToString(in.substr(0, 40));
    EXPECT_EQ(real.closed, ours.closed) << "input: " << ::testing::PrintToString(in.substr(0, 40));
  }
}

TEST_F(RealRedisTest, StopServerStopsIt) {
  int pid = server_->pid();
  ASSERT_GT(pid, 0);
  std::string dir = server_->dir();
  server_.reset();  // runs stop-server
  int status = 0;
  // Gone, or a zombie nobody has reaped yet (the script that started it exited).
  testing::RunShell("awk '{print $3}' /proc/" + std::to_string(pid) + "/stat 2>/dev/null | grep -qv Z", &status);
  EXPECT_NE(status, 0) << "redis-server " << pid << " still running";
  testing::RunShell("test -e '" + dir + "'", &status);
  EXPECT_NE(status, 0) << dir << " not removed";
}

}  // namespace
}  // namespace txlab
