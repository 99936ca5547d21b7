// Atomicity under real threads: every acknowledged operation is reflected in
// the final state, and WATCH/MULTI/EXEC read-modify-write never loses an
// update (SEMANTICS.md T11, T19).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "impl/engine/engine_test_util.h"

namespace txlab::testing {
namespace {

constexpr int kThreads = 4;

TEST(Concurrency, T11_IncrAndWatchedReadModifyWriteLoseNothing) {
  Engine engine(EngineOptions{.active_expire = false});
  constexpr int kIncrs = 2000;
  constexpr int kCasCommits = 300;
  std::atomic<int64_t> acknowledged_incr{0}, acknowledged_cas{0}, cas_aborts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto s = engine.Connect();
      for (int i = 0; i < kIncrs; ++i) {
        if (s->Call({"INCR", "counter"}).type() == Reply::Type::kInteger) ++acknowledged_incr;
      }
      int committed = 0;
      while (committed < kCasCommits) {
        s->Call({"WATCH", "cas"});
        Reply v = s->Call({"GET", "cas"});
        int64_t n = v.is_nil() ? 0 : std::stoll(v.str());
        s->Call({"MULTI"});
        s->Call({"SET", "cas", std::to_string(n + 1)});
        Reply r = s->Call({"EXEC"});
        if (r.type() == Reply::Type::kArray) {
          ++committed;
          ++acknowledged_cas;
        } else {
          ++cas_aborts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto s = engine.Connect();
  EXPECT_EQ(s->Call({"GET", "counter"}), Bulk(std::to_string(acknowledged_incr.load())));
  EXPECT_EQ(acknowledged_incr.load(), kThreads * kIncrs);
  EXPECT_EQ(s->Call({"GET", "cas"}), Bulk(std::to_string(acknowledged_cas.load())));
  EXPECT_EQ(acknowledged_cas.load(), kThreads * kCasCommits);
}

TEST(Concurrency, T19_TwoKeyTransfersPreserveTotal) {
  Engine engine(EngineOptions{.active_expire = false});
  constexpr int kAccounts = 4;
  constexpr int kTransfers = 300;
  {
    auto s = engine.Connect();
    for (int a = 0; a < kAccounts; ++a) s->Call({"SET", "acct:" + std::to_string(a), "1000"});
  }
  std::atomic<int64_t> committed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto s = engine.Connect();
      uint64_t x = 88172645463325252ull + static_cast<uint64_t>(t);
      int done = 0;
      while (done < kTransfers) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        std::string from = "acct:" + std::to_string(x % kAccounts);
        std::string to = "acct:" + std::to_string((x / kAccounts) % kAccounts);
        if (from == to) continue;
        s->Call({"WATCH", from, to});
        int64_t f = std::stoll(s->Call({"GET", from}).str());
        int64_t g = std::stoll(s->Call({"GET", to}).str());
        s->Call({"MULTI"});
        s->Call({"SET", from, std::to_string(f - 1)});
        s->Call({"SET", to, std::to_string(g + 1)});
        if (s->Call({"EXEC"}).type() == Reply::Type::kArray) {
          ++done;
          ++committed;
        }
      }
    });
  }
  // A concurrent reader: the total is constant in every snapshot read by MULTI.
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    auto s = engine.Connect();
    while (!stop) {
      s->Call({"MULTI"});
      for (int a = 0; a < kAccounts; ++a) s->Call({"GET", "acct:" + std::to_string(a)});
      Reply r = s->Call({"EXEC"});
      int64_t total = 0;
      for (const Reply& v : r.elems()) total += std::stoll(v.str());
      EXPECT_EQ(total, 1000 * kAccounts);
    }
  });
  for (auto& t : threads) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(committed.load(), kThreads * kTransfers);
}

TEST(Concurrency, BlpopConsumersGetEveryElementOnce) {
  Engine engine(EngineOptions{.active_expire = false});
  constexpr int kItems = 400;
  std::atomic<int> received{0};
  std::vector<std::thread> consumers;
  std::vector<std::vector<std::string>> got(2);
  for (int c = 0; c < 2; ++c) {
    consumers.emplace_back([&, c] {
      auto s = engine.Connect();
      while (true) {
        Reply r = s->Call({"BLPOP", "q", "0.5"});
        if (r.is_nil()) return;
        got[c].push_back(r.elems()[1].str());
        if (++received == kItems) return;
      }
    });
  }
  auto p = engine.Connect();
  for (int i = 0; i < kItems; ++i) p->Call({"RPUSH", "q", std::to_string(i)});
  for (auto& t : consumers) t.join();
  std::vector<std::string> all = got[0];
  all.insert(all.end(), got[1].begin(), got[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kItems));
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end());
}

}  // namespace
}  // namespace txlab::testing
