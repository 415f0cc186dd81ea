// PrivateMessage protection (RFC 9420 §6.3): content encryption with a ratchet key whose
// nonce is XORed with a reuse guard, and sender data encrypted under a key derived from a
// sample of the content ciphertext.
#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "protocol/mls/framing.h"
#include "protocol/mls/messages/limits.h"

namespace bulwark::protocol::mls {
namespace {

RatchetKind ratchet_for(ContentType type) noexcept {
  return type == ContentType::application ? RatchetKind::application : RatchetKind::handshake;
}

// The ratchet nonce with its first four bytes XORed with the reuse guard (§6.3.1).
SecretBytes guarded_nonce(const SecretBytes& nonce, const std::array<std::byte, 4>& guard) {
  SecretBytes out = nonce.clone();
  const MutableByteView bytes = out.writable();
  for (std::size_t i = 0; i < guard.size() && i < bytes.size(); ++i) bytes[i] ^= guard[i];
  return out;
}

Result<Bytes> content_aad(const PrivateMessage& message) {
  return serialize(PrivateContentAAD{message.group_id, message.epoch, message.content_type,
                                     message.authenticated_data});
}

Result<Bytes> sender_data_aad(const PrivateMessage& message) {
  return serialize(SenderDataAAD{message.group_id, message.epoch, message.content_type});
}

std::size_t padding_for(std::size_t size, const PaddingPolicy& policy) noexcept {
  std::size_t padding = policy.until_length > size ? policy.until_length - size : 0;
  if (policy.multiple_of > 1) {
    const std::size_t rest = (size + padding) % policy.multiple_of;
    if (rest != 0) padding += policy.multiple_of - rest;
  }
  return padding;
}

// PrivateMessageContent with its zero padding: the encoding with no padding, then the zeros.
Result<Bytes> padded_content(const AuthenticatedContent& content, const PaddingPolicy& policy) {
  Bytes plain =
      BULWARK_TRY(serialize(PrivateMessageContent{content.content.content, content.auth, 0}));
  const std::size_t padding = padding_for(plain.size(), policy);
  if (padding >
      max_private_ciphertext_bytes - std::min(plain.size(), max_private_ciphertext_bytes)) {
    return fail(Errc::invalid_argument, "PrivateMessage padding too large");
  }
  plain.resize(plain.size() + padding, std::byte{0});
  return plain;
}

Result<Bytes> seal_sender_data(const CipherSuite& suite, const PrivateMessage& message,
                               ByteView sender_data_secret, const SenderData& sender_data) {
  const Bytes plain = BULWARK_TRY(serialize(sender_data));
  const KeyAndNonce key =
      BULWARK_TRY(sender_data_key_nonce(suite, sender_data_secret, message.ciphertext));
  const Bytes aad = BULWARK_TRY(sender_data_aad(message));
  return suite.aead_seal(key.key.view(), key.nonce.view(), aad, plain);
}

Result<SenderData> open_sender_data(const CipherSuite& suite, const PrivateMessage& message,
                                    ByteView sender_data_secret) {
  const KeyAndNonce key =
      BULWARK_TRY(sender_data_key_nonce(suite, sender_data_secret, message.ciphertext));
  const Bytes aad = BULWARK_TRY(sender_data_aad(message));
  const auto plain =
      suite.aead_open(key.key.view(), key.nonce.view(), aad, message.encrypted_sender_data);
  if (!plain) return fail(Errc::auth_failed, "MLS sender data does not decrypt");
  return deserialize_sender_data(*plain);
}

Result<void> check_protectable(const AuthenticatedContent& content) {
  if (content.wire_format != WireFormat::mls_private_message) {
    return fail(Errc::invalid_argument, "content signed for another wire format");
  }
  if (content.content.sender.sender_type != SenderType::member) {
    return fail(Errc::invalid_argument, "only members send PrivateMessages");
  }
  return {};
}

// The content of `message` decrypted with the ratchet key `key`, padding checked.
Result<PrivateMessageContent> open_content(const CipherSuite& suite, const PrivateMessage& message,
                                           const RatchetKey& key,
                                           const std::array<std::byte, 4>& guard) {
  const SecretBytes nonce = guarded_nonce(key.nonce, guard);
  const Bytes aad = BULWARK_TRY(content_aad(message));
  const auto plain = suite.aead_open(key.key.view(), nonce.view(), aad, message.ciphertext);
  if (!plain) return fail(Errc::auth_failed, "MLS PrivateMessage content does not decrypt");
  auto content = deserialize_private_message_content(*plain, message.content_type);
  if (!content) return fail(Errc::invalid_message, "MLS PrivateMessage content is malformed");
  return content;
}

}  // namespace

Result<PrivateMessage> protect_private(const CipherSuite& suite,
                                       const AuthenticatedContent& content, SecretTree& tree,
                                       ByteView sender_data_secret, Rng& rng,
                                       PaddingPolicy padding) {
  BULWARK_TRY(check_protectable(content));
  const FramedContent& framed = content.content;
  const Bytes plain = BULWARK_TRY(padded_content(content, padding));
  const ContentType type = content_type(framed.content);
  const LeafIndex sender(framed.sender.leaf_index);
  const RatchetKey key = BULWARK_TRY(tree.next(sender, ratchet_for(type)));
  const auto guard = random_array<4>(rng);

  PrivateMessage out;
  out.group_id = framed.group_id;
  out.epoch = framed.epoch;
  out.content_type = type;
  out.authenticated_data = framed.authenticated_data;
  const SecretBytes nonce = guarded_nonce(key.nonce, guard);
  const Bytes aad = BULWARK_TRY(content_aad(out));
  out.ciphertext = BULWARK_TRY(suite.aead_seal(key.key.view(), nonce.view(), aad, plain));
  out.encrypted_sender_data = BULWARK_TRY(seal_sender_data(
      suite, out, sender_data_secret, SenderData{sender.value(), key.generation, guard}));
  return out;
}

Result<UnprotectedPrivate> unprotect_private(const CipherSuite& suite,
                                             const PrivateMessage& message, SecretTree& tree,
                                             ByteView sender_data_secret,
                                             const GroupContext& context,
                                             const SignatureKeyLookup& keys) {
  if (!std::ranges::equal(message.group_id, context.group_id) || message.epoch != context.epoch) {
    return fail(Errc::invalid_message, "MLS message for another group or epoch");
  }
  const SenderData sender_data = BULWARK_TRY(open_sender_data(suite, message, sender_data_secret));
  const LeafIndex sender(sender_data.leaf_index);
  if (!keys.member && !keys.member_key) {
    return fail(Errc::invalid_argument, "no signature key lookup for members");
  }
  // Also the §6.3.2 check that the sender's leaf is not blank.
  std::optional<crypto::Ed25519PublicKey> checked_key;
  Bytes signature_key;
  if (keys.member_key) {
    checked_key = BULWARK_TRY(keys.member_key(sender));
  } else {
    signature_key = BULWARK_TRY(keys.member(sender));
  }
  const RatchetKind kind = ratchet_for(message.content_type);
  const RatchetKey key = BULWARK_TRY(tree.peek_key(sender, kind, sender_data.generation));
  PrivateMessageContent plain =
      BULWARK_TRY(open_content(suite, message, key, sender_data.reuse_guard));

  UnprotectedPrivate out;
  out.content.wire_format = WireFormat::mls_private_message;
  out.content.content =
      FramedContent{message.group_id, message.epoch, member_sender(sender.value()),
                    message.authenticated_data, std::move(plain.content)};
  out.content.auth = std::move(plain.auth);
  if (checked_key) {
    BULWARK_TRY(verify_content_signature(suite, out.content, *checked_key, &context));
  } else {
    BULWARK_TRY(verify_content_signature(suite, out.content, signature_key, &context));
  }
  // Authenticated: now the key is used up (and skipped generations kept).
  BULWARK_TRY(tree.consume(sender, kind, sender_data.generation));
  out.sender = sender;
  out.generation = sender_data.generation;
  return out;
}

}  // namespace bulwark::protocol::mls
