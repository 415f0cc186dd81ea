#include "protocol/message.h"

#include <string>

#include "crypto/mac.h"
#include "protocol/detail/proto_bytes.h"
#include "protocol/proto/wire.pb.h"

namespace bulwark::protocol {
namespace {

using detail::proto_bytes;

std::byte version_byte(std::uint8_t version) {
  return static_cast<std::byte>((version << 4) | session_version_pqxdh);
}

// The version nibble: libsignal refuses anything below 3 as legacy and above 4 as unknown,
// and since v0.75 refuses 3 (X3DH) when it sets up or uses a session; we refuse it here.
Result<std::uint8_t> parse_version(ByteView serialized) {
  if (serialized.empty()) return fail(Errc::truncated, "message: empty");
  if (serialized.size() > max_message_bytes) return fail(Errc::invalid_length, "message: too long");
  auto version = static_cast<std::uint8_t>(std::to_integer<unsigned>(serialized[0]) >> 4);
  if (version < session_version_x3dh)
    return fail(Errc::invalid_message, "message: legacy ciphertext version");
  if (version > session_version_pqxdh)
    return fail(Errc::invalid_message, "message: unrecognized ciphertext version");
  if (version == session_version_x3dh)
    return fail(Errc::invalid_message, "message: X3DH (version 3) is no longer supported");
  return version;
}

Bytes with_version(std::byte version, const std::string& body) {
  Bytes out;
  out.reserve(1 + body.size() + message_mac_bytes);
  out.push_back(version);
  out.insert(out.end(), as_bytes(body).begin(), as_bytes(body).end());
  return out;
}

crypto::HmacSha256Tag full_mac(ByteView mac_key, const IdentityKey& sender,
                               const IdentityKey& receiver, ByteView versioned_body) {
  return crypto::hmac_sha256(mac_key, {sender.serialize(), receiver.serialize(), versioned_body});
}

}  // namespace

SignalMessage SignalMessage::create(Fields fields, ByteView mac_key,
                                    const IdentityKey& sender_identity,
                                    const IdentityKey& receiver_identity) {
  wire::SignalMessage proto;
  proto.set_ratchet_key(proto_bytes(fields.ratchet_key.serialize()));
  proto.set_counter(fields.counter);
  proto.set_previous_counter(fields.previous_counter);
  proto.set_ciphertext(proto_bytes(fields.ciphertext));
  if (!fields.pq_ratchet.empty()) proto.set_pq_ratchet(proto_bytes(fields.pq_ratchet));
  Bytes serialized = with_version(version_byte(fields.version), proto.SerializeAsString());
  auto mac = full_mac(mac_key, sender_identity, receiver_identity, serialized);
  serialized.insert(serialized.end(), mac.begin(), mac.begin() + message_mac_bytes);
  return {std::move(fields), std::move(serialized)};
}

Result<SignalMessage> SignalMessage::parse(ByteView serialized) {
  auto version = BULWARK_TRY(parse_version(serialized));
  if (serialized.size() < 1 + message_mac_bytes)
    return fail(Errc::truncated, "SignalMessage: too short");
  ByteView body = serialized.subspan(1, serialized.size() - 1 - message_mac_bytes);
  wire::SignalMessage proto;
  if (!proto.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return fail(Errc::invalid_encoding, "SignalMessage: bad protobuf");
  if (!proto.has_ratchet_key() || !proto.has_counter() || !proto.has_ciphertext())
    return fail(Errc::invalid_encoding, "SignalMessage: missing required field");
  auto ratchet_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(proto.ratchet_key())));
  Fields fields{version, ratchet_key, proto.counter(), proto.previous_counter(),
                to_bytes(as_bytes(proto.ciphertext())), to_bytes(as_bytes(proto.pq_ratchet()))};
  return SignalMessage(std::move(fields), to_bytes(serialized));
}

bool SignalMessage::verify_mac(ByteView mac_key, const IdentityKey& sender_identity,
                               const IdentityKey& receiver_identity) const {
  ByteView versioned_body = ByteView(serialized_).first(serialized_.size() - message_mac_bytes);
  ByteView tag = ByteView(serialized_).last(message_mac_bytes);
  return crypto::verify_hmac_sha256(
      mac_key, {sender_identity.serialize(), receiver_identity.serialize(), versioned_body}, tag,
      message_mac_bytes);
}

PreKeySignalMessage PreKeySignalMessage::create(Fields fields, SignalMessage message) {
  wire::PreKeySignalMessage proto;
  proto.set_registration_id(fields.registration_id.value());
  if (fields.pre_key_id) proto.set_pre_key_id(fields.pre_key_id->value());
  proto.set_signed_pre_key_id(fields.signed_pre_key_id.value());
  proto.set_kyber_pre_key_id(fields.kyber_pre_key_id.value());
  proto.set_kyber_ciphertext(proto_bytes(fields.kyber_ciphertext));
  proto.set_base_key(proto_bytes(fields.base_key.serialize()));
  proto.set_identity_key(proto_bytes(fields.identity_key.serialize()));
  proto.set_message(proto_bytes(message.serialized()));
  Bytes serialized = with_version(version_byte(fields.version), proto.SerializeAsString());
  return {std::move(fields), std::move(message), std::move(serialized)};
}

Result<PreKeySignalMessage> PreKeySignalMessage::parse(ByteView serialized) {
  auto version = BULWARK_TRY(parse_version(serialized));
  ByteView body = serialized.subspan(1);
  wire::PreKeySignalMessage proto;
  if (!proto.ParseFromArray(body.data(), static_cast<int>(body.size())))
    return fail(Errc::invalid_encoding, "PreKeySignalMessage: bad protobuf");
  if (!proto.has_base_key() || !proto.has_identity_key() || !proto.has_message() ||
      !proto.has_signed_pre_key_id())
    return fail(Errc::invalid_encoding, "PreKeySignalMessage: missing required field");
  if (proto.has_kyber_pre_key_id() != proto.has_kyber_ciphertext())
    return fail(Errc::invalid_message,
                "PreKeySignalMessage: both or neither Kyber prekey id and ciphertext");
  if (!proto.has_kyber_pre_key_id())
    return fail(Errc::invalid_message,
                "PreKeySignalMessage: Kyber prekey must be present for this session version");
  std::optional<PreKeyId> pre_key_id;
  if (proto.has_pre_key_id()) pre_key_id = PreKeyId(proto.pre_key_id());
  auto base_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(proto.base_key())));
  auto identity_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(proto.identity_key())));
  Fields fields{version,
                RegistrationId(proto.registration_id()),
                pre_key_id,
                SignedPreKeyId(proto.signed_pre_key_id()),
                KyberPreKeyId(proto.kyber_pre_key_id()),
                to_bytes(as_bytes(proto.kyber_ciphertext())),
                base_key,
                identity_key};
  auto message = BULWARK_TRY(SignalMessage::parse(as_bytes(proto.message())));
  if (message.fields().version != version)
    return fail(Errc::invalid_message, "PreKeySignalMessage: inner message version differs");
  return PreKeySignalMessage(std::move(fields), std::move(message), to_bytes(serialized));
}

}  // namespace bulwark::protocol
