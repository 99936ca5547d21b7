// The reference model's data, shared by its .cc files (keyspace_model.cc,
// model_strings.cc, model_collections.cc, model_transactions.cc). Not a public
// header: use model/keyspace_model.h.
//
// Deliberately plain: ordered standard containers, no encodings, no
// optimisation. Every key in Db::keys is *live* (no expiry, or an expiry time
// not yet passed). Keys whose time passed, and which Redis would still hold
// physically until something looks them up (lazy expiry), are remembered by
// name in Db::stale: they are absent to every command except DBSIZE, which
// counts them as Redis 7.0 does (dbsizeCommand returns dictSize()).
#ifndef TXLAB_MODEL_MODEL_STATE_H_
#define TXLAB_MODEL_MODEL_STATE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/reply.h"

namespace txlab::model_internal {

using Argv = std::vector<std::string>;

enum class Kind { kString, kHash, kList, kSet, kZset };

// A sorted set: member -> score, plus the (score, member) order Redis uses
// (ties broken by byte-wise member comparison).
struct ZSet {
  std::map<std::string, double> score;
  std::set<std::pair<double, std::string>> order;

  size_t size() const { return score.size(); }
  void Put(const std::string& member, double s) {
    Erase(member);
    score[member] = s;
    order.insert({s, member});
  }
  bool Erase(const std::string& member) {
    auto it = score.find(member);
    if (it == score.end()) return false;
    order.erase({it->second, member});
    score.erase(it);
    return true;
  }
};

struct Value {
  Kind kind = Kind::kString;
  std::string str;                            // kString
  std::map<std::string, std::string> hash;    // kHash
  std::deque<std::string> list;               // kList
  std::set<std::string> set;                  // kSet
  ZSet zset;                                  // kZset
};

struct Entry {
  Value value;
  std::optional<int64_t> expire_at_ms;  // absolute unix ms; none = persistent
};

struct Db {
  std::map<std::string, Entry> keys;  // live keys only
  std::set<std::string> stale;        // expired, not yet lazily deleted
};

struct SessionState {
  int db = 0;
  bool in_multi = false;                       // CLIENT_MULTI
  bool dirty_cas = false;                      // CLIENT_DIRTY_CAS (T19)
  bool dirty_exec = false;                     // CLIENT_DIRTY_EXEC (T6)
  std::vector<Argv> queue;                     // commands queued since MULTI
  std::set<std::pair<int, std::string>> watched;  // (db, key), T18
};

struct ModelState {
  int64_t now_ms = 0;
  std::vector<Db> dbs;
  std::map<int, SessionState> sessions;
};

// One command invocation: the whole model, the calling session, its id.
struct Ctx {
  ModelState& m;
  SessionState& s;
  int session_id;
  Db& db() { return m.dbs[s.db]; }
};

using Handler = Reply (*)(Ctx&, const Argv&);

// ---- shared helpers (keyspace_model.cc) ------------------------------------

// Looks `key` up in the session's db the way lookupKey* does: a stale key is
// lazily deleted (forgotten from Db::stale) and reported missing.
Entry* Lookup(Ctx& c, const std::string& key);
// Adds a key that does not exist (live). Clears any stale record of the same
// name: Redis deleted the stale key when it looked it up before writing.
Entry& Create(Ctx& c, const std::string& key, Value v);
// Deletes a live key (no touch; callers touch).
void Delete(Ctx& c, const std::string& key);
// After a write that may have emptied a collection: delete the key if empty.
void DeleteIfEmpty(Ctx& c, const std::string& key);
// Applies an absolute expiry set by SET EX/PX/EXAT/PXAT: a time already passed
// leaves the key stale (SET does not check checkAlreadyExpired in 7.0).
void SetExpireFromSet(Ctx& c, const std::string& key, int64_t when_ms);

// signalModifiedKey → touchWatchedKey: every session watching (db, key)
// becomes dirty (T20). Reads and no-op writes must not call this (T21).
void Touch(ModelState& m, int db, const std::string& key);

// Standard replies.
Reply WrongType();   // WRONGTYPE Operation against a key holding the wrong kind of value
Reply SyntaxError();  // ERR syntax error
Reply NotInteger();  // ERR value is not an integer or out of range
Reply NotFloat();    // ERR value is not a valid float
Reply ArityError(const std::string& lower_name);

// ---- command handlers -------------------------------------------------------
// keyspace_model.cc: connection, databases and generic key commands.
Reply CmdPing(Ctx&, const Argv&);
Reply CmdEcho(Ctx&, const Argv&);
Reply CmdSelect(Ctx&, const Argv&);
Reply CmdSwapdb(Ctx&, const Argv&);
Reply CmdDbsize(Ctx&, const Argv&);
Reply CmdFlushdb(Ctx&, const Argv&);
Reply CmdFlushall(Ctx&, const Argv&);
Reply CmdKeys(Ctx&, const Argv&);
Reply CmdExists(Ctx&, const Argv&);
Reply CmdType(Ctx&, const Argv&);
Reply CmdDel(Ctx&, const Argv&);
Reply CmdRename(Ctx&, const Argv&);
Reply CmdExpire(Ctx&, const Argv&);
Reply CmdPexpire(Ctx&, const Argv&);
Reply CmdExpireat(Ctx&, const Argv&);
Reply CmdPexpireat(Ctx&, const Argv&);
Reply CmdTtl(Ctx&, const Argv&);
Reply CmdPttl(Ctx&, const Argv&);
Reply CmdPersist(Ctx&, const Argv&);
// model_strings.cc
Reply CmdGet(Ctx&, const Argv&);
Reply CmdSet(Ctx&, const Argv&);
Reply CmdSetnx(Ctx&, const Argv&);
Reply CmdGetset(Ctx&, const Argv&);
Reply CmdGetdel(Ctx&, const Argv&);
Reply CmdMget(Ctx&, const Argv&);
Reply CmdMset(Ctx&, const Argv&);
Reply CmdMsetnx(Ctx&, const Argv&);
Reply CmdIncr(Ctx&, const Argv&);
Reply CmdIncrby(Ctx&, const Argv&);
Reply CmdDecr(Ctx&, const Argv&);
Reply CmdDecrby(Ctx&, const Argv&);
Reply CmdIncrbyfloat(Ctx&, const Argv&);
Reply CmdAppend(Ctx&, const Argv&);
Reply CmdStrlen(Ctx&, const Argv&);
// model_collections.cc
Reply CmdHset(Ctx&, const Argv&);
Reply CmdHget(Ctx&, const Argv&);
Reply CmdHmget(Ctx&, const Argv&);
Reply CmdHdel(Ctx&, const Argv&);
Reply CmdHgetall(Ctx&, const Argv&);
Reply CmdHincrby(Ctx&, const Argv&);
Reply CmdHexists(Ctx&, const Argv&);
Reply CmdHlen(Ctx&, const Argv&);
Reply CmdLpush(Ctx&, const Argv&);
Reply CmdRpush(Ctx&, const Argv&);
Reply CmdLpop(Ctx&, const Argv&);
Reply CmdRpop(Ctx&, const Argv&);
Reply CmdLrange(Ctx&, const Argv&);
Reply CmdLlen(Ctx&, const Argv&);
Reply CmdLindex(Ctx&, const Argv&);
Reply CmdLrem(Ctx&, const Argv&);
Reply CmdLpos(Ctx&, const Argv&);
Reply CmdLinsert(Ctx&, const Argv&);
Reply CmdLset(Ctx&, const Argv&);
Reply CmdLtrim(Ctx&, const Argv&);
Reply CmdSadd(Ctx&, const Argv&);
Reply CmdSrem(Ctx&, const Argv&);
Reply CmdSmembers(Ctx&, const Argv&);
Reply CmdSismember(Ctx&, const Argv&);
Reply CmdScard(Ctx&, const Argv&);
Reply CmdSmismember(Ctx&, const Argv&);
Reply CmdSmove(Ctx&, const Argv&);
Reply CmdSinter(Ctx&, const Argv&);
Reply CmdSunion(Ctx&, const Argv&);
Reply CmdSdiff(Ctx&, const Argv&);
Reply CmdSinterstore(Ctx&, const Argv&);
Reply CmdSunionstore(Ctx&, const Argv&);
Reply CmdSdiffstore(Ctx&, const Argv&);
Reply CmdSintercard(Ctx&, const Argv&);
Reply CmdZadd(Ctx&, const Argv&);
Reply CmdZincrby(Ctx&, const Argv&);
Reply CmdZscore(Ctx&, const Argv&);
Reply CmdZrem(Ctx&, const Argv&);
Reply CmdZcard(Ctx&, const Argv&);
Reply CmdZrange(Ctx&, const Argv&);
Reply CmdZrangebyscore(Ctx&, const Argv&);
Reply CmdZrevrange(Ctx&, const Argv&);
Reply CmdZmscore(Ctx&, const Argv&);
Reply CmdZcount(Ctx&, const Argv&);
Reply CmdZrank(Ctx&, const Argv&);
Reply CmdZrevrank(Ctx&, const Argv&);
Reply CmdZpopmin(Ctx&, const Argv&);
Reply CmdZpopmax(Ctx&, const Argv&);
// model_transactions.cc (MULTI/EXEC run through KeyspaceModel::Call, which
// owns queueing; these are the commands themselves).
Reply CmdMulti(Ctx&, const Argv&);
Reply CmdExec(Ctx&, const Argv&);
Reply CmdWatch(Ctx&, const Argv&);
Reply CmdUnwatch(Ctx&, const Argv&);
Reply CmdDiscard(Ctx&, const Argv&);
Reply CmdReset(Ctx&, const Argv&);
// Runs one already-validated command now (no queueing): EXEC uses it.
Reply Dispatch(Ctx& c, const Argv& a);
// Clears MULTI state, flags and watches (discardTransaction).
void DiscardTransaction(SessionState& s);

}  // namespace txlab::model_internal

#endif  // TXLAB_MODEL_MODEL_STATE_H_
