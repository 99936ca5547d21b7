// The reference model checked on its own: SEMANTICS.md §1 statements (T1–T25,
// except the cluster/script/ACL/replication ones) and Redis 7.0 reply texts,
// most of them verified against redis-server 7.0.15.
#include "model/keyspace_model.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/model_gen.h"
#include "model/model_program.h"
#include "model/reply_order.h"

namespace txlab {
namespace {

Reply Ok() { return Reply::Ok(); }
Reply Queued() { return Reply::Queued(); }
Reply Int(int64_t v) { return Reply::Integer(v); }
Reply Bulk(const std::string& s) { return Reply::Bulk(s); }
Reply Nil() { return Reply::Nil(); }
Reply Err(const std::string& s) { return Reply::Error(s); }
Reply Arr(std::vector<Reply> v) { return Reply::Array(std::move(v)); }
Reply Bulks(std::vector<std::string> v) {
  std::vector<Reply> out;
  for (auto& s : v) out.push_back(Reply::Bulk(s));
  return Reply::Array(std::move(out));
}
const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
const char* kNotInt = "ERR value is not an integer or out of range";
const char* kExecAbort = "EXECABORT Transaction discarded because of previous errors.";

class ModelTest : public ::testing::Test {
 protected:
  // Session 1 and session 2, as two redis-cli connections.
  Reply A(std::initializer_list<std::string_view> argv) { return m_.Call(1, argv); }
  Reply B(std::initializer_list<std::string_view> argv) { return m_.Call(2, argv); }
  KeyspaceModel m_;
};

// ---------------------------------------------------------------------------
// Queueing (T1–T10)
// ---------------------------------------------------------------------------

TEST_F(ModelTest, T1_QueuedExceptImmediateCommands) {
  EXPECT_EQ(A({"MULTI"}), Ok());
  EXPECT_EQ(A({"SET", "k", "v"}), Queued());
  EXPECT_EQ(A({"UNWATCH"}), Queued());  // UNWATCH is queued
  EXPECT_EQ(B({"GET", "k"}), Nil());     // nothing ran yet
  EXPECT_EQ(A({"EXEC"}), Arr({Ok(), Ok()}));
  EXPECT_EQ(B({"GET", "k"}), Bulk("v"));
}

TEST_F(ModelTest, T2_NestedMultiDoesNotPoison) {
  A({"MULTI"});
  EXPECT_EQ(A({"MULTI"}), Err("ERR MULTI calls can not be nested"));
  A({"SET", "k", "v"});
  EXPECT_EQ(A({"EXEC"}), Arr({Ok()}));
}

TEST_F(ModelTest, T3_WatchInsideMultiDoesNotPoison) {
  A({"MULTI"});
  EXPECT_EQ(A({"WATCH", "k"}), Err("ERR WATCH inside MULTI is not allowed"));
  A({"INCR", "k"});
  EXPECT_EQ(A({"EXEC"}), Arr({Int(1)}));
}

TEST_F(ModelTest, T4_ExecDiscardWithoutMulti) {
  EXPECT_EQ(A({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(A({"DISCARD"}), Err("ERR DISCARD without MULTI"));
}

TEST_F(ModelTest, T5_EmptyTransaction) {
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));
}

TEST_F(ModelTest, T6_QueueTimeErrorsAbortExec) {
  A({"MULTI"});
  A({"SET", "x", "1"});
  EXPECT_EQ(A({"FOO", "bar"}), Err("ERR unknown command 'FOO', with args beginning with: 'bar' "));
  EXPECT_EQ(A({"EXEC"}), Err(kExecAbort));
  EXPECT_EQ(A({"EXISTS", "x"}), Int(0));

  A({"MULTI"});
  EXPECT_EQ(A({"GET"}), Err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(A({"EXEC"}), Err(kExecAbort));
  // Arity is checked even for the commands that run immediately.
  A({"MULTI"});
  EXPECT_EQ(A({"WATCH"}), Err("ERR wrong number of arguments for 'watch' command"));
  EXPECT_EQ(A({"EXEC"}), Err(kExecAbort));
  EXPECT_FALSE(m_.InMulti(1));
}

TEST_F(ModelTest, T8_RejectedExecAbortsTheTransaction) {
  // rejectCommand turns any rejection of EXEC itself into execCommandAbort:
  // the transaction is discarded, in MULTI or not (verified on 7.0.15).
  const char* kAbortArity = "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command";
  A({"MULTI"});
  A({"SET", "k", "v"});
  EXPECT_EQ(A({"EXEC", "x"}), Err(kAbortArity));
  EXPECT_FALSE(m_.InMulti(1));
  EXPECT_EQ(A({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(A({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(A({"EXEC", "x"}), Err(kAbortArity));
}

TEST_F(ModelTest, T6_UnknownCommandMessageShapes) {
  EXPECT_EQ(A({"foo"}), Err("ERR unknown command 'foo', with args beginning with: "));
  EXPECT_EQ(A({"Foo", "a", "b"}), Err("ERR unknown command 'Foo', with args beginning with: 'a' 'b' "));
  EXPECT_EQ(A({"set", "a"}), Err("ERR wrong number of arguments for 'set' command"));
}

TEST_F(ModelTest, T7_RunTimeErrorsAreNotQueueErrors) {
  A({"MULTI"});
  EXPECT_EQ(A({"SET", "x", "1", "BADOPT"}), Queued());
  EXPECT_EQ(A({"MSET", "a", "1", "b"}), Queued());  // arity -3 passes; odd count fails at run time
  EXPECT_EQ(A({"EXEC"}), Arr({Err("ERR syntax error"), Err("ERR wrong number of arguments for 'mset' command")}));
}

TEST_F(ModelTest, T9_AfterExecOrDiscardEverythingIsCleared) {
  A({"WATCH", "k"});
  A({"MULTI"});
  A({"FOO"});
  EXPECT_EQ(A({"EXEC"}), Err(kExecAbort));
  EXPECT_FALSE(m_.InMulti(1));
  B({"SET", "k", "1"});  // would abort if k were still watched
  A({"MULTI"});
  A({"GET", "k"});
  EXPECT_EQ(A({"EXEC"}), Arr({Bulk("1")}));

  A({"WATCH", "k"});
  A({"MULTI"});
  EXPECT_EQ(A({"DISCARD"}), Ok());
  B({"SET", "k", "2"});
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));
}

TEST_F(ModelTest, T10_DisconnectAndReset) {
  A({"MULTI"});
  A({"SET", "disc", "1"});
  m_.Disconnect(1);
  EXPECT_EQ(B({"EXISTS", "disc"}), Int(0));

  A({"SELECT", "3"});
  A({"MULTI"});
  A({"SET", "k", "v"});
  EXPECT_EQ(A({"RESET"}), Reply::Status("RESET"));
  EXPECT_EQ(A({"EXEC"}), Err("ERR EXEC without MULTI"));
  EXPECT_EQ(m_.SelectedDb(1), 0);
}

// ---------------------------------------------------------------------------
// Execution (T11–T14)
// ---------------------------------------------------------------------------

TEST_F(ModelTest, T12_NoRollback) {
  A({"MULTI"});
  A({"SET", "x", "1"});
  A({"LPUSH", "x", "a"});
  A({"INCR", "x"});
  A({"SET", "y", "v"});
  A({"INCR", "y"});
  EXPECT_EQ(A({"EXEC"}), Arr({Ok(), Err(kWrongType), Int(2), Ok(), Err(kNotInt)}));
  EXPECT_EQ(A({"GET", "x"}), Bulk("2"));
  EXPECT_EQ(A({"GET", "y"}), Bulk("v"));
}

TEST_F(ModelTest, T11_SelectInsideExecPersists) {
  A({"MULTI"});
  A({"SELECT", "2"});
  A({"SET", "k", "in2"});
  EXPECT_EQ(A({"EXEC"}), Arr({Ok(), Ok()}));
  EXPECT_EQ(A({"GET", "k"}), Bulk("in2"));
  EXPECT_EQ(B({"GET", "k"}), Nil());
}

// ---------------------------------------------------------------------------
// WATCH (T18–T25)
// ---------------------------------------------------------------------------

// Runs WATCH k; <touch by `writer`>; MULTI; PING; EXEC on session 1 and
// returns whether EXEC ran.
class WatchTest : public ModelTest {
 protected:
  bool ExecRuns(const std::vector<std::vector<std::string>>& setup,
                const std::vector<std::vector<std::string>>& between, int writer = 2) {
    for (const auto& s : setup) m_.Call(3, s);
    A({"WATCH", "k"});
    for (const auto& s : between) m_.Call(writer, s);
    A({"MULTI"});
    A({"PING"});
    Reply r = A({"EXEC"});
    EXPECT_TRUE(r == Arr({Reply::Status("PONG")}) || r == Reply::NilArray()) << r.ToString();
    return r.type() == Reply::Type::kArray;
  }
};

TEST_F(WatchTest, T19_T20_Touches) {
  EXPECT_FALSE(ExecRuns({{"SET", "k", "v"}}, {{"SET", "k", "v"}}));  // same value
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}}, {{"SET", "k", "v2"}}, 1));    // the watcher itself
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}}, {{"SET", "k", "1"}, {"DEL", "k"}}));  // ABA
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"INCRBY", "k", "0"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SADD", "k", "b"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"EXPIRE", "k", "100"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"RENAME", "k", "k2"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SET", "z", "1"}}, {{"RENAME", "z", "k"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}}, {{"MULTI"}, {"SET", "k", "1"}, {"EXEC"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"FLUSHALL"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"FLUSHDB", "ASYNC"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"SWAPDB", "0", "1"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SELECT", "1"}, {"SET", "k", "1"}, {"SELECT", "0"}},
                        {{"SWAPDB", "0", "1"}}));  // exists only in the other db
  // Multi-key set writes: the destination of a non-empty *STORE is touched
  // even when its content is unchanged (setKey); SMOVE touches both sides.
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SUNIONSTORE", "k", "k"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SADD", "s", "a"}}, {{"SINTERSTORE", "k", "s"}}));
  EXPECT_FALSE(ExecRuns({{"SET", "k", "1"}}, {{"SDIFFSTORE", "k", "nokey"}}));  // deleted
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SMOVE", "k", "s", "a"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"SADD", "s", "a"}}, {{"SMOVE", "s", "k", "a"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"ZADD", "k", "1", "a", "2", "b"}}, {{"ZPOPMIN", "k"}}));
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"RPUSH", "k", "a"}}, {{"LSET", "k", "0", "a"}}));  // same value
  EXPECT_FALSE(ExecRuns({{"FLUSHALL"}, {"RPUSH", "k", "a"}}, {{"LTRIM", "k", "0", "-1"}}));  // nothing trimmed
}

