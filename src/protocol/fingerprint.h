// Safety numbers, compatible with libsignal's Fingerprint (rust/protocol/src/fingerprint.rs).
//
// Per party: H_0 = SHA-512(0x0000 || key || identifier || key), H_i = SHA-512(H_{i-1} || key),
// `iterations` hashes in all (Signal uses 5200), where key is the 33-byte serialised identity
// key and identifier the party's stable id bytes.
//   displayable: the first 30 bytes as six 5-byte big-endian numbers mod 100000, five digits
//                each; the two parties' 30 digits joined, the smaller string first, so both
//                sides show the same 60 digits.
//   scannable:   protobuf CombinedFingerprints{version, local: H[0..32], remote: H[0..32]},
//                74 bytes, what a QR code carries; the peer's copy has local and remote swapped.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/keys.h"

namespace bulwark::protocol {

inline constexpr std::uint32_t fingerprint_iterations = 5200;
inline constexpr std::uint32_t scannable_fingerprint_version = 2;

struct Fingerprint {
  std::string displayable;  // 60 digits
  Bytes scannable;          // serialised CombinedFingerprints
};

struct FingerprintParty {
  ByteView identifier;
  const IdentityKey& key;
};

// Errc::invalid_argument unless 1 < iterations <= 1,000,000.
[[nodiscard]] Result<Fingerprint> compute_fingerprint(std::uint32_t version,
                                                      std::uint32_t iterations,
                                                      const FingerprintParty& local,
                                                      const FingerprintParty& remote);

// True when `theirs` (scanned from the peer) is the mirror image of `ours`. Errc::invalid_message
// when the versions differ, Errc::invalid_encoding when `theirs` does not parse.
[[nodiscard]] Result<bool> scannable_fingerprints_match(ByteView ours, ByteView theirs);

}  // namespace bulwark::protocol
