// Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL PERSIST
// (Redis 7.0 expire.c, including the NX/XX/GT/LT options).
#include <climits>
#include <string>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

enum ExpireFlags { kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8 };

// expireGenericCommand. basetime_ms: now for EXPIRE/PEXPIRE, 0 for *AT.
Reply ExpireGeneric(ExecContext& ctx, Args argv, bool relative, bool seconds, std::string_view name) {
  int flags = 0;
  for (size_t j = 3; j < argv.size(); ++j) {
    std::string_view o = argv[j];
    if (EqualsIgnoreCase(o, "nx")) flags |= kExpireNx;
    else if (EqualsIgnoreCase(o, "xx")) flags |= kExpireXx;
    else if (EqualsIgnoreCase(o, "gt")) flags |= kExpireGt;
    else if (EqualsIgnoreCase(o, "lt")) flags |= kExpireLt;
    else return Reply::Error("ERR Unsupported option " + std::string(o));
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt)))
    return ErrorReply("ERR NX and XX, GT or LT options at the same time are not compatible");
  if ((flags & kExpireGt) && (flags & kExpireLt))
    return ErrorReply("ERR GT and LT options at the same time are not compatible");

  int64_t when;
  if (!ParseInt64(argv[2], &when)) return ErrorReply(errors::kNotInteger);
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) return InvalidExpireError(name);
    when *= 1000;
  }
  int64_t base = relative ? ctx.NowMs() : 0;
  if (when > LLONG_MAX - base) return InvalidExpireError(name);
  when += base;

  std::string_view key = argv[1];
  Entry* e = LookupKey(ctx, key);
  if (e == nullptr) return Reply::Integer(0);
  int64_t current = e->expire_ms;
  if ((flags & kExpireNx) && current != kNoExpire) return Reply::Integer(0);
  if ((flags & kExpireXx) && current == kNoExpire) return Reply::Integer(0);
  if ((flags & kExpireGt) && (current == kNoExpire || when <= current)) return Reply::Integer(0);
  if ((flags & kExpireLt) && current != kNoExpire && when >= current) return Reply::Integer(0);

  if (when <= ctx.NowMs()) {
    // checkAlreadyExpired: an expiry in the past deletes the key.
    DeleteKey(ctx, key);
  } else {
    Keyspace& ks = ctx.Data();
    ks.SetExpire(ks.entries.find(key), when);
  }
  SignalModifiedKey(ctx, key);
  return Reply::Integer(1);
}

Reply ExpireCommand(ExecContext& ctx, Args argv) { return ExpireGeneric(ctx, argv, true, true, "expire"); }
Reply PExpireCommand(ExecContext& ctx, Args argv) { return ExpireGeneric(ctx, argv, true, false, "pexpire"); }
Reply ExpireAtCommand(ExecContext& ctx, Args argv) { return ExpireGeneric(ctx, argv, false, true, "expireat"); }
Reply PExpireAtCommand(ExecContext& ctx, Args argv) { return ExpireGeneric(ctx, argv, false, false, "pexpireat"); }

Reply TtlGeneric(ExecContext& ctx, Args argv, bool ms) {
  Entry* e = LookupKey(ctx, argv[1]);
  if (e == nullptr) return Reply::Integer(-2);
  if (e->expire_ms == kNoExpire) return Reply::Integer(-1);
  int64_t ttl = e->expire_ms - ctx.NowMs();
  if (ttl < 0) ttl = 0;
  return Reply::Integer(ms ? ttl : (ttl + 500) / 1000);
}

Reply TtlCommand(ExecContext& ctx, Args argv) { return TtlGeneric(ctx, argv, false); }
Reply PTtlCommand(ExecContext& ctx, Args argv) { return TtlGeneric(ctx, argv, true); }

// PERSIST on a key without TTL changes nothing and touches nothing (T21).
Reply PersistCommand(ExecContext& ctx, Args argv) {
  std::string_view key = argv[1];
  Entry* e = LookupKey(ctx, key);
  if (e == nullptr || e->expire_ms == kNoExpire) return Reply::Integer(0);
  Keyspace& ks = ctx.Data();
  ks.SetExpire(ks.entries.find(key), kNoExpire);
  SignalModifiedKey(ctx, key);
  return Reply::Integer(1);
}

}  // namespace

void RegisterExpireCommands(CommandTable& t) {
  t.Add({"expire", -3, kCmdWrite | kCmdFast, 1, 1, 1, ExpireCommand});
  t.Add({"pexpire", -3, kCmdWrite | kCmdFast, 1, 1, 1, PExpireCommand});
  t.Add({"expireat", -3, kCmdWrite | kCmdFast, 1, 1, 1, ExpireAtCommand});
  t.Add({"pexpireat", -3, kCmdWrite | kCmdFast, 1, 1, 1, PExpireAtCommand});
  t.Add({"ttl", 2, kCmdReadonly | kCmdFast, 1, 1, 1, TtlCommand});
  t.Add({"pttl", 2, kCmdReadonly | kCmdFast, 1, 1, 1, PTtlCommand});
  t.Add({"persist", 2, kCmdWrite | kCmdFast, 1, 1, 1, PersistCommand});
}

}  // namespace txlab
