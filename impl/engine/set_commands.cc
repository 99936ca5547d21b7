// Set commands (t_set.c): SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SMOVE,
// SINTER SUNION SDIFF (and their *STORE forms) and SINTERCARD.
#include <string>
#include <vector>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

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


// ---- multi-key set algebra (t_set.c sinterGenericCommand,
// sunionDiffGenericCommand) --------------------------------------------------

// Looks up every source key in order, as Redis does (lazily expiring each);
// stops at the first key of another type (later keys are not looked up).
// A missing key is a nullptr (an empty set). Returns false on WRONGTYPE.
bool LookupSources(ExecContext& ctx, Args keys, std::vector<const SetValue*>* sets) {
  sets->clear();
  for (std::string_view k : keys) {
    bool wrong;
    const SetValue* s = LookupAs<SetValue>(ctx, k, &wrong);
    if (wrong) return false;
    sets->push_back(s);
  }
  return true;
}

SetValue Intersect(const std::vector<const SetValue*>& sets, size_t limit) {
  SetValue out;
  for (const SetValue* s : sets) {
    if (s == nullptr) return out;
  }
  // Walk the smallest set, as Redis does (only the count matters for LIMIT).
  const SetValue* smallest = sets[0];
  for (const SetValue* s : sets) {
    if (s->size() < smallest->size()) smallest = s;
  }
  for (const std::string& m : *smallest) {
    bool all = true;
    for (const SetValue* s : sets) {
      if (s != smallest && !s->contains(m)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    out.emplace(m);
    if (limit != 0 && out.size() >= limit) break;
  }
  return out;
}

SetValue UnionOrDiff(const std::vector<const SetValue*>& sets, bool diff) {
  SetValue out;
  if (!diff) {
    for (const SetValue* s : sets) {
      if (s != nullptr) out.insert(s->begin(), s->end());
    }
    return out;
  }
  if (sets[0] == nullptr) return out;
  for (const std::string& m : *sets[0]) {
    bool elsewhere = false;
    for (size_t i = 1; i < sets.size() && !elsewhere; ++i) {
      elsewhere = sets[i] != nullptr && sets[i]->contains(m);
    }
    if (!elsewhere) out.emplace(m);
  }
  return out;
}

Reply SetReply(ExecContext& ctx, const SetValue& s) {
  std::vector<Reply> out;
  out.reserve(s.size());
  for (const std::string& m : s) out.push_back(Reply::Bulk(m));
  return ctx.resp == 3 ? Reply::Set(std::move(out)) : Reply::Array(std::move(out));
}

// *STORE's destination: a non-empty result replaces whatever `dst` held (any
// type, any TTL: setKey) and always signals; an empty result deletes `dst`
// (dbDelete, no expiry check) and signals only if something was deleted.
Reply StoreSet(ExecContext& ctx, std::string_view dst, SetValue result) {
  if (result.empty()) {
    if (DeleteKey(ctx, dst)) SignalModifiedKey(ctx, dst);
    return Reply::Integer(0);
  }
  const auto n = static_cast<int64_t>(result.size());
  if (LookupKey(ctx, dst) != nullptr) DeleteKey(ctx, dst);
  Entry e;
  e.value.emplace<SetValue>(std::move(result));
  ctx.Data().entries.emplace(std::string(dst), std::move(e));
  SignalModifiedKey(ctx, dst);
  return Reply::Integer(n);
}

enum class SetOp { kInter, kUnion, kDiff };

// SINTER/SUNION/SDIFF key [key ...] and their *STORE forms (dst first).
template <SetOp op, bool store>
Reply SetAlgebraCommand(ExecContext& ctx, Args argv) {
  std::vector<const SetValue*> sets;
  if (!LookupSources(ctx, argv.subspan(store ? 2 : 1), &sets)) return WrongType();
  SetValue result = op == SetOp::kInter ? Intersect(sets, 0) : UnionOrDiff(sets, op == SetOp::kDiff);
  if constexpr (store) {
    return StoreSet(ctx, argv[1], std::move(result));
  } else {
    return SetReply(ctx, result);
  }
}

// SINTERCARD numkeys key [key ...] [LIMIT limit] (sinterCardCommand).
Reply SInterCardCommand(ExecContext& ctx, Args argv) {
  int64_t numkeys;
  if (!ParseInt64(argv[1], &numkeys) || numkeys < 1) {
    return ErrorReply("ERR numkeys should be greater than 0");
  }
  if (numkeys > static_cast<int64_t>(argv.size()) - 2) {
    return ErrorReply("ERR Number of keys can't be greater than number of args");
  }
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "limit") && j + 1 < argv.size()) {
      ++j;
      if (!ParseInt64(argv[j], &limit) || limit < 0) return ErrorReply("ERR LIMIT can't be negative");
    } else {
      return ErrorReply(errors::kSyntax);
    }
  }
  std::vector<const SetValue*> sets;
  if (!LookupSources(ctx, argv.subspan(2, static_cast<size_t>(numkeys)), &sets)) return WrongType();
  return Reply::Integer(static_cast<int64_t>(Intersect(sets, static_cast<size_t>(limit)).size()));
}

