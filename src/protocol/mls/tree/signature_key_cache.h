// SignatureKeyCache: the members' signature keys of a PublicTree, parsed once as checked
// Ed25519 keys. Parsing a key runs the strict check (a prime-order test, about as costly as a
// signature verification), so a joiner's check of every leaf and each received message would
// otherwise pay it again for a key the tree already holds.
//
// An entry is used only while its bytes are the leaf's current key, so tree edits need not
// invalidate anything. A frozen tree is shared by group states that may live on different
// threads, so the entries are guarded by a mutex (never held while parsing); copies and moves
// take the entries along.
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

class SignatureKeyCache {
 public:
  SignatureKeyCache() = default;
  SignatureKeyCache(const SignatureKeyCache& other);
  SignatureKeyCache& operator=(const SignatureKeyCache& other);
  SignatureKeyCache(SignatureKeyCache&& other) noexcept;
  SignatureKeyCache& operator=(SignatureKeyCache&& other) noexcept;
  ~SignatureKeyCache() = default;

  // The key `bytes` of leaf `leaf`, parsed (and kept) unless already kept for these bytes.
  // auth_failed if the bytes are not a valid Ed25519 key, as for VerifyWithLabel.
  [[nodiscard]] Result<crypto::Ed25519PublicKey> get(LeafIndex leaf, ByteView bytes) const;

 private:
  // By leaf index: one allocation to copy with the tree at each epoch.
  using Entries = std::vector<std::optional<crypto::Ed25519PublicKey>>;
  [[nodiscard]] Entries entries() const;

  mutable std::mutex mutex_;
  mutable Entries entries_;
};

}  // namespace bulwark::protocol::mls
