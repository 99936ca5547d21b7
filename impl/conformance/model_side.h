// The reference model as one side of a comparison: KeyspaceModel plus the
// commands it does not know itself, also queued inside MULTI —
//   * EVAL / EVALSHA of generated scripts and SCRIPT LOAD/EXISTS/FLUSH (diff_script.h:
//     the calls run on the model, Redis 7.0's conversions applied), with
//     the server's script cache;
//   * BLPOP / BRPOP, predicted through LPOP / RPOP (the runners are
//     sequential: a client is never served by another);
//   * connection commands (CLIENT, CONFIG): not predicted (no connections).
// Inside MULTI these queue a placeholder PING in the model; an EXEC whose
// queue holds one is decided on a copy of the model (abort or not) and, if it
// runs, the model's MULTI is discarded and the queue run one command after
// another (nothing else runs in between: EXEC's atomic run).
// Used by the over-the-wire runner (diff_runner.cc) and the in-process test
// (engine_model_test.cc, where it is RapidCheck's model state: copyable).
#ifndef TXLAB_IMPL_CONFORMANCE_MODEL_SIDE_H_
#define TXLAB_IMPL_CONFORMANCE_MODEL_SIDE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/keyspace_model.h"
#include "model/reply.h"

namespace txlab::diff {

class ModelSide {
 public:
  using Argv = std::vector<std::string>;

  explicit ModelSide(int64_t base_ms = KeyspaceModel::kDefaultStartMs) : model_(base_ms) {}
  KeyspaceModel& model() { return model_; }
  const KeyspaceModel& model() const { return model_; }

  // The model's reply to `argv` from session `s`, or nothing where it does not
  // predict one. `reference` (the server's reply, if there is one) gives a
  // connection command's queue-time verdict inside MULTI; without it the
  // command counts as queued.
  std::optional<Reply> Step(int s, const Argv& argv, const Reply* reference = nullptr);
  void Disconnect(int s);
  void AdvanceClock(int64_t ms) { model_.AdvanceClock(ms); }
  void ActiveExpireCycle() { model_.ActiveExpireCycle(); }

  bool InMulti(int s) const { return model_.InMulti(s); }
  // The commands `s` has queued, as sent (scripts included).
  std::vector<Argv> Queued(int s) const;
  // The server's script cache: sha1 (lower-case) -> body.
  const std::map<std::string, std::string>& loaded_scripts() const { return *loaded_; }

  // SCRIPT LOAD / EXISTS / FLUSH.
  static bool IsScriptCommand(const Argv& argv);

 private:
  static bool NeedsOwnExec(const std::vector<Argv>& q);
  std::optional<Reply> Outside(int s, const Argv& argv);
  Reply BlockingPop(int s, const Argv& argv);
  std::optional<Reply> ExecWithScripts(int s);

  KeyspaceModel model_;
  std::map<int, std::vector<Argv>> queue_;
  // Shared between copies until one changes it (RapidCheck copies the model
  // at every op; the cache changes only at script ops).
  std::shared_ptr<const std::map<std::string, std::string>> loaded_ =
      std::make_shared<const std::map<std::string, std::string>>();
};

}  // namespace txlab::diff

#endif  // TXLAB_IMPL_CONFORMANCE_MODEL_SIDE_H_
