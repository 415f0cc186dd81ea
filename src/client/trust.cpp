// Contacts, safety numbers and trust decisions.
#include "client/detail/client_impl.h"
#include "client/display_name.h"
#include "client/transparency.h"
#include "client/uuid.h"
#include "protocol/fingerprint.h"

namespace bulwark::client {

Result<std::vector<Contact>> Client::contacts() { return impl_->store->contacts(); }

Result<SafetyNumber> Client::safety_number(std::string_view peer_text) {
  Impl& impl = *impl_;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl, peer_text));
  auto contact = BULWARK_TRY(impl.store->contact(peer.account_id));
  auto local_key = BULWARK_TRY(protocol::PublicKey::deserialize(self->identity_public));
  // The number for the key the server now publishes: that is the one to compare out of band
  // before accepting a change.
  auto remote_key = BULWARK_TRY(protocol::PublicKey::deserialize(peer.identity_key));
  auto fingerprint = BULWARK_TRY(protocol::compute_fingerprint(
      protocol::scannable_fingerprint_version, protocol::fingerprint_iterations,
      protocol::FingerprintParty{self->account_id, local_key},
      protocol::FingerprintParty{peer.account_id, remote_key}));
  SafetyNumber out;
  out.digits = fingerprint.displayable;
  out.scannable = fingerprint.scannable;
  // The checkpoint the peer's keys are proved against: comparing it out of band as well shows
  // that both sides see the same log, not just the same key.
  const std::string name = display_name(peer.phone, peer.username, peer.account_text);
  const auto keys = BULWARK_TRY(
      verify_contact_keys(impl, peer.account_id, name, peer.identity_key, peer.devices));
  out.checkpoint = keys.checkpoint;
  out.kt_version = keys.version;
  if (contact) {
    bool same = contact->identity_key && *contact->identity_key == peer.identity_key;
    out.verified = same && contact->trust == TrustLevel::verified;
    if (contact->identity_key && !same)
      out.pending_key_change = "the key changed since you last trusted it: compare before `bulwark trust`";
  }
  return out;
}

Result<void> Client::trust(std::string_view peer_text, bool verified) {
  Impl& impl = *impl_;
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl, peer_text));
  auto contact = BULWARK_TRY(impl.store->contact(peer.account_id));
  bool changed = contact && contact->identity_key && *contact->identity_key != peer.identity_key;
  return impl.store->transaction([&]() -> Result<void> {
    BULWARK_TRY(impl.store->trust_identity(peer.account_id, peer.identity_key,
                                           verified ? TrustLevel::verified : TrustLevel::trusted_unverified));
    // Sessions with the old key lead nowhere: the peer's new devices have new sessions.
    if (changed) BULWARK_TRY(impl.store->delete_sessions(peer.account_id));
    return {};
  });
}

}  // namespace bulwark::client