TEST_F(WatchTest, T21_NotTouched) {
  EXPECT_TRUE(ExecRuns({{"SET", "k", "1"}}, {{"GET", "k"}, {"TYPE", "k"}, {"TTL", "k"}, {"EXISTS", "k"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"DEL", "k"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SADD", "k", "a"}}));
  EXPECT_TRUE(ExecRuns({{"SET", "k", "1"}}, {{"PERSIST", "k"}}));
  EXPECT_TRUE(ExecRuns({{"SET", "k", "1"}}, {{"SETNX", "k", "2"}, {"SET", "k", "3", "NX"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"FLUSHALL"}, {"FLUSHDB"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"SWAPDB", "0", "1"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"SELECT", "1"}, {"SET", "k", "1"}}));  // T18: other db
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"SET", "k", "1", "XX"}, {"ZREM", "k", "m"}, {"HDEL", "k", "f"}}));
  // An empty *STORE into a missing key, SMOVE of an absent member, onto its
  // own set, or into a set that already holds it (the destination only).
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}}, {{"SINTERSTORE", "k", "nokey"}, {"SDIFFSTORE", "k", "k"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SMOVE", "k", "s", "z"}, {"SMOVE", "k", "k", "a"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}, {"SADD", "s", "a", "b"}}, {{"SMOVE", "s", "k", "a"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"SADD", "k", "a"}}, {{"SINTER", "k", "k"}, {"SINTERCARD", "1", "k"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"ZADD", "k", "1", "a"}}, {{"ZPOPMIN", "k", "0"}, {"ZPOPMAX", "x"}}));
  EXPECT_TRUE(ExecRuns({{"FLUSHALL"}, {"RPUSH", "k", "a"}}, {{"LINSERT", "k", "BEFORE", "q", "z"}, {"LSET", "k", "3", "z"}}));
}

TEST_F(ModelTest, T21_OwnQueuedWritesDontAbort) {
  A({"WATCH", "k"});
  A({"MULTI"});
  A({"SET", "k", "1"});
  A({"INCR", "k"});
  EXPECT_EQ(A({"EXEC"}), Arr({Ok(), Int(2)}));
}

TEST_F(ModelTest, T19_NilNotErrorAndNothingRuns) {
  A({"WATCH", "k"});
  B({"SET", "k", "x"});
  A({"MULTI"});
  A({"SET", "other", "1"});
  EXPECT_EQ(A({"EXEC"}), Reply::NilArray());
  EXPECT_EQ(A({"EXISTS", "other"}), Int(0));
}

TEST_F(ModelTest, T18_WatchIsPerDbAndAccumulates) {
  A({"WATCH", "k"});
  A({"SELECT", "1"});
  A({"WATCH", "j"});
  B({"SELECT", "1"});
  B({"SET", "k", "x"});  // k in db 1: not watched
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));
  A({"WATCH", "k"});
  A({"SELECT", "0"});
  A({"WATCH", "j"});
  B({"SET", "k", "y"});  // db 1 k: watched
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Reply::NilArray());
}

