// String commands (Redis 7.0 t_string.c): GET SET SETNX GETSET GETDEL MGET
// MSET MSETNX INCR INCRBY DECR DECRBY INCRBYFLOAT APPEND STRLEN.
#include <charconv>
#include <climits>
#include <cmath>
#include <string>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

Reply WrongType() { return ErrorReply(errors::kWrongType); }

Reply GetCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (v == nullptr) return Reply::Nil();
  return Reply::Bulk(*v);
}

// ---- SET -------------------------------------------------------------------

enum SetFlags : unsigned {
  kSetNx = 1, kSetXx = 2, kSetGet = 4, kSetKeepTtl = 8,
  kSetEx = 16, kSetPx = 32, kSetExAt = 64, kSetPxAt = 128,
};
constexpr unsigned kAnyExpire = kSetEx | kSetPx | kSetExAt | kSetPxAt;

// parseExtendedStringArgumentsOrReply (SET flavour), including its quirks:
// a repeated EX is accepted (the last wins), EX after PX is a syntax error.
bool ParseSetOptions(Args argv, unsigned* flags, std::string_view* expire) {
  for (size_t j = 3; j < argv.size(); ++j) {
    std::string_view o = argv[j];
    bool has_next = j + 1 < argv.size();
    if (EqualsIgnoreCase(o, "nx") && !(*flags & kSetXx)) {
      *flags |= kSetNx;
    } else if (EqualsIgnoreCase(o, "xx") && !(*flags & kSetNx)) {
      *flags |= kSetXx;
    } else if (EqualsIgnoreCase(o, "get")) {
      *flags |= kSetGet;
    } else if (EqualsIgnoreCase(o, "keepttl") && !(*flags & kAnyExpire)) {
      *flags |= kSetKeepTtl;
    } else if (EqualsIgnoreCase(o, "ex") && !(*flags & (kSetKeepTtl | (kAnyExpire & ~kSetEx))) && has_next) {
      *flags |= kSetEx;
      *expire = argv[++j];
    } else if (EqualsIgnoreCase(o, "px") && !(*flags & (kSetKeepTtl | (kAnyExpire & ~kSetPx))) && has_next) {
      *flags |= kSetPx;
      *expire = argv[++j];
    } else if (EqualsIgnoreCase(o, "exat") && !(*flags & (kSetKeepTtl | (kAnyExpire & ~kSetExAt))) && has_next) {
      *flags |= kSetExAt;
      *expire = argv[++j];
    } else if (EqualsIgnoreCase(o, "pxat") && !(*flags & (kSetKeepTtl | (kAnyExpire & ~kSetPxAt))) && has_next) {
      *flags |= kSetPxAt;
      *expire = argv[++j];
    } else {
      return false;
    }
  }
  return true;
}

// getExpireMillisecondsOrReply. Returns false with *err set.
bool ExpireMillis(ExecContext& ctx, unsigned flags, std::string_view arg, int64_t* ms, Reply* err) {
  int64_t v;
  if (!ParseInt64(arg, &v)) {
    *err = ErrorReply(errors::kNotInteger);
    return false;
  }
  bool seconds = flags & (kSetEx | kSetExAt);
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
    *err = InvalidExpireError("set");
    return false;
  }
  if (seconds) v *= 1000;
  if (flags & (kSetEx | kSetPx)) {
    int64_t now = ctx.NowMs();
    if (v > LLONG_MAX - now) {
      *err = InvalidExpireError("set");
      return false;
    }
    v += now;
  }
  *ms = v;
  return true;
}

