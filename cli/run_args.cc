#include "cli/run_args.h"

#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "impl/txn/strategy.h"

namespace txlab {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

int64_t ParseDurationNs(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return -1;
  double v;
  try {
    size_t used = 0;
    v = std::stod(s.substr(0, i), &used);
    if (used != i) return -1;
  } catch (...) {
    return -1;
  }
  const std::string unit = s.substr(i);
  double scale;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s" || unit.empty()) scale = 1e9;
  else if (unit == "m") scale = 60e9;
  else return -1;
  return static_cast<int64_t>(std::llround(v * scale));
}

std::vector<std::vector<StrategyShare>> ParseStrategyRuns(const std::string& spec) {
  std::vector<std::string> items;
  for (const std::string& item : Split(spec, ',')) {
    if (item == "all") {
      for (const std::string& n : StrategyNames()) items.push_back(n);
    } else {
      items.push_back(item);
    }
  }
  if (items.empty()) throw std::invalid_argument("--strategy: empty");
  auto parse_share = [](const std::string& part) {
    StrategyShare s;
    auto colon = part.find(':');
    s.name = part.substr(0, colon);
    if (colon != std::string::npos) {
      try {
        size_t used = 0;
        s.share = std::stod(part.substr(colon + 1), &used);
        if (used != part.size() - colon - 1) throw std::invalid_argument("");
      } catch (...) {
        throw std::invalid_argument("--strategy: bad share in '" + part + "'");
      }
      if (!(s.share > 0)) throw std::invalid_argument("--strategy: share must be > 0 in '" + part + "'");
    }
    if (!MakeStrategy(s.name, StrategyOptions{}, 0, 0)) {
      std::string known;
      for (const auto& n : StrategyNames()) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument("--strategy: unknown strategy '" + s.name + "' (known: " + known + ")");
    }
    return s;
  };
  std::vector<std::vector<StrategyShare>> runs;
  bool all_shared = items.size() > 1;
  for (const std::string& item : items) all_shared &= item.find(':') != std::string::npos && item.find('+') == std::string::npos;
  if (all_shared) {
    std::vector<StrategyShare> mix;
    for (const std::string& item : items) mix.push_back(parse_share(item));
    runs.push_back(mix);
    return runs;
  }
  for (const std::string& item : items) {
    std::vector<StrategyShare> run;
    for (const std::string& part : Split(item, '+')) run.push_back(parse_share(part));
    runs.push_back(run);
  }
  return runs;
}

}  // namespace txlab
