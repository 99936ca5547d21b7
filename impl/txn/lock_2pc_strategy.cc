// Strategy "lock-2pc": lease locks plus two-phase commit, so that a txn
// whose keys span cluster slots still commits atomically (SEMANTICS §4.3),
// and the coordinator (the client) may crash or stall at any point.
//
// Keys (lock_keys.h), all of key k's in k's slot: lock:{k}, intent:{k};
// per txn attempt one decision record txn:{<txid>} in a slot of its own.
// A participant is one slot: its keys are handled by one script per step.
// The txid (client:nonce:attempt) is also the lease token of every lock.
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
//              "<txid> w <v>" / "<txid> a <v>...". A refusal (LEASELOST:
//              the lease lapsed; INTENT) drops our intents and retries:
//              prepare-refused. A read-only txn only validates its leases
//              this way (so all its reads happened under held locks; with
//              one participant its one read script was atomic already), and
//              a txn with one participant commits in this step (one-phase).
//  5. decide   SET txn:{txid} c NX -- the single commit point. nil means a
//              resolver already wrote "a" for us (we stalled past our
//              leases): drop intents, retry (commit-preempted). Any failure
//              before this point leaves the txn definitely uncommitted
//              (:fail); an IOERR on the decision itself is :info.
//  6. apply    per slot, one script applies our intents and deletes them;
//              then DEL the decision record and release the locks. The txn
//              is committed from step 5 on, whatever happens here.
//
// Resolving X's intent (by whoever holds the lock of its key):
//   SET txn:{X} a NX   -- OK: X is now aborted (its coordinator's later
//                         commit NX fails); nil: GET txn:{X} says c or a;
//   then the finish script applies ('c') or drops ('a') X's intents on the
//   keys we hold. Other keys of X are resolved by whoever touches them next,
//   from the same record.
//
// Why readers can trust what they read: a key's value changes only by an
// apply of a decided txn, and the intent stays until that apply. A reader
// holding the lock reads value and intent in one script; while an intent is
// there it does not use the value. Leases only decide who may prepare: a
// coordinator whose lease lapsed is refused at prepare (LEASELOST) or
// aborted by a resolver before its commit record, never both committed and
// overtaken.
//
// A crashed coordinator (sim crash faults) leaves locks (they expire after
// the ttl) and maybe intents and a decision record. Before its decision:
// the next txn to lock one of its keys writes "a" and drops the intent --
// the crashed txn never happened. After its decision: the next txn rolls
// each key forward -- it happened, and its :info completion is right either
// way. Records written by resolvers (and "c" records of coordinators that
// crashed before cleaning up) stay behind: they are needed as long as an
// intent may name them, and small.
//
// Only lock-2pc clients respect intents and locks: mixing it with other
// strategies on the same keys is unsafe, as for every lock strategy.
#include <algorithm>

#include "impl/txn/lock_keys.h"
#include "impl/txn/random.h"
#include "impl/txn/script.h"
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
      // ---- 4. prepare (validate / one-phase commit) ----
      // A read-only txn of one participant read everything in one script:
      // nothing to validate.
      const char mode = e.writes.empty() ? 'v' : groups.size() == 1 ? 'c' : 'p';
      const size_t participants = mode == 'v' && groups.size() == 1 ? 0 : groups.size();
      size_t prepared = 0;
      Reply refusal;
      for (; prepared < participants; ++prepared) {
        Reply r = co_await RunScript(conn, TwoPcPrepareScript(), PrepareKeys(groups[prepared]),
                                     PrepareArgs(groups[prepared], txid, mode, e.writes));
        if (r.is_error()) {
          refusal = std::move(r);
          break;
        }
      }
      if (prepared < participants) {
        // Not decided: nothing is committed. Drop what we prepared (the group
        // that failed too: an IOERR may hide a prepare that ran).
        if (mode == 'p') {
          for (size_t i = 0; i <= prepared && i < groups.size(); ++i) {
            co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(groups[i]), Cmd(txid, "a"));
          }
        }
        co_await Release(conn, held, txid, aborts);
        const std::string_view code = refusal.error_code();
        if (code == "LEASELOST" || code == "INTENT") {
          aborts.Add(AbortReason::kPrepareRefused);
          continue;
        }
        const AbortReason why = code == "IOERR" ? AbortReason::kCommandError : AbortReason::kScriptError;
        aborts.Add(why);
        // One-phase commit: an unknown error may have applied the writes.
        if (mode == 'c') co_return InfoOutcome(why, attempt, aborts, refusal.str());
        co_return FailOutcome(why, attempt, aborts, refusal.str());
      }
      if (mode == 'p') {
        // ---- 5. decide: the commit point ----
        Reply d = co_await conn.Call(Cmd("SET", DecisionKey(txid), "c", "NX"));
        if (d.is_nil()) {
          for (const std::vector<std::string>& g : groups) {
            co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(g), Cmd(txid, "a"));
          }
          co_await Release(conn, held, txid, aborts);
          aborts.Add(AbortReason::kCommitPreempted);
          continue;
        }
        if (!d.is_ok()) {
          // Unknown whether the record was written: resolvers will decide.
          aborts.Add(AbortReason::kCommandError);
          co_return InfoOutcome(AbortReason::kCommandError, attempt, aborts, d.ToString());
        }
        // ---- 6. apply ----
        bool applied = true;
        for (const std::vector<std::string>& g : groups) {
          Reply r = co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(g), Cmd(txid, "c"));
          applied &= r.type() == Reply::Type::kInteger;
        }
        // The record is needed only while an intent names it.
        if (applied) co_await conn.Call(Cmd("DEL", DecisionKey(txid)));
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

  // Decides txn x (abort unless it already committed) and finishes its
  // intents on `ks` (keys whose locks we hold, one slot).
  Task<bool> Resolve(Connection& conn, const std::string& x, const std::vector<std::string>& ks, std::string* error) {
    Reply set = co_await conn.Call(Cmd("SET", DecisionKey(x), "a", "NX"));
    std::string decision = "a";
    if (set.is_nil()) {
      Reply d = co_await conn.Call(Cmd("GET", DecisionKey(x)));
      if (d.type() == Reply::Type::kBulk) {
        decision = d.str();
      } else if (!d.is_nil()) {
        *error = "decision record of " + x + ": " + d.ToString();
        co_return false;
      }
      // nil: the coordinator deleted its record between our SET and GET,
      // which it does only after applying every intent: none is left.
    } else if (!set.is_ok()) {
      *error = "deciding " + x + ": " + set.ToString();
      co_return false;
    }
    Reply f = co_await RunScript(conn, TwoPcFinishScript(), FinishKeys(ks), Cmd(x, decision == "c" ? "c" : "a"));
    if (f.type() != Reply::Type::kInteger) {
      *error = "finishing " + x + ": " + f.ToString();
      co_return false;
    }
    co_return true;
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
