// Helpers shared by the engine's tests: an Engine on a VirtualClock with
// active expiry off, and short reply constructors.
#ifndef TXLAB_IMPL_ENGINE_ENGINE_TEST_UTIL_H_
#define TXLAB_IMPL_ENGINE_ENGINE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "impl/engine/clock.h"
#include "impl/engine/engine.h"
#include "model/reply.h"

namespace txlab::testing {

inline Reply Ok() { return Reply::Ok(); }
inline Reply Queued() { return Reply::Queued(); }
inline Reply Int(int64_t v) { return Reply::Integer(v); }
inline Reply Bulk(std::string s) { return Reply::Bulk(std::move(s)); }
inline Reply Nil() { return Reply::Nil(); }
inline Reply NilArray() { return Reply::NilArray(); }
inline Reply Err(std::string s) { return Reply::Error(std::move(s)); }
inline Reply Status(std::string s) { return Reply::Status(std::move(s)); }
inline Reply Arr(std::vector<Reply> v) { return Reply::Array(std::move(v)); }
inline Reply Bulks(std::vector<std::string> v) {
  std::vector<Reply> out;
  for (auto& s : v) out.push_back(Reply::Bulk(std::move(s)));
  return Reply::Array(std::move(out));
}

inline const char* kWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
inline const char* kNotInt = "ERR value is not an integer or out of range";
inline const char* kSyntax = "ERR syntax error";
inline const char* kExecAbort = "EXECABORT Transaction discarded because of previous errors.";

// Sorts an array reply's elements (for kCmdUnorderedReply commands).
inline Reply Sorted(Reply r) {
  auto& e = r.mutable_elems();
  std::sort(e.begin(), e.end(), [](const Reply& a, const Reply& b) { return a.str() < b.str(); });
  return r;
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() {
    EngineOptions o;
    o.clock = &clock_;
    o.active_expire = false;
    engine_ = std::make_unique<Engine>(o);
    c_ = engine_->Connect();
    c2_ = engine_->Connect();
  }
  ~EngineTest() override {
    c_.reset();
    c2_.reset();
    engine_.reset();
  }

  // The WATCH probe of T20/T21: c_ WATCHes `key`, c2_ runs `writes`, then c_
  // runs MULTI, SET watch-probe-other 1, EXEC. True if the EXEC ran (nothing
  // touched `key`); the EXEC must either run or abort with nil.
  bool WatchedExecRuns(std::string_view key, const std::vector<std::vector<std::string_view>>& writes) {
    EXPECT_EQ(c_->Call({"WATCH", key}), Reply::Ok());
    for (const auto& w : writes) c2_->Call(w);
    c_->Call({"MULTI"});
    c_->Call({"SET", "watch-probe-other", "1"});
    const Reply r = c_->Call({"EXEC"});
    EXPECT_TRUE(r == Reply::Array({Reply::Ok()}) || r == Reply::NilArray()) << r.ToString();
    return r == Reply::Array({Reply::Ok()});
  }

  // A snapshot of db 0..15 for "changes nothing" checks: KEYS + values dump.
  std::string Dump() {
    auto s = engine_->Connect();
    std::string out;
    for (int db = 0; db < 16; ++db) {
      s->Call({"SELECT", std::to_string(db)});
      Reply keys = Sorted(s->Call({"KEYS", "*"}));
      for (const Reply& k : keys.elems()) {
        out += std::to_string(db) + ":" + k.str() + "=" + s->Call({"TYPE", k.str()}).str() + ":";
        std::string type = s->Call({"TYPE", k.str()}).str();
        if (type == "string") out += s->Call({"GET", k.str()}).ToString();
        if (type == "list") out += s->Call({"LRANGE", k.str(), "0", "-1"}).ToString();
        if (type == "hash") out += Sorted(s->Call({"HGETALL", k.str()})).ToString();
        if (type == "set") out += Sorted(s->Call({"SMEMBERS", k.str()})).ToString();
        if (type == "zset") out += s->Call({"ZRANGE", k.str(), "0", "-1", "WITHSCORES"}).ToString();
        out += " ttl=" + s->Call({"PTTL", k.str()}).ToString() + "\n";
      }
    }
    return out;
  }

  VirtualClock clock_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Session> c_;   // client 1
  std::unique_ptr<Session> c2_;  // client 2
};

}  // namespace txlab::testing

#endif  // TXLAB_IMPL_ENGINE_ENGINE_TEST_UTIL_H_
