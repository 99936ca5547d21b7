// History: the record of every operation a run performed, in Jepsen's shape.
//
// A history is a sequence of operations in real-time order. Each logical
// operation appears twice: an :invoke, then a completion (:ok, :fail or
// :info) by the same process. Meanings (SEMANTICS.md 6.2):
//   :ok    committed; the completion's value holds what was read
//   :fail  definitely did not take effect
//   :info  unknown: may take effect at any time after its invocation, or never;
//          the process is retired and a fresh process id is used afterwards.
// An invocation with no completion is treated as :info.
//
// Writers (EDN, JSON) and readers (EDN, JSON, Jepsen log lines) are in
// model/history_io.h; every checker reads only this type.
#ifndef TXLAB_MODEL_HISTORY_H_
#define TXLAB_MODEL_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/edn.h"

namespace txlab {

enum class OpType : uint8_t { kInvoke, kOk, kFail, kInfo };

const char* OpTypeName(OpType t);  // "invoke", "ok", "fail", "info"

struct Op {
  int64_t index = -1;   // position in the history (:index)
  OpType type = OpType::kInvoke;
  int64_t process = 0;  // :process
  std::string f;        // :f, e.g. "txn", "read", "write", "cas", "incr", "get", "put", "append", "acquire", "release", "transfer"
  Edn value;            // :value, e.g. [[:append 3 7] [:r 4 nil]]
  int64_t time_ns = 0;  // :time, monotonic nanoseconds since the run started
  std::string error;    // :error on :fail/:info completions (abort reason), else empty
};

using History = std::vector<Op>;

}  // namespace txlab

#endif  // TXLAB_MODEL_HISTORY_H_
