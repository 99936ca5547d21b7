// KeyspaceModel: sessions, command dispatch (unknown command, arity, MULTI
// queueing), expiry, and the connection / database / generic key commands.
// String commands are in model_strings.cc, hashes/lists/sets/sorted sets in
// model_collections.cc, MULTI/EXEC/WATCH in model_transactions.cc.
#include "model/keyspace_model.h"

#include <algorithm>
#include <climits>

#include "model/model_parse.h"
#include "model/model_state.h"

namespace txlab {

namespace model_internal {

// ============================================================================
// Shared helpers
// ============================================================================

Entry* Lookup(Ctx& c, const std::string& key) {
  Db& db = c.db();
  db.stale.erase(key);  // expireIfNeeded deletes a stale key on lookup
  auto it = db.keys.find(key);
  return it == db.keys.end() ? nullptr : &it->second;
}

Entry& Create(Ctx& c, const std::string& key, Value v) {
  Db& db = c.db();
  db.stale.erase(key);
  Entry& e = db.keys[key];
  e.value = std::move(v);
  e.expire_at_ms.reset();
  return e;
}

void Delete(Ctx& c, const std::string& key) { c.db().keys.erase(key); }

void DeleteIfEmpty(Ctx& c, const std::string& key) {
  auto it = c.db().keys.find(key);
  if (it == c.db().keys.end()) return;
  const Value& v = it->second.value;
  bool empty = (v.kind == Kind::kHash && v.hash.empty()) || (v.kind == Kind::kList && v.list.empty()) ||
               (v.kind == Kind::kSet && v.set.empty()) || (v.kind == Kind::kZset && v.zset.size() == 0);
  if (empty) c.db().keys.erase(it);
}

void SetExpireFromSet(Ctx& c, const std::string& key, int64_t when_ms) {
  Db& db = c.db();
  auto it = db.keys.find(key);
  if (it == db.keys.end()) return;
  if (c.m.now_ms > when_ms) {
    // Already expired: the key exists physically but is logically gone.
    db.keys.erase(it);
    db.stale.insert(key);
  } else {
    it->second.expire_at_ms = when_ms;
  }
}

void Touch(ModelState& m, int db, const std::string& key) {
  for (auto& [id, s] : m.sessions) {
    if (s.watched.count({db, key})) s.dirty_cas = true;  // T20
  }
}

Reply WrongType() { return Reply::Error("WRONGTYPE Operation against a key holding the wrong kind of value"); }
Reply SyntaxError() { return Reply::Error("ERR syntax error"); }
Reply NotInteger() { return Reply::Error("ERR value is not an integer or out of range"); }
Reply NotFloat() { return Reply::Error("ERR value is not a valid float"); }
Reply ArityError(const std::string& lower_name) {
  return Reply::Error("ERR wrong number of arguments for '" + lower_name + "' command");
}

// ============================================================================
// Connection and database commands
// ============================================================================

Reply CmdPing(Ctx&, const Argv& a) {
  if (a.size() > 2) return ArityError("ping");
  if (a.size() == 2) return Reply::Bulk(a[1]);
  return Reply::Status("PONG");
}

Reply CmdEcho(Ctx&, const Argv& a) { return Reply::Bulk(a[1]); }

namespace {

// getIntFromObjectOrReply: an int64 first, then the int range.
bool ParseDbIndex(const std::string& s, int* out, Reply* err, const char* msg) {
  int64_t v;
  if (!ParseInt64(s, &v)) {
    *err = msg ? Reply::Error(std::string("ERR ") + msg) : NotInteger();
    return false;
  }
  if (v < INT_MIN || v > INT_MAX) {
    *err = msg ? Reply::Error(std::string("ERR ") + msg)
               : Reply::Error("ERR value is out of range, value must between -2147483648 and 2147483647");
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// Redis's flush: every watched key that exists in the flushed db is touched
// (touchAllWatchedKeysInDb(db, NULL)). Stale keys don't count (T22).
void FlushDb(ModelState& m, int db) {
  for (const auto& [key, e] : m.dbs[db].keys) Touch(m, db, key);
  m.dbs[db].keys.clear();
  m.dbs[db].stale.clear();
}

bool ParseFlushFlags(const Argv& a, Reply* err) {
  if (a.size() == 2) {
    if (EqualsIgnoreCase(a[1], "sync") || EqualsIgnoreCase(a[1], "async")) return true;
    *err = SyntaxError();
    return false;
  }
  if (a.size() > 2) {
    *err = SyntaxError();
    return false;
  }
  return true;
}

}  // namespace

Reply CmdSelect(Ctx& c, const Argv& a) {
  int id;
  Reply err;
  if (!ParseDbIndex(a[1], &id, &err, nullptr)) return err;
  if (id < 0 || id >= static_cast<int>(c.m.dbs.size())) return Reply::Error("ERR DB index is out of range");
  c.s.db = id;
  return Reply::Ok();
}

Reply CmdSwapdb(Ctx& c, const Argv& a) {
  int id1, id2;
  Reply err;
  if (!ParseDbIndex(a[1], &id1, &err, "invalid first DB index")) return err;
  if (!ParseDbIndex(a[2], &id2, &err, "invalid second DB index")) return err;
  int n = static_cast<int>(c.m.dbs.size());
  if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) return Reply::Error("ERR DB index is out of range");
  if (id1 == id2) return Reply::Ok();
  // T20/T22: a key watched in either db is touched iff it is live in either
  // db (touchAllWatchedKeysInDb both ways; stale keys count as absent).
  // Watches stay with the db index, not with the data.
  std::set<std::string> names;
  for (const auto& [k, e] : c.m.dbs[id1].keys) names.insert(k);
  for (const auto& [k, e] : c.m.dbs[id2].keys) names.insert(k);
  for (const auto& k : names) {
    Touch(c.m, id1, k);
    Touch(c.m, id2, k);
  }
  std::swap(c.m.dbs[id1], c.m.dbs[id2]);
  return Reply::Ok();
}

Reply CmdDbsize(Ctx& c, const Argv&) {
  return Reply::Integer(static_cast<int64_t>(c.db().keys.size() + c.db().stale.size()));
}

Reply CmdFlushdb(Ctx& c, const Argv& a) {
  Reply err;
  if (!ParseFlushFlags(a, &err)) return err;
  FlushDb(c.m, c.s.db);
  return Reply::Ok();
}

Reply CmdFlushall(Ctx& c, const Argv& a) {
  Reply err;
  if (!ParseFlushFlags(a, &err)) return err;
  for (int db = 0; db < static_cast<int>(c.m.dbs.size()); ++db) FlushDb(c.m, db);
  return Reply::Ok();
}

// ============================================================================
// Generic key commands
// ============================================================================

Reply CmdKeys(Ctx& c, const Argv& a) {
  // KEYS skips expired keys without deleting them (keyIsExpired, no lookup).
  std::vector<Reply> out;
  for (const auto& [k, e] : c.db().keys) {
    if (GlobMatch(a[1], k)) out.push_back(Reply::Bulk(k));
  }
  return Reply::Array(std::move(out));
}

Reply CmdExists(Ctx& c, const Argv& a) {
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) n += Lookup(c, a[i]) != nullptr;  // repeats count
  return Reply::Integer(n);
}

Reply CmdType(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Status("none");
  switch (e->value.kind) {
    case Kind::kString: return Reply::Status("string");
    case Kind::kHash: return Reply::Status("hash");
    case Kind::kList: return Reply::Status("list");
    case Kind::kSet: return Reply::Status("set");
    case Kind::kZset: return Reply::Status("zset");
  }
  return Reply::Status("none");
}

Reply CmdDel(Ctx& c, const Argv& a) {  // DEL and UNLINK
  int64_t n = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    if (Lookup(c, a[i])) {
      Delete(c, a[i]);
      Touch(c.m, c.s.db, a[i]);
      ++n;
    }
  }
  return Reply::Integer(n);
}

Reply CmdRename(Ctx& c, const Argv& a) {
  const std::string& src = a[1];
  const std::string& dst = a[2];
  Entry* e = Lookup(c, src);
  if (!e) return Reply::Error("ERR no such key");
  if (src == dst) return Reply::Ok();  // nothing happens, nothing is touched
  Entry moved = *e;                    // value and expiry travel together
  Lookup(c, dst);                      // lazily deletes a stale destination
  Delete(c, src);
  c.db().keys[dst] = std::move(moved);
  Touch(c.m, c.s.db, src);
  Touch(c.m, c.s.db, dst);
  return Reply::Ok();
}

namespace {

constexpr int kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8;

// expireGenericCommand. `basetime` is now (relative forms) or 0 (absolute);
// `seconds` says whether the argument is in seconds.
Reply ExpireGeneric(Ctx& c, const Argv& a, int64_t basetime, bool seconds, const char* name) {
  int flags = 0;
  for (size_t j = 3; j < a.size(); ++j) {
    std::string opt = Lower(a[j]);
    if (opt == "nx") flags |= kExpireNx;
    else if (opt == "xx") flags |= kExpireXx;
    else if (opt == "gt") flags |= kExpireGt;
    else if (opt == "lt") flags |= kExpireLt;
    else return Reply::Error("ERR Unsupported option " + a[j]);
  }
  bool nx = flags & kExpireNx, xx = flags & kExpireXx, gt = flags & kExpireGt, lt = flags & kExpireLt;
  if ((nx && xx) || (nx && gt) || (nx && lt))
    return Reply::Error("ERR NX and XX, GT or LT options at the same time are not compatible");
  if (gt && lt) return Reply::Error("ERR GT and LT options at the same time are not compatible");

  int64_t when;
  if (!ParseInt64(a[2], &when)) return NotInteger();
  Reply bad_time = Reply::Error(std::string("ERR invalid expire time in '") + name + "' command");
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) return bad_time;
    when *= 1000;
  }
  if (when > LLONG_MAX - basetime) return bad_time;
  when += basetime;

  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Integer(0);
  if (flags) {
    int64_t current = e->expire_at_ms ? *e->expire_at_ms : -1;
    if (nx && current != -1) return Reply::Integer(0);
    if (xx && current == -1) return Reply::Integer(0);
    // GT: no expiry counts as infinite, so GT always fails on it.
    if (gt && (when <= current || current == -1)) return Reply::Integer(0);
    if (lt && current != -1 && when >= current) return Reply::Integer(0);
  }
  if (when <= c.m.now_ms) {
    // checkAlreadyExpired: the key is deleted right away (and touched).
    Delete(c, a[1]);
  } else {
    e->expire_at_ms = when;
  }
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(1);
}

