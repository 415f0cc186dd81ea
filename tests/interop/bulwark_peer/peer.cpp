#include "peer.h"

#include <chrono>
#include <stdexcept>

#include "crypto/base64.h"

namespace bulwark::interop {
namespace {

using nlohmann::json;
using namespace protocol;

// Request errors travel as exceptions inside this file only, and become {"ok":false}.
struct RequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T take(Result<T> result) {
  if (!result) throw RequestError(result.error().describe());
  return std::move(*result);
}

void check(Result<void> result) {
  if (!result) throw RequestError(result.error().describe());
}

Bytes bytes_field(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_string())
    throw RequestError(std::string("missing base64 field ") + key);
  return take(crypto::base64_decode(object.at(key).get<std::string>()));
}

std::uint32_t id_field(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_number_unsigned())
    throw RequestError(std::string("missing integer field ") + key);
  return object.at(key).get<std::uint32_t>();
}

std::string text_field(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_string())
    throw RequestError(std::string("missing string field ") + key);
  return object.at(key).get<std::string>();
}

ProtocolAddress address_of(const json& request) {
  return {text_field(request, "peer"), DeviceId(id_field(request, "device"))};
}

json ok(json body = json::object()) {
  body["ok"] = true;
  return body;
}

PreKeyBundle bundle_from_json(const json& b) {
  std::optional<PreKeyId> pre_key_id;
  std::optional<PublicKey> pre_key;
  if (b.contains("pre_key_id") && !b.at("pre_key_id").is_null()) {
    pre_key_id = PreKeyId(id_field(b, "pre_key_id"));
    pre_key = take(PublicKey::deserialize(bytes_field(b, "pre_key")));
  }
  return {RegistrationId(id_field(b, "registration_id")),
          DeviceId(id_field(b, "device_id")),
          pre_key_id,
          pre_key,
          SignedPreKeyId(id_field(b, "signed_pre_key_id")),
          take(PublicKey::deserialize(bytes_field(b, "signed_pre_key"))),
          bytes_field(b, "signed_pre_key_signature"),
          take(PublicKey::deserialize(bytes_field(b, "identity_key"))),
          KyberPreKeyId(id_field(b, "kyber_pre_key_id")),
          take(KyberPublicKey::deserialize(bytes_field(b, "kyber_pre_key"))),
          bytes_field(b, "kyber_pre_key_signature")};
}

}  // namespace

json Peer::handle(const std::string& line) {
  try {
    json request = json::parse(line);
    if (!request.is_object()) throw RequestError("request is not a JSON object");
    return dispatch(request);
  } catch (const std::exception& error) {
    return {{"ok", false}, {"error", error.what()}};
  }
}

json Peer::dispatch(const json& request) {
  const std::string op = text_field(request, "op");
  if (op == "identity") return identity(request);
  if (op == "bundle") return bundle(request);
  if (op == "process_bundle") return process_bundle(request);
  if (op == "encrypt") return encrypt(request);
  if (op == "decrypt") return decrypt(request);
  if (op == "fingerprint") return fingerprint(request);
  if (op == "records") return records();
  if (op == "reserialize_records") return reserialize_records(request);
  throw RequestError("unknown op " + op);
}

InMemoryProtocolStores& Peer::stores() {
  if (!stores_) throw RequestError("no identity yet: send the identity op first");
  return *stores_;
}

std::uint64_t Peer::now_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

json Peer::identity(const json& request) {
  name_ = text_field(request, "name");
  device_ = DeviceId(id_field(request, "device"));
  RegistrationId registration_id(1 + static_cast<std::uint32_t>(
                                         std::to_integer<unsigned>(random_array<1>(rng_)[0])) * 64);
  stores_ = std::make_unique<InMemoryProtocolStores>(KeyPair::generate(rng_), registration_id);
  auto key = stores_->identities.identity_key_pair().public_key().serialize();
  return ok({{"identity_key", crypto::base64_encode(key)}});
}

