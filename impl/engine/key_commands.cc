// Generic key commands: KEYS SCAN EXISTS TYPE DEL UNLINK RENAME.
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

// KEYS skips stale keys without deleting them (as Redis's keysCommand).
Reply KeysCommand(ExecContext& ctx, Args argv) {
  std::vector<Reply> out;
  std::string_view pattern = argv[1];
  bool all = pattern == "*";
  int64_t now = ctx.NowMs();
  for (const auto& [key, entry] : ctx.Data().entries) {
    if (entry.ExpiredAt(now)) continue;
    if (all || GlobMatch(pattern, key)) out.push_back(Reply::Bulk(key));
  }
  return Reply::Array(std::move(out));
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The engine returns
// the whole keyspace in one step (cursor "0"): COUNT is only a hint in Redis,
// and a complete iteration satisfies every SCAN guarantee.
Reply ScanCommand(ExecContext& ctx, Args argv) {
  // parseScanCursorOrReply: strtoul rules ("" is 0, "+1" is 1).
  std::string c(argv[1]);
  char* end = nullptr;
  errno = 0;
  unsigned long cursor = std::strtoul(c.c_str(), &end, 10);
  if ((!c.empty() && std::isspace(static_cast<unsigned char>(c[0]))) || *end != '\0' || errno == ERANGE ||
      c.size() != std::strlen(c.c_str()))
    return ErrorReply("ERR invalid cursor");
  std::string_view pattern;
  std::string_view type;
  bool has_pattern = false, has_type = false;
  for (size_t i = 2; i < argv.size(); i += 2) {
    if (i + 1 >= argv.size()) return ErrorReply(errors::kSyntax);
    if (EqualsIgnoreCase(argv[i], "count")) {
      int64_t n;
      if (!ParseInt64(argv[i + 1], &n)) return ErrorReply(errors::kNotInteger);
      if (n < 1) return ErrorReply(errors::kSyntax);
    } else if (EqualsIgnoreCase(argv[i], "match")) {
      pattern = argv[i + 1];
      has_pattern = !(pattern == "*");
    } else if (EqualsIgnoreCase(argv[i], "type")) {
      type = argv[i + 1];
      has_type = true;
    } else {
      return ErrorReply(errors::kSyntax);
    }
  }
  std::vector<Reply> keys;
  if (cursor == 0) {
    std::vector<std::string> candidates;
    for (const auto& [key, entry] : ctx.Data().entries) {
      if (has_pattern && !GlobMatch(pattern, key)) continue;
      if (has_type && !EqualsIgnoreCase(type, TypeName(entry.value))) continue;
      candidates.push_back(key);
    }
    // Stale keys are expired on the way (expireIfNeeded), as in Redis.
    for (const std::string& k : candidates) {
      if (LookupKey(ctx, k) != nullptr) keys.push_back(Reply::Bulk(k));
    }
  }
  return Reply::Array({Reply::Bulk("0"), Reply::Array(std::move(keys))});
}

Reply ExistsCommand(ExecContext& ctx, Args argv) {
  int64_t n = 0;
  for (size_t i = 1; i < argv.size(); ++i) n += LookupKey(ctx, argv[i]) != nullptr;
  return Reply::Integer(n);
}

Reply TypeCommand(ExecContext& ctx, Args argv) {
  Entry* e = LookupKey(ctx, argv[1]);
  return Reply::Status(e == nullptr ? "none" : TypeName(e->value));
}

// DEL and UNLINK: deleting a missing key is a no-op that touches nothing (T21).
Reply DelCommand(ExecContext& ctx, Args argv) {
  int64_t n = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (LookupKey(ctx, argv[i]) == nullptr) continue;
    DeleteKey(ctx, argv[i]);
    SignalModifiedKey(ctx, argv[i]);
    ++n;
  }
  return Reply::Integer(n);
}

// RENAME touches both keys (T20). Same name: OK without touching.
Reply RenameCommand(ExecContext& ctx, Args argv) {
  std::string_view src = argv[1], dst = argv[2];
  Entry* e = LookupKey(ctx, src);
  if (e == nullptr) return ErrorReply(errors::kNoSuchKey);
  if (src == dst) return Reply::Ok();
  Value v = std::move(e->value);
  int64_t expire = e->expire_ms;
  DeleteKey(ctx, src);
  if (LookupKey(ctx, dst) != nullptr) DeleteKey(ctx, dst);
  Keyspace& ks = ctx.Data();
  auto it = ks.entries.emplace(std::string(dst), Entry{std::move(v), kNoExpire}).first;
  ks.SetExpire(it, expire);
  SignalModifiedKey(ctx, src);
  SignalModifiedKey(ctx, dst);
  return Reply::Ok();
}

}  // namespace

void RegisterKeyCommands(CommandTable& t) {
  t.Add({"keys", 2, kCmdReadonly | kCmdUnorderedReply, 0, 0, 0, KeysCommand});
  t.Add({"scan", -2, kCmdReadonly | kCmdUnorderedReply, 0, 0, 0, ScanCommand});
  t.Add({"exists", -2, kCmdReadonly | kCmdFast, 1, -1, 1, ExistsCommand});
  t.Add({"type", 2, kCmdReadonly | kCmdFast, 1, 1, 1, TypeCommand});
  t.Add({"del", -2, kCmdWrite, 1, -1, 1, DelCommand});
  t.Add({"unlink", -2, kCmdWrite | kCmdFast, 1, -1, 1, DelCommand});
  t.Add({"rename", 3, kCmdWrite, 1, 2, 1, RenameCommand});
}

}  // namespace txlab