Reply TtlGeneric(Ctx& c, const Argv& a, bool ms) {
  Entry* e = Lookup(c, a[1]);
  if (!e) return Reply::Integer(-2);
  if (!e->expire_at_ms) return Reply::Integer(-1);
  int64_t ttl = *e->expire_at_ms - c.m.now_ms;
  if (ttl < 0) ttl = 0;
  return Reply::Integer(ms ? ttl : (ttl + 500) / 1000);
}

}  // namespace

Reply CmdExpire(Ctx& c, const Argv& a) { return ExpireGeneric(c, a, c.m.now_ms, true, "expire"); }
Reply CmdPexpire(Ctx& c, const Argv& a) { return ExpireGeneric(c, a, c.m.now_ms, false, "pexpire"); }
Reply CmdExpireat(Ctx& c, const Argv& a) { return ExpireGeneric(c, a, 0, true, "expireat"); }
Reply CmdPexpireat(Ctx& c, const Argv& a) { return ExpireGeneric(c, a, 0, false, "pexpireat"); }
Reply CmdTtl(Ctx& c, const Argv& a) { return TtlGeneric(c, a, false); }
Reply CmdPttl(Ctx& c, const Argv& a) { return TtlGeneric(c, a, true); }

Reply CmdPersist(Ctx& c, const Argv& a) {
  Entry* e = Lookup(c, a[1]);
  if (!e || !e->expire_at_ms) return Reply::Integer(0);  // T21: no touch
  e->expire_at_ms.reset();
  Touch(c.m, c.s.db, a[1]);
  return Reply::Integer(1);
}

