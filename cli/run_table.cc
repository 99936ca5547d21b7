#include "cli/run_table.h"

#include <algorithm>

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

}  // namespace

std::string FormatRunTable(const std::vector<CaseResult>& results) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"workload", "strategy", "commits/s", "aborts", "retries/c", "waits/c", "cmds/c", "p99",
                  "give-ups", "invariant", "isolation"});
  bool virtual_time = false;
  for (const CaseResult& r : results) {
    virtual_time |= r.config.runner == "sim";
    for (size_t i = 0; i < r.output.metrics.size(); ++i) {
      const StrategyMetrics& m = r.output.metrics[i];
      std::string label = r.output.metrics.size() == 1 ? r.config.StrategyLabel()
                                                       : fmt::format("{} (of {})", m.strategy, r.config.StrategyLabel());
      rows.push_back({r.config.workload, label, fmt::format("{:.0f}", m.Throughput(r.output.elapsed_ns)),
                      fmt::format("{:.1f}%", 100 * m.AbortRate()), fmt::format("{:.2f}", m.RetriesPerCommit()),
                      fmt::format("{:.2f}", m.LockWaitsPerCommit()),
                      fmt::format("{:.1f}", m.CommandsPerCommit()), FormatDuration(m.latency_ns.Percentile(0.99)),
                      fmt::format("{}", m.give_ups), i == 0 ? VerdictCell(r.verdicts.invariant) : "",
                      i == 0 ? VerdictCell(r.verdicts.isolation) : ""});
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
  if (virtual_time) {
    out += "(sim runner: commits/s and latency are in virtual time; one command costs --command-cost)\n";
  }
  return out;
}

}  // namespace txlab
