#include "model/history_io.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace txlab {
namespace {

namespace fs = std::filesystem;

// The shared test vectors sit beside the clone: <repo>/../shared/histories
// ($TXLAB_SHARED_HISTORIES in the environment overrides the path CMake
// compiles in, as in checkers/).
fs::path SharedHistories() {
  if (const char* env = std::getenv("TXLAB_SHARED_HISTORIES")) return env;
  return TXLAB_SHARED_HISTORIES;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot open " << p;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HistoryIo, ReadsEdnOps) {
  History h;
  ParseError e = ReadEdnHistory(
      "{:type :invoke, :process 0, :f :txn, :value [[:append :x 1] [:r :y nil]], :index 0, :time 5}\n"
      "{:type :ok, :process 0, :f :txn, :value [[:append :x 1] [:r :y [1 2]]], :index 1, :time 9}\n",
      &h);
  ASSERT_TRUE(e.ok) << e.ToString();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].type, OpType::kInvoke);
  EXPECT_EQ(h[1].type, OpType::kOk);
  EXPECT_EQ(h[1].f, "txn");
  EXPECT_EQ(h[1].time_ns, 9);
  EXPECT_EQ(h[1].value.as_vector()[1].as_vector()[2], Edn::Vec({Edn::Int(1), Edn::Int(2)}));
}

TEST(HistoryIo, WrappedVectorAndNemesis) {
  History h;
  ParseError e = ReadEdnHistory(
      "[{:type :info, :process :nemesis, :f :start}\n"
      " {:type :invoke, :process 1, :f :read, :value nil}\n"
      " {:type :ok, :process 1, :f :read, :value 3}]",
      &h);
  ASSERT_TRUE(e.ok) << e.ToString();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].value, Edn::Int(3));
}

TEST(HistoryIo, JsonMatchesEdn) {
  History a, b;
  ASSERT_TRUE(ReadJsonHistory(R"({"type":"invoke","f":"txn","value":[["w","x",2]],"process":0,"index":1})"
                              "\n"
                              R"({"type":"ok","f":"txn","value":[["w","x",2]],"process":0,"index":2})",
                              &a)
                  .ok);
  ASSERT_TRUE(ReadEdnHistory("{:type :invoke, :f :txn, :value [[:w \"x\" 2]], :process 0, :index 1}\n"
                             "{:type :ok, :f :txn, :value [[:w \"x\" 2]], :process 0, :index 2}",
                             &b)
                  .ok);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].value, b[1].value);
}

