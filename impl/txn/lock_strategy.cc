// Strategies "lock", "lock-wait", "lock-fenced", "lock-wait-fenced":
// pessimistic concurrency with lease locks (SEMANTICS §5).
//
// Each key k of the txn is guarded by the lease `lock:{k}` (co-located with
// k on a cluster, lock_keys.h), acquired with
//   SET lock:{k} <token> NX PX <ttl>
// in global (sorted) key order, so two clients never wait on each other in a
// cycle. Reads are plain GET/LRANGE; several writes go in one MULTI/EXEC so
// that they apply atomically. A busy lock either aborts the attempt (no-wait: release everything,
// back off, retry the txn) or is retried in place with backoff (wait). Locks
// are released with the compare-and-delete script, never a plain DEL.
//
// A lease can expire while its holder is paused (GC, SIGSTOP, a slow
// network): another client then acquires the lock and both "hold" it.
// Without fencing, the stale holder's later writes land anyway: lost update.
// With fencing (Kleppmann), every grant also takes a strictly increasing
// token (INCR fence-counter:{k} in the acquire script: tokens only need to
// grow per key), and every access to a
// key goes through a script that records the highest token the key has seen
// and refuses lower ones with -FENCED (SEMANTICS §5.3). Reads are fenced
// too: the new holder's read must already shut out the stale holder's write.
// The write script checks every key before writing any, so a refused commit
// writes nothing and the attempt is simply retried.
//
// Across cluster slots (a slot-confined connection): locks, fences and
// counters live in their key's slot, so acquiring, fenced reads and
// releasing work key by key or slot by slot. The writes cannot be one
// MULTI/EXEC or one script any more: they go as one MULTI/EXEC (or one fenced
// script) per slot, in turn. Each slot's writes are atomic and fenced, but
// the txn is not atomic across slots: a crash between two slots leaves half a
// transfer, and a stale holder fenced out at its second slot has already
// written its first (that attempt ends :info, "partial commit"). lock-2pc
// closes both gaps. On one server or the engine nothing changes: one group.
#include "impl/txn/lock_keys.h"
#include "impl/txn/random.h"
#include "impl/txn/script.h"
#include "impl/txn/strategies.h"
#include "impl/txn/txn_eval.h"