TEST_F(ModelTest, T22_ExpiryAfterWatchAborts) {
  A({"SET", "k", "v", "PX", "100"});
  A({"WATCH", "k"});
  m_.AdvanceClock(101);
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Reply::NilArray());
}

TEST_F(ModelTest, T22_AliveAtExactExpiryTime) {
  // keyIsExpired is now > when: at now == when the key still lives.
  A({"SET", "k", "v", "PX", "100"});
  A({"WATCH", "k"});
  m_.AdvanceClock(100);
  EXPECT_EQ(B({"PTTL", "k"}), Int(0));
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));
}

TEST_F(ModelTest, T22_StaleKeyWatched) {
  A({"SET", "k", "v", "PX", "100"});
  m_.AdvanceClock(200);  // stale
  A({"WATCH", "k"});
  B({"GET", "k"});  // lazy delete: no logical change
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));

  A({"SET", "k", "v", "PX", "100"});
  m_.AdvanceClock(200);
  A({"WATCH", "k"});
  B({"FLUSHDB"});
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));

  A({"SET", "k", "v", "PX", "100"});
  m_.AdvanceClock(200);
  A({"WATCH", "k"});
  B({"APPEND", "k", "x"});  // re-created: aborts
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Reply::NilArray());
}

TEST_F(ModelTest, T23_WatchAfterDirtyIsNoop) {
  A({"WATCH", "k"});
  B({"SET", "k", "1"});
  EXPECT_EQ(A({"WATCH", "k2"}), Ok());
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Reply::NilArray());
}

TEST_F(ModelTest, T24_QueueErrorWinsOverDirtyWatch) {
  A({"WATCH", "k"});
  B({"SET", "k", "1"});
  A({"MULTI"});
  A({"NOPE"});
  EXPECT_EQ(A({"EXEC"}), Err(kExecAbort));
}

TEST_F(ModelTest, T25_UnwatchClearsDirty) {
  A({"WATCH", "k"});
  B({"SET", "k", "1"});
  EXPECT_EQ(A({"UNWATCH"}), Ok());
  A({"MULTI"});
  EXPECT_EQ(A({"EXEC"}), Arr({}));
}

// ---------------------------------------------------------------------------
// Reply texts and command details (checked against redis-server 7.0.15)
// ---------------------------------------------------------------------------

