// Hash commands (t_hash.c): HSET HGET HMGET HDEL HGETALL HINCRBY HEXISTS HLEN.
#include <climits>
#include <string>

#include "impl/engine/db.h"
#include "impl/engine/engine_state.h"
#include "impl/engine/parse.h"

namespace txlab {

namespace {

Reply WrongType() { return ErrorReply(errors::kWrongType); }

// HSET always signals, even when every field keeps its value (T20).
Reply HSetCommand(ExecContext& ctx, Args argv) {
  if (argv.size() % 2 == 1) return ArityError("hset");
  bool wrong;
  HashValue* h = LookupOrCreate<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  int64_t created = 0;
  for (size_t i = 2; i < argv.size(); i += 2) {
    auto it = h->find(argv[i]);
    if (it == h->end()) {
      h->emplace(std::string(argv[i]), std::string(argv[i + 1]));
      ++created;
    } else {
      it->second.assign(argv[i + 1]);
    }
  }
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Integer(created);
}

Reply HGetCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (h == nullptr) return Reply::Nil();
  auto it = h->find(argv[2]);
  return it == h->end() ? Reply::Nil() : Reply::Bulk(it->second);
}

Reply HMGetCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  for (size_t i = 2; i < argv.size(); ++i) {
    if (h == nullptr) {
      out.push_back(Reply::Nil());
      continue;
    }
    auto it = h->find(argv[i]);
    out.push_back(it == h->end() ? Reply::Nil() : Reply::Bulk(it->second));
  }
  return Reply::Array(std::move(out));
}

Reply HDelCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  if (h == nullptr) return Reply::Integer(0);
  int64_t deleted = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    auto it = h->find(argv[i]);
    if (it == h->end()) continue;
    h->erase(it);
    ++deleted;
  }
  if (deleted > 0) {
    DeleteIfEmpty(ctx, argv[1]);
    SignalModifiedKey(ctx, argv[1]);
  }
  return Reply::Integer(deleted);
}

// Flat field, value, field, value... (RESP2); a map to a RESP3 client, as
// Redis 7.0 (also when the key is missing: %0). Order unspecified.
Reply HGetAllCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  std::vector<Reply> out;
  if (h != nullptr) {
    out.reserve(h->size() * 2);
    for (const auto& [f, v] : *h) {
      out.push_back(Reply::Bulk(f));
      out.push_back(Reply::Bulk(v));
    }
  }
  return ctx.resp == 3 ? Reply::Map(std::move(out)) : Reply::Array(std::move(out));
}

Reply HIncrByCommand(ExecContext& ctx, Args argv) {
  int64_t incr;
  if (!ParseInt64(argv[3], &incr)) return ErrorReply(errors::kNotInteger);
  bool wrong;
  HashValue* h = LookupOrCreate<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  int64_t value = 0;
  auto it = h->find(argv[2]);
  if (it != h->end() && !ParseInt64(it->second, &value)) return ErrorReply("ERR hash value is not an integer");
  if ((incr < 0 && value < 0 && incr < (LLONG_MIN - value)) || (incr > 0 && value > 0 && incr > (LLONG_MAX - value))) {
    DeleteIfEmpty(ctx, argv[1]);
    return ErrorReply(errors::kOverflow);
  }
  value += incr;
  if (it == h->end()) {
    h->emplace(std::string(argv[2]), std::to_string(value));
  } else {
    it->second = std::to_string(value);
  }
  SignalModifiedKey(ctx, argv[1]);
  return Reply::Integer(value);
}

Reply HExistsCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(h != nullptr && h->contains(argv[2]) ? 1 : 0);
}

Reply HLenCommand(ExecContext& ctx, Args argv) {
  bool wrong;
  const HashValue* h = LookupAs<HashValue>(ctx, argv[1], &wrong);
  if (wrong) return WrongType();
  return Reply::Integer(h == nullptr ? 0 : static_cast<int64_t>(h->size()));
}

}  // namespace

void RegisterHashCommands(CommandTable& t) {
  t.Add({"hset", -4, kCmdWrite | kCmdFast, 1, 1, 1, HSetCommand});
  t.Add({"hget", 3, kCmdReadonly | kCmdFast, 1, 1, 1, HGetCommand});
  t.Add({"hmget", -3, kCmdReadonly | kCmdFast, 1, 1, 1, HMGetCommand});
  t.Add({"hdel", -3, kCmdWrite | kCmdFast, 1, 1, 1, HDelCommand});
  t.Add({"hgetall", 2, kCmdReadonly | kCmdUnorderedReply, 1, 1, 1, HGetAllCommand});
  t.Add({"hincrby", 4, kCmdWrite | kCmdFast, 1, 1, 1, HIncrByCommand});
  t.Add({"hexists", 3, kCmdReadonly | kCmdFast, 1, 1, 1, HExistsCommand});
  t.Add({"hlen", 2, kCmdReadonly | kCmdFast, 1, 1, 1, HLenCommand});
}

}  // namespace txlab
