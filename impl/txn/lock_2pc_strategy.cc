// Strategy "lock-2pc": lease locks plus two-phase commit, so that a txn
// whose keys span cluster slots still commits atomically (SEMANTICS §4.3),
// and the coordinator (the client) may crash or stall at any point.
//
// Keys (lock_keys.h), all of key k's in k's slot: lock:{k}, intent:{k}; per
// two-phase txn one decision record txn:{h}<txid> in the slot of its home key
// h. A participant is one slot: its keys are handled by one script per step.
// The txid (client:nonce:attempt) is the lease token of every lock; intents
// name the txn by iid = <txid>@<hex of h>, which says where its record is.
//
//  1. acquire  SET lock:{k} txid NX PX ttl for every key in global key order
//              (busy: retry in place with backoff up to lock_wait_tries, then
//              release all, back off, retry the txn: lock-busy).
//  2. read     per slot, one script returns every key's intent and value.
//              An intent of another txn X means X's coordinator lost its
//              lease (we hold the lock now): resolve X (below), read again.
//  3. evaluate locally (a refused transfer releases and fails).
//  4. prepare  per slot, one script checks that every lock still holds txid
//              and no foreign intent is there, then writes the intents
//              "<iid> w <v>" / "<iid> a <v>...", every participant but the
//              home one (the last slot with a write). A refusal (LEASELOST:
//              the lease lapsed; INTENT) drops our intents and retries:
//              prepare-refused. A read-only txn only validates its leases
//              this way (so all its reads happened under held locks; with
//              one participant its one read script was atomic already), and
//              a txn with one participant commits in this step (one-phase).
//  5. commit   the home participant's prepare script, with the same checks,
//              writes its intents AND the record "c <hex key>..." (the keys
//              the txn writes) in one step: the single commit point. Refused
//              (our home lease lapsed, or a resolver revoked it): drop our
//              intents, retry (commit-preempted). Any failure before this
//              point leaves the txn definitely uncommitted (:fail); an
//              unknown error on the commit itself is :info.
//  6. apply    per slot, one script applies our intents and deletes them;
//              last the home slot's, which deletes the record in the same
//              step. Then release the locks. The txn is committed from step
//              5 on, whatever happens here.
//
// Resolving X's intent (by whoever holds the lock of its key), one script
// at X's home slot: if X's record exists, X committed: roll all of X forward
// (step 6, for X: every participant, then home + record). If not, X never
// can commit: the script deletes X's home lease if X still holds it, and X's
// commit (step 5) needs it. So X is aborted without writing anything; we drop
// its intents on our keys, and whoever meets its other intents does the same.
//
// Why no decision record outlives the intents that need it: a record is
// written together with its home intents and deleted together with them, by
// whoever applies the home participant last, after every other participant
// is applied; an aborted txn has no record at all. A crash anywhere leaves
// at most intents (each still resolvable) and locks (they expire).
//
// Why readers can trust what they read: a key's value changes only by an
// apply of a committed txn, and the intent stays until that apply. A reader
// holding the lock reads value and intent in one script; while an intent is
// there it does not use the value. So applying a committed intent is safe
// without holding its lock, late, or twice. Leases only decide who may
// prepare and commit: a coordinator whose lease lapsed is refused at prepare
// (LEASELOST) or at commit, never both committed and overtaken.
//
// A crashed coordinator (sim crash faults) leaves locks (they expire after
// the ttl) and maybe intents (and with them, after step 5, its record).
// Before its commit: the next txn to lock one of its keys finds no record
// and drops the intent -- the crashed txn never happened. After: the next
// txn rolls it forward -- it happened, and its :info completion is right
// either way.
//
// Only lock-2pc clients respect intents and locks: mixing it with other
// strategies on the same keys is unsafe, as for every lock strategy.
#include <algorithm>

#include "impl/txn/lock_keys.h"
#include "impl/txn/random.h"
#include "impl/txn/script.h"
#include "impl/txn/slots.h"
#include "impl/txn/strategies.h"
#include "impl/txn/txn_eval.h"

