// Group: the MLS group state machine (RFC 9420 §11-§12, §15) behind one value-semantics
// facade.
//
// A Group is one member's view of one epoch of one group: the public ratchet tree, this
// member's private keys in it, the epoch's secrets and secret tree, the transcript hashes,
// the proposals received this epoch and the external PSKs the application supplied.
//
// Every operation is const and returns the state that follows it; the caller adopts that
// state only if it wants to (a commit, for example, only once the delivery service accepted
// it). A refused message therefore leaves the caller's Group exactly as it was. Copying a
// Group is cheap: the ratchet tree of an epoch is immutable and shared between copies (its
// hash cache is filled before it is shared, so copies may be read from different threads);
// the secrets are cloned.
//
// What the core enforces is RFC 9420 alone. Who may be in the group is the application's
// decision: it supplies a LeafAcceptor, consulted for every leaf that enters the tree (a
// joined tree's every leaf, an Add's, an Update's and a commit's path leaf); a refusal
// refuses the whole message. The default accepts any basic credential.
//
// Not supported (refused as invalid_message naming the feature): external commits and
// external or new-member senders, ReInit, resumption PSKs other than "application" usage of
// this group's own recent epochs, and proposal types outside the RFC's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "common/secret_bytes.h"
#include "crypto/ed25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/framing.h"
#include "protocol/mls/key_package.h"
#include "protocol/mls/messages/credential.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/leaf_node.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/secret_tree.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

struct GroupState;

// The application's decision on a leaf entering the tree at `index`; an error refuses it
// (and with it the message, commit or join that carries it).
using LeafAcceptor = std::function<Result<void>(const LeafNode& leaf, LeafIndex index)>;

// The default LeafAcceptor: any basic credential (invalid_message for other types).
[[nodiscard]] Result<void> accept_basic_credential(const LeafNode& leaf, LeafIndex index);

// An external pre-shared key (§8.4) the application shares with the group out of band.
struct ExternalPsk {
  Bytes psk_id;
  SecretBytes psk;
};

// Settings that are the application's, not the group's: they are not serialized and are
// supplied again to deserialize().
struct GroupConfig {
  LeafAcceptor accept_leaf = {};  // empty: accept_basic_credential
  PaddingPolicy padding = {};     // of every PrivateMessage this member sends
  SecretTreeLimits secret_tree_limits = {};
  // How many epochs' resumption_psk are kept for PreSharedKey proposals (§8.6), this one
  // included.
  std::size_t resumption_psk_epochs = 4;
};

// This client as the creator of a group.
struct Member {
  crypto::Ed25519SecretKey signature_key;
  Credential credential;
  Capabilities capabilities = default_capabilities();
  std::vector<Extension> leaf_extensions = {};
};

// One member of the roster.
struct MemberInfo {
  LeafIndex leaf;
  Credential credential;
  Bytes signature_key;
};

enum class RosterChangeKind : std::uint8_t { added, removed, updated };

// A change a commit made to the roster: the leaf, its credential and signature key (for a
// removal, those of the leaf removed; for an update, the new ones), and who proposed it.
struct RosterChange {
  RosterChangeKind kind = RosterChangeKind::added;
  LeafIndex leaf;
  Credential credential;
  Bytes signature_key;
  LeafIndex proposer;
};

// What commit() should do. By default: commit every proposal received this epoch plus the
// Adds and Removes listed here, with a path (an UpdatePath refreshes this member's leaf and
// direct path: post-compromise security), sent as a PrivateMessage, with the ratchet tree in
// the Welcome. A path is always included when the RFC requires one (an Update or Remove in
// the list, or an empty list), whatever update_path says.
struct CommitRequest {
  std::vector<KeyPackage> add = {};
  std::vector<LeafIndex> remove = {};
  std::vector<Bytes> external_psks = {};  // ids of the group's external PSKs to inject
  // Replaces the GroupContext extensions (a GroupContextExtensions proposal, §12.1.7).
  std::optional<std::vector<Extension>> group_context_extensions = std::nullopt;
  bool update_path = true;
  bool include_pending = true;
  WireFormat wire_format = WireFormat::mls_private_message;
  bool ratchet_tree_in_welcome = true;
  Bytes authenticated_data = {};
  std::uint64_t now = 0;  // Unix seconds: each added KeyPackage must be within its lifetime
};

class Group;

enum class ContentKind : std::uint8_t { application, proposal, commit };

class Group {
 public:
  // A one-member group of epoch 0 (§11). group_id: 1..max_group_id_bytes bytes, chosen by
  // the caller (32 random bytes in Bulwark). The creator's leaf gets a fresh HPKE key.
  [[nodiscard]] static Result<Group> create(const CipherSuite& suite, ByteView group_id,
                                            const Member& me, Rng& rng, GroupConfig config = {},
                                            std::vector<Extension> group_extensions = {});

