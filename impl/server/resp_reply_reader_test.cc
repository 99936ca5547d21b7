#include "impl/server/resp_reply_reader.h"

#include <gtest/gtest.h>

#include <cmath>

#include "impl/server/resp_writer.h"

namespace txlab {
namespace {

// Reads exactly one reply from `bytes`, fed one byte at a time.
Reply ReadOne(std::string_view bytes) {
  ReplyReader r;
  Reply out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    r.Feed(bytes.substr(i, 1));
    auto s = r.Next(&out);
    if (s == ReplyReader::Status::kReply) {
      EXPECT_EQ(i + 1, bytes.size()) << "reply ended early";
      return out;
    }
    EXPECT_NE(s, ReplyReader::Status::kError) << r.error();
  }
  ADD_FAILURE() << "incomplete";
  return out;
}

TEST(ReplyReader, RoundTripsWriter) {
  std::vector<Reply> cases = {
      Reply::Ok(),
      Reply::Error("WRONGTYPE x"),
      Reply::Integer(INT64_MIN),
      Reply::Bulk(std::string("a\0\r\nb", 5)),
      Reply::Nil(),
      Reply::Array({Reply::Integer(1), Reply::Array({Reply::Bulk("x"), Reply::Nil()}), Reply::Array()}),
      Reply::Double(0.1),
      Reply::Double(-HUGE_VAL),
      Reply::Bool(true),
      Reply::Map({Reply::Bulk("k"), Reply::Map({Reply::Bulk("a"), Reply::Bool(false)})}),
  };
  for (const Reply& c : cases) EXPECT_EQ(ReadOne(EncodeReply(c, kResp3)), c) << c.ToString();
  EXPECT_EQ(ReadOne("*-1\r\n"), Reply::NilArray());
  EXPECT_EQ(ReadOne("$-1\r\n"), Reply::Nil());
}

TEST(ReplyReader, Resp3Extras) {
  EXPECT_EQ(ReadOne("~2\r\n:1\r\n:2\r\n"), Reply::Set({Reply::Integer(1), Reply::Integer(2)}));
  EXPECT_EQ(ReadOne(">2\r\n+message\r\n:2\r\n"), Reply::Array({Reply::Status("message"), Reply::Integer(2)}));
  EXPECT_EQ(ReadOne("=7\r\ntxt:abc\r\n"), Reply::Verbatim("abc"));
  EXPECT_EQ(ReadOne("=7\r\nmkd:abc\r\n"), Reply::Verbatim("abc", "mkd"));
  EXPECT_NE(ReadOne("=7\r\nmkd:abc\r\n"), Reply::Verbatim("abc"));
  EXPECT_NE(ReadOne("=7\r\ntxt:abc\r\n"), Reply::Bulk("abc"));
  EXPECT_EQ(ReadOne("(12345678901234567890\r\n"), Reply::BigNumber("12345678901234567890"));
  EXPECT_EQ(ReadOne("!5\r\nERR x\r\n"), Reply::Error("ERR x"));
  EXPECT_EQ(ReadOne("|1\r\n+a\r\n+b\r\n:7\r\n"), Reply::Integer(7));
}

TEST(ReplyReader, Pipelined) {
  ReplyReader r;
  r.Feed("+OK\r\n:1\r\n$1\r\n");
  Reply out;
  ASSERT_EQ(r.Next(&out), ReplyReader::Status::kReply);
  EXPECT_EQ(out, Reply::Ok());
  ASSERT_EQ(r.Next(&out), ReplyReader::Status::kReply);
  EXPECT_EQ(out, Reply::Integer(1));
  EXPECT_EQ(r.Next(&out), ReplyReader::Status::kNeedMore);
  r.Feed("x\r\n");
  ASSERT_EQ(r.Next(&out), ReplyReader::Status::kReply);
  EXPECT_EQ(out, Reply::Bulk("x"));
}

TEST(ReplyReader, Malformed) {
  for (std::string_view bad : {"?\r\n", ":x\r\n", "$-2\r\n", "$1\r\nab\r\n", "#x\r\n", "_x\r\n", ",\r\n", "=3\r\nabc\r\n", "=4\r\ntxt;\r\n"}) {
    ReplyReader r;
    r.Feed(bad);
    Reply out;
    EXPECT_EQ(r.Next(&out), ReplyReader::Status::kError) << bad;
    EXPECT_FALSE(r.error().empty());
  }
}

TEST(ReplyReader, DeepNestingRejected) {
  ReplyReader r;
  std::string s;
  for (int i = 0; i < 1000; ++i) s += "*1\r\n";
  s += ":1\r\n";
  r.Feed(s);
  Reply out;
  EXPECT_EQ(r.Next(&out), ReplyReader::Status::kError);
}

}  // namespace
}  // namespace txlab
