#include "protocol/state/record_codec.h"

#include <string>

#include "protocol/detail/proto_bytes.h"
#include "protocol/message.h"
#include "protocol/proto/storage.pb.h"

namespace bulwark::protocol {
namespace {

namespace pb = storage;

using detail::proto_bytes;
using detail::wipe_proto_bytes;

// Protobuf keeps its own copies of the secrets; they are wiped here, before the message is
// destroyed.
void wipe_chain(pb::ChainKey* chain) { wipe_proto_bytes(chain->mutable_key()); }

void wipe_state(pb::SessionState* state) {
  wipe_proto_bytes(state->mutable_root_key());
  wipe_proto_bytes(state->mutable_sender_ratchet_private());
  wipe_proto_bytes(state->mutable_pq_auth_key());
  wipe_chain(state->mutable_sender_chain_key());
  for (auto& receiver : *state->mutable_receivers()) {
    wipe_chain(receiver.mutable_chain_key());
    for (auto& skipped : *receiver.mutable_skipped()) wipe_proto_bytes(skipped.mutable_seed());
  }
}

void write_chain(pb::ChainKey* out, const ratchet::ChainKey& chain) {
  out->set_index(chain.index());
  out->set_key(proto_bytes(chain.key().view()));
}

void write_state(pb::SessionState* out, const SessionState& state) {
  out->set_version(state.version());
  out->set_local_identity(proto_bytes(state.local_identity().serialize()));
  out->set_remote_identity(proto_bytes(state.remote_identity().serialize()));
  out->set_root_key(proto_bytes(state.root_key().key().view()));
  out->set_sender_ratchet_private(proto_bytes(state.sender_chain().ratchet_key.secret().bytes().view()));
  out->set_sender_ratchet_public(proto_bytes(state.sender_chain().ratchet_key.public_key().serialize()));
  write_chain(out->mutable_sender_chain_key(), state.sender_chain().chain_key);
  out->set_previous_counter(state.previous_counter());
  for (const auto& chain : state.receiver_chains()) {
    auto* receiver = out->add_receivers();
    receiver->set_ratchet_key(proto_bytes(chain.ratchet_key.serialize()));
    write_chain(receiver->mutable_chain_key(), chain.chain_key);
    for (const auto& seed : chain.skipped) {
      auto* skipped = receiver->add_skipped();
      skipped->set_counter(seed.counter);
      skipped->set_seed(proto_bytes(seed.seed.view()));
    }
  }
  if (const auto& pending = state.pending_pre_key()) {
    auto* p = out->mutable_pending();
    if (pending->pre_key_id) p->set_pre_key_id(pending->pre_key_id->value());
    p->set_signed_pre_key_id(pending->signed_pre_key_id.value());
    p->set_base_key(proto_bytes(pending->base_key.serialize()));
    p->set_kyber_pre_key_id(pending->kyber_pre_key_id.value());
    p->set_kyber_ciphertext(proto_bytes(pending->kyber_ciphertext));
    p->set_created_ms(pending->created_ms);
  }
  out->set_local_registration_id(state.local_registration_id().value());
  out->set_remote_registration_id(state.remote_registration_id().value());
  out->set_alice_base_key(proto_bytes(state.alice_base_key().serialize()));
  out->set_pq_auth_key(proto_bytes(state.pq_ratchet().auth_key().view()));
  out->set_pq_initiator(state.pq_ratchet().role() == ratchet::PqRole::initiator);
}

Result<SecretBytes> secret_of(const std::string& bytes, const char* what) {
  if (bytes.size() != ratchet::key_bytes)
    return fail(Errc::invalid_encoding, std::string("session record: bad ") + what);
  return SecretBytes::copy_of(as_bytes(bytes));
}

Result<ratchet::ChainKey> read_chain(const pb::ChainKey& chain) {
  if (!chain.has_index()) return fail(Errc::invalid_encoding, "session record: chain without index");
  auto key = BULWARK_TRY(secret_of(chain.key(), "chain key"));
  return ratchet::ChainKey(std::move(key), chain.index());
}

Result<PendingPreKey> read_pending(const pb::PendingPreKey& p) {
  std::optional<PreKeyId> pre_key_id;
  if (p.has_pre_key_id()) pre_key_id = PreKeyId(p.pre_key_id());
  auto base_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(p.base_key())));
  ByteView ciphertext = as_bytes(p.kyber_ciphertext());
  if (ciphertext.size() != kyber_ciphertext_bytes || ciphertext[0] != crypto::kyber1024::key_type)
    return fail(Errc::invalid_encoding, "session record: bad pending Kyber ciphertext");
  return PendingPreKey{pre_key_id, SignedPreKeyId(p.signed_pre_key_id()), base_key,
                       KyberPreKeyId(p.kyber_pre_key_id()), to_bytes(as_bytes(p.kyber_ciphertext())),
                       p.created_ms()};
}

