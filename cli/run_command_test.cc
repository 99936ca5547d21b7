// `txlab run`: flag parsing, exit statuses, and the default comparison with
// the checkers of this build: safe strategies pass, negative controls fail.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/checks.h"
#include "cli/run_args.h"
#include "workloads/experiment.h"

namespace txlab {
namespace {

TEST(RunArgsTest, Durations) {
  EXPECT_EQ(ParseDurationNs("5s"), 5'000'000'000);
  EXPECT_EQ(ParseDurationNs("1.5"), 1'500'000'000);
  EXPECT_EQ(ParseDurationNs("250ms"), 250'000'000);
  EXPECT_EQ(ParseDurationNs("40us"), 40'000);
  EXPECT_EQ(ParseDurationNs("7ns"), 7);
  EXPECT_EQ(ParseDurationNs("2m"), 120'000'000'000);
  EXPECT_EQ(ParseDurationNs("abc"), -1);
  EXPECT_EQ(ParseDurationNs("5 s"), -1);
  EXPECT_EQ(ParseDurationNs("5h"), -1);
}

TEST(RunArgsTest, StrategyRuns) {
  auto runs = ParseStrategyRuns("lua,watch");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1][0].name, "watch");
  runs = ParseStrategyRuns("lua:0.5,watch:0.5");  // every item shared: one mix
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].size(), 2u);
  EXPECT_DOUBLE_EQ(runs[0][1].share, 0.5);
  runs = ParseStrategyRuns("naive,lua:0.7+lock-fenced:0.3");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1][1].name, "lock-fenced");
  EXPECT_EQ(ParseStrategyRuns("all").size(), StrategyNames().size());
  EXPECT_THROW(ParseStrategyRuns("nope"), std::invalid_argument);
  EXPECT_THROW(ParseStrategyRuns("lua:x,watch:1"), std::invalid_argument);
  EXPECT_THROW(ParseStrategyRuns("lua:0,watch:1"), std::invalid_argument);
}

