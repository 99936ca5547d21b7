#include "workloads/result_writer.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "model/history_io.h"

namespace txlab {

namespace fs = std::filesystem;

std::string NewRunId(uint64_t seed) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return fmt::format("{}-s{}", buf, seed);
}

namespace {
std::string Shell(const char* cmd) {
  std::string out;
  FILE* p = popen(cmd, "r");
  if (!p) return out;
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

std::string GitCommit() {
  std::string head = Shell("git rev-parse HEAD 2>/dev/null");
  if (head.empty()) return "unknown";
  if (!Shell("git status --porcelain --untracked-files=no 2>/dev/null").empty()) head += "+dirty";
  return head;
}

nlohmann::json MachineInfo() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  std::string cpu = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) cpu = line.substr(colon + 2);
      break;
    }
  }
  utsname u{};
  uname(&u);
  return {{"hostname", host},
          {"nproc", std::thread::hardware_concurrency()},
          {"cpu_model", cpu},
          {"os", fmt::format("{} {} {}", u.sysname, u.release, u.machine)}};
}

nlohmann::json VerdictToJson(const Verdict& v) {
  return {{"checker", v.checker},         {"outcome", OutcomeName(v.outcome)},
          {"summary", v.summary},         {"details", v.details},
          {"models_ok", v.models_ok},     {"models_violated", v.models_violated}};
}

namespace {
// "lua:0.5+watch:0.5" is a fine folder name; keep it readable but safe.
std::string Slug(std::string s) {
  for (char& c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+' || c == '_')) c = '_';
  }
  return s;
}
}  // namespace

bool WriteResults(const std::string& dir, const ExperimentSpec& spec, const std::vector<CaseResult>& results,
                  const std::string& command_line, std::string* error) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("cannot create {}: {}", dir, ec.message());
    return false;
  }
  nlohmann::json workloads = spec.workloads;
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : spec.strategy_runs) {
    nlohmann::json one = nlohmann::json::array();
    for (const auto& s : r) one.push_back({{"name", s.name}, {"share", s.share}});
    runs.push_back(one);
  }
  // The options every case shares; workload and strategies vary per case
  // ("workloads", "strategy_runs"), so the base's own placeholders are left out.
  nlohmann::json base = spec.base.ToJson();
  base.erase("workload");
  base.erase("strategies");
  nlohmann::json config = {
      {"command_line", command_line},
      {"seed", spec.base.seed},
      {"workloads", workloads},
      {"strategy_runs", runs},
      {"base", base},
      {"git_commit", GitCommit()},
      {"machine", MachineInfo()},
      {"created_utc", NewRunId(spec.base.seed).substr(0, 15)},
  };
  nlohmann::json metrics = nlohmann::json::array();
  nlohmann::json verdicts = nlohmann::json::array();
  for (const CaseResult& r : results) {
    nlohmann::json per_strategy = nlohmann::json::array();
    for (const StrategyMetrics& m : r.output.metrics) per_strategy.push_back(m.ToJson(r.output.elapsed_ns));
    metrics.push_back({{"workload", r.config.workload},
                       {"strategy", r.config.StrategyLabel()},
                       {"runner", r.config.runner},
                       {"hash_tag", ResolvedHashTag(r.config)},
                       {"elapsed_ns", r.output.elapsed_ns},
                       {"wall_ns", r.output.wall_ns},
                       {"sim_steps", r.output.steps},
                       {"sim_pauses", r.output.pauses},
                       {"sim_crashes", r.output.crashes},
                       {"sim_crashes_after_apply", r.output.crashes_after_apply},
                       {"history_ops", r.output.history.size()},
                       {"check_ns", r.check_ns},
                       {"strategies", per_strategy}});
    nlohmann::json v = {{"workload", r.config.workload}, {"strategy", r.config.StrategyLabel()}};
    if (r.verdicts.invariant) v["invariant"] = VerdictToJson(*r.verdicts.invariant);
    if (r.verdicts.isolation) v["isolation"] = VerdictToJson(*r.verdicts.isolation);
    if (!r.verdicts.per_strategy.empty()) {
      nlohmann::json per = nlohmann::json::array();
      for (size_t i = 0; i < r.verdicts.per_strategy.size(); ++i) {
        const StrategyFindings& f = r.verdicts.per_strategy[i];
        nlohmann::json one = {{"strategy", i < r.output.metrics.size() ? r.output.metrics[i].strategy : ""}};
        if (f.reads) one["reads_invariant"] = VerdictToJson(*f.reads);
        if (f.isolation_checked) {
          one["own_anomalies"] = f.own_anomalies;
          one["shared_anomalies"] = f.shared_anomalies;
        }
        per.push_back(one);
      }
      v["per_strategy"] = per;
    }
    verdicts.push_back(v);
    if (r.config.record) {
      fs::path hdir = fs::path(dir) / Slug(r.config.workload) / Slug(r.config.StrategyLabel());
      fs::create_directories(hdir, ec);
      std::ofstream edn(hdir / "history.edn");
      WriteEdnHistory(r.output.history, edn);
      std::ofstream json(hdir / "history.json");
      WriteJsonHistory(r.output.history, json);
      bool sidecar_ok = true;
      if (r.output.metrics.size() > 1) {
        // A mixed run: which strategy ran each op (by :index), to trace a
        // checker's counterexample to the strategies involved.
        nlohmann::json names = nlohmann::json::array();
        for (const StrategyMetrics& m : r.output.metrics) names.push_back(m.strategy);
        std::ofstream side(hdir / "op-strategy.json");
        side << nlohmann::json{{"strategies", names}, {"op_strategy", r.output.op_strategy}}.dump() << "\n";
        sidecar_ok = static_cast<bool>(side);
      }
      if (!edn || !json || !sidecar_ok) {
        *error = "cannot write history under " + hdir.string();
        return false;
      }
    }
  }
  auto write = [&](const char* name, const nlohmann::json& j) {
    std::ofstream out(fs::path(dir) / name);
    out << j.dump(2) << "\n";
    if (!out) {
      *error = fmt::format("cannot write {}/{}", dir, name);
      return false;
    }
    return true;
  };
  return write("config.json", config) && write("metrics.json", metrics) && write("verdicts.json", verdicts);
}

}  // namespace txlab
