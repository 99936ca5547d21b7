// KeyspaceModel: the reference model of txlab's engine — a deliberately plain,
// obviously-correct implementation of the Redis 7.0 command and transaction
// semantics the engine implements (SEMANTICS.md §1, T1–T26), written from
// Redis's behaviour and sharing no code with impl/ beyond model/reply.h.
//
// Commands: PING ECHO SELECT SWAPDB DBSIZE FLUSHDB FLUSHALL KEYS EXISTS TYPE
// DEL UNLINK RENAME EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL PERSIST GET SET
// SETNX GETSET GETDEL MGET MSET MSETNX INCR INCRBY DECR DECRBY INCRBYFLOAT
// APPEND STRLEN HSET HGET HMGET HDEL HGETALL HINCRBY HEXISTS HLEN LPUSH RPUSH
// LPOP RPOP LRANGE LLEN LINDEX LREM SADD SREM SMEMBERS SISMEMBER SCARD ZADD
// ZINCRBY ZSCORE ZREM ZCARD ZRANGE ZRANGEBYSCORE MULTI EXEC DISCARD WATCH
// UNWATCH RESET. Anything else is an unknown command.
//
// REPLIES are RESP2-shaped, as redis-server 7.0 sends them to a RESP2 client:
// doubles (ZSCORE, ZINCRBY, WITHSCORES) are bulk strings formatted "%.17g",
// HGETALL is a flat array, a missing bulk is Reply::Nil(), an aborted EXEC
// and LPOP/RPOP with a count on a missing key are Reply::NilArray(). The order
// of SMEMBERS, HGETALL and KEYS is unspecified in Redis; the model returns
// them sorted, and comparisons should go through model/reply_order.h.
//
// TIME is the model's own clock in unix milliseconds, moved only by
// AdvanceClock(); it never moves during a command or an EXEC (T14). A key
// with expiry time `when` is live while now <= when (keyIsExpired: now > when).
// Expiry is modelled as in Redis with active expiry off: an expired key is
// absent to every command, and its passing touches its watchers (T20, T22);
// until something looks it up (or ActiveExpireCycle runs) DBSIZE still counts
// it, as dictSize() does in Redis.
//
// SESSIONS are small integers chosen by the caller; a session comes into being
// at its first Call (db 0, no MULTI, no watches). Disconnect() ends one (T10).
//
// THREAD SAFETY: none; one thread at a time. The model is a value: copyable,
// and a copy evolves independently.
#ifndef TXLAB_MODEL_KEYSPACE_MODEL_H_
#define TXLAB_MODEL_KEYSPACE_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/reply.h"

namespace txlab {

namespace model_internal {
struct ModelState;
}

class KeyspaceModel {
 public:
  // The virtual clock's default start (VirtualClock::kDefaultStartUs / 1000),
  // so a model and an engine on a fresh VirtualClock agree on absolute times.
  static constexpr int64_t kDefaultStartMs = 1'700'000'000'000;
  static constexpr int kDefaultDatabases = 16;

  explicit KeyspaceModel(int64_t now_ms = kDefaultStartMs, int databases = kDefaultDatabases);
  ~KeyspaceModel();
  KeyspaceModel(const KeyspaceModel& other);
  KeyspaceModel& operator=(const KeyspaceModel& other);
  KeyspaceModel(KeyspaceModel&&) noexcept;
  KeyspaceModel& operator=(KeyspaceModel&&) noexcept;

  // Runs one command for `session` and returns Redis 7.0's reply. argv[0] is
  // the command name, matched case-insensitively. REQUIRES: !argv.empty().
  Reply Call(int session, const std::vector<std::string>& argv);
  Reply Call(int session, std::initializer_list<std::string_view> argv);

  // Moves time forward by `ms` (>= 0). Keys whose time has now passed expire:
  // they vanish, and every session watching one becomes dirty (T20, T22).
  void AdvanceClock(int64_t ms);
  // Redis's active expiry, completed: forgets every expired key that lazy
  // expiry had not yet deleted (only DBSIZE can tell the difference).
  void ActiveExpireCycle();
  // Client disconnect: its MULTI is discarded and its WATCHes dropped (T10).
  void Disconnect(int session);

  int64_t now_ms() const;
  int databases() const;

  // ---- introspection, for tests and comparison harnesses ------------------
  bool InMulti(int session) const;
  // The commands `session` has queued since MULTI (empty if not in MULTI).
  // Commands rejected at queue time (T6) are not in the list.
  std::vector<std::vector<std::string>> Queued(int session) const;
  int SelectedDb(int session) const;
  // Live keys of `db`, sorted.
  std::vector<std::string> Keys(int db) const;
  // Expired keys of `db` that Redis would still hold until looked up.
  size_t StaleKeyCount(int db) const;

 private:
  std::unique_ptr<model_internal::ModelState> m_;
};

}  // namespace txlab

#endif  // TXLAB_MODEL_KEYSPACE_MODEL_H_
