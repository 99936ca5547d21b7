#include "impl/server/resp_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace txlab {
namespace {

TEST(RespWriter, Resp2) {
  EXPECT_EQ(EncodeReply(Reply::Ok(), kResp2), "+OK\r\n");
  EXPECT_EQ(EncodeReply(Reply::Error("ERR boom"), kResp2), "-ERR boom\r\n");
  EXPECT_EQ(EncodeReply(Reply::Integer(-42), kResp2), ":-42\r\n");
  EXPECT_EQ(EncodeReply(Reply::Integer(INT64_MIN), kResp2), ":-9223372036854775808\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bulk("foo"), kResp2), "$3\r\nfoo\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bulk(""), kResp2), "$0\r\n\r\n");
  EXPECT_EQ(EncodeReply(Reply::Nil(), kResp2), "$-1\r\n");
  EXPECT_EQ(EncodeReply(Reply::NilArray(), kResp2), "*-1\r\n");
  EXPECT_EQ(EncodeReply(Reply::Array(), kResp2), "*0\r\n");
  EXPECT_EQ(EncodeReply(Reply::Array({Reply::Integer(1), Reply::Array({Reply::Nil()})}), kResp2),
            "*2\r\n:1\r\n*1\r\n$-1\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(1.5), kResp2), "$3\r\n1.5\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(0.1), kResp2), "$19\r\n0.10000000000000001\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(HUGE_VAL), kResp2), "$3\r\ninf\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bool(true), kResp2), ":1\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bool(false), kResp2), ":0\r\n");
  EXPECT_EQ(EncodeReply(Reply::Map({Reply::Bulk("a"), Reply::Integer(1)}), kResp2), "*2\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(EncodeReply(Reply::Set({Reply::Bulk("a")}), kResp2), "*1\r\n$1\r\na\r\n");
  EXPECT_EQ(EncodeReply(Reply::Verbatim("x\ny"), kResp2), "$3\r\nx\ny\r\n");
  EXPECT_EQ(EncodeReply(Reply::BigNumber("123"), kResp2), "$3\r\n123\r\n");
}

TEST(RespWriter, Resp3) {
  EXPECT_EQ(EncodeReply(Reply::Nil(), kResp3), "_\r\n");
  EXPECT_EQ(EncodeReply(Reply::NilArray(), kResp3), "_\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(1.5), kResp3), ",1.5\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(-HUGE_VAL), kResp3), ",-inf\r\n");
  EXPECT_EQ(EncodeReply(Reply::Double(NAN), kResp3), ",nan\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bool(true), kResp3), "#t\r\n");
  EXPECT_EQ(EncodeReply(Reply::Bool(false), kResp3), "#f\r\n");
  EXPECT_EQ(EncodeReply(Reply::Map({Reply::Bulk("a"), Reply::Integer(1)}), kResp3), "%1\r\n$1\r\na\r\n:1\r\n");
  // As redis-server 7.0.15 sends SMEMBERS, INFO and a script's {big_number=…}.
  EXPECT_EQ(EncodeReply(Reply::Set({Reply::Bulk("a")}), kResp3), "~1\r\n$1\r\na\r\n");
  EXPECT_EQ(EncodeReply(Reply::Set({}), kResp3), "~0\r\n");
  EXPECT_EQ(EncodeReply(Reply::Verbatim("x\ny"), kResp3), "=7\r\ntxt:x\ny\r\n");
  EXPECT_EQ(EncodeReply(Reply::Verbatim("hello", "mkdx"), kResp3), "=9\r\nmkd:hello\r\n");
  EXPECT_EQ(EncodeReply(Reply::BigNumber("123"), kResp3), "(123\r\n");
  EXPECT_EQ(EncodeReply(Reply::Map({}), kResp3), "%0\r\n");
  // Same as RESP2 for the shared types.
  EXPECT_EQ(EncodeReply(Reply::Array({Reply::Ok()}), kResp3), "*1\r\n+OK\r\n");
}

TEST(RespWriter, NewlinesInLinesBecomeSpaces) {
  EXPECT_EQ(EncodeReply(Reply::Error("ERR a\r\nb"), kResp2), "-ERR a  b\r\n");
  EXPECT_EQ(EncodeReply(Reply::Status("x\ny"), kResp3), "+x y\r\n");
}

TEST(RespWriter, OddMapStaysParseable) {
  EXPECT_EQ(EncodeReply(Reply::Map({Reply::Bulk("a")}), kResp3), "%1\r\n$1\r\na\r\n_\r\n");
}

TEST(RespWriter, Command) {
  EXPECT_EQ(EncodeCommand({"SET", "k", ""}), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

}  // namespace
}  // namespace txlab
