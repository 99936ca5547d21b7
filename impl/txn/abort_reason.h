// AbortReason: why a transaction attempt did not commit.
//
// ONE list (the X-macro below, as in Silo) generates the enum, the printable
// names, the descriptions and the per-reason counters. Add a reason here and
// it appears in metrics.json, the histories' :error and the run table.
#ifndef TXLAB_IMPL_TXN_ABORT_REASON_H_
#define TXLAB_IMPL_TXN_ABORT_REASON_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace txlab {

// X(enumerator, "name", "why it happens")
#define TXLAB_ABORT_REASONS(X)                                                                   \
  X(kWatchConflict, "watch-conflict", "EXEC returned nil: a WATCHed key changed after WATCH")     \
  X(kExecAbort, "exec-abort", "EXEC replied EXECABORT: a queued command was rejected")          \
  X(kLockBusy, "lock-busy", "SET lock NX failed: another client holds the lease")               \
  X(kLeaseLost, "lease-lost",                                                                    \
    "the lease expired before release (counted; without fencing the writes already happened)")  \
  X(kFenced, "fenced", "a fenced access was refused: the key has seen a higher fencing token")  \
  X(kScriptError, "script-error", "a script replied with an unexpected error")                  \
  X(kCommandError, "command-error", "a command replied with an unexpected error")               \
  X(kInsufficientFunds, "insufficient-funds", "the transfer would overdraw its source account") \
  X(kGiveUp, "give-up", "still aborting after the configured number of attempts")               \
  X(kCrashed, "crashed", "the client crashed mid-transaction (injected fault)")                   \
  X(kCrossSlot, "cross-slot",                                                                    \
    "the txn's keys span cluster slots and the strategy needs one slot (lua, watch, "            \
    "multi-no-watch); refused before sending, or CROSSSLOT from the server: nothing written")    \
  X(kPrepareRefused, "prepare-refused",                                                          \
    "lock-2pc: a participant refused to prepare (a lease lapsed, or a foreign intent); the "     \
    "attempt's intents are discarded, nothing committed")                                        \
  X(kCommitPreempted, "commit-preempted",                                                        \
    "lock-2pc: the commit step was refused: the coordinator was paused past its home lease, or "  \
    "a client that met one of its intents revoked that lease (aborting it); nothing committed")  \
  X(kIntentResolved, "intent-resolved",                                                          \
    "lock-2pc (counted, not an abort): met the intent of a txn whose coordinator lost its lease " \
    "and resolved it (rolled it forward from its decision record, or aborted it) before reading")

enum class AbortReason : uint8_t {
#define TXLAB_ABORT_ENUM(e, name, why) e,
  TXLAB_ABORT_REASONS(TXLAB_ABORT_ENUM)
#undef TXLAB_ABORT_ENUM
};

inline constexpr size_t kAbortReasonCount = 0
#define TXLAB_ABORT_COUNT(e, name, why) +1
    TXLAB_ABORT_REASONS(TXLAB_ABORT_COUNT)
#undef TXLAB_ABORT_COUNT
    ;

// "watch-conflict", ...
std::string_view AbortReasonName(AbortReason r);
std::string_view AbortReasonDescription(AbortReason r);
// Inverse of AbortReasonName.
std::optional<AbortReason> AbortReasonFromName(std::string_view name);

// A count per reason. Plain data: each client keeps its own, runners sum them.
struct AbortCounts {
  std::array<uint64_t, kAbortReasonCount> n{};

  void Add(AbortReason r, uint64_t k = 1) { n[static_cast<size_t>(r)] += k; }
  uint64_t Get(AbortReason r) const { return n[static_cast<size_t>(r)]; }
  uint64_t Total() const;
  AbortCounts& operator+=(const AbortCounts& o);
};

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_ABORT_REASON_H_
