// RequestParser against the behaviour of redis-server 7.0.15. Each expected
// outcome below was observed by sending the same bytes to a real server
// (real_redis_test.cc repeats the comparison live when redis-server is
// installed).
#include "impl/server/resp_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace txlab {
namespace {

using Argv = std::vector<std::string>;

struct Outcome {
  std::vector<Argv> commands;
  std::string error;  // empty: still waiting for more input
};

Outcome ParseAll(std::string_view bytes, size_t chunk = 0, bool auth_required = false, RespLimits limits = {}) {
  RequestParser p(limits);
  p.set_auth_required(auth_required);
  Outcome out;
  Argv argv;
  auto drain = [&] {
    while (true) {
      auto s = p.Next(&argv);
      if (s == RequestParser::Status::kCommand) {
        out.commands.push_back(argv);
        continue;
      }
      if (s == RequestParser::Status::kError) out.error = p.error();
      return s;
    }
  };
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    p.Feed(bytes.substr(i, chunk));
    if (drain() == RequestParser::Status::kError) break;
  }
  return out;
}

// Every outcome must be the same whether the bytes arrive whole, one byte at
// a time, or in 3-byte pieces.
Outcome Check(std::string_view bytes, bool auth_required = false) {
  Outcome whole = ParseAll(bytes, 0, auth_required);
  for (size_t chunk : {1, 3, 7}) {
    Outcome split = ParseAll(bytes, chunk, auth_required);
    EXPECT_EQ(split.commands, whole.commands) << "chunk " << chunk;
    EXPECT_EQ(split.error, whole.error) << "chunk " << chunk;
  }
  return whole;
}

TEST(RespParser, Multibulk) {
  auto o = Check("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n");
  EXPECT_EQ(o.commands, (std::vector<Argv>{{"SET", "k", "hello"}, {"PING"}}));
  EXPECT_EQ(o.error, "");
}

TEST(RespParser, BinarySafeBulk) {
  std::string payload("a\0b\r\nc", 6);
  auto o = Check("*2\r\n$4\r\nECHO\r\n$6\r\n" + payload + "\r\n");
  ASSERT_EQ(o.commands.size(), 1u);
  EXPECT_EQ(o.commands[0][1], payload);
}

