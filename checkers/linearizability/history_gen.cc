#include "checkers/linearizability/history_gen.h"

#include <algorithm>
#include <map>
#include <random>
#include <vector>

namespace txlab {
namespace lin {

namespace {

using Model = GenOptions::Model;
using Mutation = GenOptions::Mutation;

enum class Kind { kRead, kWrite, kCas, kIncr, kPut, kAppend, kTxn };

struct MicroOp {
  bool write;  // [:w k v] else [:r k v]
  int key;
  int64_t value;  // written value; read value filled in
  bool read_nil = true;
};

struct GenOp {
  Kind kind;
  int client;
  int key = 0;
  int64_t arg = 0, arg2 = 0;   // write value / cas old,new / append element
  int64_t call = 0, ret = 0, point = 0;
  enum class End { kOk, kFail, kInfo } end = End::kOk;
  bool effect = true;          // whether it took effect (false for :fail, maybe for :info)
  // Filled by the sequential execution.
  Edn out;
  bool cas_ok = false;
  std::vector<MicroOp> txn;
  std::string put_text;        // kv put / append text
};

struct Value {
  // A key's state: scalar (nil = !present), string (kv), list.
  bool present = false;
  int64_t scalar = 0;
  std::string text;
  std::vector<int64_t> list;
};

Edn KeyEdn(const GenOptions& o, int key) {
  return o.model == Model::kKv ? Edn::String(std::to_string(key)) : Edn::Int(key);
}

}  // namespace

const char* ModelName(Model m) {
  switch (m) {
    case Model::kRegister: return "register";
    case Model::kCounter: return "counter";
    case Model::kKv: return "kv";
    case Model::kListAppend: return "list-append";
    case Model::kTxn: return "txn";
  }
  return "?";
}

const char* MutationName(Mutation m) {
  switch (m) {
    case Mutation::kNone: return "none";
    case Mutation::kStaleRead: return "stale-read";
    case Mutation::kLostWrite: return "lost-write";
    case Mutation::kDuplicateIncr: return "duplicate-incr";
  }
  return "?";
}

History GenerateHistory(const GenOptions& o) {
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const int nkeys = std::max(1, o.keys);
  const int clients = std::max(1, o.clients);

  // ---- intervals: clients take turns by earliest free time
  std::vector<GenOp> ops;
  ops.reserve(o.ops);
  std::vector<int64_t> free_at(clients, 0);
  int64_t next_value = 1;
  for (size_t i = 0; i < o.ops; ++i) {
    int c = static_cast<int>(std::min_element(free_at.begin(), free_at.end()) - free_at.begin());
    GenOp op;
    op.client = c;
    op.key = static_cast<int>(uniform(0, nkeys - 1));
    // In ticks; times are 4*tick+1 (call), 4*tick+3 (return), 4*tick+2 (effect),
    // so an op that returned in a tick an op was called in overlaps it, and
    // real-time order always agrees with the order of effects.
    const int64_t call = free_at[c] + uniform(0, o.max_gap);
    const int64_t ret = call + uniform(0, std::max(0, o.max_duration));
    op.call = 4 * call + 1;
    op.ret = 4 * ret + 3;
    op.point = 4 * uniform(call, ret) + 2;
    free_at[c] = ret + 1;
    const bool read = chance(o.read_fraction);
    switch (o.model) {
      case Model::kRegister:
        if (read) op.kind = Kind::kRead;
        else if (chance(o.cas_fraction)) {
          op.kind = Kind::kCas;
          op.arg = uniform(0, 3);  // small values so that cas sometimes succeeds
          op.arg2 = uniform(0, 3);
        } else {
          op.kind = Kind::kWrite;
          op.arg = o.cas_fraction > 0 ? uniform(0, 3) : next_value++;
        }
        break;
      case Model::kCounter:
        op.kind = read ? Kind::kRead : Kind::kIncr;
        break;
      case Model::kKv:
        if (read) op.kind = Kind::kRead;
        else if (chance(0.5)) op.kind = Kind::kPut;
        else op.kind = Kind::kAppend;
        op.put_text = "v" + std::to_string(next_value++) + " ";
        break;
      case Model::kListAppend:
        op.kind = read ? Kind::kRead : Kind::kAppend;
        op.arg = next_value++;
        break;
      case Model::kTxn: {
        op.kind = Kind::kTxn;
        int n = (nkeys > 1 && chance(o.txn_two_key_fraction)) ? 2 : 1;
        int k2 = op.key;
        while (n == 2 && k2 == op.key) k2 = static_cast<int>(uniform(0, nkeys - 1));
        for (int j = 0; j < n; ++j) {
          MicroOp m;
          m.key = j == 0 ? op.key : k2;
          m.write = !chance(o.read_fraction);
          m.value = next_value++;
          op.txn.push_back(m);
        }
        break;
      }
    }
    const bool has_effect = op.kind != Kind::kRead &&
                            !(op.kind == Kind::kTxn && std::none_of(op.txn.begin(), op.txn.end(),
                                                                     [](const MicroOp& m) { return m.write; }));
    if (has_effect && chance(o.crash_fraction)) {
      op.end = GenOp::End::kInfo;
      op.effect = chance(0.5);
    } else if (has_effect && chance(o.fail_fraction)) {
      op.end = GenOp::End::kFail;
      op.effect = false;
    }
    ops.push_back(std::move(op));
  }

  // ---- choose the mutation's victim
  std::vector<size_t> by_point(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) by_point[i] = i;
  std::stable_sort(by_point.begin(), by_point.end(), [&](size_t a, size_t b) { return ops[a].point < ops[b].point; });
  size_t victim = SIZE_MAX;
  {
    std::vector<size_t> candidates;
    for (size_t i = 0; i < ops.size(); ++i) {
      const GenOp& op = ops[i];
      if (op.end != GenOp::End::kOk) continue;
      bool ok = false;
      switch (o.mutation) {
        case Mutation::kNone: break;
        case Mutation::kStaleRead:
          ok = op.kind == Kind::kRead ||
               (op.kind == Kind::kTxn && std::any_of(op.txn.begin(), op.txn.end(), [](const MicroOp& m) { return !m.write; }));
          break;
        case Mutation::kLostWrite:
          ok = op.kind == Kind::kWrite || op.kind == Kind::kPut || op.kind == Kind::kAppend || op.kind == Kind::kIncr ||
               (op.kind == Kind::kTxn && std::any_of(op.txn.begin(), op.txn.end(), [](const MicroOp& m) { return m.write; }));
          break;
        case Mutation::kDuplicateIncr: ok = op.kind == Kind::kIncr; break;
      }
      if (ok) candidates.push_back(i);
    }
    if (!candidates.empty()) victim = candidates[uniform(0, static_cast<int64_t>(candidates.size()) - 1)];
  }

  // ---- the sequential execution, in order of effect points
  std::vector<Value> state(nkeys);
  std::vector<std::vector<Value>> past(nkeys);  // earlier values of each key, for stale reads
  auto read_edn = [&](const Value& v) -> Edn {
    switch (o.model) {
      case Model::kKv: return Edn::String(v.text);
      case Model::kListAppend: {
        Edn::Vector xs;
        for (int64_t e : v.list) xs.push_back(Edn::Int(e));
        return v.list.empty() ? Edn() : Edn::Vec(std::move(xs));
      }
      default: return v.present ? Edn::Int(v.scalar) : Edn();
    }
  };
  auto remember = [&](int key) { past[key].push_back(state[key]); };
  for (size_t idx : by_point) {
    GenOp& op = ops[idx];
    const bool mutate = idx == victim;
    Value& v = state[op.key];
    switch (op.kind) {
      case Kind::kRead:
        if (mutate && !past[op.key].empty()) {
          // An older value: up to four changes back, so that it is usually
          // (not always) stale beyond what concurrency allows.
          const auto& pk = past[op.key];
          op.out = read_edn(pk[pk.size() - 1 - static_cast<size_t>(uniform(0, std::min<int64_t>(3, pk.size() - 1)))]);
        } else {
          op.out = read_edn(v);
        }
        break;
      case Kind::kWrite:
        if (!op.effect || (mutate && o.mutation == Mutation::kLostWrite)) break;
        remember(op.key);
        v.present = true;
        v.scalar = op.arg;
        break;
      case Kind::kCas:
        op.cas_ok = v.present && v.scalar == op.arg;
        if (op.end == GenOp::End::kOk && !op.cas_ok) op.end = GenOp::End::kFail;  // Jepsen: a failed cas is :fail
        if (op.effect && op.cas_ok) {
          remember(op.key);
          v.scalar = op.arg2;
        }
        break;
      case Kind::kIncr: {
        if (!op.effect) break;
        int times = mutate && o.mutation == Mutation::kDuplicateIncr ? 2 : 1;
        if (mutate && o.mutation == Mutation::kLostWrite) times = 0;
        int64_t reported = (v.present ? v.scalar : 0) + 1;
        if (times > 0) remember(op.key);
        for (int t = 0; t < times; ++t) {
          v.scalar = (v.present ? v.scalar : 0) + 1;
          v.present = true;
        }
        op.out = Edn::Int(times == 0 ? reported : v.scalar);
        break;
      }
      case Kind::kPut:
        if (!op.effect || (mutate && o.mutation == Mutation::kLostWrite)) break;
        remember(op.key);
        v.text = op.put_text;
        break;
      case Kind::kAppend:
        if (!op.effect || (mutate && o.mutation == Mutation::kLostWrite)) break;
        remember(op.key);
        if (o.model == Model::kKv) v.text += op.put_text;
        else v.list.push_back(op.arg);
        break;
      case Kind::kTxn: {
        bool lost = mutate && o.mutation == Mutation::kLostWrite;
        bool stale_done = false;
        for (MicroOp& m : op.txn) {
          Value& kv = state[m.key];
          if (m.write) {
            if (!op.effect || lost) continue;
            remember(m.key);
            kv.present = true;
            kv.scalar = m.value;
          } else {
            const Value& seen = (mutate && o.mutation == Mutation::kStaleRead && !stale_done && !past[m.key].empty())
                                    ? past[m.key].back()
                                    : kv;
            if (&seen != &kv) stale_done = true;
            m.read_nil = !seen.present;
            m.value = seen.scalar;
          }
        }
        break;
      }
    }
  }

  // ---- events in time order
  struct Event {
    int64_t time;
    bool completion;
    size_t op;
  };
  std::vector<Event> events;
  for (size_t i = 0; i < ops.size(); ++i) {
    events.push_back({ops[i].call, false, i});
    events.push_back({ops[i].ret, true, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time < b.time;
  });
  const bool keyed = o.keys > 0 || o.model == Model::kKv || o.model == Model::kListAppend;
  auto wrap = [&](const GenOp& op, Edn v) { return keyed ? Edn::Vec({KeyEdn(o, op.key), std::move(v)}) : v; };
  std::vector<int64_t> process(clients);
  for (int c = 0; c < clients; ++c) process[c] = c;
  std::vector<int64_t> op_process(ops.size());
  History h;
  h.reserve(events.size());
  for (const Event& e : events) {
    const GenOp& op = ops[e.op];
    Op out;
    out.index = static_cast<int64_t>(h.size());
    out.time_ns = e.time;
    if (!e.completion) {
      op_process[e.op] = process[op.client];
    }
    out.process = op_process[e.op];
    out.type = !e.completion ? OpType::kInvoke
               : op.end == GenOp::End::kOk ? OpType::kOk
               : op.end == GenOp::End::kFail ? OpType::kFail
                                             : OpType::kInfo;
    const bool known = out.type == OpType::kOk;
    switch (op.kind) {
      case Kind::kRead:
        out.f = o.model == Model::kKv ? "get" : "read";
        out.value = wrap(op, known ? op.out : Edn());
        break;
      case Kind::kWrite:
        out.f = "write";
        out.value = wrap(op, Edn::Int(op.arg));
        break;
      case Kind::kCas:
        out.f = "cas";
        out.value = wrap(op, Edn::Vec({Edn::Int(op.arg), Edn::Int(op.arg2)}));
        break;
      case Kind::kIncr:
        out.f = "incr";
        out.value = wrap(op, known ? op.out : Edn());
        break;
      case Kind::kPut:
        out.f = "put";
        out.value = wrap(op, Edn::String(op.put_text));
        break;
      case Kind::kAppend:
        out.f = "append";
        out.value = wrap(op, o.model == Model::kKv ? Edn::String(op.put_text) : Edn::Int(op.arg));
        break;
      case Kind::kTxn: {
        out.f = "txn";
        Edn::Vector mops;
        for (const MicroOp& m : op.txn) {
          Edn v = m.write ? Edn::Int(m.value) : (known && !m.read_nil ? Edn::Int(m.value) : Edn());
          mops.push_back(Edn::Vec({Edn::Kw(m.write ? "w" : "r"), Edn::Int(m.key), std::move(v)}));
        }
        out.value = Edn::Vec(std::move(mops));
        break;
      }
    }
    if (out.type == OpType::kInfo) {
      out.error = "timed-out";
      process[op.client] += clients;  // a crashed process is retired
    }
    h.push_back(std::move(out));
  }
  return h;
}

}  // namespace lin
}  // namespace txlab
