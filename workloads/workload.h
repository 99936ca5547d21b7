// Workload: a seeded generator of Txns plus the encoding of its operations
// in the history (Jepsen/Elle shapes), so that checkers can judge them.
//
//   bank         N accounts, transfers that never overdraw, read-all txns;
//                invariant: every read sums to N * initial balance
//   counter      read-modify-write increments of a few hot keys, reads;
//                every read lies between the acknowledged and the attempted
//                increments
//   list-append  Elle: 1-4 micro-ops, append a unique value / read a list
//   rw-register  Elle: 1-4 micro-ops, write a unique value / read a register
//   ycsb         ops/txn reads and writes over zipf(θ)-chosen keys
//
// Thread-safety: Next() may be called from many client threads at once, each
// with its own Rng; shared state (unique-value counters) is atomic. Every
// other method is const and thread-safe.
#ifndef TXLAB_WORKLOADS_WORKLOAD_H_
#define TXLAB_WORKLOADS_WORKLOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "impl/txn/random.h"
#include "impl/txn/txn.h"
#include "model/edn.h"

namespace txlab {

struct WorkloadOptions {
  // bank
  int accounts = 5;
  int64_t initial_balance = 100;
  int64_t max_transfer = 5;
  // counter
  int counter_keys = 3;
  // list-append, rw-register, ycsb: number of keys; micro-ops per txn
  int keys = 8;
  // list-append: appends per key before the key is retired for a fresh one
  // (Elle's max-writes-per-key): keeps lists, and so reads, short.
  int max_writes_per_key = 64;
  int min_ops = 1;
  int max_ops = 4;
  // ycsb
  int ycsb_keys = 1000;
  double zipf_theta = 0.99;
  int ops_per_txn = 4;
  // Share of read txns (bank, counter) or read micro-ops (the others);
  // negative means the workload's default (bank 0.25, counter 0.1, others 0.5).
  double read_fraction = -1;

  // Redis Cluster hash tag (SEMANTICS C2) put in front of every key of the
  // workload: "bank" makes acct:3 "{bank}acct:3", so all keys share one slot
  // and every txn stays in it (what lua, watch and multi-no-watch need on a
  // cluster). Empty: untagged keys (spread over slots). Histories show the
  // same key numbers either way. RunConfig::key_tags chooses it per run.
  std::string hash_tag;

  double ReadFraction(double workload_default) const {
    return read_fraction < 0 ? workload_default : read_fraction;
  }
  // `base` ("acct:") behind the hash tag, if any.
  std::string KeyPrefix(const char* base) const {
    return hash_tag.empty() ? std::string(base) : "{" + hash_tag + "}" + base;
  }
};

class Workload {
 public:
  virtual ~Workload() = default;

  virtual std::string_view name() const = 0;

  // Commands that create the initial state, run once before the clients.
  virtual std::vector<std::vector<std::string>> SetupCommands() const { return {}; }

  // The next transaction of a client.
  virtual Txn Next(Rng& rng) = 0;

  // Reads of the whole state, run after the clients stopped and recorded
  // like any txn, so that checkers see the final state.
  virtual std::vector<Txn> FinalReads() const = 0;

  // History encoding. :f of the op, :value of the invocation, and :value of
  // the completion (for ok: with what was read; otherwise the invocation's).
  virtual std::string HistoryF(const Txn& txn) const = 0;
  virtual Edn InvokeValue(const Txn& txn) const = 0;
  virtual Edn OkValue(const Txn& txn, const TxnResult& result) const = 0;

  // bank: the constant total; otherwise 0.
  virtual int64_t ExpectedTotal() const { return 0; }
};

// Names MakeWorkload accepts.
const std::vector<std::string>& WorkloadNames();
// Returns nullptr for an unknown name.
std::unique_ptr<Workload> MakeWorkload(std::string_view name, const WorkloadOptions& options);

std::unique_ptr<Workload> MakeBankWorkload(const WorkloadOptions& o);
std::unique_ptr<Workload> MakeCounterWorkload(const WorkloadOptions& o);
std::unique_ptr<Workload> MakeListAppendWorkload(const WorkloadOptions& o);
std::unique_ptr<Workload> MakeRwRegisterWorkload(const WorkloadOptions& o);
std::unique_ptr<Workload> MakeYcsbWorkload(const WorkloadOptions& o);

}  // namespace txlab

#endif  // TXLAB_WORKLOADS_WORKLOAD_H_