TEST_F(ModelTest, KeysAndDatabases) {
  EXPECT_EQ(A({"SELECT", "99999999999"}),
            Err("ERR value is out of range, value must between -2147483648 and 2147483647"));
  EXPECT_EQ(A({"SELECT", "16"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(A({"SELECT", "1.0"}), Err(kNotInt));
  EXPECT_EQ(A({"SWAPDB", "a", "1"}), Err("ERR invalid first DB index"));
  EXPECT_EQ(A({"SWAPDB", "1", "b"}), Err("ERR invalid second DB index"));
  EXPECT_EQ(A({"SWAPDB", "1", "20"}), Err("ERR DB index is out of range"));
  EXPECT_EQ(A({"FLUSHDB", "a"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"PING", "a", "b"}), Err("ERR wrong number of arguments for 'ping' command"));
  EXPECT_EQ(A({"PING"}), Reply::Status("PONG"));
  EXPECT_EQ(A({"RENAME", "nokey", "x"}), Err("ERR no such key"));
  A({"SET", "a", "1", "EX", "100"});
  EXPECT_EQ(A({"RENAME", "a", "a"}), Ok());
  EXPECT_EQ(A({"RENAME", "a", "b"}), Ok());
  EXPECT_EQ(A({"TTL", "b"}), Int(100));  // the TTL travels
  EXPECT_EQ(A({"TYPE", "b"}), Reply::Status("string"));
  EXPECT_EQ(A({"TYPE", "a"}), Reply::Status("none"));
  A({"SADD", "s", "x"});
  A({"SET", "ab", "1"});
  EXPECT_EQ(CanonicalReply({"KEYS", "*"}, A({"KEYS", "*"})), Bulks({"ab", "b", "s"}));
  EXPECT_EQ(A({"KEYS", "?"}), Bulks({"b", "s"}));
  EXPECT_EQ(A({"KEYS", "[a-b]*"}), Bulks({"ab", "b"}));
  EXPECT_EQ(A({"EXISTS", "b", "b", "nope"}), Int(2));
  EXPECT_EQ(A({"DBSIZE"}), Int(3));
  A({"SWAPDB", "0", "5"});
  EXPECT_EQ(A({"DBSIZE"}), Int(0));  // the session stays in db 0
}

TEST_F(ModelTest, ExpireFamily) {
  EXPECT_EQ(A({"EXPIRE", "k", "10", "foo"}), Err("ERR Unsupported option foo"));
  EXPECT_EQ(A({"EXPIRE", "k", "10", "nx", "xx"}),
            Err("ERR NX and XX, GT or LT options at the same time are not compatible"));
  EXPECT_EQ(A({"EXPIRE", "k", "10", "gt", "lt"}), Err("ERR GT and LT options at the same time are not compatible"));
  EXPECT_EQ(A({"EXPIRE", "k", "9223372036854775807"}), Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(A({"EXPIRE", "k", "x"}), Err(kNotInt));
  EXPECT_EQ(A({"EXPIRE", "k", "10"}), Int(0));
  A({"SET", "k", "v"});
  EXPECT_EQ(A({"TTL", "k"}), Int(-1));
  EXPECT_EQ(A({"TTL", "nokey"}), Int(-2));
  EXPECT_EQ(A({"EXPIRE", "k", "10", "GT"}), Int(0));  // no TTL is infinite
  EXPECT_EQ(A({"EXPIRE", "k", "10", "LT"}), Int(1));
  EXPECT_EQ(A({"EXPIRE", "k", "20", "NX"}), Int(0));
  EXPECT_EQ(A({"EXPIRE", "k", "20", "XX"}), Int(1));
  m_.AdvanceClock(1499);
  EXPECT_EQ(A({"PTTL", "k"}), Int(18501));
  EXPECT_EQ(A({"TTL", "k"}), Int(19));  // (ttl + 500) / 1000
  EXPECT_EQ(A({"PERSIST", "k"}), Int(1));
  EXPECT_EQ(A({"PERSIST", "k"}), Int(0));
  EXPECT_EQ(A({"PEXPIRE", "k", "0"}), Int(1));  // already expired: deleted now
  EXPECT_EQ(A({"DBSIZE"}), Int(0));
  A({"SET", "k", "v"});
  int64_t now = m_.now_ms();
  EXPECT_EQ(A({"PEXPIREAT", "k", std::to_string(now + 5)}), Int(1));
  EXPECT_EQ(A({"PTTL", "k"}), Int(5));
  EXPECT_EQ(A({"EXPIREAT", "k", "1"}), Int(1));
  EXPECT_EQ(A({"EXISTS", "k"}), Int(0));
}

TEST_F(ModelTest, LazyExpiryAndDbsize) {
  // SET with a time already passed leaves a stale key: DBSIZE counts it until
  // something looks it up (verified: SET k v PXAT 1; DBSIZE → 1; GET; DBSIZE → 0).
  EXPECT_EQ(A({"SET", "k", "v", "PXAT", "1"}), Ok());
  EXPECT_EQ(A({"DBSIZE"}), Int(1));
  EXPECT_EQ(A({"KEYS", "*"}), Arr({}));
  EXPECT_EQ(A({"GET", "k"}), Nil());
  EXPECT_EQ(A({"DBSIZE"}), Int(0));
  A({"SET", "j", "v", "PX", "10"});
  m_.AdvanceClock(11);
  EXPECT_EQ(A({"DBSIZE"}), Int(1));
  m_.ActiveExpireCycle();
  EXPECT_EQ(A({"DBSIZE"}), Int(0));
}

TEST_F(ModelTest, SetOptions) {
  EXPECT_EQ(A({"SET", "k", "v", "GET"}), Nil());
  EXPECT_EQ(A({"SET", "k", "w", "NX", "GET"}), Bulk("v"));
  EXPECT_EQ(A({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(A({"SET", "k", "v", "EX", "10", "EX", "20"}), Ok());
  EXPECT_EQ(A({"TTL", "k"}), Int(20));
  EXPECT_EQ(A({"SET", "k", "v", "KEEPTTL", "EX", "5"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"SET", "k", "v", "NX", "XX"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"SET", "k", "v", "PX"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"SET", "k", "v", "EX", "0"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(A({"SET", "k", "v", "EX", "x"}), Err(kNotInt));
  EXPECT_EQ(A({"SET", "k", "u", "KEEPTTL"}), Ok());
  EXPECT_EQ(A({"TTL", "k"}), Int(20));
  EXPECT_EQ(A({"SET", "k", "u"}), Ok());
  EXPECT_EQ(A({"TTL", "k"}), Int(-1));
  EXPECT_EQ(A({"SET", "nx", "1", "XX"}), Nil());
  A({"LPUSH", "l", "a"});
  EXPECT_EQ(A({"SET", "l", "v", "GET"}), Err(kWrongType));
  EXPECT_EQ(A({"SET", "l", "v"}), Ok());  // overwrites any type
  EXPECT_EQ(A({"SETNX", "l", "x"}), Int(0));
  EXPECT_EQ(A({"SETNX", "m", "x"}), Int(1));
}

TEST_F(ModelTest, StringsAndCounters) {
  EXPECT_EQ(A({"INCR", "n"}), Int(1));
  EXPECT_EQ(A({"INCRBY", "n", "x"}), Err(kNotInt));
  EXPECT_EQ(A({"DECRBY", "n", "-9223372036854775808"}), Err("ERR decrement would overflow"));
  A({"SET", "n", "9223372036854775807"});
  EXPECT_EQ(A({"INCR", "n"}), Err("ERR increment or decrement would overflow"));
  A({"SET", "n", "007"});
  EXPECT_EQ(A({"INCR", "n"}), Err(kNotInt));
  A({"SET", "f", "10.5"});
  EXPECT_EQ(A({"INCRBYFLOAT", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(A({"INCRBYFLOAT", "f", "x"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(A({"INCRBYFLOAT", "f", "inf"}), Err("ERR increment would produce NaN or Infinity"));
  EXPECT_EQ(A({"INCRBYFLOAT", "g", "3"}), Bulk("3"));
  EXPECT_EQ(A({"INCRBYFLOAT", "g", "1e3"}), Bulk("1003"));
  A({"SET", "t", "5", "EX", "100"});
  A({"INCR", "t"});
  A({"APPEND", "t", "0"});
  EXPECT_EQ(A({"TTL", "t"}), Int(100));  // INCR and APPEND keep the TTL
  EXPECT_EQ(A({"GET", "t"}), Bulk("60"));
  EXPECT_EQ(A({"GETSET", "t", "x"}), Bulk("60"));
  EXPECT_EQ(A({"TTL", "t"}), Int(-1));
  EXPECT_EQ(A({"STRLEN", "t"}), Int(1));
  EXPECT_EQ(A({"GETDEL", "t"}), Bulk("x"));
  EXPECT_EQ(A({"GETDEL", "t"}), Nil());
  A({"SADD", "s", "m"});
  EXPECT_EQ(A({"MGET", "s", "g", "none"}), Arr({Nil(), Bulk("1003"), Nil()}));
  EXPECT_EQ(A({"MSETNX", "q", "1", "g", "2"}), Int(0));
  EXPECT_EQ(A({"MSETNX", "q", "1", "q", "2"}), Int(1));
  EXPECT_EQ(A({"GET", "q"}), Bulk("2"));
  EXPECT_EQ(A({"GET", "s"}), Err(kWrongType));
  EXPECT_EQ(A({"INCR", "s"}), Err(kWrongType));
  EXPECT_EQ(A({"INCRBY", "s", "x"}), Err(kNotInt));  // the argument is parsed first
}

TEST_F(ModelTest, Hashes) {
  EXPECT_EQ(A({"HSET", "h", "f", "1", "g", "2", "f", "3"}), Int(2));
  EXPECT_EQ(A({"HSET", "h", "f", "1", "g"}), Err("ERR wrong number of arguments for 'hset' command"));
  EXPECT_EQ(A({"HGET", "h", "f"}), Bulk("3"));
  EXPECT_EQ(A({"HMGET", "h", "f", "x"}), Arr({Bulk("3"), Nil()}));
  EXPECT_EQ(A({"HINCRBY", "h", "f", "2"}), Int(5));
  A({"HSET", "h", "s", "abc"});
  EXPECT_EQ(A({"HINCRBY", "h", "s", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(A({"HGETALL", "h"}), Bulks({"f", "5", "g", "2", "s", "abc"}));
  EXPECT_EQ(A({"HDEL", "h", "f", "g", "s", "x"}), Int(3));
  EXPECT_EQ(A({"EXISTS", "h"}), Int(0));
  A({"SET", "str", "v"});
  EXPECT_EQ(A({"HMGET", "str", "f"}), Err(kWrongType));
  EXPECT_EQ(A({"HGETALL", "nokey"}), Arr({}));
}

TEST_F(ModelTest, Lists) {
  EXPECT_EQ(A({"LPUSH", "l", "a", "b", "c"}), Int(3));
  EXPECT_EQ(A({"LRANGE", "l", "0", "-1"}), Bulks({"c", "b", "a"}));
  EXPECT_EQ(A({"RPOP", "l", "2"}), Bulks({"a", "b"}));
  EXPECT_EQ(A({"LPOP", "l", "abc"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(A({"LPOP", "l", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(A({"LPOP", "l", "0"}), Arr({}));
  EXPECT_EQ(A({"LPOP", "nokey", "1"}), Reply::NilArray());
  EXPECT_EQ(A({"LPOP", "nokey"}), Nil());
  EXPECT_EQ(A({"LPOP", "l", "1", "2"}), Err("ERR wrong number of arguments for 'lpop' command"));
  EXPECT_EQ(A({"LPOP", "l"}), Bulk("c"));
  EXPECT_EQ(A({"EXISTS", "l"}), Int(0));
  A({"RPUSH", "l", "x", "y", "x", "z", "x"});
  EXPECT_EQ(A({"LREM", "l", "-2", "x"}), Int(2));
  EXPECT_EQ(A({"LRANGE", "l", "0", "-1"}), Bulks({"x", "y", "z"}));
  EXPECT_EQ(A({"LINDEX", "l", "-1"}), Bulk("z"));
  EXPECT_EQ(A({"LINDEX", "l", "5"}), Nil());
  EXPECT_EQ(A({"LINDEX", "nokey", "x"}), Nil());  // index parsed only for a list
  EXPECT_EQ(A({"LINDEX", "l", "x"}), Err(kNotInt));
  EXPECT_EQ(A({"LRANGE", "l", "2", "1"}), Arr({}));
  EXPECT_EQ(A({"LRANGE", "l", "-100", "100"}), Bulks({"x", "y", "z"}));
  EXPECT_EQ(A({"LLEN", "l"}), Int(3));
}

// LPOS LINSERT LSET LTRIM as redis-server 7.0.15 answers them.
TEST_F(ModelTest, ListEdits) {
  A({"RPUSH", "l", "a", "b", "c", "a", "b", "a"});
  A({"SET", "str", "x"});
  EXPECT_EQ(A({"LPOS", "l", "a", "RANK", "-2", "COUNT", "0"}), Arr({Int(3), Int(0)}));
  EXPECT_EQ(A({"LPOS", "l", "a", "MAXLEN", "2", "RANK", "-1"}), Int(5));
  EXPECT_EQ(A({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}), Arr({Int(5), Int(3), Int(0)}));
  EXPECT_EQ(A({"LPOS", "l", "q"}), Nil());
  EXPECT_EQ(A({"LPOS", "nokey", "a", "COUNT", "1"}), Arr({}));
  EXPECT_EQ(A({"LPOS", "str", "a", "COUNT", "x"}), Err("ERR COUNT can't be negative"));
  EXPECT_EQ(A({"LPOS", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(A({"LINSERT", "l", "AFTER", "a", "Y"}), Int(7));
  EXPECT_EQ(A({"LINSERT", "l", "BEFORE", "q", "Y"}), Int(-1));
  EXPECT_EQ(A({"LINSERT", "nokey", "BEFORE", "q", "Y"}), Int(0));
  EXPECT_EQ(A({"LINSERT", "str", "middle", "q", "Y"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"LSET", "l", "-1", "Z"}), Ok());
  EXPECT_EQ(A({"LSET", "l", "7", "Z"}), Err("ERR index out of range"));
  EXPECT_EQ(A({"LSET", "nokey", "x", "Z"}), Err("ERR no such key"));
  EXPECT_EQ(A({"LRANGE", "l", "0", "-1"}), Bulks({"a", "Y", "b", "c", "a", "b", "Z"}));
  EXPECT_EQ(A({"LTRIM", "l", "1", "-2"}), Ok());
  EXPECT_EQ(A({"LRANGE", "l", "0", "-1"}), Bulks({"Y", "b", "c", "a", "b"}));
  EXPECT_EQ(A({"LTRIM", "str", "x", "1"}), Err(kNotInt));
  EXPECT_EQ(A({"LTRIM", "l", "3", "1"}), Ok());
  EXPECT_EQ(A({"EXISTS", "l"}), Int(0));
}

TEST_F(ModelTest, Sets) {
  EXPECT_EQ(A({"SADD", "s", "a", "b", "a"}), Int(2));
  EXPECT_EQ(A({"SMEMBERS", "s"}), Bulks({"a", "b"}));
  EXPECT_EQ(A({"SISMEMBER", "s", "a"}), Int(1));
  EXPECT_EQ(A({"SREM", "s", "a", "x"}), Int(1));
  EXPECT_EQ(A({"SCARD", "s"}), Int(1));
  EXPECT_EQ(A({"SREM", "s", "b"}), Int(1));
  EXPECT_EQ(A({"TYPE", "s"}), Reply::Status("none"));
}

// SINTER/SUNION/SDIFF, their *STORE forms and SINTERCARD, as redis-server
// 7.0.15 answers them (every key is type-checked, even after a missing one).
TEST_F(ModelTest, SetAlgebra) {
  A({"SADD", "s1", "a", "b", "c"});
  A({"SADD", "s2", "b", "c", "d"});
  A({"SET", "str", "x"});
  EXPECT_EQ(A({"SINTER", "s1", "s2"}), Bulks({"b", "c"}));
  EXPECT_EQ(A({"SINTER", "s1", "nokey"}), Bulks({}));
  EXPECT_EQ(A({"SUNION", "s1", "nokey", "s2"}), Bulks({"a", "b", "c", "d"}));
  EXPECT_EQ(A({"SDIFF", "s1", "s2"}), Bulks({"a"}));
  EXPECT_EQ(A({"SDIFF", "nokey", "s1"}), Bulks({}));
  for (std::string cmd : {"sinter", "sunion", "sdiff"}) {
    EXPECT_EQ(A({cmd, "nokey", "str"}), Err(kWrongType));
    EXPECT_EQ(A({cmd}), Err("ERR wrong number of arguments for '" + cmd + "' command"));
  }
  EXPECT_EQ(A({"SINTERSTORE", "d", "nokey", "str"}), Err(kWrongType));
  // *STORE overwrites whatever the destination held, TTL included.
  A({"SET", "d", "v", "EX", "100"});
  EXPECT_EQ(A({"SINTERSTORE", "d", "s1", "s2"}), Int(2));
  EXPECT_EQ(A({"TYPE", "d"}), Reply::Status("set"));
  EXPECT_EQ(A({"TTL", "d"}), Int(-1));
  EXPECT_EQ(A({"SUNIONSTORE", "d", "d", "s1"}), Int(3));  // a source may be the destination
  EXPECT_EQ(A({"SMEMBERS", "d"}), Bulks({"a", "b", "c"}));
  EXPECT_EQ(A({"SDIFFSTORE", "d", "s1", "s1"}), Int(0));  // empty: the destination is deleted
  EXPECT_EQ(A({"EXISTS", "d"}), Int(0));
  A({"RPUSH", "l", "x"});
  EXPECT_EQ(A({"SUNIONSTORE", "l", "nokey"}), Int(0));
  EXPECT_EQ(A({"EXISTS", "l"}), Int(0));
  // SINTERCARD numkeys key [key ...] [LIMIT limit]
  EXPECT_EQ(A({"SINTERCARD", "2", "s1", "s2"}), Int(2));
  EXPECT_EQ(A({"SINTERCARD", "2", "s1", "s2", "LIMIT", "1"}), Int(1));
  EXPECT_EQ(A({"SINTERCARD", "2", "s1", "s2", "limit", "0"}), Int(2));  // 0: no limit
  EXPECT_EQ(A({"SINTERCARD", "1", "s1", "LIMIT", "1", "LIMIT", "5"}), Int(3));  // the last wins
  EXPECT_EQ(A({"SINTERCARD", "0", "s1"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(A({"SINTERCARD", "x", "s1"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(A({"SINTERCARD", "3", "s1", "s2"}), Err("ERR Number of keys can't be greater than number of args"));
  EXPECT_EQ(A({"SINTERCARD", "1", "s1", "LIMIT", "-1"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(A({"SINTERCARD", "1", "s1", "LIMIT", "x"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(A({"SINTERCARD", "1", "s1", "LIMIT"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"SINTERCARD", "1", "nokey", "str"}), Err("ERR syntax error"));  // str is not a key
  EXPECT_EQ(A({"SINTERCARD", "2", "nokey", "str"}), Err(kWrongType));
  EXPECT_EQ(A({"SINTERCARD", "1"}), Err("ERR wrong number of arguments for 'sintercard' command"));
}

TEST_F(ModelTest, SmoveAndSmismember) {
  A({"SADD", "s1", "a", "b"});
  A({"SET", "str", "x"});
  EXPECT_EQ(A({"SMISMEMBER", "s1", "a", "z"}), Arr({Int(1), Int(0)}));
  EXPECT_EQ(A({"SMISMEMBER", "nokey", "a"}), Arr({Int(0)}));
  EXPECT_EQ(A({"SMISMEMBER", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(A({"SMOVE", "nokey", "str", "a"}), Int(0));  // missing source: 0 before any type check
  EXPECT_EQ(A({"SMOVE", "s1", "str", "a"}), Err(kWrongType));
  EXPECT_EQ(A({"SMOVE", "str", "s1", "a"}), Err(kWrongType));
  EXPECT_EQ(A({"SMOVE", "s1", "s1", "a"}), Int(1));  // same key: a membership test
  EXPECT_EQ(A({"SMOVE", "s1", "s1", "z"}), Int(0));
  EXPECT_EQ(A({"SMOVE", "s1", "s2", "z"}), Int(0));
  EXPECT_EQ(A({"SMOVE", "s1", "s2", "a"}), Int(1));
  EXPECT_EQ(A({"SMEMBERS", "s2"}), Bulks({"a"}));
  EXPECT_EQ(A({"SMOVE", "s1", "s2", "b"}), Int(1));
  EXPECT_EQ(A({"EXISTS", "s1"}), Int(0));  // emptied source deleted
  EXPECT_EQ(A({"SMOVE", "s1", "s2"}), Err("ERR wrong number of arguments for 'smove' command"));
}

TEST_F(ModelTest, SortedSets) {
  EXPECT_EQ(A({"ZADD", "z", "1.1", "m"}), Int(1));
  EXPECT_EQ(A({"ZSCORE", "z", "m"}), Bulk("1.1000000000000001"));  // %.17g in 7.0
  EXPECT_EQ(A({"ZINCRBY", "z", "nx", "m"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"ZADD", "z", "INCR", "1", "m", "2", "n"}), Err("ERR INCR option supports a single increment-element pair"));
  EXPECT_EQ(A({"ZADD", "z", "NX", "XX", "1", "m"}), Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(A({"ZADD", "z", "GT", "LT", "1", "m"}), Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
  EXPECT_EQ(A({"ZADD", "z", "abc", "m"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(A({"ZADD", "z", "nan", "m"}), Err("ERR value is not a valid float"));
  A({"ZADD", "z", "1", "m", "2", "n", "3", "o"});
  EXPECT_EQ(A({"ZADD", "z", "CH", "GT", "0", "m", "5", "n"}), Int(1));
  EXPECT_EQ(A({"ZADD", "z", "GT", "INCR", "-1", "m"}), Nil());
  EXPECT_EQ(A({"ZADD", "z", "XX", "INCR", "1", "p"}), Nil());
  EXPECT_EQ(A({"ZRANGE", "z", "0", "-1", "WITHSCORES"}), Bulks({"m", "1", "o", "3", "n", "5"}));
  EXPECT_EQ(A({"ZRANGE", "z", "0", "0", "REV"}), Bulks({"n"}));
  EXPECT_EQ(A({"ZRANGE", "z", "(1", "5", "BYSCORE", "LIMIT", "0", "1"}), Bulks({"o"}));
  EXPECT_EQ(A({"ZRANGE", "z", "5", "(1", "BYSCORE", "REV"}), Bulks({"n", "o"}));
  EXPECT_EQ(A({"ZRANGE", "z", "(1", "5", "BYSCORE", "LIMIT", "-1", "2"}), Arr({}));
  EXPECT_EQ(A({"ZRANGE", "z", "0", "-1", "WITHSCORES", "LIMIT", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  EXPECT_EQ(A({"ZRANGE", "z", "a", "b"}), Err(kNotInt));
  EXPECT_EQ(A({"ZRANGE", "z", "a", "b", "BYSCORE"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(A({"ZRANGE", "z", "0", "1", "BYLEX", "WITHSCORES"}),
            Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  EXPECT_EQ(A({"ZRANGE", "z", "0", "1", "BYLEX"}), Err("ERR min or max not valid string range item"));
  EXPECT_EQ(A({"ZRANGEBYSCORE", "z", "0", "10", "REV"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "1"}), Bulks({"o"}));
  A({"ZADD", "lex", "0", "a", "0", "b", "0", "c"});
  EXPECT_EQ(A({"ZRANGE", "lex", "[b", "+", "BYLEX"}), Bulks({"b", "c"}));
  EXPECT_EQ(A({"ZRANGE", "lex", "(b", "-", "BYLEX", "REV"}), Bulks({"a"}));
  EXPECT_EQ(A({"ZREM", "z", "m", "n", "o", "x"}), Int(3));
  EXPECT_EQ(A({"EXISTS", "z"}), Int(0));
  A({"ZADD", "z", "inf", "m"});
  EXPECT_EQ(A({"ZINCRBY", "z", "-inf", "m"}), Err("ERR resulting score is not a number (NaN)"));
  EXPECT_EQ(A({"ZSCORE", "z", "m"}), Bulk("inf"));
}

// ---------------------------------------------------------------------------
// The generator and the model together
// ---------------------------------------------------------------------------

// Every generated program runs on the model; a copy of the model replays it
// identically (the model is a value, with no hidden state).
// ZMSCORE ZCOUNT ZRANK ZREVRANK ZREVRANGE ZPOPMIN ZPOPMAX as redis-server
// 7.0.15 answers them (RESP2 shapes; RESP3's are canonicalised to these).
TEST_F(ModelTest, SortedSetReadsAndPops) {
  A({"ZADD", "z", "1", "a", "2", "b", "3", "c", "1.5", "d"});
  A({"SET", "str", "x"});
  EXPECT_EQ(A({"ZMSCORE", "z", "a", "q"}), Arr({Bulk("1"), Nil()}));
  EXPECT_EQ(A({"ZMSCORE", "nokey", "a"}), Arr({Nil()}));
  EXPECT_EQ(A({"ZCOUNT", "z", "(1", "3"}), Int(3));
  EXPECT_EQ(A({"ZCOUNT", "str", "x", "1"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(A({"ZCOUNT", "str", "0", "1"}), Err(kWrongType));
  EXPECT_EQ(A({"ZRANK", "z", "c"}), Int(3));
  EXPECT_EQ(A({"ZREVRANK", "z", "d"}), Int(2));
  EXPECT_EQ(A({"ZRANK", "z", "q"}), Nil());
  EXPECT_EQ(A({"ZREVRANGE", "z", "0", "1", "WITHSCORES"}), Bulks({"c", "3", "b", "2"}));
  EXPECT_EQ(A({"ZREVRANGE", "z", "0", "1", "REV"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  EXPECT_EQ(A({"ZPOPMIN", "z"}), Bulks({"a", "1"}));
  EXPECT_EQ(A({"ZPOPMAX", "z", "2"}), Bulks({"c", "3", "b", "2"}));
  EXPECT_EQ(A({"ZPOPMIN", "z", "0"}), Arr({}));
  EXPECT_EQ(A({"ZPOPMIN", "str", "0"}), Err(kWrongType));
  EXPECT_EQ(A({"ZPOPMIN", "str", "x"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(A({"ZPOPMIN", "z", "1", "2"}), Err("ERR syntax error"));
  EXPECT_EQ(A({"ZPOPMIN", "z", "9"}), Bulks({"d", "1.5"}));
  EXPECT_EQ(A({"EXISTS", "z"}), Int(0));
  EXPECT_EQ(A({"ZPOPMAX", "z"}), Arr({}));
}

RC_GTEST_PROP(ModelProperty, DeterministicAndCopyable, ()) {
  program::Program p = *program::GenProgram(program::GenConfig{});
  KeyspaceModel a, b;
  for (const auto& op : p) {
    auto ra = program::Apply(a, op);
    KeyspaceModel copy = b;
    auto rb = program::Apply(copy, op);
    b = std::move(copy);
    RC_ASSERT(ra.has_value() == rb.has_value());
    if (ra) RC_ASSERT(*ra == *rb);
  }
  RC_ASSERT(program::DumpState(a, 16) == program::DumpState(b, 16));
}

TEST(ModelProgram, ToString) {
  EXPECT_EQ(program::ToString(program::Op{program::Step{2, {"SET", "a b", ""}}}), "s2: SET \"a b\" \"\"");
  EXPECT_EQ(program::ToString(program::Op{program::AdvanceClock{500}}), "clock +500ms");
}

}  // namespace
}  // namespace txlab

namespace txlab {
namespace {

TEST(ReplyOrder, SortsUnorderedAndFlattensResp3) {
  Reply members = Reply::Array({Reply::Bulk("b"), Reply::Bulk("a")});
  EXPECT_EQ(CanonicalReply({"SMEMBERS", "s"}, members), Reply::Array({Reply::Bulk("a"), Reply::Bulk("b")}));
  EXPECT_EQ(CanonicalReply({"LRANGE", "l", "0", "-1"}, members), members);  // ordered: untouched
  Reply map = Reply::Map({Reply::Bulk("g"), Reply::Bulk("2"), Reply::Bulk("f"), Reply::Bulk("1")});
  EXPECT_EQ(CanonicalReply({"hgetall", "h"}, map),
            Reply::Array({Reply::Bulk("f"), Reply::Bulk("1"), Reply::Bulk("g"), Reply::Bulk("2")}));
  EXPECT_EQ(CanonicalReply({"ZSCORE", "z", "m"}, Reply::Double(1.1)), Reply::Bulk("1.1000000000000001"));
  Reply popped = Reply::Array({Reply::Array({Reply::Bulk("m"), Reply::Double(1)})});
  EXPECT_EQ(CanonicalReply({"ZPOPMIN", "z", "1"}, popped), Reply::Array({Reply::Bulk("m"), Reply::Bulk("1")}));
  EXPECT_EQ(CanonicalReply({"ZREVRANGE", "z", "0", "-1", "WITHSCORES"}, popped),
            Reply::Array({Reply::Bulk("m"), Reply::Bulk("1")}));
  for (const char* cmd : {"SINTER", "SUNION", "SDIFF"}) {
    EXPECT_EQ(CanonicalReply({cmd, "s", "t"}, Reply::Set({Reply::Bulk("b"), Reply::Bulk("a")})),
              Reply::Array({Reply::Bulk("a"), Reply::Bulk("b")}));
  }
  Reply pairs = Reply::Array({Reply::Array({Reply::Bulk("m"), Reply::Double(1)})});
  EXPECT_EQ(CanonicalReply({"ZRANGE", "z", "0", "-1", "WITHSCORES"}, pairs),
            Reply::Array({Reply::Bulk("m"), Reply::Bulk("1")}));
  EXPECT_EQ(CanonicalExecReply({{"KEYS", "*"}, {"GET", "a"}},
                               Reply::Array({Reply::Array({Reply::Bulk("z"), Reply::Bulk("a")}), Reply::Nil()})),
            Reply::Array({Reply::Array({Reply::Bulk("a"), Reply::Bulk("z")}), Reply::Nil()}));
}

TEST(ModelProgram, DisconnectDropsMultiAndWatches) {
  KeyspaceModel m;
  m.Call(1, {"WATCH", "k"});
  m.Call(1, {"MULTI"});
  m.Call(1, {"SET", "k", "1"});
  program::Apply(m, program::Disconnect{1});
  EXPECT_FALSE(m.InMulti(1));
  EXPECT_EQ(m.Call(2, {"EXISTS", "k"}), Reply::Integer(0));
  EXPECT_EQ(m.Call(1, {"EXEC"}), Reply::Error("ERR EXEC without MULTI"));  // a new client
  EXPECT_EQ(program::ToString(program::Op{program::Disconnect{1}}), "s1 disconnects");
}

}  // namespace
}  // namespace txlab
