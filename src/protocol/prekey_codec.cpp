#include "protocol/prekey_codec.h"

#include <string>

#include "protocol/detail/proto_bytes.h"
#include "protocol/proto/records.pb.h"

namespace bulwark::protocol {
namespace {

namespace pb = records;

// Far above a Kyber prekey record (4.8 KiB); bounds what a parser is handed.
constexpr std::size_t max_record_bytes = 64 * 1024;

using detail::proto_bytes;
using detail::wipe_proto_bytes;

template <class Message>
SecretBytes finish(Message& message, std::string* secret_field) {
  SecretBytes out(message.ByteSizeLong());
  if (!message.SerializeToArray(out.writable().data(), static_cast<int>(out.size())))
    contract_violation("record serialisation failed");
  wipe_proto_bytes(secret_field);
  return out;
}

// Wipes a protobuf field's private key on every way out of a scope, early returns included.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string* field) : field_(field) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { wipe_proto_bytes(field_); }

 private:
  std::string* field_;
};

template <class Message>
Result<void> parse(Message& message, ByteView bytes, const char* what) {
  if (bytes.size() > max_record_bytes || !message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail(Errc::invalid_encoding, std::string(what) + ": bad protobuf");
  return {};
}

// The EC key pair in `public_bytes` / `private_bytes`, checked to belong together.
Result<KeyPair> read_key_pair(const std::string& public_bytes, const std::string& private_bytes) {
  auto public_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(public_bytes)));
  if (private_bytes.size() != crypto::x25519_secret_key_bytes)
    return fail(Errc::invalid_encoding, "private key: expected 32 bytes");
  auto pair = BULWARK_TRY(KeyPair::from_secret(as_bytes(private_bytes)));
  if (!(pair.public_key() == public_key))
    return fail(Errc::invalid_encoding, "private key does not match its public key");
  return pair;
}

Result<KyberKeyPair> read_kyber_pair(const std::string& public_bytes, const std::string& private_bytes) {
  auto public_key = BULWARK_TRY(KyberPublicKey::deserialize(as_bytes(public_bytes)));
  ByteView secret = as_bytes(private_bytes);
  if (secret.size() != 1 + crypto::kyber1024::secret_key_bytes || secret[0] != crypto::kyber1024::key_type)
    return fail(Errc::invalid_encoding, "KEM secret key: bad type or length");
  // A Kyber decapsulation key embeds its encapsulation key after the 1536-byte s-vector.
  constexpr std::size_t s_vector_bytes = 4 * 384;  // ByteEncode12(s), k = 4
  ByteView embedded = secret.subspan(1 + s_vector_bytes, crypto::kyber1024::public_key_bytes);
  if (to_bytes(embedded) != to_bytes(public_key.raw()))
    return fail(Errc::invalid_encoding, "KEM secret key does not match its public key");
  return KyberKeyPair(public_key, SecretBytes::copy_of(secret.subspan(1)));
}

}  // namespace

SecretBytes serialize_identity_key_pair(const IdentityKeyPair& pair) {
  pb::IdentityKeyPairStructure out;
  out.set_public_key(proto_bytes(pair.public_key().serialize()));
  out.set_private_key(proto_bytes(pair.secret().bytes().view()));
  return finish(out, out.mutable_private_key());
}

Result<IdentityKeyPair> deserialize_identity_key_pair(ByteView bytes) {
  pb::IdentityKeyPairStructure in;
  WipeOnExit wipe_private_key(in.mutable_private_key());
  BULWARK_TRY(parse(in, bytes, "identity key pair"));
  return read_key_pair(in.public_key(), in.private_key());
}

SecretBytes serialize_pre_key(const PreKeyRecord& record) {
  pb::PreKeyRecordStructure out;
  out.set_id(record.id.value());
  out.set_public_key(proto_bytes(record.key_pair.public_key().serialize()));
  out.set_private_key(proto_bytes(record.key_pair.secret().bytes().view()));
  return finish(out, out.mutable_private_key());
}

Result<PreKeyRecord> deserialize_pre_key(ByteView bytes) {
  pb::PreKeyRecordStructure in;
  WipeOnExit wipe_private_key(in.mutable_private_key());
  BULWARK_TRY(parse(in, bytes, "prekey record"));
  auto pair = BULWARK_TRY(read_key_pair(in.public_key(), in.private_key()));
  return PreKeyRecord{PreKeyId(in.id()), std::move(pair)};
}

SecretBytes serialize_signed_pre_key(const SignedPreKeyRecord& record) {
  pb::SignedPreKeyRecordStructure out;
  out.set_id(record.id.value());
  out.set_public_key(proto_bytes(record.key_pair.public_key().serialize()));
  out.set_private_key(proto_bytes(record.key_pair.secret().bytes().view()));
  out.set_signature(proto_bytes(record.signature));
  out.set_timestamp(record.timestamp_ms);
  return finish(out, out.mutable_private_key());
}

Result<SignedPreKeyRecord> deserialize_signed_pre_key(ByteView bytes) {
  pb::SignedPreKeyRecordStructure in;
  WipeOnExit wipe_private_key(in.mutable_private_key());
  BULWARK_TRY(parse(in, bytes, "signed prekey record"));
  auto pair = BULWARK_TRY(read_key_pair(in.public_key(), in.private_key()));
  return SignedPreKeyRecord{SignedPreKeyId(in.id()), in.timestamp(), std::move(pair),
                            to_bytes(as_bytes(in.signature()))};
}

SecretBytes serialize_kyber_pre_key(const KyberPreKeyRecord& record) {
  pb::SignedPreKeyRecordStructure out;
  out.set_id(record.id.value());
  out.set_public_key(proto_bytes(record.key_pair.public_key().serialized()));
  // Built in place: a temporary std::string would leave a copy of the secret key behind.
  ByteView secret = record.key_pair.secret_key().view();
  std::string* field = out.mutable_private_key();
  field->reserve(1 + secret.size());
  field->push_back(static_cast<char>(crypto::kyber1024::key_type));
  field->append(reinterpret_cast<const char*>(secret.data()), secret.size());
  out.set_signature(proto_bytes(record.signature));
  out.set_timestamp(record.timestamp_ms);
  return finish(out, out.mutable_private_key());
}

Result<KyberPreKeyRecord> deserialize_kyber_pre_key(ByteView bytes) {
  pb::SignedPreKeyRecordStructure in;
  WipeOnExit wipe_private_key(in.mutable_private_key());
  BULWARK_TRY(parse(in, bytes, "Kyber prekey record"));
  auto pair = BULWARK_TRY(read_kyber_pair(in.public_key(), in.private_key()));
  return KyberPreKeyRecord{KyberPreKeyId(in.id()), in.timestamp(), std::move(pair),
                           to_bytes(as_bytes(in.signature()))};
}

}  // namespace bulwark::protocol
