// The streaming reader (stream_reader.h) against the generic reader and
// Compile: same verdicts on generated histories of every keyed single-key
// model (with crashes, :fail ops and mutations), same bad-input errors with
// the same lines (SEMANTICS.md 6.2: pairing rules), identical results
// whatever the block size, and a fallback to the History path for what it
// does not read.
//
// Randomised: prints its seed; replay with TXLAB_SEED=<seed>.
#include "checkers/linearizability/stream_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "checkers/linearizability/check_history.h"
#include "checkers/linearizability/history_gen.h"
#include "checkers/linearizability/partition_state.h"
#include "model/history_io.h"

namespace txlab {
namespace {

namespace fs = std::filesystem;
using lin::GenOptions;
using lin::StreamStatus;

// A private temporary folder per test process (no shared /tmp names).
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "txlab-stream-test.XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name, const std::string& text) const {
    std::string p = (fs::path(path_) / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::string path_;
};

std::string ToEdn(const History& h) {
  std::ostringstream out;
  WriteEdnHistory(h, out);
  return out.str();
}

uint64_t Seed() {
  if (const char* s = std::getenv("TXLAB_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

LinOptions Quick() {
  LinOptions o;
  o.time_budget_s = 30;
  o.minimise_budget_s = 2;
  return o;
}

// Every model the streaming reader reads (keyed single-key ones and
// transactions), linearizable and
// mutated, with and without crashes and :fail ops: the streaming path and
// the History path give the same verdict, and linearizable histories are
// decided without building a History.
TEST(StreamReader, SameVerdictsAsTheHistoryPathOnGeneratedHistories) {
  const uint64_t seed = Seed();
  std::printf("TXLAB_SEED=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  TempDir dir;
  const GenOptions::Model models[] = {GenOptions::Model::kRegister, GenOptions::Model::kCounter,
                                      GenOptions::Model::kKv, GenOptions::Model::kListAppend,
                                      GenOptions::Model::kTxn};
  int streamed = 0, illegal = 0;
  for (int i = 0; i < 200; ++i) {
    GenOptions g;
    g.seed = rng();
    g.model = models[i % 5];
    g.ops = 5 + rng() % 60;
    g.clients = 1 + rng() % 4;
    g.keys = 1 + rng() % 3;
    if (g.model == GenOptions::Model::kRegister && i % 3 == 0) g.cas_fraction = 0.4;
    if (g.model == GenOptions::Model::kTxn) {
      g.keys = 2 + rng() % 3;
      g.txn_two_key_fraction = 0.3;
    }
    g.crash_fraction = (i / 4) % 2 ? 0.25 : 0;
    g.fail_fraction = (i / 8) % 2 ? 0.2 : 0;
    g.mutation = static_cast<GenOptions::Mutation>((i / 16) % 3);
    if (g.mutation == GenOptions::Mutation::kDuplicateIncr && g.model != GenOptions::Model::kCounter) {
      g.mutation = GenOptions::Mutation::kLostWrite;
    }
    const History h = lin::GenerateHistory(g);
    const std::string path = dir.File("h" + std::to_string(i) + ".edn", ToEdn(h));
    FileCheckStats stats;
    const Verdict streaming = CheckLinearizableFile(path, Quick(), &stats);
    const Verdict generic = CheckLinearizable(h, Quick());
    const std::string what = std::string(lin::ModelName(g.model)) + " seed " + std::to_string(g.seed) + " mutation " +
                             lin::MutationName(g.mutation) + " crash " + std::to_string(g.crash_fraction) + "\n" +
                             ToEdn(h);
    ASSERT_EQ(streaming.outcome, generic.outcome) << what << stats.fallback_reason;
    EXPECT_EQ(stats.streamed, !generic.illegal()) << what << stats.fallback_reason;
    if (generic.ok()) {
      // "Linearizable (<model> model): <n> ops in <p> partitions, <f> :fail dropped, <t> s": all but the time.
      auto counts = [](const Verdict& v) { return v.details.at(0).substr(0, v.details.at(0).rfind(", ")); };
      EXPECT_EQ(counts(streaming), counts(generic)) << what;
    }
    streamed += stats.streamed;
    illegal += generic.illegal();
  }
  std::printf("%d streamed, %d illegal (re-checked through the History)\n", streamed, illegal);
  // The mix must exercise both paths.
  EXPECT_GT(streamed, 40);
  EXPECT_GT(illegal, 10);
}

// Transactions over two keys join their partitions; a stale read inside a
// transaction is caught.
TEST(StreamReader, ReadsTransactions) {
  TempDir dir;
  const std::string ok =
      "{:type :invoke, :process 0, :f :txn, :value [[:w 1 1] [:w 2 1]]}\n"
      "{:type :ok, :process 0, :f :txn, :value [[:w 1 1] [:w 2 1]]}\n"
      "{:type :invoke, :process 1, :f :txn, :value [[:r 1 nil] [:append 3 7]]}\n"
      "{:type :ok, :process 1, :f :txn, :value [[:r 1 1] [:append 3 7]]}\n"
      "{:type :invoke, :process 2, :f :txn, :value [[:r 3 nil] [:incr 4 nil]]}\n"
      "{:type :ok, :process 2, :f :txn, :value [[:r 3 [7]] [:incr 4 1]]}\n";
  FileCheckStats stats;
  Verdict v = CheckLinearizableFile(dir.File("ok.edn", ok), Quick(), &stats);
  EXPECT_TRUE(v.ok()) << v.summary;
  EXPECT_TRUE(stats.streamed) << stats.fallback_reason;
  ASSERT_FALSE(v.details.empty());
  EXPECT_NE(v.details[0].find("(txn model): 3 ops in 1 partitions"), std::string::npos) << v.details[0];
  std::string stale = ok;
  stale.replace(stale.find("[:r 1 1]"), 8, "[:r 1 nil]");
  v = CheckLinearizableFile(dir.File("stale.edn", stale), Quick(), &stats);
  EXPECT_TRUE(v.illegal()) << v.summary;
}

// Porcupine's kv form, with the key in its own :key field.
TEST(StreamReader, ReadsPorcupineKvWithKeyField) {
  TempDir dir;
  const std::string ok =
      "{:process 0, :type :invoke, :f :put, :key \"a\", :value \"x\"}\n"
      "{:process 0, :type :ok, :f :put, :key \"a\", :value \"x\"}\n"
      "{:process 1, :type :invoke, :f :append, :key \"a\", :value \"y\"}\n"
      "{:process 1, :type :ok, :f :append, :key \"a\", :value \"y\"}\n"
      "{:process 2, :type :invoke, :f :get, :key \"a\", :value nil}\n"
      "{:process 2, :type :ok, :f :get, :key \"a\", :value \"xy\"}\n";
  FileCheckStats stats;
  Verdict v = CheckLinearizableFile(dir.File("ok.edn", ok), Quick(), &stats);
  EXPECT_TRUE(v.ok()) << v.summary;
  EXPECT_TRUE(stats.streamed) << stats.fallback_reason;
  // A stale get is caught (after the fallback that explains it).
  std::string stale = ok;
  stale.replace(stale.rfind("\"xy\""), 4, "\"x\"");
  v = CheckLinearizableFile(dir.File("stale.edn", stale), Quick(), &stats);
  EXPECT_TRUE(v.illegal()) << v.summary;
  ASSERT_FALSE(v.details.empty());
  EXPECT_NE(v.details[0].find("-> \"x\""), std::string::npos) << v.details[0];
}

// Each op map read across every possible block boundary gives the same ops.
TEST(StreamReader, BlockBoundariesDoNotMatter) {
  GenOptions g;
  g.model = GenOptions::Model::kKv;
  g.ops = 200;
  g.clients = 4;
  g.keys = 3;
  g.crash_fraction = 0.1;
  g.fail_fraction = 0.1;
  TempDir dir;
  std::string text = ToEdn(lin::GenerateHistory(g));
  // Comments, commas, a string with escapes, a map over two lines, a nemesis op.
  text = "; a comment\n{:type :info, :process :nemesis, :f :start, :value {:a [1 \"]\"]}}\n" + text +
         "{:type :invoke, :process 99, :f :put, :value [\"k\" \"a\\\"b\\\\c\"],\n :index 9999, :time 99999}\n";
  const std::string path = dir.File("kv.edn", text);
  lin::StreamedHistory whole;
  ASSERT_TRUE(lin::StreamHistoryFile(path, &whole).ok());
  auto summary = [](lin::StreamedHistory& h) {
    std::string s = h.model + " fail " + std::to_string(h.dropped_fail) + ":";
    for (uint32_t k = 0; k < h.keys().size(); ++k) {
      lin::ValueStore vs;
      lin::Partition p;
      h.MaterializePartition(k, &vs, &p);
      lin::PartitionState st(p, &vs);
      s += " " + h.keys()[k].edn.ToEdn() + "{";
      for (const lin::LinOp& op : p.ops) {
        s += std::to_string(op.call) + "-" + (op.indeterminate ? "never" : std::to_string(op.ret)) + " " +
             st.DescribeOp(op) + "; ";
      }
      s += "}";
    }
    return s;
  };
  const std::string expected = summary(whole);
  EXPECT_NE(expected.find("\"a\\\"b\\\\c\""), std::string::npos) << expected;
  for (size_t block : {1, 2, 3, 7, 64, 1000}) {
    lin::StreamedHistory h;
    StreamStatus s = lin::StreamHistoryFile(path, &h, block);
    ASSERT_TRUE(s.ok()) << block << ": line " << s.line << ": " << s.reason;
    EXPECT_EQ(summary(h), expected) << "block " << block;
  }
}

// The pairing rules of SEMANTICS.md 6.2, broken: the streaming reader
// reports the line and the reason the generic reader reports, and the
// file-level check (which re-reads bad input generically) prints the
// generic reader's error.
TEST(StreamReader, BadInputSameLineAndReasonAsTheGenericReader) {
  const std::string w0 = "{:type :invoke, :process 0, :f :write, :value [1 1], :time 10}\n";
  const std::string cases[] = {
      // a return before its call
      w0 + "{:type :ok, :process 0, :f :write, :value [1 1], :time 5}\n",
      // a process with two operations in flight
      w0 + "{:type :invoke, :process 0, :f :read, :value [1 nil], :time 11}\n",
      // a completion without an invocation
      "{:type :ok, :process 3, :f :read, :value [1 nil], :time 1}\n",
      // an invocation after :info retired the process
      w0 + "{:type :info, :process 0, :f :write, :value [1 1], :time 12}\n" +
          "{:type :invoke, :process 0, :f :read, :value [1 nil], :time 13}\n",
      // a completion of another :f
      w0 + "{:type :ok, :process 0, :f :read, :value [1 1], :time 12}\n",
      // an unknown op type
      "{:type :done, :process 0, :f :read, :value [1 nil]}\n",
      // no :type
      "{:process 0, :f :read, :value [1 nil]}\n",
      // a truncated file
      w0 + "{:type :ok, :process 0, :f :write, :value [1 1",
  };
  TempDir dir;
  int i = 0;
  for (const std::string& text : cases) {
    History h;
    ParseError generic = ReadEdnHistory(text, &h);
    ASSERT_FALSE(generic.ok) << text;
    lin::StreamedHistory sh;
    StreamStatus s = lin::StreamHistoryText(text, &sh);
    EXPECT_EQ(s.kind, StreamStatus::Kind::kBadInput) << text << s.reason;
    EXPECT_EQ(s.line, generic.line) << text << s.reason;
    if (generic.reason.find("process") != std::string::npos) {
      EXPECT_EQ(s.reason, generic.reason) << text;
    }
    const std::string path = dir.File("bad" + std::to_string(i++) + ".edn", text);
    Verdict v = CheckLinearizableFile(path, Quick());
    EXPECT_EQ(v.summary, "bad input");
    ASSERT_EQ(v.details.size(), 1u);
    EXPECT_EQ(v.details[0], path + ": " + generic.ToString());
  }
}

// Shapes it does not read go to the History path, with the same verdict.
TEST(StreamReader, FallsBackForMixedTransactionsMutexesAndUnkeyedHistories) {
  const std::string cases[] = {
      "{:type :invoke, :process 0, :f :txn, :value [[:w 1 1] [:r 2 nil]]}\n"
      "{:type :ok, :process 0, :f :txn, :value [[:w 1 1] [:r 2 nil]]}\n"
      "{:type :invoke, :process 0, :f :write, :value [1 3]}\n{:type :ok, :process 0, :f :write, :value [1 3]}\n",
      "{:type :invoke, :process 0, :value [[:w 1 1] [:r 2 nil]]}\n"
      "{:type :ok, :process 0, :value [[:w 1 1] [:r 2 nil]]}\n",
      "{:type :invoke, :process 0, :f :acquire, :value nil}\n{:type :ok, :process 0, :f :acquire, :value nil}\n",
      "{:type :invoke, :process 0, :f :write, :value 3}\n{:type :ok, :process 0, :f :write, :value 3}\n",
      "[{:type :invoke, :process 0, :f :write, :value [1 3]} {:type :ok, :process 0, :f :write, :value [1 3]}]\n",
      "{:type :invoke, :process 0, :f :write, :value [1 3.5]}\n{:type :ok, :process 0, :f :write, :value [1 3.5]}\n",
  };
  TempDir dir;
  int i = 0;
  for (const std::string& text : cases) {
    const std::string path = dir.File("f" + std::to_string(i++) + ".edn", text);
    lin::StreamedHistory sh;
    EXPECT_EQ(lin::StreamHistoryFile(path, &sh).kind, StreamStatus::Kind::kUnsupported) << text;
    FileCheckStats stats;
    Verdict v = CheckLinearizableFile(path, Quick(), &stats);
    EXPECT_FALSE(stats.streamed) << text;
    EXPECT_TRUE(v.ok()) << text << v.summary;
  }
}

}  // namespace
}  // namespace txlab