int Txlab(const std::string& args) {
  std::string cmd = std::string(TXLAB_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(RunCommandTest, BadCommandLinesExitWithStatus2) {
  EXPECT_EQ(Txlab("run --no-such-flag"), 2);
  EXPECT_EQ(Txlab("run --clients abc"), 2);
  EXPECT_EQ(Txlab("run --clients 0"), 2);
  EXPECT_EQ(Txlab("run --duration 5parsecs"), 2);
  EXPECT_EQ(Txlab("run --runner cloud"), 2);
  EXPECT_EQ(Txlab("run --strategy lua,nope"), 2);
  EXPECT_EQ(Txlab("run --workload nope"), 2);
  EXPECT_EQ(Txlab("run --zipf-theta 1"), 2);
  EXPECT_EQ(Txlab("run --runner threads --crash-prob 0.1"), 2);
  EXPECT_EQ(Txlab("run --crash-command EXEC"), 2);  // without --crash-prob
  EXPECT_EQ(Txlab("run --crash-prob 0.1 --crash-command 'EX EC'"), 2);
  EXPECT_EQ(Txlab("run --crash-after-apply 1.5"), 2);
  EXPECT_EQ(Txlab("run --target bogus"), 2);
  EXPECT_EQ(Txlab("run --key-tags {bank}"), 2);
  EXPECT_EQ(Txlab("run --key-tags ''"), 2);
  EXPECT_EQ(Txlab("frobnicate"), 2);
  EXPECT_EQ(Txlab("run --help"), 0);
  EXPECT_EQ(Txlab("--help"), 0);
}

TEST(RunCommandTest, WritesResultsFolder) {
  auto dir = std::filesystem::temp_directory_path() / ("txlab_run_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(Txlab("run -q --workload bank,counter --strategy watch,lua:0.5+watch:0.5 -n 200 --seed 3 --out " +
                  dir.string()),
            0);
  for (const char* f : {"config.json", "metrics.json", "verdicts.json", "bank/watch/history.edn",
                        "bank/watch/history.json", "counter/lua_0.5+watch_0.5/history.edn"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  std::ifstream in(dir / "config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  EXPECT_EQ(config["seed"], 3);
  EXPECT_TRUE(config["machine"].contains("cpu_model"));
  EXPECT_TRUE(config.contains("git_commit"));
  EXPECT_EQ(config["workloads"], nlohmann::json({"bank", "counter"}));
  // The base options hold what the cases share, not a placeholder workload.
  EXPECT_FALSE(config["base"].contains("workload"));
  EXPECT_FALSE(config["base"].contains("strategies"));
  EXPECT_EQ(config["base"]["ops"], 200);
  std::ifstream m(dir / "metrics.json");
  nlohmann::json metrics = nlohmann::json::parse(m);
  ASSERT_EQ(metrics.size(), 4u);
  EXPECT_TRUE(metrics[0]["strategies"][0]["latency_ns"].contains("p99.9"));
  EXPECT_TRUE(metrics[0]["strategies"][0]["aborts_by_reason"].contains("watch-conflict"));
  std::filesystem::remove_all(dir);
}

TEST(RunCommandTest, DefaultComparisonSeparatesSafeFromUnsafe) {
  ExperimentSpec spec;
  spec.workloads = {"bank", "counter", "list-append"};
  spec.strategy_runs = ParseStrategyRuns("all");
  spec.base.ops = 600;
  spec.base.seed = 42;
  std::printf("seed 42\n");
  auto results = RunExperiment(
      spec, [](const Workload& w, const RunOutput& o) { return CheckCase(w, o, CheckOptions{}); }, nullptr);
  ASSERT_EQ(results.size(), 3 * StrategyNames().size());
  for (const CaseResult& r : results) {
    const bool unsafe = IsNegativeControl(r.config.strategies[0].name);
    const std::optional<Verdict>& v =
        r.config.workload == "list-append" ? r.verdicts.isolation : r.verdicts.invariant;
    if (!v) {
      ASSERT_EQ(r.config.workload, "list-append") << "invariant checks always run";
      continue;  // isolation checker not in this build
    }
    const std::string what = r.config.workload + " × " + r.config.StrategyLabel() + ": " + v->summary;
    if (unsafe) {
      EXPECT_TRUE(v->illegal()) << what;
    } else {
      EXPECT_TRUE(v->ok()) << what;
    }
  }
}

TEST(RunCommandTest, MixedRunJudgesTheWholeAndAttributesPerStrategy) {
  // One combined history per mixed run; per strategy, bank judges that
  // strategy's reads alone, Elle's anomalies are split into those among
  // its own txns and those shared with another strategy's.
  ExperimentSpec spec;
  spec.workloads = {"bank", "list-append"};
  spec.strategy_runs = {{{"lua", 0.5}, {"watch", 0.5}}, {{"lua", 0.5}, {"naive", 0.5}}};
  spec.base.ops = 800;
  spec.base.seed = 3;
  std::printf("seed 3\n");
  auto results = RunExperiment(
      spec, [](const Workload& w, const RunOutput& o) { return CheckCase(w, o, CheckOptions{}); }, nullptr);
  ASSERT_EQ(results.size(), 4u);
  for (const CaseResult& r : results) {
    const std::string what = r.config.workload + " × " + r.config.StrategyLabel();
    ASSERT_EQ(r.output.op_strategy.size(), r.output.history.size()) << what;
    ASSERT_EQ(r.verdicts.per_strategy.size(), 2u) << what;
    size_t ops = 0;
    for (uint8_t s = 0; s < 2; ++s) ops += OpsOfStrategy(r.output.history, r.output.op_strategy, s).size();
    EXPECT_EQ(ops, r.output.history.size()) << what;
    const bool unsafe = r.config.strategies[1].name == "naive";
    const StrategyFindings& lua = r.verdicts.per_strategy[0];
    const StrategyFindings& other = r.verdicts.per_strategy[1];
    if (r.config.workload == "bank") {
      ASSERT_TRUE(lua.reads && other.reads) << what;
      EXPECT_EQ(r.verdicts.invariant->ok(), !unsafe) << what;
      // naive's own reads are torn even when the store is right.
      EXPECT_EQ(other.reads->illegal(), unsafe) << what << ": " << other.reads->summary;
      if (!unsafe) {
        EXPECT_TRUE(lua.reads->ok()) << what << ": " << lua.reads->summary;
      }
    } else {
      if (!r.verdicts.isolation) continue;  // isolation checker not in this build
      EXPECT_EQ(r.verdicts.isolation->illegal(), unsafe) << what;
      // Atomic scripts alone form no anomaly; naive's txns do, and both
      // take part in anomalies that span the two.
      EXPECT_TRUE(lua.own_anomalies.empty()) << what;
      if (unsafe) {
        EXPECT_FALSE(other.own_anomalies.empty()) << what;
        EXPECT_FALSE(lua.shared_anomalies.empty()) << what;
      } else {
        EXPECT_TRUE(other.own_anomalies.empty() && other.shared_anomalies.empty()) << what;
      }
    }
  }
}

}  // namespace
}  // namespace txlab
