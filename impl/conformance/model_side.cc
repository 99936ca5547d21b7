#include "impl/conformance/model_side.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "impl/conformance/diff_gen.h"
#include "impl/conformance/diff_script.h"

namespace txlab::diff {

bool ModelSide::IsScriptCommand(const Argv& argv) {
  if (argv.size() < 2 || UpperCopy(argv[0]) != "SCRIPT") return false;
  const std::string sub = UpperCopy(argv[1]);
  return sub == "LOAD" || sub == "EXISTS" || sub == "FLUSH";
}

namespace {

// Commands the model does not run itself (see the header).
bool OwnCommand(const std::vector<std::string>& argv) {
  return IsEval(argv) || ModelSide::IsScriptCommand(argv) || IsBlockingPop(argv) || IsConnectionCommand(argv);
}

}  // namespace

std::vector<ModelSide::Argv> ModelSide::Queued(int s) const {
  auto it = queue_.find(s);
  return it == queue_.end() ? std::vector<Argv>{} : it->second;
}

std::optional<Reply> ModelSide::Outside(int s, const Argv& argv) {
  if (IsEval(argv) || IsScriptCommand(argv)) {
    auto loaded = std::make_shared<std::map<std::string, std::string>>(*loaded_);
    std::optional<Reply> r = IsEval(argv) ? EvalOnModel(model_, s, argv, *loaded) : ScriptCommandOnModel(argv, *loaded);
    loaded_ = std::move(loaded);
    return r;
  }
  if (IsBlockingPop(argv)) return BlockingPop(s, argv);
  if (IsConnectionCommand(argv)) return std::nullopt;
  return model_.Call(s, argv);
}

std::optional<Reply> ModelSide::Step(int s, const Argv& argv, const Reply* reference) {
  const std::string name = UpperCopy(argv[0]);
  if (!model_.InMulti(s)) return Outside(s, argv);
  if (IsConnectionCommand(argv)) {
    // Queued: a placeholder; refused at queue time: an arity error, which
    // aborts the model's EXEC as the refusal aborts the server's (T6).
    if (reference && *reference != Reply::Queued()) {
      model_.Call(s, {"GET"});
      return std::nullopt;
    }
    Reply r = model_.Call(s, {"PING"});
    if (r == Reply::Queued()) queue_[s].push_back(argv);
    return std::nullopt;
  }
  if (OwnCommand(argv)) {
    Reply r = model_.Call(s, {"PING"});
    if (r == Reply::Queued()) queue_[s].push_back(argv);
    return r;
  }
  if (name == "EXEC" && argv.size() == 1 && NeedsOwnExec(queue_[s])) return ExecWithScripts(s);
  Reply r = model_.Call(s, argv);
  if (r == Reply::Queued()) queue_[s].push_back(argv);
  if (!model_.InMulti(s)) queue_.erase(s);
  return r;
}

void ModelSide::Disconnect(int s) {
  model_.Disconnect(s);
  queue_.erase(s);
}

bool ModelSide::NeedsOwnExec(const std::vector<Argv>& q) {
  for (const Argv& a : q)
    if (OwnCommand(a)) return true;
  return false;
}

// BLPOP/BRPOP as blockingPopGenericCommand, for a client that is never
// served by another (the runner is sequential): the timeout is checked
// first, then the keys in order (WRONGTYPE stops), the first non-empty list
// is popped; none: a nil array (at once inside EXEC, T13; after the timeout
// otherwise).
Reply ModelSide::BlockingPop(int s, const Argv& argv) {
  const std::string& t = argv.back();
  char* end = nullptr;
  const long double timeout = std::strtold(t.c_str(), &end);
  if (t.empty() || *end != '\0' || std::isspace(static_cast<unsigned char>(t[0])) || std::isnan(timeout))
    return Reply::Error("ERR timeout is not a float or out of range");
  if (timeout < 0) return Reply::Error("ERR timeout is negative");
  const bool left = UpperCopy(argv[0]) == "BLPOP";
  for (size_t i = 1; i + 1 < argv.size(); ++i) {
    const Reply type = model_.Call(s, {"TYPE", argv[i]});
    if (type.str() == "none") continue;
    if (type.str() != "list") return Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    Reply v = model_.Call(s, {left ? "LPOP" : "RPOP", argv[i]});
    return Reply::Array({Reply::Bulk(argv[i]), v});
  }
  return Reply::NilArray();
}

std::optional<Reply> ModelSide::ExecWithScripts(int s) {
  const std::vector<Argv> queue = queue_[s];
  queue_.erase(s);
  KeyspaceModel probe = model_;
  if (probe.Call(s, {"EXEC"}).type() != Reply::Type::kArray) return model_.Call(s, {"EXEC"});
  model_.Call(s, {"DISCARD"});  // drops the watches too, as EXEC does
  std::vector<Reply> out;
  bool predicted = true;
  for (const Argv& a : queue) {
    std::optional<Reply> r = Outside(s, a);
    if (!r) predicted = false;
    out.push_back(r ? *r : Reply::Nil());
  }
  if (!predicted) return std::nullopt;
  return Reply::Array(std::move(out));
}

}  // namespace txlab::diff