TEST(HistoryIo, WritersRoundTrip) {
  History h;
  ASSERT_TRUE(ReadEdnHistory(Slurp(SharedHistories() / "elle" / "huge-scc.edn"), &h).ok);
  ASSERT_GT(h.size(), 10000u) << SharedHistories();
  for (bool json : {false, true}) {
    std::ostringstream out;
    if (json) WriteJsonHistory(h, out); else WriteEdnHistory(h, out);
    History back;
    ParseError e = json ? ReadJsonHistory(out.str(), &back) : ReadEdnHistory(out.str(), &back);
    ASSERT_TRUE(e.ok) << e.ToString();
    ASSERT_EQ(back.size(), h.size());
    for (size_t i = 0; i < h.size(); ++i) {
      EXPECT_EQ(back[i].type, h[i].type);
      EXPECT_EQ(back[i].process, h[i].process);
      EXPECT_EQ(back[i].f, h[i].f);
      EXPECT_EQ(back[i].index, h[i].index);
      EXPECT_EQ(back[i].time_ns, h[i].time_ns);
      EXPECT_EQ(back[i].value, h[i].value) << "op " << i << " json=" << json;
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(HistoryIo, ReadsEveryPublicHistory) {
  fs::path root = SharedHistories();
  ASSERT_TRUE(fs::exists(root)) << root;
  int files = 0;
  for (const char* dir : {"porcupine-etcd", "porcupine-kv", "elle"}) {
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      std::string name = entry.path().filename();
      if (name == "EXPECTED.tsv") continue;
      History h;
      ParseError e = ReadHistoryFile(entry.path(), &h);
      EXPECT_TRUE(e.ok) << entry.path() << ": " << e.ToString();
      EXPECT_GT(h.size(), 0u) << entry.path();
      ++files;
    }
  }
  EXPECT_GE(files, 100);
  History kv;
  ASSERT_TRUE(ReadHistoryFile(root / "porcupine-kv" / "c01-ok.txt", &kv).ok);
  // {:process 0, :type :invoke, :f :put, :key "0", :value "x 0 0 y"}: key folded into the value.
  ASSERT_TRUE(kv[0].value.is_vector());
  EXPECT_EQ(kv[0].value.as_vector().size(), 2u);
  EXPECT_TRUE(kv[0].value.as_vector()[0].is_string());
  History etcd;
  ASSERT_TRUE(ReadHistoryFile(root / "porcupine-etcd" / "etcd_100.log", &etcd).ok);  // spaces, not tabs
  EXPECT_EQ(etcd[2].f, "cas");
  EXPECT_EQ(etcd[2].value, Edn::Vec({Edn::Int(1), Edn::Int(2)}));
  EXPECT_EQ(etcd[49].type, OpType::kInfo);
  EXPECT_EQ(etcd[49].error, "timed-out");
}

TEST(HistoryIo, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    int line;
    const char* reason;
  } cases[] = {
      {"{:type :invoke, :process 0, :f :read}\n{:type :okay, :process 0, :f :read}", 2, "unknown op type"},
      {"{:type :invoke, :process 0, :f :read}\n{:type :invoke, :process 0, :f :read}", 2, "two operations in flight"},
      {"{:type :ok, :process 0, :f :read}", 1, "without an invocation"},
      {"{:type :invoke, :process 0, :f :read, :time 10}\n\n{:type :ok, :process 0, :f :read, :time 5}", 3,
       "returns before its call"},
      {"{:type :invoke, :process 0, :f :read}\n{:type :info, :process 0, :f :read}\n"
       "{:type :invoke, :process 0, :f :read}",
       3, "retired"},
      {"{:type :invoke, :process 0, :f :read}\n{:type :ok, :process 0, :f :write}", 2, "does not match"},
      {"{:type :invoke, :process 0, :f :read}\n{:type :ok, :process 0, :f :read, :value [1 2", 2, "unterminated"},
      {"{:process 0, :f :read}", 1, "no :type"},
      {"[1 2]", 1, "expected an op map"},
  };
  for (const Case& c : cases) {
    History h;
    ParseError e = ReadEdnHistory(c.text, &h);
    EXPECT_FALSE(e.ok) << c.text;
    EXPECT_EQ(e.line, c.line) << c.text << " -> " << e.ToString();
    EXPECT_NE(e.reason.find(c.reason), std::string::npos) << c.text << " -> " << e.ToString();
    EXPECT_TRUE(h.empty());
  }
  History h;
  ParseError e = ReadJepsenLog("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:bogus\t:read\t1\n", &h);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.line, 2);
  e = ReadJepsenLog("INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2\n", &h);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.line, 1);
}

// Parsing speed is measured by BM_ParseHugeScc (bench/isolation_bench.cc),
// not asserted here; this checks that large inputs parse completely.
TEST(HistoryIo, ParsesLargeHistories) {
  std::string text = Slurp(SharedHistories() / "elle" / "huge-scc.edn");
  History h;
  ASSERT_TRUE(ReadEdnHistory(text, &h).ok);
  EXPECT_GT(h.size(), 10000u);

  std::string big;
  for (int i = 0; i < 100000; ++i) {
    big += "{:type :invoke, :process " + std::to_string(i % 8) + ", :f :write, :value " + std::to_string(i) +
           ", :index " + std::to_string(2 * i) + ", :time " + std::to_string(2 * i) + "}\n";
    big += "{:type :ok, :process " + std::to_string(i % 8) + ", :f :write, :value " + std::to_string(i) +
           ", :index " + std::to_string(2 * i + 1) + ", :time " + std::to_string(2 * i + 1) + "}\n";
  }
  ASSERT_TRUE(ReadEdnHistory(big, &h).ok);
  ASSERT_EQ(h.size(), 200000u);
  EXPECT_EQ(h.back().value, Edn::Int(99999));
  EXPECT_EQ(h.back().type, OpType::kOk);
}

}  // namespace
}  // namespace txlab