namespace txlab {
namespace {

// Rounds of read-resolve-read per participant before the attempt gives up
// (each round resolves every foreign intent it met; more than one round is
// needed only if leases keep lapsing).
constexpr int kReadRounds = 4;

// The txid an intent names ("<txid> w 5" -> "<txid>").
std::string IntentTxid(const std::string& intent) { return intent.substr(0, intent.find(' ')); }

std::string Payload(const WriteOp& w) {
  std::string p = w.is_list ? "a" : "w";
  if (w.is_list) {
    for (int64_t v : w.values) p += " " + std::to_string(v);
  } else {
    p += " " + std::to_string(w.values.back());
  }
  return p;
}

class Lock2pcStrategy final : public Strategy {
 public:
  Lock2pcStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id)
      : options_(o), rng_(seed), client_id_(client_id) {
    nonce_ = rng_.Next() & 0xffffffffu;
  }
  std::string_view name() const override { return "lock-2pc"; }

  Task<Outcome> Run(Connection& conn, const Txn& txn) override {
    waits_ = 0;
    Outcome o = co_await RunAttempts(conn, txn);
    o.lock_waits = waits_;
    co_return o;
  }

 private:
  Task<Outcome> RunAttempts(Connection& conn, const Txn& txn) {
    AbortCounts aborts;
    const std::vector<std::string> keys = txn.SortedKeys();
    const std::vector<std::vector<std::string>> groups = GroupBySlot(keys);
    const std::vector<std::string> read_keys = txn.ReadKeys();
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (attempt > 1) co_await conn.Sleep(BackoffDelayNs(options_.backoff, attempt - 1, rng_));
      const std::string txid = std::to_string(client_id_) + ":" + std::to_string(nonce_) + ":" +
                               std::to_string(++attempts_);
      std::vector<std::string> held;
      // ---- 1. acquire, in key order ----
      bool busy = false;
      for (const std::string& k : keys) {
        bool granted = false;
        for (int tries = 1;; ++tries) {
          std::vector<std::string> set = {"SET", LockKey(k), txid, "NX", "PX", std::to_string(options_.lock_ttl_ms)};
          Reply r = co_await conn.Call(std::move(set));
          if (r.is_error()) {
            co_await Release(conn, held, txid, aborts);
            aborts.Add(AbortReason::kCommandError);
            co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.str());
          }
          if (r.is_ok()) {
            granted = true;
            break;
          }
          if (tries >= options_.lock_wait_tries) break;
          ++waits_;
          co_await conn.Sleep(BackoffDelayNs(options_.backoff, tries, rng_));
        }
        if (!granted) {
          busy = true;
          break;
        }
        held.push_back(k);
      }
      if (busy) {
        co_await Release(conn, held, txid, aborts);
        aborts.Add(AbortReason::kLockBusy);
        continue;
      }
      // ---- 2. read, resolving foreign intents ----
      StoreSnapshot snap;
      std::string error;
      bool clean = true;
      for (const std::vector<std::string>& g : groups) {
        clean = co_await ReadGroup(conn, txn, g, read_keys, &snap, aborts, &error);
        if (!clean || !error.empty()) break;
      }
      if (!error.empty()) {
        co_await Release(conn, held, txid, aborts);
        aborts.Add(AbortReason::kCommandError);
        co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, error);
      }
      if (!clean) {
        co_await Release(conn, held, txid, aborts);
        aborts.Add(AbortReason::kPrepareRefused);
        continue;
      }
      // ---- 3. evaluate ----
      Evaluation e = Evaluate(txn, snap);
      if (e.refused) {
        co_await Release(conn, held, txid, aborts);
        aborts.Add(AbortReason::kInsufficientFunds);
        co_return FailOutcome(AbortReason::kInsufficientFunds, attempt, aborts);
      }
      // ---- 4. prepare (validate / one-phase commit / two-phase commit) ----
      // A read-only txn of one participant read everything in one script:
      // nothing to validate.
      const char mode = e.writes.empty() ? 'v' : groups.size() == 1 ? 'c' : 'p';
      // Two phases: every other participant is prepared first, then the home
      // participant (the last group with a write) commits ('h').
      std::vector<size_t> order;
      size_t home_group = 0;
      std::string id = txid;  // the lease token; intents carry the iid
      std::string record, record_value;
      if (mode == 'p') {
        for (size_t i = 0; i < groups.size(); ++i) {
          if (!GroupWrites(groups[i], e.writes).empty()) home_group = i;
        }
        const std::vector<std::string> home_writes = GroupWrites(groups[home_group], e.writes);
        id = IntentId(txid, home_writes.front());
        record = DecisionKey(txid, home_writes.front());
        record_value = "c";
        for (const WriteOp& w : e.writes) record_value += " " + Hex(w.key);
        for (size_t i = 0; i < groups.size(); ++i) {
          if (i != home_group) order.push_back(i);
        }
        order.push_back(home_group);
      } else if (!(mode == 'v' && groups.size() == 1)) {
        for (size_t i = 0; i < groups.size(); ++i) order.push_back(i);
      }
      size_t prepared = 0;
      Reply refusal;
      for (; prepared < order.size(); ++prepared) {
        const std::vector<std::string>& g = groups[order[prepared]];
        const bool commit = mode == 'p' && prepared + 1 == order.size();
        std::vector<std::string> keys = PrepareKeys(g), args = PrepareArgs(g, id, commit ? 'h' : mode, e.writes);
        if (commit) {
          keys.push_back(record);
          args.push_back(record_value);
        }
        Reply r = co_await RunScript(conn, TwoPcPrepareScript(), keys, args);
        if (r.is_error()) {
          refusal = std::move(r);
          break;
        }
      }
      if (prepared < order.size()) {
        const bool at_commit = mode == 'p' && prepared + 1 == order.size();
        const std::string_view code = refusal.error_code();
        const bool refused = code == "LEASELOST" || code == "INTENT";
        // An unknown error at a commit step (one-phase, or the home
        // participant's) may have committed: :info, intents left to resolvers.
        if (!refused && (mode == 'c' || at_commit)) {
          const AbortReason why = code == "IOERR" ? AbortReason::kCommandError : AbortReason::kScriptError;
          aborts.Add(why);
          co_return InfoOutcome(why, attempt, aborts, refusal.str());
        }
        // Not decided: nothing is committed. Drop what we prepared (the group
        // that failed too: an IOERR may hide a prepare that ran).
        if (mode == 'p') {
          for (size_t i = 0; i <= prepared && i < order.size(); ++i) {
            co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(groups[order[i]]), Cmd(id, "a"));
          }
        }
        co_await Release(conn, held, txid, aborts);
        if (refused) {
          // Refused at the commit step: our home lease lapsed, or a resolver
          // that met one of our intents revoked it (we were paused).
          const AbortReason why = at_commit ? AbortReason::kCommitPreempted : AbortReason::kPrepareRefused;
          aborts.Add(why);
          continue;
        }
        const AbortReason why = code == "IOERR" ? AbortReason::kCommandError : AbortReason::kScriptError;
        aborts.Add(why);
        co_return FailOutcome(why, attempt, aborts, refusal.str());
      }
      if (mode == 'p') {
        // ---- 5. committed: the home participant holds our intents and the
        // record. ---- 6. apply: every other participant, then the home one
        // together with the record.
        co_await RollForward(conn, id, record, e.writes, groups[home_group]);
      }
      co_await Release(conn, held, txid, aborts);
      co_return OkOutcome(attempt, aborts, std::move(e.result));
    }
    aborts.Add(AbortReason::kGiveUp);
    co_return FailOutcome(AbortReason::kGiveUp, options_.max_attempts, aborts);
  }

  static std::vector<std::string> PrepareKeys(const std::vector<std::string>& g) {
    std::vector<std::string> ks;
    for (const std::string& k : g) {
      ks.push_back(LockKey(k));
      ks.push_back(IntentKey(k));
      ks.push_back(k);
    }
    return ks;
  }

  static std::vector<std::string> PrepareArgs(const std::vector<std::string>& g, const std::string& txid, char mode,
                                              const std::vector<WriteOp>& writes) {
    std::vector<std::string> args = {txid, std::string(1, mode)};
    for (const std::string& k : g) {
      auto w = std::find_if(writes.begin(), writes.end(), [&](const WriteOp& x) { return x.key == k; });
      args.push_back(w == writes.end() ? std::string() : Payload(*w));
    }
    return args;
  }

  static std::vector<std::string> FinishKeys(const std::vector<std::string>& g) {
    std::vector<std::string> ks;
    for (const std::string& k : g) {
      ks.push_back(IntentKey(k));
      ks.push_back(k);
    }
    return ks;
  }

  // Reads one participant's keys into *snap, resolving the intents of other
  // txns first. False if intents were still there after kReadRounds; a
  // command failure sets *error.
  Task<bool> ReadGroup(Connection& conn, const Txn& txn, const std::vector<std::string>& g,
                       const std::vector<std::string>& read_keys, StoreSnapshot* snap, AbortCounts& aborts,
                       std::string* error) {
    std::vector<std::string> modes;
    for (const std::string& k : g) {
      const bool reads = std::find(read_keys.begin(), read_keys.end(), k) != read_keys.end();
      modes.push_back(!reads ? "-" : IsListKey(txn, k) ? "l" : "r");
    }
    for (int round = 0; round < kReadRounds; ++round) {
      Reply r = co_await RunScript(conn, TwoPcReadScript(), FinishKeys(g), modes);
      if (r.type() != Reply::Type::kArray || r.elems().size() != 2 * g.size()) {
        *error = r.ToString();
        co_return false;
      }
      // Foreign intents, by txid, with the keys that carry them.
      std::vector<std::pair<std::string, std::vector<std::string>>> foreign;
      for (size_t i = 0; i < g.size(); ++i) {
        const Reply& it = r.elems()[2 * i];
        if (it.is_nil()) continue;
        const std::string x = IntentTxid(it.str());
        auto f = std::find_if(foreign.begin(), foreign.end(), [&](const auto& p) { return p.first == x; });
        if (f == foreign.end()) {
          foreign.emplace_back(x, std::vector<std::string>{});
          f = foreign.end() - 1;
        }
        f->second.push_back(g[i]);
      }
      if (foreign.empty()) {
        for (size_t i = 0; i < g.size(); ++i) {
          if (modes[i] == "-") continue;
          if (!StoreRead(txn, g[i], r.elems()[2 * i + 1], snap)) {
            *error = r.ToString();
            co_return false;
          }
        }
        co_return true;
      }
      for (size_t f = 0; f < foreign.size(); ++f) {
        aborts.Add(AbortReason::kIntentResolved);
        const bool resolved = co_await Resolve(conn, foreign[f].first, foreign[f].second, error);
        if (!resolved) co_return false;
      }
    }
    co_return false;
  }

  // Decides the txn with intent id `iid` and finishes its intents: if it
  // committed, all of them (every participant, then its home one with the
  // record); if not, it is now aborted for good (its home lease revoked) and
  // its intents on `ks` (keys whose locks we hold, one slot) are dropped.
  // Its other intents are dropped by whoever meets them next.
  Task<bool> Resolve(Connection& conn, const std::string& iid, const std::vector<std::string>& ks, std::string* error) {
    std::string x, home;
    if (!ParseIntentId(iid, &x, &home)) {
      *error = "intent of an unknown form: " + iid;
      co_return false;
    }
    const std::string record = DecisionKey(x, home);
    Reply d = co_await RunScript(conn, TwoPcDecideScript(), Cmd(record, LockKey(home)), Cmd(x));
    if (d.is_nil()) {
      Reply f = co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(ks), Cmd(iid, "a"));
      if (f.type() != Reply::Type::kInteger) {
        *error = "dropping " + iid + ": " + f.ToString();
        co_return false;
      }
      co_return true;
    }
    std::vector<WriteOp> writes;
    if (d.type() != Reply::Type::kBulk || !ParseRecord(d.str(), &writes)) {
      *error = "decision record of " + iid + ": " + d.ToString();
      co_return false;
    }
    std::vector<std::string> home_keys;
    for (const WriteOp& w : writes) {
      if (KeySlot(w.key) == KeySlot(home)) home_keys.push_back(w.key);
    }
    if (!co_await RollForward(conn, iid, record, writes, home_keys)) {
      *error = "rolling " + iid + " forward failed";
      co_return false;
    }
    co_return true;
  }

  // Applies a committed txn's intents: every participant but the home one,
  // then (only if all of those succeeded) the home one and the record in one
  // step. Idempotent; safe without the other participants' locks, since a
  // reader never uses a value while an intent sits on its key.
  Task<bool> RollForward(Connection& conn, const std::string& iid, const std::string& record,
                         const std::vector<WriteOp>& writes, const std::vector<std::string>& home_group) {
    std::vector<std::string> written;
    for (const WriteOp& w : writes) written.push_back(w.key);
    const int home_slot = KeySlot(record);
    bool applied = true;
    for (const std::vector<std::string>& g : GroupBySlot(written)) {
      if (KeySlot(g.front()) == home_slot) continue;
      Reply r = co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(g), Cmd(iid, "c"));
      applied &= r.type() == Reply::Type::kInteger;
    }
    if (!applied) co_return false;  // the record stays: resolvers finish later
    std::vector<std::string> ks = FinishKeys(GroupWrites(home_group, writes));
    ks.push_back(record);
    Reply r = co_await RunScript(conn, TwoPcFinishScript(), ks, Cmd(iid, "c"));
    co_return r.type() == Reply::Type::kInteger;
  }

  // The keys of `g` that `writes` writes, in g's order.
  static std::vector<std::string> GroupWrites(const std::vector<std::string>& g, const std::vector<WriteOp>& writes) {
    std::vector<std::string> out;
    for (const std::string& k : g) {
      if (std::any_of(writes.begin(), writes.end(), [&](const WriteOp& w) { return w.key == k; })) out.push_back(k);
    }
    return out;
  }

  // "c <hex key>..." -> the written keys (as WriteOps without values).
  static bool ParseRecord(const std::string& v, std::vector<WriteOp>* writes) {
    if (v.rfind("c ", 0) != 0) return false;
    size_t pos = 2;
    while (pos <= v.size()) {
      size_t sp = v.find(' ', pos);
      if (sp == std::string::npos) sp = v.size();
      WriteOp w;
      if (!Unhex(v.substr(pos, sp - pos), &w.key) || w.key.empty()) return false;
      writes->push_back(std::move(w));
      pos = sp + 1;
    }
    return !writes->empty();
  }

  // Compare-and-delete of every held lock; one no longer ours counts as
  // lease-lost.
  Task<void> Release(Connection& conn, std::vector<std::string>& held, const std::string& txid, AbortCounts& aborts) {
    for (const std::string& k : held) {
      Reply r = co_await RunScript(conn, ReleaseLockScript(), Cmd(LockKey(k)), Cmd(txid));
      if (r.type() == Reply::Type::kInteger && r.integer() == 0) aborts.Add(AbortReason::kLeaseLost);
    }
    held.clear();
  }

  StrategyOptions options_;
  Rng rng_;
  int64_t client_id_;
  uint64_t nonce_ = 0;
  uint64_t attempts_ = 0;
  int waits_ = 0;  // lock waits of the txn in progress
};

}  // namespace

std::unique_ptr<Strategy> MakeLock2pcStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id) {
  return std::make_unique<Lock2pcStrategy>(o, seed, client_id);
}

}  // namespace txlab