namespace txlab {
namespace {

struct Held {
  std::string key;       // the data key
  std::string token;     // lease token (unique per grant)
  int64_t fence = 0;     // fencing token (fenced variants)
};

class LockStrategy final : public Strategy {
 public:
  LockStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id, bool wait, bool fenced)
      : options_(o), rng_(seed), client_id_(client_id), wait_(wait), fenced_(fenced) {
    name_ = std::string("lock") + (wait ? "-wait" : "") + (fenced ? "-fenced" : "");
    nonce_ = rng_.Next() & 0xffffffffu;
  }
  std::string_view name() const override { return name_; }

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
    const std::vector<std::string> read_keys = txn.ReadKeys();
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
      if (attempt > 1) co_await conn.Sleep(BackoffDelayNs(options_.backoff, attempt - 1, rng_));
      std::vector<Held> held;
      // ---- acquire, in key order ----
      bool busy = false;
      for (const std::string& k : keys) {
        int tries = 0;
        for (;;) {
          Held h{k, NewToken(), 0};
          Reply r;
          bool granted;
          if (fenced_) {
            r = co_await RunScript(conn, FencedAcquireScript(), Cmd(LockKey(k), FenceCounterKey(k)),
                                   Cmd(h.token, std::to_string(options_.lock_ttl_ms)));
            granted = r.type() == Reply::Type::kInteger && r.integer() > 0;
            h.fence = r.type() == Reply::Type::kInteger ? r.integer() : 0;
          } else {
            std::vector<std::string> set = {"SET", LockKey(k), h.token, "NX", "PX",
                                            std::to_string(options_.lock_ttl_ms)};
            r = co_await conn.Call(std::move(set));
            granted = r.is_ok();
          }
          if (r.is_error()) {
            co_await Release(conn, held, aborts);
            aborts.Add(AbortReason::kCommandError);
            co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.str());
          }
          if (granted) {
            held.push_back(std::move(h));
            break;
          }
          if (wait_ && ++tries < options_.lock_wait_tries) {
            ++waits_;
            co_await conn.Sleep(BackoffDelayNs(options_.backoff, tries, rng_));
            continue;
          }
          busy = true;
          break;
        }
        if (busy) break;
      }
      if (busy) {
        co_await Release(conn, held, aborts);
        aborts.Add(AbortReason::kLockBusy);
        continue;
      }
      // ---- read ----
      StoreSnapshot snap;
      if (fenced_ && !read_keys.empty()) {
        bool refused = false;
        for (const std::vector<std::string>& group : Groups(conn, read_keys)) {
          std::vector<std::string> ks = group;
          std::vector<std::string> args = {std::to_string(group.size())};
          for (const std::string& k : group) ks.push_back(FenceKey(k));
          for (const std::string& k : group) args.push_back(std::to_string(FenceOf(held, k)));
          for (const std::string& k : group) args.push_back(std::string(IsListKey(txn, k) ? "l" : "r"));
          Reply r = co_await RunScript(conn, FencedReadScript(), ks, args);
          if (r.is_error() && r.error_code() == "FENCED") {
            refused = true;
            break;
          }
          bool ok = r.type() == Reply::Type::kArray && r.elems().size() == group.size();
          for (size_t i = 0; ok && i < group.size(); ++i) ok = StoreRead(txn, group[i], r.elems()[i], &snap);
          if (!ok) {
            co_await Release(conn, held, aborts);
            aborts.Add(AbortReason::kScriptError);
            co_return FailOutcome(AbortReason::kScriptError, attempt, aborts, r.ToString());
          }
        }
        if (refused) {
          co_await Release(conn, held, aborts);
          aborts.Add(AbortReason::kFenced);
          continue;
        }
      } else {
        for (const std::string& k : read_keys) {
          Reply r = co_await conn.Call(ReadArgv(txn, k));
          if (!StoreRead(txn, k, r, &snap)) {
            co_await Release(conn, held, aborts);
            aborts.Add(AbortReason::kCommandError);
            co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.ToString());
          }
        }
      }
      Evaluation e = Evaluate(txn, snap);
      if (e.refused) {
        co_await Release(conn, held, aborts);
        aborts.Add(AbortReason::kInsufficientFunds);
        co_return FailOutcome(AbortReason::kInsufficientFunds, attempt, aborts);
      }
      // ---- write: one atomic unit per slot (one unit off a cluster) ----
      std::vector<std::vector<WriteOp>> units = WriteUnits(conn, e.writes);
      bool retry = false;
      for (size_t u = 0; u < units.size(); ++u) {
        // A failure after an earlier unit was written is a partial commit.
        const std::string partial = u == 0 ? std::string() : "partial commit across slots: ";
        WriteResult w = co_await WriteUnit(conn, held, units[u]);
        if (w.ok) continue;
        co_await Release(conn, held, aborts);
        aborts.Add(w.why);
        if (w.retry && u == 0) {
          retry = true;
          break;
        }
        if (w.definite && u == 0) co_return FailOutcome(w.why, attempt, aborts, w.detail);
        co_return InfoOutcome(w.why, attempt, aborts, partial + w.detail);
      }
      if (retry) continue;
      co_await Release(conn, held, aborts);
      co_return OkOutcome(attempt, aborts, std::move(e.result));
    }
    aborts.Add(AbortReason::kGiveUp);
    co_return FailOutcome(AbortReason::kGiveUp, options_.max_attempts, aborts);
  }

  // The keys in groups that scripts and MULTI/EXEC may span: by slot on a
  // cluster, all together otherwise.
  static std::vector<std::vector<std::string>> Groups(const Connection& conn, const std::vector<std::string>& keys) {
    if (!conn.slot_confined()) return {keys};
    return GroupBySlot(keys);
  }

  static std::vector<std::vector<WriteOp>> WriteUnits(const Connection& conn, const std::vector<WriteOp>& writes) {
    std::vector<std::vector<WriteOp>> units;
    if (writes.empty()) return units;
    std::vector<std::string> keys;
    for (const WriteOp& w : writes) keys.push_back(w.key);
    for (const std::vector<std::string>& group : Groups(conn, keys)) {
      units.emplace_back();
      for (const std::string& k : group) {
        for (const WriteOp& w : writes) {
          if (w.key == k) units.back().push_back(w);
        }
      }
    }
    return units;
  }

  struct WriteResult {
    bool ok = true;
    AbortReason why = AbortReason::kCommandError;
    bool retry = false;     // refused before writing anything: retry the txn
    bool definite = false;  // nothing written (fail, not info)
    std::string detail;
  };

  // Writes one unit atomically: a fenced script, one command, or MULTI/EXEC
  // (no WATCH: the locks give isolation; atomic so that a client that
  // crashes mid-commit leaves no half unit behind).
  Task<WriteResult> WriteUnit(Connection& conn, const std::vector<Held>& held, const std::vector<WriteOp>& writes) {
    WriteResult out;
    if (fenced_) {
      std::vector<std::string> ks;
      for (const WriteOp& w : writes) ks.push_back(w.key);
      const size_t n = ks.size();
      std::vector<std::string> args = {std::to_string(n)};
      for (size_t i = 0; i < n; ++i) ks.push_back(FenceKey(writes[i].key));
      for (size_t i = 0; i < n; ++i) args.push_back(std::to_string(FenceOf(held, writes[i].key)));
      for (size_t i = 0; i < n; ++i) {
        const WriteOp& w = writes[i];
        if (w.is_list) {
          for (int64_t v : w.values) {
            args.push_back(std::string("a"));
            args.push_back(std::to_string(i + 1));
            args.push_back(std::to_string(v));
          }
        } else {
          args.push_back(std::string("w"));
          args.push_back(std::to_string(i + 1));
          args.push_back(std::to_string(w.values.back()));
        }
      }
      Reply r = co_await RunScript(conn, FencedWriteScript(), ks, args);
      if (r.is_error()) {
        out.ok = false;
        out.detail = r.str();
        if (r.error_code() == "FENCED") {  // refused before writing anything
          out.why = AbortReason::kFenced;
          out.retry = true;
        } else {
          out.why = AbortReason::kScriptError;
        }
      }
      co_return out;
    }
    if (writes.size() == 1) {
      Reply r = co_await conn.Call(writes[0].Argv());
      if (r.is_error()) {
        out.ok = false;
        out.why = AbortReason::kCommandError;
        out.definite = true;
        out.detail = r.str();
      }
      co_return out;
    }
    co_await conn.Call(Cmd("MULTI"));
    for (const WriteOp& w : writes) {
      Reply q = co_await conn.Call(w.Argv());
      if (q.is_error()) break;  // EXEC will reply EXECABORT
    }
    Reply r = co_await conn.Call(Cmd("EXEC"));
    bool failed = r.type() != Reply::Type::kArray;
    for (size_t i = 0; !failed && i < r.elems().size(); ++i) failed = r.elems()[i].is_error();
    if (failed) {
      out.ok = false;
      out.why = r.is_error() && r.error_code() == "EXECABORT" ? AbortReason::kExecAbort : AbortReason::kCommandError;
      out.definite = out.why == AbortReason::kExecAbort;
      out.detail = r.ToString();
    }
    co_return out;
  }

  std::string NewToken() {
    return std::to_string(client_id_) + ":" + std::to_string(nonce_) + ":" + std::to_string(++grants_);
  }

  static int64_t FenceOf(const std::vector<Held>& held, const std::string& k) {
    for (const Held& h : held) {
      if (h.key == k) return h.fence;
    }
    return 0;
  }

  // Compare-and-delete of every held lock. A lock that is no longer ours
  // (expired, maybe re-acquired by someone else) counts as lease-lost.
  Task<void> Release(Connection& conn, std::vector<Held>& held, AbortCounts& aborts) {
    for (const Held& h : held) {
      Reply r = co_await RunScript(conn, ReleaseLockScript(), Cmd(LockKey(h.key)), Cmd(h.token));
      if (r.type() == Reply::Type::kInteger && r.integer() == 0) aborts.Add(AbortReason::kLeaseLost);
    }
    held.clear();
  }

  StrategyOptions options_;
  Rng rng_;
  int64_t client_id_;
  bool wait_;
  bool fenced_;
  std::string name_;
  uint64_t nonce_ = 0;
  uint64_t grants_ = 0;
  int waits_ = 0;  // lock waits of the txn in progress
};

}  // namespace

std::unique_ptr<Strategy> MakeLockStrategy(const StrategyOptions& o, uint64_t seed, int64_t client_id,
                                           bool wait, bool fenced) {
  return std::make_unique<LockStrategy>(o, seed, client_id, wait, fenced);
}

}  // namespace txlab