json Peer::bundle(const json& request) {
  auto& s = stores();
  const bool one_time = !request.contains("one_time") || request.at("one_time") != false;
  const auto& identity = s.identities.identity_key_pair();
  auto signed_pre_key = SignedPreKeyRecord::generate(SignedPreKeyId(++next_id_), now_ms(), identity, rng_);
  auto kyber = KyberPreKeyRecord::generate(KyberPreKeyId(++next_id_), now_ms(), identity, rng_);
  check(s.signed_pre_keys.store_signed_pre_key(signed_pre_key));
  check(s.kyber_pre_keys.store_kyber_pre_key(kyber, KyberPreKeyKind::one_time));
  json b = {{"registration_id", s.identities.local_registration_id().value()},
            {"device_id", device_.value()},
            {"pre_key_id", nullptr},
            {"pre_key", nullptr},
            {"signed_pre_key_id", signed_pre_key.id.value()},
            {"signed_pre_key", crypto::base64_encode(signed_pre_key.key_pair.public_key().serialize())},
            {"signed_pre_key_signature", crypto::base64_encode(signed_pre_key.signature)},
            {"identity_key", crypto::base64_encode(identity.public_key().serialize())},
            {"kyber_pre_key_id", kyber.id.value()},
            {"kyber_pre_key", crypto::base64_encode(kyber.key_pair.public_key().serialized())},
            {"kyber_pre_key_signature", crypto::base64_encode(kyber.signature)}};
  std::optional<PreKeyRecord> one_time_record;
  if (one_time) {
    auto pre_key = PreKeyRecord::generate(PreKeyId(++next_id_), rng_);
    check(s.pre_keys.store_pre_key(pre_key));
    b["pre_key_id"] = pre_key.id.value();
    b["pre_key"] = crypto::base64_encode(pre_key.key_pair.public_key().serialize());
    one_time_record.emplace(std::move(pre_key));
  }
  latest_ = std::make_unique<LatestRecords>(
      LatestRecords{std::move(one_time_record), std::move(signed_pre_key), std::move(kyber)});
  return ok({{"bundle", b}});
}

json Peer::process_bundle(const json& request) {
  auto address = address_of(request);
  if (!request.contains("bundle") || !request.at("bundle").is_object())
    throw RequestError("missing bundle object");
  check(process_pre_key_bundle(address, bundle_from_json(request.at("bundle")), stores().view(),
                               now_ms(), rng_));
  devices_.insert_or_assign(address.name, address.device);
  return ok();
}

json Peer::encrypt(const json& request) {
  auto address = address_of(request);
  auto message = take(encrypt_message(bytes_field(request, "plaintext"), address,
                                      stores().view(), now_ms(), rng_));
  return ok({{"type", message.type == CiphertextType::prekey ? "prekey" : "whisper"},
             {"body", crypto::base64_encode(message.body)}});
}

json Peer::decrypt(const json& request) {
  auto address = address_of(request);
  const std::string type = text_field(request, "type");
  if (type != "prekey" && type != "whisper") throw RequestError("type must be prekey or whisper");
  auto plaintext = take(decrypt_message(type == "prekey" ? CiphertextType::prekey
                                                         : CiphertextType::whisper,
                                        bytes_field(request, "body"), address, stores().view(),
                                        rng_));
  devices_.insert_or_assign(address.name, address.device);
  return ok({{"plaintext", crypto::base64_encode(plaintext)}});
}

json Peer::records() {
  if (!latest_) throw RequestError("no bundle yet");
  auto b64 = [](const SecretBytes& bytes) { return crypto::base64_encode(bytes.view()); };
  json out = {
      {"identity_key_pair", b64(serialize_identity_key_pair(stores().identities.identity_key_pair()))},
      {"pre_key", nullptr},
      {"signed_pre_key", b64(serialize_signed_pre_key(latest_->signed_pre_key))},
      {"kyber_pre_key", b64(serialize_kyber_pre_key(latest_->kyber_pre_key))}};
  if (latest_->pre_key) out["pre_key"] = b64(serialize_pre_key(*latest_->pre_key));
  return ok({{"records", out}});
}

json Peer::reserialize_records(const json& request) {
  if (!request.contains("records") || !request.at("records").is_object())
    throw RequestError("missing records object");
  const json& r = request.at("records");
  auto b64 = [](const SecretBytes& bytes) { return crypto::base64_encode(bytes.view()); };
  json out = {
      {"identity_key_pair",
       b64(serialize_identity_key_pair(take(deserialize_identity_key_pair(bytes_field(r, "identity_key_pair")))))},
      {"pre_key", nullptr},
      {"signed_pre_key",
       b64(serialize_signed_pre_key(take(deserialize_signed_pre_key(bytes_field(r, "signed_pre_key")))))},
      {"kyber_pre_key",
       b64(serialize_kyber_pre_key(take(deserialize_kyber_pre_key(bytes_field(r, "kyber_pre_key")))))}};
  if (r.contains("pre_key") && !r.at("pre_key").is_null())
    out["pre_key"] = b64(serialize_pre_key(take(deserialize_pre_key(bytes_field(r, "pre_key")))));
  return ok({{"records", out}});
}

json Peer::fingerprint(const json& request) {
  const std::string peer = text_field(request, "peer");
  auto device = devices_.find(peer);
  if (device == devices_.end()) throw RequestError("no identity known for " + peer);
  auto remote_key = take(stores().identities.identity({peer, device->second}));
  if (!remote_key) throw RequestError("no identity known for " + peer);
  const auto& local_key = stores().identities.identity_key_pair().public_key();
  auto fingerprint = take(compute_fingerprint(scannable_fingerprint_version,
                                              fingerprint_iterations, {as_bytes(name_), local_key},
                                              {as_bytes(peer), *remote_key}));
  return ok({{"displayable", fingerprint.displayable},
             {"scannable", crypto::base64_encode(fingerprint.scannable)}});
}

}  // namespace bulwark::interop
