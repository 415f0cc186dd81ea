// The server's side of message franking: a stamp on each franking tag it relays, which lets it
// verify a later report without storing anything per message (docs/FRANKING.md).
//
//   mac  = first 16 bytes of HMAC-SHA256(epoch key, "bulwark-franking-stamp-v2" || u32 epoch ||
//          u64 time || tag || u8 len sender || sender || u8 len recipient || recipient)
//
// The MAC binds the tag to who sent it, to whom and when; only the server can compute or check
// it, and a report is proven by the MAC alone (128 bits, as HMAC-SHA-256-128 of RFC 4868).
// Recipients check at once that a stamp is the server's through a signature: the server stamps
// the messages of one batch together (those it pushes to devices in one pass of its event loop)
// at one epoch and time, puts their MACs in a Merkle tree and signs its root once -
//
//   leaf      = first 16 bytes of SHA-256(0x00 || mac)
//   node      = first 16 bytes of SHA-256(0x01 || left || right), leaves padded with all-zero
//               nodes to a power of two
//   signature = Ed25519(server's franking key,
//                       "bulwark-franking-batch-v2" || u32 epoch || u64 time || u8 depth || root)
//
// - so each stamp carries its leaf's path. One signature per batch instead of per message:
// Ed25519 signing costs about 15 us here, the whole relay of a message about 30 us.
// Nodes are 16 bytes because every stamp carries depth of them and the relay pays for each byte
// it pushes (docs/FRANKING.md). That costs nothing a recipient could use: passing off another
// leaf under a signed root takes a second preimage of a 128-bit node (2^128 work, or 2^128 / N
// aimed at any of the N nodes ever signed: still 2^85 after 2^43 of them), and would fool only
// a recipient's signature check - a report is proven by the MAC. A collision (2^64) needs both
// leaves chosen before the root is signed, and leaves are MACs only the server can make - and
// the server signs what it likes anyway.
// The signature covers the MAC, not the sender or the tag: once the epoch's key is destroyed
// (after the retention window) nobody can tie a stamp to a message any more, so old messages can
// no longer be proven to anyone - deniability over time.
//
// Wire form: u8 version (2) | u32 epoch | u64 time_ms | 16 mac | u8 depth (0-16) |
//            u16 index (< 2^depth) | depth x 16 path, leaf level first | 64 signature.
// Version 1 (32-byte MACs and nodes, u32 index) was never released and is not read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "crypto/mac.h"
#include "franking/tag.h"

namespace bulwark::franking {

inline constexpr std::size_t stamp_key_bytes = 32;
inline constexpr std::size_t stamp_mac_bytes = 16;
inline constexpr std::size_t stamp_node_bytes = 16;
// A batch holds at most 2^16 stamps.
inline constexpr std::size_t max_stamp_depth = 16;
inline constexpr std::size_t max_stamp_batch = std::size_t{1} << max_stamp_depth;
// Where a stamp's batch proof (depth, index, path, signature) starts in its wire form: the
// bytes before it are what the server's MAC check depends on.
inline constexpr std::size_t stamp_proof_offset = 1 + 4 + 8 + stamp_mac_bytes;
inline constexpr std::size_t min_stamp_bytes =
    stamp_proof_offset + 1 + 2 + crypto::ed25519_signature_bytes;
inline constexpr std::size_t max_stamp_bytes = min_stamp_bytes + max_stamp_depth * stamp_node_bytes;

using StampNode = std::array<std::byte, stamp_node_bytes>;

struct Stamp {
  std::uint32_t epoch = 0;
  std::int64_t server_time_ms = 0;
  std::array<std::byte, stamp_mac_bytes> mac{};
  std::uint32_t index = 0;       // the leaf's place in its batch
  std::vector<StampNode> path;   // siblings from the leaf up; its size is the tree's depth
  crypto::Ed25519Signature signature{};
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

// Whether a stamp's shape is one the wire form holds: a depth of at most 16 and an index below
// 2^depth.
[[nodiscard]] bool within_its_batch(const Stamp& stamp);

// `stamp` must be within_its_batch (otherwise: contract violation).
[[nodiscard]] Bytes encode_stamp(const Stamp& stamp);
// Strict: version 2, depth at most 16, index below 2^depth, nothing after the signature.
[[nodiscard]] Result<Stamp> decode_stamp(ByteView bytes);
// The same for a stamp at the start of `bytes` (inside a report); `consumed` gets its length.
[[nodiscard]] Result<Stamp> decode_stamp_prefix(ByteView bytes, std::size_t& consumed);

// The recipient's check: the stamp's batch root was signed by the server's franking key.
[[nodiscard]] Result<void> verify_stamp_signature(const crypto::Ed25519PublicKey& server,
                                                  const Stamp& stamp);

// What one stamp is over.
struct StampRequest {
  FrankingTag tag{};
  ByteView sender;
  ByteView recipient;
};

// One signed batch: each stamp's MAC, the Merkle tree over their leaves and the signature of
// its root. The relay writes each stamp's wire form straight out of it (encode_into), so a
// batch of n stamps makes no path vector per stamp and no copy of the signature per stamp.
class StampBatch {
 public:
  [[nodiscard]] std::size_t size() const { return macs_.size(); }
  [[nodiscard]] std::size_t depth() const { return depth_; }
  // Every stamp of the batch has this wire size.
  [[nodiscard]] std::size_t encoded_bytes() const {
    return min_stamp_bytes + depth_ * stamp_node_bytes;
  }
  // Writes stamp `index`'s wire form (what encode_stamp gives for stamp(index)) into `out`,
  // which must be encoded_bytes() long and `index` below size() (otherwise: contract
  // violation).
  void encode_into(std::size_t index, MutableByteView out) const;
  [[nodiscard]] Stamp stamp(std::size_t index) const;

