// Redis Cluster key slots (SEMANTICS.md §4.1, C1 and C2).
//
//   HASH_SLOT(key) = CRC16(hashed part of key) mod 16384
//
// CRC16 is the XMODEM variant: polynomial 0x1021, initial value 0, no
// reflection, no final xor ("123456789" -> 0x31C3). The hashed part is the
// whole key unless the key holds a '{' followed later by a '}' with at least
// one byte between the FIRST '{' and the first '}' after it; then only those
// bytes are hashed ("{user1000}.following" hashes "user1000"; "foo{}{bar}"
// hashes the whole key; "foo{{bar}}zap" hashes "{bar").
#ifndef TXLAB_IMPL_TXN_SLOTS_H_
#define TXLAB_IMPL_TXN_SLOTS_H_

#include <cstdint>
#include <string_view>

namespace txlab {

inline constexpr int kClusterSlots = 16384;

// CRC16/XMODEM of `data`.
uint16_t Crc16Xmodem(std::string_view data);

// The part of `key` that decides its slot (C2).
std::string_view HashTagOf(std::string_view key);

// The cluster slot of `key`, in [0, 16384).
int KeySlot(std::string_view key);

}  // namespace txlab

#endif  // TXLAB_IMPL_TXN_SLOTS_H_