// ============================================================================
// The command table
// ============================================================================

struct CommandSpec {
  const char* name;  // lower case, as Redis's fullname
  int arity;         // Redis convention: n exact, -n at least n
  Handler fn;        // null for MULTI and EXEC, which Call handles itself
};

// Arity values are redis 7.0's command table.
const CommandSpec kCommands[] = {
    {"ping", -1, CmdPing},           {"echo", 2, CmdEcho},
    {"select", 2, CmdSelect},        {"swapdb", 3, CmdSwapdb},
    {"dbsize", 1, CmdDbsize},        {"flushdb", -1, CmdFlushdb},
    {"flushall", -1, CmdFlushall},   {"keys", 2, CmdKeys},
    {"exists", -2, CmdExists},       {"type", 2, CmdType},
    {"del", -2, CmdDel},             {"unlink", -2, CmdDel},
    {"rename", 3, CmdRename},        {"expire", -3, CmdExpire},
    {"pexpire", -3, CmdPexpire},     {"expireat", -3, CmdExpireat},
    {"pexpireat", -3, CmdPexpireat}, {"ttl", 2, CmdTtl},
    {"pttl", 2, CmdPttl},            {"persist", 2, CmdPersist},
    {"get", 2, CmdGet},              {"set", -3, CmdSet},
    {"setnx", 3, CmdSetnx},          {"getset", 3, CmdGetset},
    {"getdel", 2, CmdGetdel},        {"mget", -2, CmdMget},
    {"mset", -3, CmdMset},           {"msetnx", -3, CmdMsetnx},
    {"incr", 2, CmdIncr},            {"incrby", 3, CmdIncrby},
    {"decr", 2, CmdDecr},            {"decrby", 3, CmdDecrby},
    {"incrbyfloat", 3, CmdIncrbyfloat}, {"append", 3, CmdAppend},
    {"strlen", 2, CmdStrlen},        {"hset", -4, CmdHset},
    {"hget", 3, CmdHget},            {"hmget", -3, CmdHmget},
    {"hdel", -3, CmdHdel},           {"hgetall", 2, CmdHgetall},
    {"hincrby", 4, CmdHincrby},      {"hexists", 3, CmdHexists},
    {"hlen", 2, CmdHlen},            {"lpush", -3, CmdLpush},
    {"rpush", -3, CmdRpush},         {"lpop", -2, CmdLpop},
    {"rpop", -2, CmdRpop},           {"lrange", 4, CmdLrange},
    {"llen", 2, CmdLlen},            {"lindex", 3, CmdLindex},
    {"lrem", 4, CmdLrem},            {"sadd", -3, CmdSadd},
    {"lpos", -3, CmdLpos},           {"linsert", 5, CmdLinsert},
    {"lset", 4, CmdLset},            {"ltrim", 4, CmdLtrim},
    {"srem", -3, CmdSrem},           {"smembers", 2, CmdSmembers},
    {"sismember", 3, CmdSismember},  {"scard", 2, CmdScard},
    {"smismember", -3, CmdSmismember}, {"smove", 4, CmdSmove},
    {"sinter", -2, CmdSinter},       {"sunion", -2, CmdSunion},
    {"sdiff", -2, CmdSdiff},         {"sinterstore", -3, CmdSinterstore},
    {"sunionstore", -3, CmdSunionstore}, {"sdiffstore", -3, CmdSdiffstore},
    {"sintercard", -3, CmdSintercard},
    {"zadd", -4, CmdZadd},           {"zincrby", 4, CmdZincrby},
    {"zscore", 3, CmdZscore},        {"zrem", -3, CmdZrem},
    {"zcard", 2, CmdZcard},          {"zrange", -4, CmdZrange},
    {"zrangebyscore", -4, CmdZrangebyscore},
    {"zrevrange", -4, CmdZrevrange}, {"zmscore", -3, CmdZmscore},
    {"zcount", 4, CmdZcount},        {"zrank", 3, CmdZrank},
    {"zrevrank", 3, CmdZrevrank},    {"zpopmin", -2, CmdZpopmin},
    {"zpopmax", -2, CmdZpopmax},
    {"multi", 1, nullptr},           {"exec", 1, nullptr},
    {"discard", 1, CmdDiscard},      {"watch", -2, CmdWatch},
    {"unwatch", 1, CmdUnwatch},      {"reset", 1, CmdReset},
};

