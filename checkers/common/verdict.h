// Verdict: what every checker returns. Checkers read histories only
// (model/history.h), never engines.
#ifndef TXLAB_CHECKERS_COMMON_VERDICT_H_
#define TXLAB_CHECKERS_COMMON_VERDICT_H_

#include <string>
#include <vector>

namespace txlab {

struct Verdict {
  enum class Outcome { kOk, kIllegal, kUnknown };

  std::string checker;    // "linearizable", "elle-list-append", "bank-invariant", ...
  Outcome outcome = Outcome::kUnknown;
  std::string summary;    // one line for tables: "ok", "G2-item, G-single", "total 990 != 1000"
  // Human-readable explanation: anomalies with their cycles, failing
  // sub-histories, budgets exhausted. Each entry may span several lines.
  std::vector<std::string> details;
  // For isolation checkers: the consistency models the history satisfies and
  // the ones it rules out ("strict-serializable", "snapshot-isolation", ...).
  std::vector<std::string> models_ok;
  std::vector<std::string> models_violated;

  bool ok() const { return outcome == Outcome::kOk; }
  bool illegal() const { return outcome == Outcome::kIllegal; }
};

inline const char* OutcomeName(Verdict::Outcome o) {
  switch (o) {
    case Verdict::Outcome::kOk: return "ok";
    case Verdict::Outcome::kIllegal: return "illegal";
    case Verdict::Outcome::kUnknown: return "unknown";
  }
  return "?";
}

}  // namespace txlab

#endif  // TXLAB_CHECKERS_COMMON_VERDICT_H_