Result<void> read_receivers(const pb::SessionState& in, SessionState& state) {
  if (static_cast<std::size_t>(in.receivers_size()) > max_receiver_chains)
    return fail(Errc::invalid_encoding, "session record: too many receiver chains");
  for (const auto& receiver : in.receivers()) {
    auto ratchet_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(receiver.ratchet_key())));
    auto chain_key = BULWARK_TRY(read_chain(receiver.chain_key()));
    if (static_cast<std::size_t>(receiver.skipped_size()) > max_skipped_message_keys)
      return fail(Errc::invalid_encoding, "session record: too many skipped keys");
    if (state.find_receiver_chain(ratchet_key) != nullptr)
      return fail(Errc::invalid_encoding, "session record: repeated receiver chain");
    state.add_receiver_chain(ratchet_key, std::move(chain_key));
    ReceiverChain* chain = state.find_receiver_chain(ratchet_key);
    for (const auto& skipped : receiver.skipped()) {
      auto seed = BULWARK_TRY(secret_of(skipped.seed(), "skipped key"));
      chain->skipped.push_back({std::move(seed), skipped.counter()});
    }
  }
  return {};
}

Result<SessionState> read_state(const pb::SessionState& in) {
  if (in.version() != session_version_pqxdh)
    return fail(Errc::invalid_encoding, "session record: unsupported session version");
  auto local = BULWARK_TRY(PublicKey::deserialize(as_bytes(in.local_identity())));
  auto remote = BULWARK_TRY(PublicKey::deserialize(as_bytes(in.remote_identity())));
  auto root = BULWARK_TRY(secret_of(in.root_key(), "root key"));
  auto sender_secret = BULWARK_TRY(secret_of(in.sender_ratchet_private(), "ratchet key"));
  auto sender_private = BULWARK_TRY(crypto::X25519SecretKey::from_bytes(sender_secret.view()));
  auto sender_public = BULWARK_TRY(PublicKey::deserialize(as_bytes(in.sender_ratchet_public())));
  KeyPair sender_pair(std::move(sender_private), sender_public);
  auto sender_chain = BULWARK_TRY(read_chain(in.sender_chain_key()));
  auto alice_base_key = BULWARK_TRY(PublicKey::deserialize(as_bytes(in.alice_base_key())));
  auto pq_key = BULWARK_TRY(secret_of(in.pq_auth_key(), "SPQR key"));
  auto pq = ratchet::PqRatchet::start(std::move(pq_key), in.pq_initiator()
                                                             ? ratchet::PqRole::initiator
                                                             : ratchet::PqRole::responder);
  SessionState state(session_version_pqxdh, {local, remote}, ratchet::RootKey(std::move(root)),
                     SenderChain{std::move(sender_pair), std::move(sender_chain)}, alice_base_key,
                     std::move(pq));
  state.set_previous_counter(in.previous_counter());
  BULWARK_TRY(read_receivers(in, state));
  if (in.has_pending()) {
    auto pending = BULWARK_TRY(read_pending(in.pending()));
    state.set_pending_pre_key(std::move(pending));
  }
  state.set_registration_ids(RegistrationId(in.local_registration_id()),
                             RegistrationId(in.remote_registration_id()));
  return state;
}

Result<SessionRecord> read_record(const pb::SessionRecord& in) {
  if (static_cast<std::size_t>(in.previous_size()) > max_archived_states)
    return fail(Errc::invalid_encoding, "session record: too many archived states");
  std::optional<SessionState> current;
  if (in.has_current()) {
    auto state = BULWARK_TRY(read_state(in.current()));
    current.emplace(std::move(state));
  }
  std::deque<SessionState> previous;
  for (const auto& archived : in.previous()) {
    auto state = BULWARK_TRY(read_state(archived));
    previous.push_back(std::move(state));
  }
  return SessionRecord(std::move(current), std::move(previous));
}

}  // namespace

SecretBytes serialize_session_record(const SessionRecord& record) {
  pb::SessionRecord out;
  if (record.has_current_state()) write_state(out.mutable_current(), record.current());
  for (std::size_t i = 0; i < record.archived_count(); ++i)
    write_state(out.add_previous(), record.archived(i));
  SecretBytes bytes(out.ByteSizeLong());
  if (!out.SerializeToArray(bytes.writable().data(), static_cast<int>(bytes.size())))
    contract_violation("session record serialisation failed");
  if (out.has_current()) wipe_state(out.mutable_current());
  for (auto& archived : *out.mutable_previous()) wipe_state(&archived);
  return bytes;
}

Result<SessionRecord> deserialize_session_record(ByteView bytes) {
  if (bytes.size() > max_session_record_bytes)
    return fail(Errc::invalid_encoding, "session record: too large");
  pb::SessionRecord in;
  const bool parsed = in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  Result<SessionRecord> record = parsed ? read_record(in)
                                        : fail(Errc::invalid_encoding, "session record: bad protobuf");
  if (in.has_current()) wipe_state(in.mutable_current());
  for (auto& archived : *in.mutable_previous()) wipe_state(&archived);
  return record;
}

}  // namespace bulwark::protocol
