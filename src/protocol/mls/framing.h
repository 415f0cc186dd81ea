// MLS message protection (RFC 9420 §6): signing FramedContent, and turning an
// AuthenticatedContent into a PublicMessage or PrivateMessage and back.
//
// The flow for a sender: build a FramedContent, sign_content() it for the wire format it will
// travel in (the signature covers the wire format), for a commit fill auth.confirmation_tag
// once the new epoch's confirmation key is known, then protect_public() or protect_private().
// A receiver calls unprotect_public() or unprotect_private(), which check everything §6 asks
// of the framing: the group and epoch, the membership tag, the AEADs, the padding and the
// signature. What the content means (proposal rules, the confirmation tag) is the group's.
//
// Application data travels only as PrivateMessage (§6: "Applications MUST use
// PrivateMessage to encrypt application messages"): protecting or accepting an application
// PublicMessage is refused.
//
// Receiving from a SecretTree consumes the message key only once the message has decrypted and
// its signature verified: a forged or corrupted PrivateMessage leaves the ratchets as they were
// (SecretTree::peek_key, then key_for on success).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "protocol/mls/cipher_suite.h"
#include "protocol/mls/messages/framing.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/private_message.h"
#include "protocol/mls/secret_tree.h"
#include "protocol/mls/tree_math.h"

namespace bulwark::protocol::mls {

// Where the receiver finds the signature public key of a sender (§6.1). `member` returns the
// signature_key of the LeafNode at the index, and must fail (say Errc::invalid_message) for a
// blank leaf or one outside the tree: §6.3.2 asks the receiver to check exactly that. `external`
// returns the external_senders entry at sender_index; left empty, external senders are
// refused. new_member_commit and new_member_proposal senders need no lookup: their key is the
// one in the content (the Commit's UpdatePath leaf, the Add's KeyPackage leaf).
//
// `member_key`, when set, is used for member senders instead of `member`, with the same
// failures: it returns the key already checked as an Ed25519 key (PublicTree keeps its
// members' keys parsed), so that each message does not pay the key's strict check again.
struct SignatureKeyLookup {
  std::function<Result<Bytes>(LeafIndex)> member;
  std::function<Result<Bytes>(std::uint32_t sender_index)> external;
  std::function<Result<crypto::Ed25519PublicKey>(LeafIndex)> member_key;
};

// --- Content authentication (§6.1) ---

// SignWithLabel(signer, "FramedContentTBS", FramedContentTBS). `context` is the current
// epoch's GroupContext; it is required (invalid_argument if null) for member and
// new_member_commit senders and not used for the others.
[[nodiscard]] Result<Bytes> sign_framed_content(const CipherSuite& suite,
                                                const crypto::Ed25519SecretKey& signer,
                                                WireFormat wire_format,
                                                const FramedContent& content,
                                                const GroupContext* context);

// The signed AuthenticatedContent. For a commit, auth.confirmation_tag is set to an empty
// placeholder: the confirmation key depends on the transcript hash, which covers this
// signature, so the caller fills the tag in before protecting the message.
[[nodiscard]] Result<AuthenticatedContent> sign_content(const CipherSuite& suite,
                                                        const crypto::Ed25519SecretKey& signer,
                                                        WireFormat wire_format,
                                                        FramedContent content,
                                                        const GroupContext* context);

// Checks auth.signature against `signature_key`: auth_failed if it does not verify.
[[nodiscard]] Result<void> verify_content_signature(const CipherSuite& suite,
                                                    const AuthenticatedContent& content,
                                                    ByteView signature_key,
                                                    const GroupContext* context);
[[nodiscard]] Result<void> verify_content_signature(const CipherSuite& suite,
                                                    const AuthenticatedContent& content,
                                                    const crypto::Ed25519PublicKey& signature_key,
                                                    const GroupContext* context);

// The key a sender must have signed with (§6.1), from `keys` or from the content, after
// checking the content type each non-member sender type allows: external senders send
// proposals, new_member_commit commits, new_member_proposal Add proposals
// (invalid_message otherwise).
[[nodiscard]] Result<Bytes> sender_signature_key(const FramedContent& content,
                                                 const SignatureKeyLookup& keys);

// --- PublicMessage (§6.2) ---

// `content` must have wire_format mls_public_message and hold a proposal or a commit (an
// application message is invalid_argument). For a member sender the membership_tag is
// MAC(membership_key, AuthenticatedContentTBM); other senders carry none (membership_key is
// not used).
[[nodiscard]] Result<PublicMessage> protect_public(const CipherSuite& suite,
                                                   const AuthenticatedContent& content,
                                                   ByteView membership_key,
                                                   const GroupContext& context);

// Checks, in order: group_id and epoch equal the context's (invalid_message), the content is
// not application data (invalid_message), the membership tag of a member sender (constant
// time; auth_failed), and the signature with the sender's key (auth_failed).
[[nodiscard]] Result<AuthenticatedContent> unprotect_public(const CipherSuite& suite,
                                                            const PublicMessage& message,
                                                            ByteView membership_key,
                                                            const GroupContext& context,
                                                            const SignatureKeyLookup& keys);

// --- PrivateMessage (§6.3) ---

// How many zero bytes pad a PrivateMessageContent (§6.3.1): first up to `until_length` bytes
// of content (0: no minimum; ts-mls pads to 256), then up to a multiple of `multiple_of`
// (0 or 1: none). The padding hides the length of short messages from the delivery service.
struct PaddingPolicy {
  std::size_t until_length = 0;
  std::size_t multiple_of = 0;
};

// `content` must have wire_format mls_private_message and a member sender. The key and nonce
// are the sender's next generation of its handshake ratchet (proposals, commits) or its
// application ratchet (application data); a fresh random reuse_guard is XORed into the
// nonce's first 4 bytes. The sender data is sealed under the key and nonce derived from
// sender_data_secret and the ciphertext's first Nh bytes.
[[nodiscard]] Result<PrivateMessage> protect_private(const CipherSuite& suite,
                                                     const AuthenticatedContent& content,
                                                     SecretTree& tree, ByteView sender_data_secret,
                                                     Rng& rng, PaddingPolicy padding = {});

// What a receiver learns from a PrivateMessage.
struct UnprotectedPrivate {
  AuthenticatedContent content;  // wire_format mls_private_message, sender = member(sender)
  LeafIndex sender;
  std::uint32_t generation = 0;  // of the ratchet the content type selects
};

// Checks group_id and epoch against the context (invalid_message), opens the sender data
// (auth_failed), checks the sender's leaf through keys.member, opens the content with the
// ratchet key of (leaf, generation) (auth_failed; duplicate_message for a key already used),
// refuses non-zero padding, and verifies the signature (auth_failed). The ratchet key is
// consumed from `tree` only if all of that succeeds.
[[nodiscard]] Result<UnprotectedPrivate> unprotect_private(
    const CipherSuite& suite, const PrivateMessage& message, SecretTree& tree,
    ByteView sender_data_secret, const GroupContext& context, const SignatureKeyLookup& keys);

}  // namespace bulwark::protocol::mls
