// Replies whose shape depends on the client's protocol (Session::set_resp,
// set by `txlab serve` on HELLO): as redis-server 7.0.15 sends them. Found by
// impl/conformance/serve_differential_test.cc (RESP3 connections).
#include <gtest/gtest.h>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

class Resp3Replies : public EngineTest {};

TEST_F(Resp3Replies, ScoresAreDoublesAndWithscoresArePairs) {
  c_->set_resp(3);
  EXPECT_EQ(c_->Call({"ZINCRBY", "z", "2", "o"}), Reply::Double(2));
  EXPECT_EQ(c_->Call({"ZADD", "z", "INCR", "1.5", "o"}), Reply::Double(3.5));
  EXPECT_EQ(c_->Call({"ZADD", "z", "1", "m"}), Int(1));
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "o"}), Reply::Double(3.5));
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "nosuch"}), Nil());
  const Reply pairs = Arr({Arr({Bulk("m"), Reply::Double(1)}), Arr({Bulk("o"), Reply::Double(3.5)})});
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), pairs);
  EXPECT_EQ(c_->Call({"ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"}), pairs);
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "-1"}), Bulks({"m", "o"}));
  // Inside EXEC too.
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "m"}), Queued());
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Reply::Double(1)}));
  // Scripts see RESP2 replies (a bulk string), whatever the caller speaks.
  EXPECT_EQ(c_->Call({"EVAL", "return redis.call('ZSCORE', 'z', 'o')", "0"}), Bulk("3.5"));
  // RESP2 (the default, and again after set_resp(2)): bulk strings, flat.
  c_->set_resp(2);
  EXPECT_EQ(c_->Call({"ZSCORE", "z", "o"}), Bulk("3.5"));
  EXPECT_EQ(c_->Call({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), Bulks({"m", "1", "o", "3.5"}));
  EXPECT_EQ(c2_->Call({"ZINCRBY", "z", "1", "m"}), Bulk("2"));
}

TEST_F(Resp3Replies, HgetallIsAMap) {
  c_->set_resp(3);
  EXPECT_EQ(c_->Call({"HGETALL", "h"}), Reply::Map({}));
  EXPECT_EQ(c_->Call({"HSET", "h", "f", "v"}), Int(1));
  EXPECT_EQ(c_->Call({"HGETALL", "h"}), Reply::Map({Bulk("f"), Bulk("v")}));
  EXPECT_EQ(c2_->Call({"HGETALL", "h"}), Bulks({"f", "v"}));
  EXPECT_EQ(c_->Call({"EVAL", "return redis.call('HGETALL', 'h')", "0"}), Bulks({"f", "v"}));
}

TEST_F(Resp3Replies, SmembersIsASet) {
  c_->set_resp(3);
  EXPECT_EQ(c_->Call({"SMEMBERS", "s"}), Reply::Set({}));
  EXPECT_EQ(c_->Call({"SADD", "s", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"SMEMBERS", "s"}), Reply::Set({Bulk("a")}));
  EXPECT_EQ(c2_->Call({"SMEMBERS", "s"}), Bulks({"a"}));
  EXPECT_EQ(c_->Call({"MULTI"}), Ok());
  EXPECT_EQ(c_->Call({"SMEMBERS", "s"}), Queued());
  EXPECT_EQ(c_->Call({"EXEC"}), Arr({Reply::Set({Bulk("a")})}));
}

// S11: every script starts in RESP2 whatever its caller speaks;
// redis.setresp(3) makes the commands it calls from then on reply in RESP3
// shapes, which Lua sees as {set=…}, {map=…}, {double=…} (replies checked
// against redis-server 7.0.15; serve_differential_test holds them to it).
TEST_F(Resp3Replies, S11_SetrespThreeGivesScriptsResp3Shapes) {
  EXPECT_EQ(c_->Call({"SADD", "s", "a"}), Int(1));
  EXPECT_EQ(c_->Call({"HSET", "h", "f", "v"}), Int(1));
  EXPECT_EQ(c_->Call({"ZADD", "z", "1.5", "m"}), Int(1));
  auto eval = [&](const std::string& body) { return c_->Call({"EVAL", body, "0"}); };
  EXPECT_EQ(eval("return type(redis.call('smembers','s'))"), Bulk("table"));
  EXPECT_EQ(eval("return redis.call('smembers','s')['set']"), Nil());  // RESP2: a plain array
  // Typed values; the server writes them in the caller's protocol (RESP2: :1, *1).
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('smembers','s')['set']['a']"), Reply::Bool(true));
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('smembers','s')"), Reply::Set({Bulk("a")}));
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('hgetall','h')['map']['f']"), Bulk("v"));
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('zscore','z','m')['double'] * 2"), Int(3));
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('zrange','z',0,-1,'withscores')[1][2]['double'] * 2"), Int(3));
  EXPECT_EQ(eval("redis.setresp(3) redis.setresp(2) return redis.call('zscore','z','m')"), Bulk("1.5"));
  // The next script starts in RESP2 again.
  EXPECT_EQ(eval("return redis.call('zscore','z','m')"), Bulk("1.5"));
  // A RESP3 caller gets RESP3 types back from what the script returns.
  c_->set_resp(3);
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('smembers','s')"), Reply::Set({Bulk("a")}));
  EXPECT_EQ(eval("redis.setresp(3) return redis.call('zscore','z','m')"), Reply::Double(1.5));
  EXPECT_EQ(eval("return redis.call('zscore','z','m')"), Bulk("1.5"));
  EXPECT_EQ(eval("return {verbatim_string={format='txt', string='hi'}}"), Reply::Verbatim("hi"));
  EXPECT_EQ(eval("return {big_number='123'}"), Reply::BigNumber("123"));
}

}  // namespace
}  // namespace txlab::testing
