#include "protocol/mls/tree/signature_key_cache.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace bulwark::protocol::mls {

SignatureKeyCache::SignatureKeyCache(const SignatureKeyCache& other) : entries_(other.entries()) {}

SignatureKeyCache& SignatureKeyCache::operator=(const SignatureKeyCache& other) {
  if (this == &other) return *this;
  Entries copied = other.entries();
  const std::lock_guard lock(mutex_);
  entries_ = std::move(copied);
  return *this;
}

// A moved-from tree is not read again, but its cache stays valid (empty) all the same.
SignatureKeyCache::SignatureKeyCache(SignatureKeyCache&& other) noexcept {
  const std::lock_guard lock(other.mutex_);
  entries_ = std::move(other.entries_);
  other.entries_.clear();
}

SignatureKeyCache& SignatureKeyCache::operator=(SignatureKeyCache&& other) noexcept {
  if (this == &other) return *this;
  const std::scoped_lock lock(mutex_, other.mutex_);
  entries_ = std::move(other.entries_);
  other.entries_.clear();
  return *this;
}

SignatureKeyCache::Entries SignatureKeyCache::entries() const {
  const std::lock_guard lock(mutex_);
  return entries_;
}

Result<crypto::Ed25519PublicKey> SignatureKeyCache::get(LeafIndex leaf, ByteView bytes) const {
  {
    const std::lock_guard lock(mutex_);
    if (leaf.value() < entries_.size()) {
      const auto& kept = entries_[leaf.value()];
      if (kept && std::ranges::equal(kept->bytes(), bytes)) return *kept;
    }
  }
  auto parsed = crypto::Ed25519PublicKey::from_bytes(bytes);
  if (!parsed) return fail(Errc::auth_failed, "MLS signature key is not a valid Ed25519 key");
  const std::lock_guard lock(mutex_);
  if (leaf.value() >= entries_.size()) entries_.resize(std::size_t{leaf.value()} + 1);
  entries_[leaf.value()] = *parsed;
  return *parsed;
}

}  // namespace bulwark::protocol::mls
