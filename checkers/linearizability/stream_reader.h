// StreamHistory: reads a Jepsen EDN history straight into the checker's
// compact form (streamed_history.h), in fixed-size blocks, without the Edn
// tree of the whole history (model/history_io.h builds that, for everyone
// else). Memory is the compact ops plus one block; each op map is scanned
// once and only the fields the checker needs are kept.
//
// Supported: one op map per form ({:type :ok, :process 0, :f :read,
// :value [k v], ...}, as txlab and Jepsen write them; porcupine's kv form
// with :key), keyed single-key operations read, write, cas, incr, add, get,
// put, append, and :f :txn transactions of [:r|:w|:append|:incr k v]
// micro-ops (partitions joined by union-find over their keys), with values
// that are nil, integers, strings, keywords, booleans or vectors of those.
// Everything else is kUnsupported, and the caller falls back to the generic
// reader and Compile (check_history.cc): mutexes, unkeyed registers,
// transactions without :f or mixed with single-key ops, JSON, Jepsen logs,
// doubles, tagged literals, a top-level vector of ops, unknown :f.
//
// Bad input is reported with its line and the same reason the generic
// reader gives (model/history_validate.cc): a completion without an
// invocation, a process with two operations in flight, an invocation after
// :info retired its process, a completion whose :f or :time contradicts its
// invocation ("returns before its call"). Syntax errors and malformed
// fields are reported as bad input with a line; the caller re-reads the
// file with the generic reader to name the first problem exactly as before
// (the generic reader parses everything before validating).
#ifndef TXLAB_CHECKERS_LINEARIZABILITY_STREAM_READER_H_
#define TXLAB_CHECKERS_LINEARIZABILITY_STREAM_READER_H_

#include <string>
#include <string_view>

#include "checkers/linearizability/streamed_history.h"

namespace txlab {
namespace lin {

struct StreamStatus {
  enum class Kind { kOk, kUnsupported, kBadInput };
  Kind kind = Kind::kOk;
  int line = 0;        // 1-based, for kUnsupported and kBadInput
  std::string reason;  // one line
  bool ok() const { return kind == Kind::kOk; }
};

// block_bytes: the read size (the buffer grows only for an op map larger
// than a block).
StreamStatus StreamHistoryFile(const std::string& path, StreamedHistory* out, size_t block_bytes = 256 << 10);
// The same on text in memory (tests).
StreamStatus StreamHistoryText(std::string_view text, StreamedHistory* out);

}  // namespace lin
}  // namespace txlab

#endif  // TXLAB_CHECKERS_LINEARIZABILITY_STREAM_READER_H_