 private:
  friend class StampingKeys;
  [[nodiscard]] const StampNode& sibling(std::size_t level, std::size_t index) const;

  std::uint32_t epoch_ = 0;
  std::int64_t server_time_ms_ = 0;
  std::size_t depth_ = 0;
  std::vector<std::array<std::byte, stamp_mac_bytes>> macs_;
  // The tree's levels one after the other, leaves (padded to 2^depth) first, root last.
  std::vector<StampNode> nodes_;
  crypto::Ed25519Signature signature_{};
};

// The server's stamping keys: one MAC key per epoch (newest stamps, older ones still verify
// until destroyed) and the Ed25519 key that signs batches.
class StampingKeys {
 public:
  explicit StampingKeys(crypto::Ed25519SecretKey signing_key);

  // Adds the key of a new epoch, later than every epoch held. Errc::invalid_length for a key
  // that is not 32 bytes, Errc::invalid_argument for an epoch not after the newest.
  [[nodiscard]] Result<void> add_epoch(std::uint32_t epoch, SecretBytes key);
  // Destroys (wipes) every epoch key before `epoch`: their stamps no longer verify.
  void destroy_before(std::uint32_t epoch);
  [[nodiscard]] bool holds(std::uint32_t epoch) const { return keys_.contains(epoch); }

  // Stamps every request at `server_time_ms` with the newest epoch, under one signature.
  // Errc::unavailable when no epoch is held; Errc::invalid_length for an account id that is
  // empty or over 64 bytes; Errc::invalid_argument for no request or over max_stamp_batch.
  [[nodiscard]] Result<StampBatch> sign_batch(std::span<const StampRequest> requests,
                                              std::int64_t server_time_ms) const;
  // The same, each stamp on its own.
  [[nodiscard]] Result<std::vector<Stamp>> stamp_batch(std::span<const StampRequest> requests,
                                                       std::int64_t server_time_ms) const;
  [[nodiscard]] Result<Stamp> stamp(const FrankingTag& tag, ByteView sender, ByteView recipient,
                                    std::int64_t server_time_ms) const;
  // Whether the stamp is ours for this tag, sender, recipient and time - by its MAC alone, which
  // only this server can make. Errc::not_found when the stamp's epoch key is not held
  // (destroyed after the retention window, or never ours); Errc::auth_failed when the MAC does
  // not match.
  [[nodiscard]] Result<void> verify(const Stamp& stamp, const FrankingTag& tag, ByteView sender,
                                    ByteView recipient) const;

  [[nodiscard]] const crypto::Ed25519PublicKey& public_key() const { return public_key_; }

 private:
  crypto::Ed25519SecretKey signing_key_;
  crypto::Ed25519PublicKey public_key_;
  std::map<std::uint32_t, crypto::HmacSha256Key> keys_;
};

}  // namespace bulwark::franking