  // Joins from a Welcome MLSMessage (§12.4.3.1). The tree comes from `ratchet_tree` (a
  // serialized ratchet_tree vector) or, if that is empty, the GroupInfo's ratchet_tree
  // extension. `key_packages` are this client's unused KeyPackages (the Welcome names one);
  // `signer` is their signature key. `psks` are the external PSKs the Welcome may name (and
  // later PreSharedKey proposals).
  [[nodiscard]] static Result<Group> join(ByteView welcome, std::optional<ByteView> ratchet_tree,
                                          std::span<const KeyPackageBundle> key_packages,
                                          const crypto::Ed25519SecretKey& signer,
                                          std::span<const ExternalPsk> psks,
                                          GroupConfig config = {});

  // The state from serialize(); the configuration is the application's to supply again.
  [[nodiscard]] static Result<Group> deserialize(ByteView state, GroupConfig config = {});
  // The whole state, secrets included: store it encrypted. Versioned and bounded.
  [[nodiscard]] Result<SecretBytes> serialize() const;

  Group(const Group& other);
  Group& operator=(const Group& other);
  Group(Group&& other) noexcept;
  Group& operator=(Group&& other) noexcept;
  ~Group();

  // --- Sending ---
  struct Sent;
  struct CommitOutput;
  // A Commit of this epoch (§12.4) and its Welcome.
  [[nodiscard]] Result<CommitOutput> commit(const CommitRequest& request, Rng& rng) const;
  // A Remove proposal (§12.1.3); a member leaving proposes its own removal. The proposal
  // is cached for this epoch's commit by its sender too. `authenticated_data` goes into the
  // FramedContent (authenticated, not encrypted), as for encrypt().
  [[nodiscard]] Result<Sent> propose_remove(
      LeafIndex removed, Rng& rng, WireFormat wire_format = WireFormat::mls_private_message,
      ByteView authenticated_data = {}) const;
  // An Update proposal (§12.1.2) with a fresh leaf HPKE key, kept until the epoch ends.
  [[nodiscard]] Result<Sent> propose_update(
      Rng& rng, WireFormat wire_format = WireFormat::mls_private_message) const;
  // An application message (§15). Refused (conflict) while proposals received this epoch
  // are not committed: §12.4 asks for a Commit first.
  [[nodiscard]] Result<Sent> encrypt(ByteView plaintext, ByteView authenticated_data,
                                     Rng& rng) const;

  // --- Receiving ---
  struct Processed;
  // A PublicMessage or PrivateMessage MLSMessage of this group and epoch.
  [[nodiscard]] Result<Processed> process(ByteView message) const;

  // --- The state ---
  [[nodiscard]] const CipherSuite& cipher_suite() const noexcept;
  [[nodiscard]] ByteView group_id() const noexcept;
  [[nodiscard]] std::uint64_t epoch() const noexcept;
  [[nodiscard]] LeafIndex own_leaf() const noexcept;
  [[nodiscard]] const GroupContext& group_context() const noexcept;
  [[nodiscard]] const SecretBytes& epoch_authenticator() const noexcept;
  [[nodiscard]] std::vector<MemberInfo> members() const;
  [[nodiscard]] std::optional<MemberInfo> member(LeafIndex leaf) const;
  // Proposals received (or sent) this epoch and not yet committed.
  [[nodiscard]] std::size_t pending_proposals() const noexcept;
  // The serialized ratchet_tree (for a joiner that gets the tree out of band).
  [[nodiscard]] Result<Bytes> ratchet_tree() const;
  // MLS-Exporter(label, context, length) of this epoch (§8.5).
  [[nodiscard]] Result<SecretBytes> export_secret(std::string_view label, ByteView context,
                                                  std::uint16_t length) const;
  // Adds (or replaces) an external PSK the group's proposals may name; invalid_argument
  // beyond max_external_psks or for an id or key over the size bounds.
  [[nodiscard]] Result<void> add_external_psk(ExternalPsk psk);

  // Internal: the state behind the facade (group/*.cpp).
  explicit Group(std::unique_ptr<GroupState> state) noexcept;
  [[nodiscard]] const GroupState& state() const noexcept { return *state_; }

 private:
  std::unique_ptr<GroupState> state_;
};

// A message this member sends, and its state after sending it.
struct Group::Sent {
  Group group;
  Bytes message;  // MLSMessage
};

struct Group::CommitOutput {
  Group group;       // the new epoch: adopt it once the delivery service accepted the commit
  Group same_epoch;  // this epoch with the handshake key used: adopt it if the commit lost
  Bytes commit;      // MLSMessage
  std::optional<Bytes> welcome;  // MLSMessage, if the commit added anyone
  Bytes ratchet_tree;            // the new epoch's, serialized
  std::vector<RosterChange> changes;
};

struct Group::Processed {
  ContentKind kind = ContentKind::application;
  std::uint64_t epoch = 0;  // the epoch the message was sent in
  LeafIndex sender;
  Credential sender_credential;
  Bytes application_data;             // application messages
  Bytes authenticated_data;           // every kind
  std::optional<Proposal> proposal;   // proposal messages
  std::vector<RosterChange> changes;  // commits
  bool removed_me = false;            // the commit removed this member
  // The state after the message; empty when removed_me (the group is closed for us).
  std::optional<Group> group;
};

}  // namespace bulwark::protocol::mls
