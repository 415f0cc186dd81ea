// The MLS secret tree (RFC 9420 §9) and the sender-data key (§6.3.2).
//
// The tree has the ratchet tree's shape; its root secret is the epoch's encryption_secret and
// each parent's children get ExpandWithLabel(secret, "tree", "left"/"right", Nh). A leaf's
// secret seeds two independent hash ratchets, handshake and application; generation j of a
// ratchet gives key_j, nonce_j and the secret of generation j + 1.
//
// Everything is derived lazily and deleted as §9.2 asks: a node's secret is erased once its
// children exist, a leaf's once its ratchets exist, a ratchet's once the next generation's
// exists, and a key once it is handed out. So a key is given out once only: asking again is
// Errc::duplicate_message. A receiver may jump at most `max_forward` generations ahead of its
// ratchet (further is Errc::invalid_message, so a forged generation cannot make us derive
// billions of keys); the keys skipped on the way are kept for out-of-order messages, at most
// `max_skipped` per ratchet, the oldest dropped first; a generation older than everything kept
// is Errc::invalid_message.
//
// SecretTree holds SecretBytes, so it is move-only; clone() gives an independent copy for a
// state transition that commits only on success. Its cost is proportional to the secrets held
// (a few per leaf that has sent, plus each ratchet's skipped keys).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

enum class RatchetKind : std::uint8_t { handshake, application };

struct RatchetKey {
  std::uint32_t generation;
  SecretBytes key;
  SecretBytes nonce;
};

struct SecretTreeLimits {
  std::uint32_t max_forward = 1024;  // generations a receiver may skip in one step
  std::size_t max_skipped = 64;      // skipped keys kept per ratchet
};

// The whole of a SecretTree as plain values, for a group's encrypted local store
// (group/state_codec.cpp): the node secrets not yet expanded and each used leaf's two
// ratchets (the generation its secret belongs to, the oldest generation still kept, the
// skipped keys kept).
struct SecretTreeSnapshot {
  struct Ratchet {
    std::uint64_t next_generation = 0;
    SecretBytes secret;
    std::uint64_t oldest_kept = 0;
    std::vector<std::pair<std::uint32_t, KeyAndNonce>> skipped;  // by generation, ascending
  };
  struct Leaf {
    std::uint32_t leaf = 0;
    Ratchet handshake;
    Ratchet application;
  };
  std::uint32_t n_leaves = 0;
  std::vector<std::pair<std::uint32_t, SecretBytes>> node_secrets;  // by node index, ascending
  std::vector<Leaf> leaves;                                         // by leaf index, ascending
};

class SecretTree {
 public:
  // Errc::invalid_argument unless n_leaves is a power of two in 1..max_tree_leaves;
  // Errc::invalid_length unless the secret is Nh bytes.
  [[nodiscard]] static Result<SecretTree> create(const CipherSuite& suite,
                                                 ByteView encryption_secret, std::uint32_t n_leaves,
                                                 SecretTreeLimits limits = {});

  SecretTree(SecretTree&&) noexcept = default;
  SecretTree& operator=(SecretTree&&) noexcept = default;
  [[nodiscard]] SecretTree clone() const;

  [[nodiscard]] std::uint32_t n_leaves() const noexcept { return n_leaves_; }

  // The state as values (secret_tree_snapshot.cpp), and a tree rebuilt from them:
  // invalid_encoding unless every index is inside the tree, in order, and every secret, key
  // and nonce has its size, and no more than max_skipped keys are kept per ratchet.
  [[nodiscard]] SecretTreeSnapshot snapshot() const;
  [[nodiscard]] static Result<SecretTree> restore(const CipherSuite& suite,
                                                  SecretTreeSnapshot snapshot,
                                                  SecretTreeLimits limits = {});

  // Sender: the key of `leaf`'s next generation, which the ratchet then moves past.
  // Errc::invalid_message for a leaf outside the tree; Errc::capacity_exceeded once the
  // ratchet has used every uint32 generation.
  [[nodiscard]] Result<RatchetKey> next(LeafIndex leaf, RatchetKind kind);
  // Receiver: the key of `generation`, consumed. Errc::duplicate_message if it was already
  // handed out; Errc::invalid_message for a leaf outside the tree, a jump beyond max_forward
  // or a generation older than the keys kept.
  [[nodiscard]] Result<RatchetKey> key_for(LeafIndex leaf, RatchetKind kind,
                                           std::uint32_t generation);
  // Receiver, tentatively: the key that key_for(leaf, kind, generation) would return, with the
  // same errors, but nothing is consumed or skipped (only the leaf's ratchets may be created,
  // which changes no key). A receiver peeks, authenticates the message, and only then calls
  // key_for, so a forged message cannot use up or push out keys. Costs the generations
  // between the ratchet and `generation` once more.
  [[nodiscard]] Result<RatchetKey> peek_key(LeafIndex leaf, RatchetKind kind,
                                            std::uint32_t generation);
  // Receiver, once a peeked key has authenticated its message: what key_for does, without
  // deriving the key again when `generation` is the ratchet's next one (the usual case: the
  // ratchet then only moves its secret on). Same errors as key_for.
  [[nodiscard]] Result<void> consume(LeafIndex leaf, RatchetKind kind, std::uint32_t generation);

 private:
  struct HashRatchet {
    std::uint64_t next_generation = 0;  // the generation `secret` belongs to
    SecretBytes secret;
    std::uint64_t oldest_kept = 0;  // generations below this were dropped or consumed
    std::map<std::uint32_t, KeyAndNonce> skipped;
    [[nodiscard]] HashRatchet clone() const;
  };
  struct LeafRatchets {
    HashRatchet handshake;
    HashRatchet application;
  };

  SecretTree(const CipherSuite& suite, std::uint32_t n_leaves, SecretTreeLimits limits)
      : suite_(suite), n_leaves_(n_leaves), limits_(limits) {}

  [[nodiscard]] Result<HashRatchet*> ratchet(LeafIndex leaf, RatchetKind kind);
  [[nodiscard]] Result<void> expand_down_to(NodeIndex target);
  [[nodiscard]] Result<RatchetKey> derive_step(HashRatchet& ratchet) const;
  [[nodiscard]] Result<RatchetKey> advance_to(HashRatchet& ratchet, std::uint32_t generation) const;
  [[nodiscard]] Result<const KeyAndNonce*> past_key(const HashRatchet& ratchet,
                                                    std::uint32_t generation) const;
  void keep_skipped(HashRatchet& ratchet, std::uint32_t generation, KeyAndNonce key) const;

  CipherSuite suite_;
  std::uint32_t n_leaves_;
  SecretTreeLimits limits_;
  // Node secrets not yet expanded, by node index: along any root-to-leaf path at most one is
  // present, and none once that leaf's ratchets exist.
  std::map<std::uint32_t, SecretBytes> node_secrets_;
  std::map<std::uint32_t, LeafRatchets> leaves_;  // by leaf index, for leaves used so far
};

// §6.3.2: with ciphertext_sample = the first Nh bytes of the content ciphertext (all of it if
// shorter), key = ExpandWithLabel(sender_data_secret, "key", sample, Nk) and nonce likewise
// with "nonce" and Nn.
[[nodiscard]] Result<KeyAndNonce> sender_data_key_nonce(const CipherSuite& suite,
                                                        ByteView sender_data_secret,
                                                        ByteView ciphertext);

}  // namespace bulwark::protocol::mls
