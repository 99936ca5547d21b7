// Set commands (t_set.c): SADD SREM SMEMBERS SISMEMBER SCARD.
#include <string>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"

namespace txlab {

namespace {

Reply WrongType() { return ErrorReply(errors::kWrongType); }

// SADD of only existing members touches nothing (T21).
Reply SAddCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  SetValue* s = LookupOrCreate<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  int64_t added = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (!s->contains(argv[i])) {
      s->emplace(argv[i]);
      ++added;
    }
  }
  if (added > 0) SignalModifiedKey(ctx, argv[1]);
  return Reply::Integer(added);
}

Reply SRemCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  SetValue* s = LookupAs<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (s == nullptr) return Reply::Integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    auto it = s->find(argv[i]);
    if (it == s->end()) continue;
    s->erase(it);
    ++removed;
  }
  if (removed > 0) {
    DeleteIfEmpty(ctx, argv[1]);
    SignalModifiedKey(ctx, argv[1]);
  }
  return Reply::Integer(removed);
}

Reply SMembersCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const SetValue* s = LookupAs<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  if (s != nullptr) {
    out.reserve(s->size());
    for (const std::string& m : *s) out.push_back(Reply::Bulk(m));
  }
  return ctx.resp == 3 ? Reply::Set(std::move(out)) : Reply::Array(std::move(out));
}

Reply SIsMemberCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const SetValue* s = LookupAs<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(s != nullptr && s->contains(argv[2]) ? 1 : 0);
}

Reply SCardCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const SetValue* s = LookupAs<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(s == nullptr ? 0 : static_cast<int64_t>(s->size()));
}

}  // namespace

void RegisterSetCommands(CommandTable& t) {
  t.Add({"sadd", -3, kCmdWrite | kCmdFast, 1, 1, 1, SAddCommand});
  t.Add({"srem", -3, kCmdWrite | kCmdFast, 1, 1, 1, SRemCommand});
  t.Add({"smembers", 2, kCmdReadonly | kCmdUnorderedReply, 1, 1, 1, SMembersCommand});
  t.Add({"sismember", 3, kCmdReadonly | kCmdFast, 1, 1, 1, SIsMemberCommand});
  t.Add({"scard", 2, kCmdReadonly | kCmdFast, 1, 1, 1, SCardCommand});
}

}  // namespace txlab
