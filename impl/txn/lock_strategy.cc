// Strategies "lock", "lock-wait", "lock-fenced", "lock-wait-fenced":
// pessimistic concurrency with lease locks (SEMANTICS §5).
//
// Each key k of the txn is guarded by the lease `lock:k`, acquired with
//   SET lock:k <token> NX PX <ttl>
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
// token (INCR fence:counter in the acquire script), and every access to a
// key goes through a script that records the highest token the key has seen
// and refuses lower ones with -FENCED (SEMANTICS §5.3). Reads are fenced
// too: the new holder's read must already shut out the stale holder's write.
// The write script checks every key before writing any, so a refused commit
// writes nothing and the attempt is simply retried.
#include "impl/txn/random.h"
#include "impl/txn/script.h"
#include "impl/txn/strategies.h"
#include "impl/txn/txn_eval.h"

namespace txlab {
namespace {

const char* const kFenceCounter = "fence:counter";

std::string LockKey(const std::string& k) { return "lock:" + k; }
std::string FenceKey(const std::string& k) { return "fence:" + k; }

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
            r = co_await RunScript(conn, FencedAcquireScript(), Cmd(LockKey(k), kFenceCounter),
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
        std::vector<std::string> ks = read_keys;
        std::vector<std::string> args = {std::to_string(read_keys.size())};
        for (const std::string& k : read_keys) ks.push_back(FenceKey(k));
        for (const std::string& k : read_keys) args.push_back(std::to_string(FenceOf(held, k)));
        for (const std::string& k : read_keys) args.push_back(std::string(IsListKey(txn, k) ? "l" : "r"));
        Reply r = co_await RunScript(conn, FencedReadScript(), ks, args);
        if (r.is_error() && r.error_code() == "FENCED") {
          co_await Release(conn, held, aborts);
          aborts.Add(AbortReason::kFenced);
          continue;
        }
        bool ok = r.type() == Reply::Type::kArray && r.elems().size() == read_keys.size();
        for (size_t i = 0; ok && i < read_keys.size(); ++i) {
          ok = StoreRead(txn, read_keys[i], r.elems()[i], &snap);
        }
        if (!ok) {
          co_await Release(conn, held, aborts);
          aborts.Add(AbortReason::kScriptError);
          co_return FailOutcome(AbortReason::kScriptError, attempt, aborts, r.ToString());
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
      // ---- write ----
      if (fenced_ && !e.writes.empty()) {
        std::vector<std::string> ks;
        for (const WriteOp& w : e.writes) ks.push_back(w.key);
        const size_t n = ks.size();
        std::vector<std::string> args = {std::to_string(n)};
        for (size_t i = 0; i < n; ++i) ks.push_back(FenceKey(e.writes[i].key));
        for (size_t i = 0; i < n; ++i) args.push_back(std::to_string(FenceOf(held, e.writes[i].key)));
        for (size_t i = 0; i < n; ++i) {
          const WriteOp& w = e.writes[i];
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
          co_await Release(conn, held, aborts);
          if (r.error_code() == "FENCED") {  // refused before writing anything
            aborts.Add(AbortReason::kFenced);
            continue;
          }
          aborts.Add(AbortReason::kScriptError);
          co_return InfoOutcome(AbortReason::kScriptError, attempt, aborts, r.str());
        }
      } else if (e.writes.size() == 1) {
        Reply r = co_await conn.Call(e.writes[0].Argv());
        if (r.is_error()) {
          co_await Release(conn, held, aborts);
          aborts.Add(AbortReason::kCommandError);
          co_return FailOutcome(AbortReason::kCommandError, attempt, aborts, r.str());
        }
      } else if (!e.writes.empty()) {
        // MULTI/EXEC (no WATCH: the locks give isolation) makes the write
        // set atomic, so a client that crashes mid-commit leaves no half
        // transfer behind.
        co_await conn.Call(Cmd("MULTI"));
        for (const WriteOp& w : e.writes) {
          Reply q = co_await conn.Call(w.Argv());
          if (q.is_error()) break;  // EXEC will reply EXECABORT
        }
        Reply r = co_await conn.Call(Cmd("EXEC"));
        bool failed = r.type() != Reply::Type::kArray;
        for (size_t i = 0; !failed && i < r.elems().size(); ++i) failed = r.elems()[i].is_error();
        if (failed) {
          co_await Release(conn, held, aborts);
          AbortReason why = r.is_error() && r.error_code() == "EXECABORT" ? AbortReason::kExecAbort
                                                                          : AbortReason::kCommandError;
          aborts.Add(why);
          if (why == AbortReason::kExecAbort) co_return FailOutcome(why, attempt, aborts, r.ToString());
          co_return InfoOutcome(why, attempt, aborts, r.ToString());
        }
      }
      co_await Release(conn, held, aborts);
      Outcome out;
      out.attempts = attempt;
      out.aborts = aborts;
      out.result = std::move(e.result);
      co_return out;
    }
    aborts.Add(AbortReason::kGiveUp);
    co_return FailOutcome(AbortReason::kGiveUp, options_.max_attempts, aborts);
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