const CommandSpec* FindCommand(const std::string& lower) {
  for (const auto& spec : kCommands) {
    if (lower == spec.name) return &spec;
  }
  return nullptr;
}

// commandCheckExistence's message: the name and up to ~128 bytes of quoted args.
Reply UnknownCommand(const Argv& a) {
  std::string args;
  for (size_t i = 1; i < a.size() && args.size() < 128; ++i) {
    args += "'" + a[i].substr(0, 128 - args.size()) + "' ";
  }
  std::string msg = "ERR unknown command '" + a[0].substr(0, 128) + "', with args beginning with: " + args;
  for (char& ch : msg) {
    if (ch == '\r' || ch == '\n') ch = ' ';
  }
  return Reply::Error(msg);
}

Reply Dispatch(Ctx& c, const Argv& a) {
  std::string name = Lower(a[0]);
  if (name == "exec") return CmdExec(c, a);
  if (name == "multi") return CmdMulti(c, a);
  return FindCommand(name)->fn(c, a);
}

}  // namespace model_internal

using namespace model_internal;

// ============================================================================
// KeyspaceModel
// ============================================================================

KeyspaceModel::KeyspaceModel(int64_t now_ms, int databases) : m_(std::make_unique<ModelState>()) {
  m_->now_ms = now_ms;
  m_->dbs.resize(databases);
}
KeyspaceModel::~KeyspaceModel() = default;
KeyspaceModel::KeyspaceModel(const KeyspaceModel& o) : m_(std::make_unique<ModelState>(*o.m_)) {}
KeyspaceModel& KeyspaceModel::operator=(const KeyspaceModel& o) {
  if (this != &o) m_ = std::make_unique<ModelState>(*o.m_);
  return *this;
}
KeyspaceModel::KeyspaceModel(KeyspaceModel&&) noexcept = default;
KeyspaceModel& KeyspaceModel::operator=(KeyspaceModel&&) noexcept = default;

