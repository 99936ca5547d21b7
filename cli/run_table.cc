#include "cli/run_table.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace txlab {

std::string FormatDuration(int64_t ns) {
  if (ns >= 10'000'000'000) return fmt::format("{:.0f}s", ns / 1e9);
  if (ns >= 1'000'000'000) return fmt::format("{:.2f}s", ns / 1e9);
  if (ns >= 1'000'000) return fmt::format("{:.1f}ms", ns / 1e6);
  if (ns >= 1'000) return fmt::format("{:.0f}us", ns / 1e3);
  return fmt::format("{}ns", ns);
}

namespace {

std::string VerdictCell(const std::optional<Verdict>& v) {
  if (!v) return "-";
  std::string s = v->ok() ? "ok" : (v->illegal() ? "FAIL: " : "unknown: ");
  if (!v->ok()) s += v->summary;
  if (s.size() > 44) s = s.substr(0, 41) + "...";
  return s;
}

// A mixed run's strategy row: what its share of the combined history shows.
std::string ReadsCell(const StrategyFindings& f) {
  if (!f.reads) return "";
  std::string s = "reads " + VerdictCell(f.reads);
  if (s.size() > 44) s = s.substr(0, 41) + "...";
  return s;
}

std::string AnomaliesCell(const StrategyFindings& f) {
  if (!f.isolation_checked) return "";
  auto total = [](const std::map<std::string, size_t>& m) {
    size_t n = 0;
    for (const auto& [type, k] : m) n += k;
    return n;
  };
  if (f.own_anomalies.empty() && f.shared_anomalies.empty()) return "in no anomaly";
  std::string s = fmt::format("own {}, shared {}", total(f.own_anomalies), total(f.shared_anomalies));
  if (!f.own_anomalies.empty()) {
    s += ": ";
    bool first = true;
    for (const auto& [type, k] : f.own_anomalies) {
      s += (first ? "" : ", ") + type;
      first = false;
    }
  }
  if (s.size() > 44) s = s.substr(0, 41) + "...";
  return s;
}

}  // namespace

std::string FormatRunTable(const std::vector<CaseResult>& results) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"workload", "strategy", "commits/s", "aborts", "retries/c", "waits/c", "cmds/c", "p99",
                  "give-ups", "invariant", "isolation"});
  bool virtual_time = false, mixed = false;
  auto metric_cells = [](std::vector<std::string>& row, const StrategyMetrics& m, int64_t elapsed_ns) {
    row.push_back(fmt::format("{:.0f}", m.Throughput(elapsed_ns)));
    row.push_back(fmt::format("{:.1f}%", 100 * m.AbortRate()));
    row.push_back(fmt::format("{:.2f}", m.RetriesPerCommit()));
    row.push_back(fmt::format("{:.2f}", m.LockWaitsPerCommit()));
    row.push_back(fmt::format("{:.1f}", m.CommandsPerCommit()));
    row.push_back(FormatDuration(m.latency_ns.Percentile(0.99)));
    row.push_back(fmt::format("{}", m.give_ups));
  };
  for (const CaseResult& r : results) {
    virtual_time |= r.config.runner == "sim";
    const auto& ms = r.output.metrics;
    if (ms.size() == 1) {
      std::vector<std::string> row = {r.config.workload, r.config.StrategyLabel()};
      metric_cells(row, ms[0], r.output.elapsed_ns);
      row.push_back(VerdictCell(r.verdicts.invariant));
      row.push_back(VerdictCell(r.verdicts.isolation));
      rows.push_back(std::move(row));
      continue;
    }
    // A mixed run: the whole (all strategies, the combined history's
    // verdicts), then each strategy with its findings.
    mixed = true;
    StrategyMetrics all;
    for (const StrategyMetrics& m : ms) all.Merge(m);
    std::vector<std::string> row = {r.config.workload, r.config.StrategyLabel() + " (all)"};
    metric_cells(row, all, r.output.elapsed_ns);
    row.push_back(VerdictCell(r.verdicts.invariant));
    row.push_back(VerdictCell(r.verdicts.isolation));
    rows.push_back(std::move(row));
    for (size_t i = 0; i < ms.size(); ++i) {
      std::vector<std::string> srow = {r.config.workload, "  " + ms[i].strategy};
      metric_cells(srow, ms[i], r.output.elapsed_ns);
      const bool found = i < r.verdicts.per_strategy.size();
      srow.push_back(found ? ReadsCell(r.verdicts.per_strategy[i]) : "");
      srow.push_back(found ? AnomaliesCell(r.verdicts.per_strategy[i]) : "");
      rows.push_back(std::move(srow));
    }
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const bool numeric = c >= 2 && c <= 8;
      line += numeric ? fmt::format("{:>{}}", rows[r][c], width[c]) : fmt::format("{:<{}}", rows[r][c], width[c]);
      if (c + 1 < rows[r].size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (r == 0) {
      size_t total = 0;
      for (size_t w : width) total += w + 2;
      out += std::string(total - 2, '-') + "\n";
    }
  }
  if (mixed) {
    out += "(mixed runs: one history, judged as a whole on the (all) row; per strategy, bank judges its reads "
           "alone and\n list-append/rw-register/ycsb count the kept anomalies among its own txns and shared "
           "with others: workloads/README.md)\n";
  }
  if (virtual_time) {
    out += "(sim runner: commits/s and latency are in virtual time; one command costs --command-cost)\n";
  }
  return out;
}

}  // namespace txlab