TEST(RespParser, EmptyBulk) {
  auto o = Check("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
  EXPECT_EQ(o.commands, (std::vector<Argv>{{"ECHO", ""}}));
}

TEST(RespParser, IncompleteWaits) {
  for (std::string_view in : {"*", "*3\r\n$3\r\nset\r\n$1\r\nk\r\n", "*1\r\n$4\r\nPI", "*1\r", "PING"}) {
    auto o = Check(in);
    EXPECT_TRUE(o.commands.empty()) << in;
    EXPECT_EQ(o.error, "") << in;
  }
}

TEST(RespParser, Inline) {
  auto o = Check("set a b\r\n\r\n\r\nPING\nget   a\r\n");
  EXPECT_EQ(o.commands, (std::vector<Argv>{{"set", "a", "b"}, {"PING"}, {"get", "a"}}));
}

TEST(RespParser, InlineQuotes) {
  auto o = Check("echo 'a\\'b'\r\necho \"\\x41\\n\"\r\necho \"x y\" 'p q'\r\n");
  EXPECT_EQ(o.commands, (std::vector<Argv>{{"echo", "a'b"}, {"echo", "A\n"}, {"echo", "x y", "p q"}}));
}

TEST(RespParser, InlineUnbalancedQuotes) {
  EXPECT_EQ(Check("set a \"b\r\n").error, "ERR Protocol error: unbalanced quotes in request");
  EXPECT_EQ(Check("set a \"b\"c\r\n").error, "ERR Protocol error: unbalanced quotes in request");
  EXPECT_EQ(Check("set a 'b\r\n").error, "ERR Protocol error: unbalanced quotes in request");
}

TEST(RespParser, InlineNulHidesLineEnd) {
  // Redis searches with strchr: a NUL before '\n' means "no line yet".
  auto o = Check(std::string("echo a\0b\r\n", 10));
  EXPECT_TRUE(o.commands.empty());
  EXPECT_EQ(o.error, "");
  o = Check(std::string("\x00\x01\xff\r\n", 5));
  EXPECT_TRUE(o.commands.empty());
  EXPECT_EQ(o.error, "");
}

TEST(RespParser, TooBigInline) {
  EXPECT_EQ(Check(std::string(70000, 'x')).error, "ERR Protocol error: too big inline request");
  EXPECT_EQ(Check(std::string(70000, 'x') + "\r\n").error, "ERR Protocol error: too big inline request");
  // Exactly at the limit is fine.
  auto o = Check("echo " + std::string(64 * 1024 - 5, 'x') + "\r\n");
  ASSERT_EQ(o.commands.size(), 1u);
  EXPECT_EQ(o.error, "");
}

TEST(RespParser, TooBigHeaders) {
  EXPECT_EQ(Check("*" + std::string(70000, '1')).error, "ERR Protocol error: too big mbulk count string");
  EXPECT_EQ(Check("*1\r\n$" + std::string(70000, '1')).error, "ERR Protocol error: too big bulk count string");
}

TEST(RespParser, InvalidMultibulkLength) {
  for (std::string_view in : {"*abc\r\n", "*2147483648\r\n", "*+1\r\n", "*01\r\n", "*\r\n", "*1 \r\n"}) {
    EXPECT_EQ(Check(in).error, "ERR Protocol error: invalid multibulk length") << in;
  }
  // Our default limit (RespLimits::max_multibulk_len, 1M).
  EXPECT_EQ(Check("*1048577\r\n").error, "ERR Protocol error: invalid multibulk length");
  EXPECT_EQ(Check("*1048576\r\n").error, "");
}

TEST(RespParser, InvalidBulkLength) {
  for (std::string_view in : {"*1\r\n$-1\r\n", "*1\r\n$536870913\r\n", "*1\r\n$04\r\n", "*1\r\n$+4\r\n",
                              "*1\r\n$\r\n", "PING\r\n*1\r\n$x\r\n"}) {
    EXPECT_EQ(Check(in).error, "ERR Protocol error: invalid bulk length") << in;
  }
  EXPECT_EQ(Check("*1\r\n$536870912\r\n").error, "");  // exactly proto-max-bulk-len: waits
}

TEST(RespParser, ExpectedDollar) {
  EXPECT_EQ(Check("*1\r\nx4\r\n").error, "ERR Protocol error: expected '$', got 'x'");
  auto o = Check("*1\r\n$4\r\nPING\r\n*2\r\n:5\r\n");
  EXPECT_EQ(o.commands, (std::vector<Argv>{{"PING"}}));
  EXPECT_EQ(o.error, "ERR Protocol error: expected '$', got ':'");
  // A CR in the message would break the reply line: Redis turns it into a space.
  EXPECT_EQ(Check("*1\r\n\r\n").error, "ERR Protocol error: expected '$', got ' '");
}

TEST(RespParser, EmptyAndNegativeCountsIgnored) {
  EXPECT_EQ(Check("*0\r\nPING\r\n").commands, (std::vector<Argv>{{"PING"}}));
  EXPECT_EQ(Check("*-5\r\nPING\r\n").commands, (std::vector<Argv>{{"PING"}}));
}

TEST(RespParser, RedisSkipsTwoBytesUnchecked) {
  // Redis does not check that "\r\n" follows a payload or a header's '\r'.
  EXPECT_EQ(Check("*1\r\n$4\r\nPINGxxPING\r\n").commands, (std::vector<Argv>{{"PING"}, {"PING"}}));
  EXPECT_EQ(Check("*1\rx$4\r\nPING\r\n").commands, (std::vector<Argv>{{"PING"}}));
}

TEST(RespParser, Unauthenticated) {
  EXPECT_EQ(Check("*11\r\n", true).error, "ERR Protocol error: unauthenticated multibulk length");
  EXPECT_EQ(Check("*10\r\n", true).error, "");
  EXPECT_EQ(Check("*1\r\n$16385\r\n", true).error, "ERR Protocol error: unauthenticated bulk length");
  EXPECT_EQ(Check("*1\r\n$16384\r\n", true).error, "");
  EXPECT_EQ(Check("*11\r\n", false).error, "");
}

TEST(RespParser, ErrorIsSticky) {
  RequestParser p;
  p.Feed("*x\r\n*1\r\n$4\r\nPING\r\n");
  Argv argv;
  EXPECT_EQ(p.Next(&argv), RequestParser::Status::kError);
  p.Feed("PING\r\n");
  EXPECT_EQ(p.Next(&argv), RequestParser::Status::kError);
}

TEST(RespParser, BigBulkInPieces) {
  std::string big(3 << 20, 'v');
  std::string req = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + std::to_string(big.size()) + "\r\n" + big + "\r\n";
  auto o = ParseAll(req, 16 * 1024);
  ASSERT_EQ(o.commands.size(), 1u);
  EXPECT_EQ(o.commands[0][2], big);
}

TEST(RespParser, ManyPipelined) {
  std::string in;
  for (int i = 0; i < 10000; ++i) in += "*2\r\n$4\r\nINCR\r\n$1\r\nc\r\n";
  auto o = ParseAll(in, 4096);
  EXPECT_EQ(o.commands.size(), 10000u);
  EXPECT_EQ(o.error, "");
}

TEST(RespParser, StringToInt64) {
  int64_t v;
  EXPECT_TRUE(RedisStringToInt64("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(RedisStringToInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_TRUE(RedisStringToInt64("9223372036854775807", &v));
  EXPECT_EQ(v, INT64_MAX);
  for (std::string_view bad : {"", "-", "+1", "01", "-0", " 1", "1 ", "9223372036854775808",
                               "-9223372036854775809", "1a", "99999999999999999999"}) {
    EXPECT_FALSE(RedisStringToInt64(bad, &v)) << bad;
  }
}

TEST(RespParser, SplitInlineArgsEdges) {
  std::vector<std::string> a;
  EXPECT_TRUE(SplitInlineArgs("", &a));
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(SplitInlineArgs("  \t ", &a));
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(SplitInlineArgs("ab\"cd\"", &a));  // a quote mid-token opens quoting
  EXPECT_EQ(a, (std::vector<std::string>{"abcd"}));
  EXPECT_TRUE(SplitInlineArgs("a\vb", &a));  // \v separates nothing inside a token
  EXPECT_EQ(a, (std::vector<std::string>{"a\vb"}));
  EXPECT_TRUE(SplitInlineArgs("\"\\q\\\"\"", &a));
  EXPECT_EQ(a, (std::vector<std::string>{"q\""}));
  EXPECT_FALSE(SplitInlineArgs("\"abc\\\"", &a));
}

}  // namespace
}  // namespace txlab