Reply SetCommand(ExecContext& ctx, Args argv) {
  unsigned flags = 0;
  std::string_view expire_arg;
  if (!ParseSetOptions(argv, &flags, &expire_arg)) return ErrorReply(errors::kSyntax);
  int64_t expire_ms = kNoExpire;
  if (flags & kAnyExpire) {
    Reply err;
    if (!ExpireMillis(ctx, flags, expire_arg, &expire_ms, &err)) return err;
  }
  std::string_view key = argv[1];
  Reply reply = Reply::Ok();
  Entry* e = LookupKey(ctx, key);
  if (flags & kSetGet) {
    if (e == nullptr) {
      reply = Reply::Nil();
    } else if (const auto* s = std::get_if<StringValue>(&e->value)) {
      reply = Reply::Bulk(*s);
    } else {
      return WrongType();
    }
  }
  bool found = e != nullptr;
  if (((flags & kSetNx) && found) || ((flags & kSetXx) && !found)) {
    // Failed NX/XX: nothing changes, nothing is touched (T21).
    return (flags & kSetGet) ? reply : Reply::Nil();
  }
  StoreString(ctx, key, argv[2], flags & kSetKeepTtl);
  if (expire_ms != kNoExpire) {
    Keyspace& ks = ctx.Data();
    ks.SetExpire(ks.entries.find(key), expire_ms);
  }
  SignalModifiedKey(ctx, key);  // even when the value is the same (T20)
  return reply;
}

Reply SetNxCommand(ExecContext& ctx, Args argv) {
  if (LookupKey(ctx, argv[1]) != nullptr) return Reply::Integer(0);
  StoreString(ctx, argv[1], argv[2], false);
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Integer(1);
}

Reply GetSetCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  Reply old = v == nullptr ? Reply::Nil() : Reply::Bulk(*v);
  StoreString(ctx, argv[1], argv[2], false);
  SignalModifiedKey(ctx, argv[1]);
  return old;
}

Reply GetDelCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (v == nullptr) return Reply::Nil();
  Reply old = Reply::Bulk(std::move(*v));
  DeleteKey(ctx, argv[1]);
  SignalModifiedKey(ctx, argv[1]);
  return old;
}

// MGET: a key of another type reads as nil.
Reply MGetCommand(ExecContext& ctx, Args argv) {
  std::vector<Reply> out;
  out.reserve(argv.size() - 1);
  for (size_t i = 1; i < argv.size(); ++i) {
    bool wrong;
    const StringValue* v = LookupAs<StringValue>(ctx, argv[i], &wrong);
    out.push_back(v == nullptr ? Reply::Nil() : Reply::Bulk(*v));
  }
  return Reply::Array(std::move(out));
}

Reply MSetCommand(ExecContext& ctx, Args argv) {
  if (argv.size() % 2 == 0) return ArityError("mset");
  for (size_t i = 1; i < argv.size(); i += 2) {
    LookupKey(ctx, argv[i]);  // lazy-expire first, as setKey's lookupKeyWrite
    StoreString(ctx, argv[i], argv[i + 1], false);
    SignalModifiedKey(ctx, argv[i]);
  }
  return Reply::Ok();
}

Reply MSetNxCommand(ExecContext& ctx, Args argv) {
  if (argv.size() % 2 == 0) return ArityError("msetnx");
  for (size_t i = 1; i < argv.size(); i += 2) {
    if (LookupKey(ctx, argv[i]) != nullptr) return Reply::Integer(0);
  }
  for (size_t i = 1; i < argv.size(); i += 2) {
    StoreString(ctx, argv[i], argv[i + 1], false);
    SignalModifiedKey(ctx, argv[i]);
  }
  return Reply::Integer(1);
}

// ---- counters ---------------------------------------------------------------

// incrDecrCommand. The key keeps its TTL.
Reply IncrDecr(ExecContext& ctx, std::string_view key, int64_t incr) {
  bool wrong;
  StringValue* v = LookupAs<StringValue>(ctx, key, &wrong);
  if (wrong) return WrongType();
  int64_t value = 0;
  if (v != nullptr && !ParseInt64(*v, &value)) return ErrorReply(errors::kNotInteger);
  if ((incr < 0 && value < 0 && incr < (LLONG_MIN - value)) || (incr > 0 && value > 0 && incr > (LLONG_MAX - value)))
    return ErrorReply(errors::kOverflow);
  value += incr;
  char buf[24];
  size_t n = static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, value).ptr - buf);
  if (v != nullptr) {
    v->assign(buf, n);
  } else {
    StoreString(ctx, key, std::string_view(buf, n), false);
  }
  SignalModifiedKey(ctx, key);
  return Reply::Integer(value);
}

