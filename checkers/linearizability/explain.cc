#include "checkers/linearizability/explain.h"

#include <algorithm>
#include <chrono>

#include "checkers/linearizability/partition_state.h"
#include "checkers/linearizability/search.h"

namespace txlab {
namespace lin {

namespace {

std::string Interval(const LinOp& op, const History& h) {
  const Op& in = h[op.invoke_index];
  std::string s = "[" + std::to_string(in.index);
  if (op.complete_index != SIZE_MAX && !op.indeterminate) {
    s += " .. " + std::to_string(h[op.complete_index].index) + "]";
  } else {
    s += " .. never]";
  }
  return s;
}

}  // namespace

std::string DescribeOps(const Partition& p, ValueStore* values, const History& h) {
  PartitionState st(p, values);
  std::string s;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    const LinOp& op = p.ops[i];
    s += "  op" + std::to_string(i) + "  process " + std::to_string(op.process) + "  :index " + Interval(op, h) +
         "  " + st.DescribeOp(op) + "\n";
  }
  return s;
}

std::string ExplainIllegal(const Partition& p, ValueStore* values, const History& h) {
  std::string s = "operations (interval = :index of invoke .. completion):\n" + DescribeOps(p, values, h);
  SearchOptions o;
  o.track_partial = true;
  o.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  SearchResult r = Search(p, values, o);
  PartitionState st(p, values);
  s += "longest linearization found (state before each step):\n";
  std::vector<bool> done(p.ops.size(), false);
  if (r.partial.empty()) s += "  (none: no operation can go first)\n";
  for (uint32_t i : r.partial) {
    s += "  " + st.Describe() + "  ->  op" + std::to_string(i) + " " + st.DescribeOp(p.ops[i]) + "\n";
    st.Apply(p.ops[i]);
    done[i] = true;
  }
  s += "state then: " + st.Describe() + "; and no remaining operation fits:\n";
  // Candidates: remaining ops called before the earliest remaining return.
  int64_t min_ret = kNever;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (!done[i] && !p.ops[i].indeterminate) min_ret = std::min(min_ret, p.ops[i].ret);
  }
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (done[i]) continue;
    const LinOp& op = p.ops[i];
    if (op.call > min_ret) {
      s += "  op" + std::to_string(i) + " must follow an operation that has not been linearized\n";
      continue;
    }
    std::string why = st.WhyIllegal(op);
    s += "  op" + std::to_string(i) + " " + st.DescribeOp(op) + ": " +
         (why.empty() ? "possible here, but every continuation fails later" : why) + "\n";
  }
  return s;
}

}  // namespace lin
}  // namespace txlab
