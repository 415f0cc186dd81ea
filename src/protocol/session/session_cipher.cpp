#include "protocol/session/session_cipher.h"

#include <limits>

#include "crypto/cbc.h"
#include "protocol/session/session_builder.h"

namespace bulwark::protocol {
namespace {

// The receiving chain for `their_ratchet`, after a DH ratchet step if it is new: the step
// derives the receiving chain from our current ratchet key, then a fresh sending key pair and
// chain (Double Ratchet §3.5).
Result<ReceiverChain*> receiving_chain(SessionState& state, const PublicKey& their_ratchet,
                                       Rng& rng) {
  if (ReceiverChain* chain = state.find_receiver_chain(their_ratchet)) return chain;
  auto receiving = BULWARK_TRY(state.root_key().create_chain(their_ratchet,
                                                             state.sender_chain().ratchet_key));
  KeyPair our_new_ratchet = KeyPair::generate(rng);
  auto sending = BULWARK_TRY(receiving.root.create_chain(their_ratchet, our_new_ratchet));
  state.set_root_key(std::move(sending.root));
  state.add_receiver_chain(their_ratchet, std::move(receiving.chain));
  std::uint32_t current = state.sender_chain().chain_key.index();
  state.set_previous_counter(current > 0 ? current - 1 : 0);
  state.set_sender_chain(SenderChain{std::move(our_new_ratchet), std::move(sending.chain)});
  return state.find_receiver_chain(their_ratchet);
}

// The key seed for message `counter` of `chain`: a stored skipped key for an old counter,
// otherwise the chain advanced to `counter`, storing the keys it skips. Only the newest
// max_skipped_message_keys of those are kept anyway, so older ones are stepped over without
// being made: a forged far-ahead counter costs one HMAC per step, and no allocation.
Result<ratchet::MessageKeySeed> message_key_seed(ReceiverChain& chain, std::uint32_t counter,
                                                 std::uint32_t max_jump) {
  std::uint32_t index = chain.chain_key.index();
  if (index > counter) {
    if (auto seed = take_skipped_key(chain, counter)) return std::move(*seed);
    return fail(Errc::duplicate_message, "message keys already used (duplicate message)");
  }
  if (counter - index > max_jump)
    return fail(Errc::invalid_message, "message from too far into the future");
  if (counter == std::numeric_limits<std::uint32_t>::max())
    return fail(Errc::invalid_message, "message counter out of range");
  ratchet::ChainKey key = chain.chain_key.clone();
  const std::uint32_t first_kept =
      counter > max_skipped_message_keys ? counter - static_cast<std::uint32_t>(max_skipped_message_keys) : 0;
  while (key.index() < counter) {
    if (key.index() >= first_kept) store_skipped_key(chain, key.message_key_seed());
    key = key.next();
  }
  chain.chain_key = key.next();
  return key.message_key_seed();
}

Result<Bytes> decrypt_with_state(SessionState& state, const SignalMessage& message,
                                 std::uint32_t max_jump, Rng& rng) {
  const auto& fields = message.fields();
  if (fields.version != state.version())
    return fail(Errc::invalid_message, "message version differs from the session's");
  ReceiverChain* chain = BULWARK_TRY(receiving_chain(state, fields.ratchet_key, rng));
  auto seed = BULWARK_TRY(message_key_seed(*chain, fields.counter, max_jump));
  SecretBytes pq_key = BULWARK_TRY(state.pq_ratchet().key_for_incoming(fields.pq_ratchet));
  auto keys = seed.derive(pq_key.view());
  if (!message.verify_mac(keys.mac_key.view(), state.remote_identity(), state.local_identity()))
    return fail(Errc::invalid_message, "MAC verification failed");
  auto plaintext = crypto::aes256cbc_decrypt(keys.cipher_key.view(), keys.iv.view(),
                                             fields.ciphertext);
  if (!plaintext) return fail(Errc::invalid_message, "failed to decrypt the message body");
  state.clear_pending_pre_key();
  return std::move(*plaintext);
}

// Current state first, then archived states newest first, each on its own copy. A duplicate
// ends the search at once: the message was for that state, and it was already delivered.
// Archived states accept a forward jump of at most max_skipped_message_keys (libsignal allows
// max_forward_jump there too): a forged message is tried against up to 41 states before it
// fails, and this keeps its cost near one state's worst case instead of 41 times it.
Result<Bytes> decrypt_with_record(SessionRecord& record, const SignalMessage& message, Rng& rng) {
  if (record.has_current_state()) {
    SessionState state = record.current().clone();
    auto plaintext = decrypt_with_state(state, message, max_forward_jump, rng);
    if (plaintext) {
      record.current() = std::move(state);
      return plaintext;
    }
    if (plaintext.error().code == Errc::duplicate_message) return plaintext;
  }
  for (std::size_t i = 0; i < record.archived_count(); ++i) {
    SessionState state = record.archived(i).clone();
    auto plaintext = decrypt_with_state(state, message, archived_max_forward_jump, rng);
    if (plaintext) {
      record.promote_archived_state(i, std::move(state));
      return plaintext;
    }
    if (plaintext.error().code == Errc::duplicate_message) return plaintext;
  }
  if (!record.has_current_state() && record.archived_count() == 0)
    return fail(Errc::session_not_found, "no session");
  return fail(Errc::invalid_message, "decryption failed");
}

// A prekey message decrypts with the state it just selected or built, and no other.
Result<Bytes> decrypt_with_current(SessionRecord& record, const SignalMessage& message, Rng& rng) {
  SessionState state = record.current().clone();
  Bytes plaintext = BULWARK_TRY(decrypt_with_state(state, message, max_forward_jump, rng));
  record.current() = std::move(state);
  return plaintext;
}

Result<void> save_trusted_identity(ProtocolStores& stores, const ProtocolAddress& remote,
                                   const IdentityKey& key, Direction direction) {
  BULWARK_TRY(require_trusted_identity(stores.identities, remote, key, direction));
  return stores.identities.save_identity(remote, key);
}

// Encrypts with the sending chain's next key and advances the chain. Until the peer's first
// reply, the message is wrapped in a PreKeySignalMessage carrying the PQXDH parameters.
CiphertextMessage seal(SessionState& state, ByteView plaintext) {
  const auto& sender = state.sender_chain();
  auto keys = sender.chain_key.message_key_seed().derive({});
  auto ciphertext = crypto::aes256cbc_encrypt(keys.cipher_key.view(), keys.iv.view(), plaintext);
  if (!ciphertext) contract_violation("AES-CBC encryption failed");
  SignalMessage message = SignalMessage::create(
      {state.version(), sender.ratchet_key.public_key(), sender.chain_key.index(),
       state.previous_counter(), std::move(*ciphertext), state.pq_ratchet().next_outgoing()},
      keys.mac_key.view(), state.local_identity(), state.remote_identity());
  state.advance_sender_chain();
  const auto& pending = state.pending_pre_key();
  if (!pending) return {CiphertextType::whisper, to_bytes(message.serialized())};
  auto prekey_message = PreKeySignalMessage::create(
      {state.version(), state.local_registration_id(), pending->pre_key_id,
       pending->signed_pre_key_id, pending->kyber_pre_key_id, pending->kyber_ciphertext,
       pending->base_key, state.local_identity()},
      std::move(message));
  return {CiphertextType::prekey, to_bytes(prekey_message.serialized())};
}

}  // namespace

Result<CiphertextMessage> encrypt_message(ByteView plaintext, const ProtocolAddress& remote,
                                          ProtocolStores stores, std::uint64_t now_ms,
                                          Rng& /*rng: the SPQR send step will draw from it*/) {
  auto loaded = BULWARK_TRY(stores.sessions.load_session(remote));
  if (!loaded || !loaded->has_current_state())
    return fail(Errc::session_not_found, "no session with " + remote.to_string());
  SessionRecord record = std::move(*loaded);
  SessionState& state = record.current();
  if (const auto& pending = state.pending_pre_key();
      pending && now_ms > pending->created_ms &&
      now_ms - pending->created_ms > max_unacknowledged_session_age_ms)
    return fail(Errc::session_not_found, "unacknowledged session expired");
  if (state.sender_chain().chain_key.index() == std::numeric_limits<std::uint32_t>::max())
    return fail(Errc::invalid_message, "sending chain exhausted");
  if (plaintext.size() > max_message_bytes / 2)
    return fail(Errc::invalid_length, "plaintext too long");

  CiphertextMessage sealed = seal(state, plaintext);
  BULWARK_TRY(save_trusted_identity(stores, remote, state.remote_identity(), Direction::sending));
  BULWARK_TRY(stores.sessions.store_session(remote, record));
  return sealed;
}


Result<Bytes> decrypt_signal_message(const SignalMessage& message, const ProtocolAddress& remote,
                                     ProtocolStores stores, Rng& rng) {
  auto loaded = BULWARK_TRY(stores.sessions.load_session(remote));
  if (!loaded) return fail(Errc::session_not_found, "no session with " + remote.to_string());
  SessionRecord record = std::move(*loaded);
  Bytes plaintext = BULWARK_TRY(decrypt_with_record(record, message, rng));
  BULWARK_TRY(save_trusted_identity(stores, remote, record.current().remote_identity(),
                                    Direction::receiving));
  BULWARK_TRY(stores.sessions.store_session(remote, record));
  return plaintext;
}

Result<Bytes> decrypt_pre_key_message(const PreKeySignalMessage& message,
                                      const ProtocolAddress& remote, ProtocolStores stores,
                                      Rng& rng) {
  const IdentityKey& their_identity = message.fields().identity_key;
  BULWARK_TRY(require_trusted_identity(stores.identities, remote, their_identity,
                                       Direction::receiving));
  SessionRecord record =
      BULWARK_TRY(stores.sessions.load_session(remote)).value_or(SessionRecord{});
  auto used = BULWARK_TRY(process_pre_key_message(message, record, stores));
  Bytes plaintext = BULWARK_TRY(decrypt_with_current(record, message.message(), rng));

  // libsignal's order: the prekeys are consumed (and a replayed base key refused) before the
  // session is stored, so a stored session always means its prekeys are gone, and a failure
  // anywhere leaves the stored session as it was.
  BULWARK_TRY(stores.identities.save_identity(remote, their_identity));
  if (used.kyber_pre_key_id)
    BULWARK_TRY(stores.kyber_pre_keys.mark_kyber_pre_key_used(*used.kyber_pre_key_id,
                                                              used.signed_pre_key_id,
                                                              *used.base_key));
  if (used.pre_key_id) BULWARK_TRY(stores.pre_keys.remove_pre_key(*used.pre_key_id));
  BULWARK_TRY(stores.sessions.store_session(remote, record));
  return plaintext;
}

Result<Bytes> decrypt_message(CiphertextType type, ByteView body, const ProtocolAddress& remote,
                              ProtocolStores stores, Rng& rng) {
  if (type == CiphertextType::prekey) {
    auto message = BULWARK_TRY(PreKeySignalMessage::parse(body));
    return decrypt_pre_key_message(message, remote, stores, rng);
  }
  auto message = BULWARK_TRY(SignalMessage::parse(body));
  return decrypt_signal_message(message, remote, stores, rng);
}

}  // namespace bulwark::protocol
