// String commands: exact replies and Redis 7.0 error texts.
#include <gtest/gtest.h>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

using Strings = EngineTest;

TEST_F(Strings, GetSet) {
  EXPECT_EQ(c_->Call({"GET", "k"}), Nil());
  EXPECT_EQ(c_->Call({"SET", "k", "v"}), Ok());
  EXPECT_EQ(c_->Call({"get", "k"}), Bulk("v"));
  EXPECT_EQ(c_->Call({"SET", "k", ""}), Ok());
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk(""));
  std::string binary("a\0b\r\n", 5);
  EXPECT_EQ(c_->Call({"SET", "bin", binary}), Ok());
  EXPECT_EQ(c_->Call({"GET", "bin"}), Bulk(binary));
  c_->Call({"LPUSH", "l", "a"});
  EXPECT_EQ(c_->Call({"GET", "l"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"SET", "l", "str"}), Ok());  // SET overwrites any type
  EXPECT_EQ(c_->Call({"GET", "l"}), Bulk("str"));
}

TEST_F(Strings, SetNxXxGet) {
  EXPECT_EQ(c_->Call({"SET", "k", "1", "XX"}), Nil());
  EXPECT_EQ(c_->Call({"SET", "k", "1", "NX"}), Ok());
  EXPECT_EQ(c_->Call({"SET", "k", "2", "NX"}), Nil());
  EXPECT_EQ(c_->Call({"SET", "k", "3", "XX"}), Ok());
  EXPECT_EQ(c_->Call({"SET", "k", "4", "GET"}), Bulk("3"));
  EXPECT_EQ(c_->Call({"SET", "new", "x", "GET"}), Nil());
  EXPECT_EQ(c_->Call({"SET", "k", "5", "NX", "GET"}), Bulk("4"));
  EXPECT_EQ(c_->Call({"GET", "k"}), Bulk("4"));
  EXPECT_EQ(c_->Call({"SET", "k", "1", "NX", "XX"}), Err(kSyntax));
  c_->Call({"SADD", "s", "a"});
  EXPECT_EQ(c_->Call({"SET", "s", "x", "GET"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"TYPE", "s"}), Status("set"));
  EXPECT_EQ(c_->Call({"SET", "k", "1", "ex", "10", "ex", "20"}), Ok());  // Redis accepts a repeated EX
  EXPECT_EQ(c_->Call({"TTL", "k"}), Int(20));
}

TEST_F(Strings, SetNxGetSetGetDel) {
  EXPECT_EQ(c_->Call({"SETNX", "k", "1"}), Int(1));
  EXPECT_EQ(c_->Call({"SETNX", "k", "2"}), Int(0));
  EXPECT_EQ(c_->Call({"GETSET", "k", "3"}), Bulk("1"));
  EXPECT_EQ(c_->Call({"GETSET", "n", "3"}), Nil());
  EXPECT_EQ(c_->Call({"GETDEL", "k"}), Bulk("3"));
  EXPECT_EQ(c_->Call({"GETDEL", "k"}), Nil());
  c_->Call({"HSET", "h", "f", "v"});
  EXPECT_EQ(c_->Call({"GETDEL", "h"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"GETSET", "h", "v"}), Err(kWrongType));
}

TEST_F(Strings, MGetMSet) {
  EXPECT_EQ(c_->Call({"MSET", "a", "1", "b", "2"}), Ok());
  c_->Call({"LPUSH", "l", "x"});
  EXPECT_EQ(c_->Call({"MGET", "a", "b", "c", "l"}), Arr({Bulk("1"), Bulk("2"), Nil(), Nil()}));
  EXPECT_EQ(c_->Call({"MSET", "a", "1", "b"}), Err("ERR wrong number of arguments for 'mset' command"));
  EXPECT_EQ(c_->Call({"MSETNX", "a", "9", "z", "9"}), Int(0));
  EXPECT_EQ(c_->Call({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(c_->Call({"MSETNX", "y", "9", "z", "9"}), Int(1));
  EXPECT_EQ(c_->Call({"MGET", "y", "z"}), Arr({Bulk("9"), Bulk("9")}));
}

TEST_F(Strings, IncrDecr) {
  EXPECT_EQ(c_->Call({"INCR", "n"}), Int(1));
  EXPECT_EQ(c_->Call({"INCRBY", "n", "10"}), Int(11));
  EXPECT_EQ(c_->Call({"DECR", "n"}), Int(10));
  EXPECT_EQ(c_->Call({"DECRBY", "n", "-5"}), Int(15));
  EXPECT_EQ(c_->Call({"GET", "n"}), Bulk("15"));
  c_->Call({"SET", "big", "9223372036854775807"});
  EXPECT_EQ(c_->Call({"INCR", "big"}), Err("ERR increment or decrement would overflow"));
  c_->Call({"SET", "small", "-9223372036854775808"});
  EXPECT_EQ(c_->Call({"DECR", "small"}), Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(c_->Call({"DECRBY", "n", "-9223372036854775808"}), Err("ERR decrement would overflow"));
  for (const char* bad : {"abc", "1.5", " 1", "1 ", "+1", "01", "-0", "", "99999999999999999999"}) {
    c_->Call({"SET", "s", bad});
    EXPECT_EQ(c_->Call({"INCR", "s"}), Err(kNotInt)) << bad;
    EXPECT_EQ(c_->Call({"GET", "s"}), Bulk(bad));
  }
  EXPECT_EQ(c_->Call({"INCRBY", "n", "x"}), Err(kNotInt));
  c_->Call({"SADD", "set", "a"});
  EXPECT_EQ(c_->Call({"INCR", "set"}), Err(kWrongType));
}

TEST_F(Strings, IncrByFloatFormatting) {
  c_->Call({"SET", "f", "10.50"});
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "f", "-5"}), Bulk("5.6"));
  c_->Call({"SET", "g", "5.0e3"});
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "g", "2.0e2"}), Bulk("5200"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "h", "3"}), Bulk("3"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "h", "-3"}), Bulk("0"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "h", "0.0000001"}), Bulk("0.0000001"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "h", "abc"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "h", "inf"}), Err("ERR increment would produce NaN or Infinity"));
  EXPECT_EQ(c_->Call({"GET", "h"}), Bulk("0.0000001"));
  c_->Call({"SET", "s", "notanumber"});
  EXPECT_EQ(c_->Call({"INCRBYFLOAT", "s", "1"}), Err("ERR value is not a valid float"));
}

TEST_F(Strings, AppendStrlen) {
  EXPECT_EQ(c_->Call({"APPEND", "k", "ab"}), Int(2));
  EXPECT_EQ(c_->Call({"APPEND", "k", "cd"}), Int(4));
  EXPECT_EQ(c_->Call({"STRLEN", "k"}), Int(4));
  EXPECT_EQ(c_->Call({"STRLEN", "missing"}), Int(0));
  c_->Call({"LPUSH", "l", "x"});
  EXPECT_EQ(c_->Call({"APPEND", "l", "x"}), Err(kWrongType));
  EXPECT_EQ(c_->Call({"STRLEN", "l"}), Err(kWrongType));
}

}  // namespace
}  // namespace txlab::testing
