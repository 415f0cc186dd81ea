#include "client/keys.h"

#include "client/detail/proto_text.h"

namespace bulwark::client {
namespace {

std::uint32_t take_id(std::uint32_t& next) {
  std::uint32_t id = next;
  next = next >= max_medium_id ? 1 : next + 1;
  return id;
}

void set_pre_key(const protocol::PreKeyRecord& record, api::PreKey& out) {
  out.set_id(record.id.value());
  out.set_public_key(text_of(record.key_pair.public_key().serialize()));
}

template <class Message>
void add_keys(const OneTimeKeys& keys, Message& out) {
  for (const auto& record : keys.ec) set_pre_key(record, *out.add_pre_keys());
  for (const auto& record : keys.kyber) set_kyber_pre_key(record, *out.add_kyber_pre_keys());
}

}  // namespace

void set_signed_pre_key(const protocol::SignedPreKeyRecord& record, api::SignedPreKey& out) {
  out.set_id(record.id.value());
  out.set_public_key(text_of(record.key_pair.public_key().serialize()));
  out.set_signature(text_of(record.signature));
}

void set_kyber_pre_key(const protocol::KyberPreKeyRecord& record, api::KyberPreKey& out) {
  out.set_id(record.id.value());
  out.set_public_key(text_of(record.key_pair.public_key().serialized()));
  out.set_signature(text_of(record.signature));
}

OneTimeKeys generate_one_time_keys(LocalAccount& account, const protocol::IdentityKeyPair& identity,
                                   std::uint32_t ec, std::uint32_t kyber, std::uint64_t now_ms,
                                   Rng& rng) {
  OneTimeKeys keys;
  keys.ec.reserve(ec);
  keys.kyber.reserve(kyber);
  for (std::uint32_t i = 0; i < ec; ++i)
    keys.ec.push_back(protocol::PreKeyRecord::generate(PreKeyId(take_id(account.next_pre_key_id)), rng));
  for (std::uint32_t i = 0; i < kyber; ++i) {
    KyberPreKeyId id(take_id(account.next_kyber_pre_key_id));
    keys.kyber.push_back(protocol::KyberPreKeyRecord::generate(id, now_ms, identity, rng));
  }
  return keys;
}

Result<void> store_one_time_keys(LocalStore& store, const OneTimeKeys& keys) {
  for (const auto& record : keys.ec) BULWARK_TRY(store.store_pre_key(record));
  for (const auto& record : keys.kyber)
    BULWARK_TRY(store.store_kyber_pre_key(record, protocol::KyberPreKeyKind::one_time));
  return {};
}

void add_public_keys(const OneTimeKeys& keys, api::UploadPreKeys& out) { add_keys(keys, out); }
void add_public_keys(const OneTimeKeys& keys, api::DeviceKeys& out) { add_keys(keys, out); }

Result<void> generate_one_time_keys(LocalStore& store, LocalAccount& account, std::uint32_t ec,
                                    std::uint32_t kyber, std::uint64_t now_ms, Rng& rng,
                                    api::UploadPreKeys& out) {
  OneTimeKeys keys = generate_one_time_keys(account, store.identity_key_pair(), ec, kyber, now_ms, rng);
  BULWARK_TRY(store_one_time_keys(store, keys));
  add_public_keys(keys, out);
  return {};
}

}  // namespace bulwark::client