Reply KeyspaceModel::Call(int session, const std::vector<std::string>& argv) {
  SessionState& s = m_->sessions[session];
  Ctx c{*m_, s, session};
  std::string name = Lower(argv[0]);
  const CommandSpec* spec = FindCommand(name);
  // processCommand: existence, then arity. Either rejection inside MULTI marks
  // the transaction dirty, and EXEC will answer EXECABORT (T6).
  if (!spec) {
    if (s.in_multi) s.dirty_exec = true;
    return UnknownCommand(argv);
  }
  int argc = static_cast<int>(argv.size());
  if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    // rejectCommand: a rejected EXEC becomes execCommandAbort, which
    // discards the transaction (in MULTI or not) and names the reason (T8).
    if (name == "exec") {
      DiscardTransaction(s);
      return Reply::Error("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command");
    }
    if (s.in_multi) s.dirty_exec = true;
    return ArityError(spec->name);
  }
  // T1: inside MULTI everything is queued except EXEC, DISCARD, MULTI, WATCH,
  // RESET (and QUIT). UNWATCH is queued.
  if (s.in_multi && name != "exec" && name != "discard" && name != "multi" && name != "watch" &&
      name != "reset") {
    s.queue.push_back(argv);
    return Reply::Queued();
  }
  return Dispatch(c, argv);
}

Reply KeyspaceModel::Call(int session, std::initializer_list<std::string_view> argv) {
  std::vector<std::string> v;
  for (auto a : argv) v.emplace_back(a);
  return Call(session, v);
}

void KeyspaceModel::AdvanceClock(int64_t ms) {
  m_->now_ms += ms;
  for (int db = 0; db < static_cast<int>(m_->dbs.size()); ++db) {
    Db& d = m_->dbs[db];
    for (auto it = d.keys.begin(); it != d.keys.end();) {
      if (it->second.expire_at_ms && m_->now_ms > *it->second.expire_at_ms) {
        // T20/T22: expiry of a key that was live when watched dirties its
        // watchers (Redis: isWatchedKeyExpired at EXEC, or the touch when the
        // key is deleted lazily or actively, whichever comes first).
        Touch(*m_, db, it->first);
        d.stale.insert(it->first);
        it = d.keys.erase(it);
      } else {
        ++it;
      }
    }
  }
}

void KeyspaceModel::ActiveExpireCycle() {
  for (Db& d : m_->dbs) d.stale.clear();
}

void KeyspaceModel::Disconnect(int session) {
  auto it = m_->sessions.find(session);
  if (it == m_->sessions.end()) return;
  m_->sessions.erase(it);  // T10: queue and watches vanish with the session
}

int64_t KeyspaceModel::now_ms() const { return m_->now_ms; }
int KeyspaceModel::databases() const { return static_cast<int>(m_->dbs.size()); }

bool KeyspaceModel::InMulti(int session) const {
  auto it = m_->sessions.find(session);
  return it != m_->sessions.end() && it->second.in_multi;
}

std::vector<std::vector<std::string>> KeyspaceModel::Queued(int session) const {
  auto it = m_->sessions.find(session);
  if (it == m_->sessions.end()) return {};
  return it->second.queue;
}

int KeyspaceModel::SelectedDb(int session) const {
  auto it = m_->sessions.find(session);
  return it == m_->sessions.end() ? 0 : it->second.db;
}

std::vector<std::string> KeyspaceModel::Keys(int db) const {
  std::vector<std::string> out;
  for (const auto& [k, e] : m_->dbs.at(db).keys) out.push_back(k);
  return out;
}

size_t KeyspaceModel::StaleKeyCount(int db) const { return m_->dbs.at(db).stale.size(); }

}  // namespace txlab
