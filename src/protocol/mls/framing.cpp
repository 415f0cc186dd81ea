// Content authentication (§6.1) and PublicMessage (§6.2); PrivateMessage is in
// framing_private.cpp.
#include "protocol/mls/framing.h"

#include <algorithm>
#include <utility>
#include <variant>

namespace bulwark::protocol::mls {
namespace {

constexpr std::string_view framed_content_label = "FramedContentTBS";

// The group and epoch a message claims must be the ones whose keys check it: a message of
// another epoch is the caller's to route, never to verify with this epoch's keys.
Result<void> check_group_and_epoch(ByteView group_id, std::uint64_t epoch,
                                   const GroupContext& context) {
  if (!std::ranges::equal(group_id, context.group_id)) {
    return fail(Errc::invalid_message, "MLS message for another group");
  }
  if (epoch != context.epoch) return fail(Errc::invalid_message, "MLS message for another epoch");
  return {};
}

Result<Bytes> new_member_commit_key(const FramedContent& content) {
  const auto* commit = std::get_if<Commit>(&content.content);
  if (commit == nullptr) {
    return fail(Errc::invalid_message, "a new_member_commit sender may only send a commit");
  }
  if (!commit->path) return fail(Errc::invalid_message, "an external commit has no path");
  return commit->path->leaf_node.signature_key;
}

Result<Bytes> new_member_proposal_key(const FramedContent& content) {
  const auto* proposal = std::get_if<Proposal>(&content.content);
  const auto* add = proposal == nullptr ? nullptr : std::get_if<Add>(&proposal->body);
  if (add == nullptr) {
    return fail(Errc::invalid_message, "a new_member_proposal sender may only propose an Add");
  }
  return add->key_package.leaf_node.signature_key;
}

}  // namespace

Result<Bytes> sign_framed_content(const CipherSuite& suite, const crypto::Ed25519SecretKey& signer,
                                  WireFormat wire_format, const FramedContent& content,
                                  const GroupContext* context) {
  const Bytes tbs = BULWARK_TRY(framed_content_tbs(wire_format, content, context));
  return suite.sign_with_label(signer, framed_content_label, tbs);
}

Result<AuthenticatedContent> sign_content(const CipherSuite& suite,
                                          const crypto::Ed25519SecretKey& signer,
                                          WireFormat wire_format, FramedContent content,
                                          const GroupContext* context) {
  AuthenticatedContent out;
  out.auth.signature =
      BULWARK_TRY(sign_framed_content(suite, signer, wire_format, content, context));
  if (content_type(content.content) == ContentType::commit) out.auth.confirmation_tag = Bytes{};
  out.wire_format = wire_format;
  out.content = std::move(content);
  return out;
}

Result<void> verify_content_signature(const CipherSuite& suite, const AuthenticatedContent& content,
                                      ByteView signature_key, const GroupContext* context) {
  const Bytes tbs = BULWARK_TRY(framed_content_tbs(content.wire_format, content.content, context));
  return suite.verify_with_label(signature_key, framed_content_label, tbs, content.auth.signature);
}

Result<void> verify_content_signature(const CipherSuite& suite, const AuthenticatedContent& content,
                                      const crypto::Ed25519PublicKey& signature_key,
                                      const GroupContext* context) {
  const Bytes tbs = BULWARK_TRY(framed_content_tbs(content.wire_format, content.content, context));
  return suite.verify_with_label(signature_key, framed_content_label, tbs, content.auth.signature);
}

Result<Bytes> sender_signature_key(const FramedContent& content, const SignatureKeyLookup& keys) {
  const Sender& sender = content.sender;
  switch (sender.sender_type) {
    case SenderType::member:
      if (!keys.member) return fail(Errc::invalid_argument, "no signature key lookup for members");
      return keys.member(LeafIndex(sender.leaf_index));
    case SenderType::external:
      if (content_type(content.content) != ContentType::proposal) {
        return fail(Errc::invalid_message, "an external sender may only send proposals");
      }
      if (!keys.external) return fail(Errc::invalid_message, "external senders are not accepted");
      return keys.external(sender.sender_index);
    case SenderType::new_member_commit:
      return new_member_commit_key(content);
    case SenderType::new_member_proposal:
      return new_member_proposal_key(content);
  }
  return fail(Errc::invalid_message, "unknown MLS sender type");
}

Result<PublicMessage> protect_public(const CipherSuite& suite, const AuthenticatedContent& content,
                                     ByteView membership_key, const GroupContext& context) {
  if (content.wire_format != WireFormat::mls_public_message) {
    return fail(Errc::invalid_argument, "content signed for another wire format");
  }
  if (content_type(content.content.content) == ContentType::application) {
    return fail(Errc::invalid_argument, "application data is sent only as PrivateMessage");
  }
  PublicMessage out{content.content, content.auth, std::nullopt};
  if (content.content.sender.sender_type == SenderType::member) {
    const Bytes tbm =
        BULWARK_TRY(authenticated_content_tbm(content.content, content.auth, &context));
    out.membership_tag = suite.mac(membership_key, tbm);
  }
  return out;
}

Result<AuthenticatedContent> unprotect_public(const CipherSuite& suite,
                                              const PublicMessage& message, ByteView membership_key,
                                              const GroupContext& context,
                                              const SignatureKeyLookup& keys) {
  BULWARK_TRY(check_group_and_epoch(message.content.group_id, message.content.epoch, context));
  if (content_type(message.content.content) == ContentType::application) {
    return fail(Errc::invalid_message, "application data in a PublicMessage");
  }
  if (message.content.sender.sender_type == SenderType::member) {
    if (!message.membership_tag) return fail(Errc::auth_failed, "MLS membership tag missing");
    const Bytes tbm =
        BULWARK_TRY(authenticated_content_tbm(message.content, message.auth, &context));
    if (!suite.verify_mac(membership_key, tbm, *message.membership_tag)) {
      return fail(Errc::auth_failed, "MLS membership tag does not verify");
    }
  }
  AuthenticatedContent out{WireFormat::mls_public_message, message.content, message.auth};
  if (message.content.sender.sender_type == SenderType::member && keys.member_key) {
    const auto signature_key =
        BULWARK_TRY(keys.member_key(LeafIndex(message.content.sender.leaf_index)));
    BULWARK_TRY(verify_content_signature(suite, out, signature_key, &context));
    return out;
  }
  const Bytes signature_key = BULWARK_TRY(sender_signature_key(message.content, keys));
  BULWARK_TRY(verify_content_signature(suite, out, signature_key, &context));
  return out;
}

}  // namespace bulwark::protocol::mls
