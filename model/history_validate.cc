// Structural validation of a history: the pairing rules of SEMANTICS.md 6.2.
#include "model/history_validate.h"

#include <string>
#include <unordered_map>

namespace txlab {

namespace {

struct ProcessState {
  size_t open = SIZE_MAX;     // position of the invocation in flight
  size_t retired = SIZE_MAX;  // position of the :info that retired the process
};

}  // namespace

ParseError ValidateOps(const History& h, const std::vector<int>* lines) {
  auto line_of = [&](size_t i) { return lines ? (*lines)[i] : static_cast<int>(i + 1); };
  auto where = [&](size_t i) { return (lines ? "line " : "op ") + std::to_string(line_of(i)); };
  std::unordered_map<int64_t, ProcessState> procs;
  for (size_t i = 0; i < h.size(); ++i) {
    const Op& op = h[i];
    ProcessState& p = procs[op.process];
    const std::string proc = "process " + std::to_string(op.process);
    if (op.type == OpType::kInvoke) {
      if (p.retired != SIZE_MAX) {
        return ParseError{false, line_of(i),
                          proc + " invokes after :info retired it at " + where(p.retired) +
                              " (an indeterminate op ends its process; use a fresh process id)"};
      }
      if (p.open != SIZE_MAX) {
        return ParseError{false, line_of(i),
                          proc + " has two operations in flight: its :invoke at " + where(p.open) +
                              " has no completion yet"};
      }
      p.open = i;
      continue;
    }
    if (p.open == SIZE_MAX) {
      return ParseError{false, line_of(i),
                        std::string("completion :") + OpTypeName(op.type) + " by " + proc +
                            " without an invocation in flight"};
    }
    const Op& inv = h[p.open];
    if (!inv.f.empty() && !op.f.empty() && inv.f != op.f) {
      return ParseError{false, line_of(i),
                        "completion :f :" + op.f + " does not match its invocation's :f :" + inv.f + " at " +
                            where(p.open)};
    }
    if (op.time_ns < inv.time_ns) {
      return ParseError{false, line_of(i),
                        "returns before its call: completion :time " + std::to_string(op.time_ns) +
                            " < invocation :time " + std::to_string(inv.time_ns) + " at " + where(p.open)};
    }
    p.open = SIZE_MAX;
    if (op.type == OpType::kInfo) p.retired = i;
  }
  return ParseError{};
}

ParseError ValidateHistory(const History& h) { return ValidateOps(h, nullptr); }

}  // namespace txlab
