#include "franking/stamp.h"

#include <algorithm>
#include <string_view>

#include "common/reader.h"
#include "crypto/compare.h"
#include "crypto/hash.h"
#include "crypto/mac.h"

namespace bulwark::franking {
namespace {

constexpr std::string_view mac_label = "bulwark-franking-stamp-v2";
constexpr std::string_view batch_label = "bulwark-franking-batch-v2";
constexpr std::uint8_t stamp_version = 2;
constexpr std::array<std::byte, 1> leaf_prefix{std::byte{0x00}};
constexpr std::array<std::byte, 1> node_prefix{std::byte{0x01}};

std::array<std::byte, 2> u16_bytes(std::uint16_t value) {
  return {std::byte(value >> 8), std::byte(value)};
}

std::array<std::byte, 4> u32_bytes(std::uint32_t value) {
  return {std::byte(value >> 24), std::byte(value >> 16), std::byte(value >> 8), std::byte(value)};
}

std::array<std::byte, 8> u64_bytes(std::uint64_t value) {
  std::array<std::byte, 8> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::byte(value >> (56 - 8 * i));
  return out;
}

bool valid_account(ByteView id) { return !id.empty() && id.size() <= max_id_bytes; }

template <std::size_t N>
std::array<std::byte, N> first_bytes(const crypto::Sha256Digest& digest) {
  std::array<std::byte, N> out{};
  std::copy_n(digest.begin(), N, out.begin());
  return out;
}

std::array<std::byte, stamp_mac_bytes> stamp_mac(const crypto::HmacSha256Key& key,
                                                 std::uint32_t epoch, std::int64_t time_ms,
                                                 const FrankingTag& tag, ByteView sender,
                                                 ByteView recipient) {
  const std::array<std::byte, 1> sender_length{std::byte(sender.size())};
  const std::array<std::byte, 1> recipient_length{std::byte(recipient.size())};
  const auto time = u64_bytes(static_cast<std::uint64_t>(time_ms));
  return first_bytes<stamp_mac_bytes>(key.tag({as_bytes(mac_label), u32_bytes(epoch), time, tag,
                                               sender_length, sender, recipient_length,
                                               recipient}));
}

StampNode leaf_of(const std::array<std::byte, stamp_mac_bytes>& mac) {
  return first_bytes<stamp_node_bytes>(crypto::sha256({leaf_prefix, mac}));
}

StampNode parent(const StampNode& left, const StampNode& right) {
  return first_bytes<stamp_node_bytes>(crypto::sha256({node_prefix, left, right}));
}

// What the batch signature is over: every stamp of a batch has its epoch and time.
Bytes signed_root(std::uint32_t epoch, std::int64_t time_ms, std::size_t depth,
                  const StampNode& root) {
  const std::array<std::byte, 1> depth_byte{std::byte(depth)};
  return concat({as_bytes(batch_label), u32_bytes(epoch),
                 u64_bytes(static_cast<std::uint64_t>(time_ms)), depth_byte, root});
}

// The root a stamp's path leads to from its leaf.
StampNode root_of(const Stamp& stamp) {
  StampNode node = leaf_of(stamp.mac);
  std::uint32_t index = stamp.index;
  for (const StampNode& sibling : stamp.path) {
    node = (index & 1U) == 0 ? parent(node, sibling) : parent(sibling, node);
    index >>= 1U;
  }
  return node;
}

std::size_t depth_for(std::size_t count) {
  std::size_t depth = 0;
  while ((std::size_t{1} << depth) < count) ++depth;
  return depth;
}

// The one place the wire layout is spelled out: writes a stamp through `put`, taking its path's
// node at each level from `node(level)`.
template <typename Put, typename Node>
void write_stamp(Put&& put, std::uint32_t epoch, std::int64_t time_ms, ByteView mac,
                 std::size_t depth, std::uint32_t index, Node&& node, ByteView signature) {
  const std::array<std::byte, 1> version{std::byte{stamp_version}};
  const std::array<std::byte, 1> depth_byte{std::byte(depth)};
  put(version);
  put(u32_bytes(epoch));
  put(u64_bytes(static_cast<std::uint64_t>(time_ms)));
  put(mac);
  put(depth_byte);
  put(u16_bytes(static_cast<std::uint16_t>(index)));
  for (std::size_t level = 0; level < depth; ++level) put(node(level));
  put(signature);
}

}  // namespace

bool within_its_batch(const Stamp& stamp) {
  return stamp.path.size() <= max_stamp_depth &&
         stamp.index < (std::uint64_t{1} << stamp.path.size());
}

Bytes encode_stamp(const Stamp& stamp) {
  // The index is written in 16 bits: a larger one would become another, valid-looking stamp.
  if (!within_its_batch(stamp))
    contract_violation("franking stamp: encode_stamp of an index outside its batch");
  Bytes out;
  out.reserve(min_stamp_bytes + stamp.path.size() * stamp_node_bytes);
  write_stamp([&out](ByteView part) { out.insert(out.end(), part.begin(), part.end()); },
              stamp.epoch, stamp.server_time_ms, stamp.mac, stamp.path.size(), stamp.index,
              [&stamp](std::size_t level) -> const StampNode& { return stamp.path[level]; },
              stamp.signature);
  return out;
}

const StampNode& StampBatch::sibling(std::size_t level, std::size_t index) const {
  std::size_t start = 0;  // where `level` starts in nodes_
  for (std::size_t l = 0; l < level; ++l) start += std::size_t{1} << (depth_ - l);
  return nodes_[start + ((index >> level) ^ 1U)];
}

Stamp StampBatch::stamp(std::size_t index) const {
  if (index >= size()) contract_violation("franking stamp: index outside its batch");
  Stamp stamp;
  stamp.epoch = epoch_;
  stamp.server_time_ms = server_time_ms_;
  stamp.mac = macs_[index];
  stamp.index = static_cast<std::uint32_t>(index);
  stamp.path.reserve(depth_);
  for (std::size_t level = 0; level < depth_; ++level) stamp.path.push_back(sibling(level, index));
  stamp.signature = signature_;
  return stamp;
}

void StampBatch::encode_into(std::size_t index, MutableByteView out) const {
  if (index >= size() || out.size() != encoded_bytes())
    contract_violation("franking stamp: encode_into outside its batch or buffer");
  std::size_t at = 0;
  write_stamp(
      [&](ByteView part) {
        std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
        at += part.size();
      },
      epoch_, server_time_ms_, macs_[index], depth_, static_cast<std::uint32_t>(index),
      [&](std::size_t level) -> const StampNode& { return sibling(level, index); }, signature_);
}

Result<Stamp> decode_stamp_prefix(ByteView bytes, std::size_t& consumed) {
  Reader reader(bytes);
  if (BULWARK_TRY(reader.u8()) != stamp_version)
    return fail(Errc::invalid_encoding, "franking stamp: unknown version");
  Stamp stamp;
  stamp.epoch = BULWARK_TRY(reader.u32_be());
  stamp.server_time_ms = static_cast<std::int64_t>(BULWARK_TRY(reader.u64_be()));
  stamp.mac = BULWARK_TRY(reader.array<stamp_mac_bytes>());
  const std::uint8_t depth = BULWARK_TRY(reader.u8());
  if (depth > max_stamp_depth)
    return fail(Errc::invalid_encoding, "franking stamp: a batch is at most 2^16 stamps");
  stamp.index = BULWARK_TRY(reader.u16_be());
  if (stamp.index >= (std::uint64_t{1} << depth))
    return fail(Errc::invalid_encoding, "franking stamp: index outside its batch");
  stamp.path.reserve(depth);
  for (std::uint8_t level = 0; level < depth; ++level)
    stamp.path.push_back(BULWARK_TRY(reader.array<stamp_node_bytes>()));
  stamp.signature = BULWARK_TRY(reader.array<crypto::ed25519_signature_bytes>());
  consumed = reader.offset();
  return stamp;
}

Result<Stamp> decode_stamp(ByteView bytes) {
  std::size_t consumed = 0;
  Stamp stamp = BULWARK_TRY(decode_stamp_prefix(bytes, consumed));
  if (consumed != bytes.size()) return fail(Errc::trailing_data, "franking stamp: bytes after it");
  return stamp;
}

Result<void> verify_stamp_signature(const crypto::Ed25519PublicKey& server, const Stamp& stamp) {
  if (!within_its_batch(stamp))
    return fail(Errc::invalid_argument, "franking stamp: index outside its batch");
  const Bytes message =
      signed_root(stamp.epoch, stamp.server_time_ms, stamp.path.size(), root_of(stamp));
  if (!crypto::ed25519_verify(server, message, stamp.signature))
    return fail(Errc::auth_failed, "franking stamp: not signed by the server's franking key");
  return {};
}

StampingKeys::StampingKeys(crypto::Ed25519SecretKey signing_key)
    : signing_key_(std::move(signing_key)), public_key_(signing_key_.public_key()) {}

Result<void> StampingKeys::add_epoch(std::uint32_t epoch, SecretBytes key) {
  if (key.size() != stamp_key_bytes)
    return fail(Errc::invalid_length, "franking stamp: an epoch key is 32 bytes");
  if (!keys_.empty() && epoch <= keys_.rbegin()->first)
    return fail(Errc::invalid_argument, "franking stamp: epochs only move forward");
  keys_.emplace(epoch, crypto::HmacSha256Key(key.view()));  // `key` is wiped as it goes
  return {};
}

void StampingKeys::destroy_before(std::uint32_t epoch) {
  keys_.erase(keys_.begin(), keys_.lower_bound(epoch));  // HmacSha256Key wipes as it goes
}

Result<StampBatch> StampingKeys::sign_batch(std::span<const StampRequest> requests,
                                            std::int64_t server_time_ms) const {
  if (keys_.empty()) return fail(Errc::unavailable, "franking stamp: no stamping key");
  if (requests.empty() || requests.size() > max_stamp_batch)
    return fail(Errc::invalid_argument, "franking stamp: a batch is 1-65536 stamps");
  for (const StampRequest& request : requests) {
    if (!valid_account(request.sender) || !valid_account(request.recipient))
      return fail(Errc::invalid_length, "franking stamp: an account id must be 1-64 bytes");
  }
  const auto& [epoch, key] = *keys_.rbegin();
  StampBatch batch;
  batch.epoch_ = epoch;
  batch.server_time_ms_ = server_time_ms;
  batch.depth_ = depth_for(requests.size());
  const std::size_t leaves = std::size_t{1} << batch.depth_;
  batch.macs_.resize(requests.size());
  batch.nodes_.resize(2 * leaves - 1);  // zero nodes pad the leaves
  for (std::size_t i = 0; i < requests.size(); ++i) {
    batch.macs_[i] = stamp_mac(key, epoch, server_time_ms, requests[i].tag, requests[i].sender,
                               requests[i].recipient);
    batch.nodes_[i] = leaf_of(batch.macs_[i]);
  }
  std::size_t below = 0;  // where the level under the one being built starts
  for (std::size_t width = leaves / 2; width >= 1; width /= 2) {
    const std::size_t level = below + 2 * width;
    for (std::size_t i = 0; i < width; ++i)
      batch.nodes_[level + i] = parent(batch.nodes_[below + 2 * i], batch.nodes_[below + 2 * i + 1]);
    below = level;
  }
  batch.signature_ = crypto::ed25519_sign(
      signing_key_, signed_root(epoch, server_time_ms, batch.depth_, batch.nodes_.back()));
  return batch;
}

Result<std::vector<Stamp>> StampingKeys::stamp_batch(std::span<const StampRequest> requests,
                                                     std::int64_t server_time_ms) const {
  const StampBatch batch = BULWARK_TRY(sign_batch(requests, server_time_ms));
  std::vector<Stamp> stamps;
  stamps.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) stamps.push_back(batch.stamp(i));
  return stamps;
}

Result<Stamp> StampingKeys::stamp(const FrankingTag& tag, ByteView sender, ByteView recipient,
                                  std::int64_t server_time_ms) const {
  const StampRequest request{tag, sender, recipient};
  std::vector<Stamp> stamps = BULWARK_TRY(stamp_batch(std::span(&request, 1), server_time_ms));
  return std::move(stamps.front());
}

Result<void> StampingKeys::verify(const Stamp& stamp, const FrankingTag& tag, ByteView sender,
                                  ByteView recipient) const {
  if (!valid_account(sender) || !valid_account(recipient))
    return fail(Errc::invalid_length, "franking stamp: an account id must be 1-64 bytes");
  auto key = keys_.find(stamp.epoch);
  if (key == keys_.end()) {
    return fail(Errc::not_found, "franking stamp: the key of epoch " + std::to_string(stamp.epoch) +
                                     " is not held (destroyed after the retention window)");
  }
  const auto expected =
      stamp_mac(key->second, stamp.epoch, stamp.server_time_ms, tag, sender, recipient);
  if (!crypto::constant_time_equal(expected, stamp.mac))
    return fail(Errc::auth_failed, "franking stamp: does not match this tag, sender, recipient and time");
  return {};
}

}  // namespace bulwark::franking
