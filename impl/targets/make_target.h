// MakeTarget / TargetFactoryFor: from a target URL (target_url.h) to the
// Target a runner's clients connect to.
//
// The CLI wires `--target URL` as:
//
//   std::string error;
//   TargetFactory factory = TargetFactoryFor(url, &error);
//   if (!error.empty()) { report error; exit 2; }
//   std::unique_ptr<Runner> runner = MakeThreadRunner(factory);  // nullptr factory: embedded
//
// Network targets need the threads runner (the sim runner owns its engine).
#ifndef TXLAB_IMPL_TARGETS_MAKE_TARGET_H_
#define TXLAB_IMPL_TARGETS_MAKE_TARGET_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "impl/txn/target.h"

namespace txlab {

// Declared here as in workloads/runner.h (an identical alias may be declared
// twice), so impl/ does not include workloads/: the factory ignores the run
// configuration.
struct RunConfig;
using TargetFactory = std::function<std::unique_ptr<Target>(const RunConfig&)>;

// "embedded" -> a fresh engine (FreshEngineTarget); "redis://..." -> a
// RedisTarget that answered PING; "cluster://..." -> a ClusterTarget whose
// slot map was discovered. nullptr with the reason in *error otherwise. The
// store is NOT flushed.
std::unique_ptr<Target> MakeTarget(std::string_view url, std::string* error);

// For a run's TargetFactory. "embedded" (or empty) -> nullptr (the thread
// runner's default: a fresh engine per run). A network URL -> a factory that
// makes the target and FLUSHALLs it (every master of a cluster) so each run
// starts from an empty store; it throws std::runtime_error if that fails.
// The URL is checked (and the server probed once) now: on failure returns
// nullptr and sets *error, which is left empty on success.
TargetFactory TargetFactoryFor(std::string_view url, std::string* error);

}  // namespace txlab

#endif  // TXLAB_IMPL_TARGETS_MAKE_TARGET_H_
