#include "checkers/invariants/bank.h"

#include <set>
#include <string>

namespace txlab {

Verdict CheckBank(const History& h, int64_t expected_total) {
  Verdict v;
  v.checker = "bank-invariant";
  std::set<std::string> accounts;  // from the first :ok read
  bool have_accounts = false;
  size_t reads = 0, bad = 0;
  int64_t last_read_index = -1;
  bool last_read_bad = false;
  for (const Op& op : h) {
    if (op.type != OpType::kOk || op.f != "read") continue;
    const std::string where = "read " + std::to_string(op.index);
    if (!op.value.is_map()) {
      v.outcome = Verdict::Outcome::kUnknown;
      v.summary = where + ": value is not a map of balances: " + op.value.ToEdn();
      return v;
    }
    ++reads;
    std::vector<std::string> problems;
    int64_t total = 0;
    std::set<std::string> seen;
    for (const auto& [account, balance] : op.value.as_map()) {
      const std::string name = account.ToEdn();
      seen.insert(name);
      if (balance.is_nil()) {
        problems.push_back("account " + name + " has a nil balance");
        continue;
      }
      if (!balance.is_int()) {
        v.outcome = Verdict::Outcome::kUnknown;
        v.summary = where + ": balance of " + name + " is not an integer: " + balance.ToEdn();
        return v;
      }
      total += balance.as_int();
      if (balance.as_int() < 0) {
        problems.push_back("account " + name + " overdrawn: " + std::to_string(balance.as_int()));
      }
    }
    if (total != expected_total) {
      problems.insert(problems.begin(),
                      "total " + std::to_string(total) + " != " + std::to_string(expected_total));
    }
    if (!have_accounts) {
      accounts = seen;
      have_accounts = true;
    } else if (seen != accounts) {
      for (const auto& a : accounts) {
        if (!seen.count(a)) problems.push_back("account " + a + " missing");
      }
      for (const auto& a : seen) {
        if (!accounts.count(a)) problems.push_back("unexpected account " + a);
      }
    }
    last_read_index = op.index;
    last_read_bad = !problems.empty();
    if (problems.empty()) continue;
    std::string line = where + ": " + problems[0];
    for (size_t i = 1; i < problems.size(); ++i) line += "; " + problems[i];
    if (bad == 0) v.summary = line;
    if (bad < 32) v.details.push_back(line + "  " + op.value.ToEdn());
    ++bad;
  }
  if (reads == 0) {
    v.outcome = Verdict::Outcome::kUnknown;
    v.summary = "no :ok read of the balances";
    return v;
  }
  if (bad == 0) {
    v.outcome = Verdict::Outcome::kOk;
    v.summary = "ok";
    v.details.push_back(std::to_string(reads) + " reads, each totalling " + std::to_string(expected_total) +
                        " with no overdraft");
    return v;
  }
  v.outcome = Verdict::Outcome::kIllegal;
  if (bad > 1) v.summary += " (and " + std::to_string(bad - 1) + " more bad reads)";
  v.details.push_back(std::to_string(bad) + " of " + std::to_string(reads) + " reads break the invariants; final read " +
                      std::to_string(last_read_index) + (last_read_bad ? " is bad" : " is fine"));
  return v;
}

}  // namespace txlab