Reply SMIsMemberCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const SetValue* s = LookupAs<SetValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  out.reserve(argv.size() - 2);
  for (size_t i = 2; i < argv.size(); ++i) {
    out.push_back(Reply::Integer(s != nullptr && s->contains(argv[i]) ? 1 : 0));
  }
  return Reply::Array(std::move(out));
}

// SMOVE src dst member (smoveCommand): both keys are looked up first; a
// missing source answers 0 before any type check; src == dst is a
// membership test. The source is signalled when the member left it, the
// destination only when the member was new there (T21).
Reply SMoveCommand(ExecContext& ctx, Args argv) {
  std::string_view src_key = argv[1], dst_key = argv[2], member = argv[3];
  Entry* src_e = LookupKey(ctx, src_key);
  Entry* dst_e = LookupKey(ctx, dst_key);
  if (src_e == nullptr) return Reply::Integer(0);
  auto* src = std::get_if<SetValue>(&src_e->value);
  if (src == nullptr) return WrongType();
  if (dst_e != nullptr && std::get_if<SetValue>(&dst_e->value) == nullptr) return WrongType();
  if (src_e == dst_e) return Reply::Integer(src->contains(member) ? 1 : 0);
  auto it = src->find(member);
  if (it == src->end()) return Reply::Integer(0);
  src->erase(it);
  DeleteIfEmpty(ctx, src_key);  // may invalidate src_e/src; dst_e is another key
  bool wrong;
  SetValue* dst = LookupOrCreate<SetValue>(ctx, dst_key, &wrong);
  SignalModifiedKey(ctx, src_key);
  if (dst->emplace(member).second) SignalModifiedKey(ctx, dst_key);
  return Reply::Integer(1);
}

}  // namespace

void RegisterSetCommands(CommandTable& t) {
  t.Add({"sadd", -3, kCmdWrite | kCmdFast, 1, 1, 1, SAddCommand});
  t.Add({"srem", -3, kCmdWrite | kCmdFast, 1, 1, 1, SRemCommand});
  t.Add({"smembers", 2, kCmdReadonly | kCmdUnorderedReply, 1, 1, 1, SMembersCommand});
  t.Add({"sismember", 3, kCmdReadonly | kCmdFast, 1, 1, 1, SIsMemberCommand});
  t.Add({"scard", 2, kCmdReadonly | kCmdFast, 1, 1, 1, SCardCommand});
  t.Add({"smismember", -3, kCmdReadonly | kCmdFast, 1, 1, 1, SMIsMemberCommand});
  t.Add({"smove", 4, kCmdWrite | kCmdFast, 1, 2, 1, SMoveCommand});
  t.Add({"sinter", -2, kCmdReadonly | kCmdUnorderedReply, 1, -1, 1, (SetAlgebraCommand<SetOp::kInter, false>)});
  t.Add({"sinterstore", -3, kCmdWrite, 1, -1, 1, (SetAlgebraCommand<SetOp::kInter, true>)});
  t.Add({"sunion", -2, kCmdReadonly | kCmdUnorderedReply, 1, -1, 1, (SetAlgebraCommand<SetOp::kUnion, false>)});
  t.Add({"sunionstore", -3, kCmdWrite, 1, -1, 1, (SetAlgebraCommand<SetOp::kUnion, true>)});
  t.Add({"sdiff", -2, kCmdReadonly | kCmdUnorderedReply, 1, -1, 1, (SetAlgebraCommand<SetOp::kDiff, false>)});
  t.Add({"sdiffstore", -3, kCmdWrite, 1, -1, 1, (SetAlgebraCommand<SetOp::kDiff, true>)});
  // Keys follow numkeys (Redis: first/last/step 0, found by key specs).
  t.Add({"sintercard", -3, kCmdReadonly, 0, 0, 0, SInterCardCommand});
}

}  // namespace txlab
