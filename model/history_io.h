// Reading and writing histories.
//
// Formats:
//   EDN   one Jepsen op map per line: {:type :ok, :process 0, :f :txn, :value [...], :index 3, :time 12}
//         (a file that is one EDN vector of op maps is also accepted)
//   JSON  elle-cli's JSON: one object per line, or one array of objects; keywords as strings
//   Jepsen log  "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]" (porcupine's etcd logs;
//         fields separated by tabs or spaces; :time is set to the op's position)
//   porcupine's kv EDN {:process 0, :type :ok, :f :get, :key "1", :value "x"}:
//         read as EDN with the key folded into :value as jepsen.independent's
//         tuple, :value ["1" "x"]
// Ops whose :process is not an integer (:nemesis) are skipped; a missing
// :process reads as 0 and a missing :index as the op's position. A keyword
// :error (:timed-out) is kept as its name ("timed-out").
// Readers never throw: malformed input gives ok=false with the 1-based line
// number and the reason, and an empty history.
#ifndef TXLAB_MODEL_HISTORY_IO_H_
#define TXLAB_MODEL_HISTORY_IO_H_

#include <iosfwd>
#include <string>
#include <string_view>

#include "model/edn.h"
#include "model/history.h"

namespace txlab {

struct ParseError {
  bool ok = true;
  int line = 0;        // 1-based; 0 when not tied to a line
  std::string reason;  // one line, names the problem
  std::string ToString() const;  // "line 12: expected ':type'"
};

// Parses one EDN value (used by the history readers and tests).
ParseError ParseEdn(std::string_view text, Edn* out);

ParseError ReadEdnHistory(std::string_view text, History* out);
ParseError ReadJsonHistory(std::string_view text, History* out);
ParseError ReadJepsenLog(std::string_view text, History* out);
// Picks the reader by content (and by extension when given).
ParseError ReadHistoryFile(const std::string& path, History* out);

// Structural checks every checker relies on: a completion without an
// invocation, a process with two operations in flight, an op after :info on
// the same process, a completion whose :f differs from its invocation's, a
// completion whose :time is before its invocation's ("returns before its
// call"). Reports the first problem; line is the op's 1-based position.
// (Times need not be globally sorted: Elle's own histories are not.)
// The readers run these checks themselves, with the file's line numbers.
ParseError ValidateHistory(const History& h);

void WriteEdnHistory(const History& h, std::ostream& out);
void WriteJsonHistory(const History& h, std::ostream& out);

}  // namespace txlab

#endif  // TXLAB_MODEL_HISTORY_IO_H_
