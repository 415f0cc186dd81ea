#include "protocol/session/session_builder.h"

#include "protocol/pqxdh.h"

namespace bulwark::protocol {
namespace {

// Alice's side of ratchet initialisation: she takes a fresh ratchet key at once and performs
// the first DH ratchet step against Bob's signed prekey; Bob's signed prekey is also her first
// receiving chain, keyed with the PQXDH chain key.
Result<SessionState> initialize_initiator(const IdentityKeyPair& our_identity,
                                          const KeyPair& our_base_key,
                                          const PreKeyBundle& bundle,
                                          const SecretBytes& kyber_secret, Rng& rng) {
  auto keys = BULWARK_TRY(pqxdh_initiate({our_identity, our_base_key, bundle.identity_key,
                                          bundle.signed_pre_key, bundle.pre_key, kyber_secret}));
  KeyPair sending_ratchet = KeyPair::generate(rng);
  auto sending = BULWARK_TRY(keys.root_key.create_chain(bundle.signed_pre_key, sending_ratchet));
  SessionState state(session_version_pqxdh, {our_identity.public_key(), bundle.identity_key},
                     std::move(sending.root),
                     SenderChain{std::move(sending_ratchet), std::move(sending.chain)},
                     our_base_key.public_key(),
                     ratchet::PqRatchet::start(std::move(keys.pq_ratchet_key),
                                               ratchet::PqRole::initiator));
  state.add_receiver_chain(bundle.signed_pre_key, std::move(keys.chain_key));
  return state;
}

// Bob's side: his first sending chain uses his signed prekey as ratchet key, keyed with the
// PQXDH chain key; Alice's first message then drives a full DH ratchet step.
Result<SessionState> initialize_responder(const PqxdhResponderInputs& inputs,
                                          const KeyPair& signed_pre_key) {
  auto keys = BULWARK_TRY(pqxdh_respond(inputs));
  return SessionState(session_version_pqxdh,
                      {inputs.our_identity.public_key(), inputs.their_identity},
                      std::move(keys.root_key),
                      SenderChain{signed_pre_key.clone(), std::move(keys.chain_key)},
                      inputs.their_base_key,
                      ratchet::PqRatchet::start(std::move(keys.pq_ratchet_key),
                                                ratchet::PqRole::responder));
}

}  // namespace

Result<void> process_pre_key_bundle(const ProtocolAddress& remote, const PreKeyBundle& bundle,
                                    ProtocolStores stores, std::uint64_t now_ms, Rng& rng) {
  BULWARK_TRY(require_trusted_identity(stores.identities, remote, bundle.identity_key,
                              Direction::sending));
  BULWARK_TRY(bundle.verify());
  auto record = BULWARK_TRY(stores.sessions.load_session(remote)).value_or(SessionRecord{});

  KeyPair base_key = KeyPair::generate(rng);
  auto kyber = BULWARK_TRY(kyber_encapsulate(bundle.kyber_pre_key, rng));
  auto state = BULWARK_TRY(initialize_initiator(stores.identities.identity_key_pair(), base_key,
                                                bundle, kyber.shared_secret, rng));
  state.set_pending_pre_key(PendingPreKey{bundle.pre_key_id, bundle.signed_pre_key_id,
                                          base_key.public_key(), bundle.kyber_pre_key_id,
                                          std::move(kyber.serialized_ciphertext), now_ms});
  state.set_registration_ids(stores.identities.local_registration_id(), bundle.registration_id);
  record.promote_state(std::move(state));

  BULWARK_TRY(stores.identities.save_identity(remote, bundle.identity_key));
  return stores.sessions.store_session(remote, record);
}

Result<UsedPreKeys> process_pre_key_message(const PreKeySignalMessage& message,
                                            SessionRecord& record, const ProtocolStores& stores) {
  const auto& fields = message.fields();
  // A repeated prekey message (the initiator repeats them until our first reply) belongs to
  // a session we already built; PQXDH must not run again for it.
  if (record.promote_matching_state(fields.version, fields.base_key)) {
    // The identity key is an outer, unauthenticated field: on this path no PQXDH runs to bind
    // it, so it must be the one the session was built with (or a rewrapped message could get a
    // different identity saved for the sender).
    if (!(record.current().remote_identity() == fields.identity_key))
      return fail(Errc::invalid_message, "prekey message identity differs from its session's");
    return UsedPreKeys{};
  }

  auto kyber_record = BULWARK_TRY(stores.kyber_pre_keys.load_kyber_pre_key(fields.kyber_pre_key_id));
  auto signed_record =
      BULWARK_TRY(stores.signed_pre_keys.load_signed_pre_key(fields.signed_pre_key_id));
  std::optional<PreKeyRecord> one_time;
  if (fields.pre_key_id) {
    auto pre_key = BULWARK_TRY(stores.pre_keys.load_pre_key(*fields.pre_key_id));
    one_time.emplace(std::move(pre_key));
  }

  SecretBytes kyber_secret =
      BULWARK_TRY(kyber_decapsulate(kyber_record.key_pair, fields.kyber_ciphertext));
  PqxdhResponderInputs inputs{stores.identities.identity_key_pair(),
                              signed_record.key_pair,
                              one_time ? &one_time->key_pair : nullptr,
                              fields.identity_key,
                              fields.base_key,
                              kyber_secret};
  auto state = BULWARK_TRY(initialize_responder(inputs, signed_record.key_pair));
  state.set_registration_ids(stores.identities.local_registration_id(), fields.registration_id);
  record.promote_state(std::move(state));
  return UsedPreKeys{fields.pre_key_id, fields.kyber_pre_key_id, fields.signed_pre_key_id,
                     fields.base_key};
}

}  // namespace bulwark::protocol
