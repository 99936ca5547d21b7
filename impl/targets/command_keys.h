// Which arguments of a command are keys: what a cluster client routes by.
//
// A fixed table in Redis's own terms (first key, last key, step; see
// COMMAND INFO) for the commands txlab's strategies, workloads and tests
// send, plus the "movable" ones whose keys are counted by an argument:
// EVAL / EVALSHA / EVAL_RO / EVALSHA_RO / FCALL / FCALL_RO (numkeys at
// argv[2], keys after it). Commands not in the table are treated as keyless
// (PING, MULTI, EXEC, SCRIPT, FLUSHALL, ... and anything unknown), so a
// cluster connection sends them to the transaction's node or any node.
#ifndef TXLAB_IMPL_TARGETS_COMMAND_KEYS_H_
#define TXLAB_IMPL_TARGETS_COMMAND_KEYS_H_

#include <string>
#include <vector>

namespace txlab {

// Indexes into argv of the keys of the command (in argument order; empty for
// keyless commands). `name` is argv[0] upper-cased.
std::vector<size_t> CommandKeyIndexes(const std::string& name, const std::vector<std::string>& argv);

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_COMMAND_KEYS_H_