Reply IncrCommand(ExecContext& ctx, Args argv) { return IncrDecr(ctx, argv[1], 1); }
Reply DecrCommand(ExecContext& ctx, Args argv) { return IncrDecr(ctx, argv[1], -1); }

Reply IncrByCommand(ExecContext& ctx, Args argv) {
  int64_t incr;
  if (!ParseInt64(argv[2], &incr)) return ErrorReply(errors::kNotInteger);
  return IncrDecr(ctx, argv[1], incr);
}

Reply DecrByCommand(ExecContext& ctx, Args argv) {
  int64_t incr;
  if (!ParseInt64(argv[2], &incr)) return ErrorReply(errors::kNotInteger);
  if (incr == LLONG_MIN) return ErrorReply("ERR decrement would overflow");
  return IncrDecr(ctx, argv[1], -incr);
}

Reply IncrByFloatCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  long double value = 0, incr = 0;
  if ((v != nullptr && !ParseLongDouble(*v, &value)) || !ParseLongDouble(argv[2], &incr))
    return ErrorReply(errors::kNotFloat);
  value += incr;
  if (std::isnan(value) || std::isinf(value)) return ErrorReply("ERR increment would produce NaN or Infinity");
  std::string s = FormatLongDoubleHuman(value);
  if (v != nullptr) {
    *v = s;
  } else {
    StoreString(ctx, argv[1], s, false);
  }
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Bulk(std::move(s));
}

Reply AppendCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  size_t len;
  if (v == nullptr) {
    StoreString(ctx, argv[1], argv[2], false);
    len = argv[2].size();
  } else {
    v->append(argv[2]);
    len = v->size();
  }
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Integer(static_cast<int64_t>(len));
}

Reply StrLenCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const StringValue* v = LookupAs<StringValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(v == nullptr ? 0 : static_cast<int64_t>(v->size()));
}

}  // namespace

void RegisterStringCommands(CommandTable& t) {
  t.Add({"get", 2, kCmdReadonly | kCmdFast, 1, 1, 1, GetCommand});
  t.Add({"set", -3, kCmdWrite, 1, 1, 1, SetCommand});
  t.Add({"setnx", 3, kCmdWrite | kCmdFast, 1, 1, 1, SetNxCommand});
  t.Add({"getset", 3, kCmdWrite | kCmdFast, 1, 1, 1, GetSetCommand});
  t.Add({"getdel", 2, kCmdWrite | kCmdFast, 1, 1, 1, GetDelCommand});
  t.Add({"mget", -2, kCmdReadonly | kCmdFast, 1, -1, 1, MGetCommand});
  t.Add({"mset", -3, kCmdWrite, 1, -1, 2, MSetCommand});
  t.Add({"msetnx", -3, kCmdWrite, 1, -1, 2, MSetNxCommand});
  t.Add({"incr", 2, kCmdWrite | kCmdFast, 1, 1, 1, IncrCommand});
  t.Add({"decr", 2, kCmdWrite | kCmdFast, 1, 1, 1, DecrCommand});
  t.Add({"incrby", 3, kCmdWrite | kCmdFast, 1, 1, 1, IncrByCommand});
  t.Add({"decrby", 3, kCmdWrite | kCmdFast, 1, 1, 1, DecrByCommand});
  t.Add({"incrbyfloat", 3, kCmdWrite | kCmdFast, 1, 1, 1, IncrByFloatCommand});
  t.Add({"append", 3, kCmdWrite, 1, 1, 1, AppendCommand});
  t.Add({"strlen", 2, kCmdReadonly | kCmdFast, 1, 1, 1, StrLenCommand});
}

}  // namespace txlab
