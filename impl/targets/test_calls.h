// Test helper: run one command (or script) through a Connection, blocking.
#ifndef TXLAB_IMPL_TARGETS_TEST_CALLS_H_
#define TXLAB_IMPL_TARGETS_TEST_CALLS_H_

#include <string>
#include <vector>

#include "impl/txn/connection.h"
#include "impl/txn/script.h"
#include "impl/txn/task.h"

namespace txlab::testing {

inline Task<Reply> CallTask(Connection& c, std::vector<std::string> argv) {
  co_return co_await c.Call(std::move(argv));
}

// Network connections never suspend, so RunSync completes the task.
inline Reply Call(Connection& c, std::vector<std::string> argv) { return RunSync(CallTask(c, std::move(argv))); }

inline Reply Script(Connection& c, const txlab::Script& s, const std::vector<std::string>& keys,
                    const std::vector<std::string>& args) {
  return RunSync(RunScript(c, s, keys, args));
}

}  // namespace txlab::testing

#endif  // TXLAB_IMPL_TARGETS_TEST_CALLS_H_
