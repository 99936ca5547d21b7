// Names of the keys the lock strategies keep beside each data key, and the
// grouping of a txn's keys by cluster slot.
//
// Every bookkeeping key of data key k carries k's hash tag (SEMANTICS §4.3,
// C2), so on a Redis Cluster it lives in k's slot and one script can check
// it atomically with k: for an untagged k the tag is k itself ("acct:3" ->
// "lock:{acct:3}"); a tagged k keeps its tag ("{bank}acct:3" ->
// "lock:{bank}acct:3"). Keys are assumed free of '}' unless tagged.
//
//   lock:{k}            the lease: SET lock:{k} <token> NX PX <ttl>
//   fence:{k}           highest fencing token k has seen (lock-fenced)
//   fence-counter:{k}   source of k's fencing tokens (INCR per grant)
//   intent:{k}          lock-2pc: "<iid> w <v>" or "<iid> a <v>...", iid =
//                       IntentId(txid, home)
//   txn:{h}<txid>       lock-2pc: the decision record of a txn whose home key
//                       is h (in h's slot), "c <hex key> <hex key>..." (the
//                       keys it wrote); it exists only while the txn's intents
//                       on its home participant do
#ifndef TXLAB_IMPL_TXN_LOCK_KEYS_H_
#define TXLAB_IMPL_TXN_LOCK_KEYS_H_

#include <string>
#include <vector>

namespace txlab {

// k if it has a hash tag, else "{k}".
std::string CoLocated(const std::string& k);

std::string LockKey(const std::string& k);
std::string FenceKey(const std::string& k);
std::string FenceCounterKey(const std::string& k);
std::string IntentKey(const std::string& k);
// The decision record of txn `txid` with home key `home`, in home's slot.
std::string DecisionKey(const std::string& txid, const std::string& home);
// What a lock-2pc intent names its txn by: "<txid>@<hex of home>" (one word,
// whatever bytes the key holds), and back; false if `iid` is not one.
std::string IntentId(const std::string& txid, const std::string& home);
bool ParseIntentId(const std::string& iid, std::string* txid, std::string* home);
// Lower-case hex of every byte of `s`, and back (false on bad input).
std::string Hex(const std::string& s);
bool Unhex(const std::string& hex, std::string* out);

// `keys` split by cluster slot (KeySlot), groups in order of first
// appearance, keys in their order within each group.
std::vector<std::vector<std::string>> GroupBySlot(const std::vector<std::string>& keys);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_LOCK_KEYS_H_
