// Who is in a group: every leaf that enters this device's view is checked against its
// account's key-transparency record (client/group_credential.h), and members are shown with
// the names this device knows for them.
#include <thread>

#include "client/detail/group_ops.h"
#include "client/group_leaf_acceptor.h"
#include "client/transparency.h"
#include "client/uuid.h"

namespace bulwark::client::detail {
namespace {

// A device just added to its account reaches the log within a few entries: a leaf naming a
// device the record lacks is looked up again this many times, a pause apart, before it is
// refused.
constexpr int record_refreshes = 3;
constexpr auto refresh_pause = std::chrono::milliseconds(500);

// The account's record as the pinned KT log proves it; a contact whose key this device trusts
// must still have that key there.
Result<kt::AccountRecord> verified_record(Client::Impl& impl, ByteView account_id, bool refresh) {
  if (refresh) std::this_thread::sleep_for(refresh_pause);
  VerifiedKeys keys = BULWARK_TRY(verify_account(impl, account_id, std::chrono::seconds(10)));
  auto contact = BULWARK_TRY(impl.store->contact(account_id));
  if (contact && contact->identity_key &&
      !std::ranges::equal(*contact->identity_key, keys.record.identity_key)) {
    return fail(Errc::untrusted_identity,
                "the account's identity key is not the one trusted here: compare safety "
                "numbers and run `bulwark trust` first");
  }
  return std::move(keys.record);
}

}  // namespace

Result<MlsCredential> leaf_identity(const mls::Credential& credential) {
  if (credential.credential_type != mls::CredentialType::basic)
    return fail(Errc::invalid_encoding, "not a basic credential");
  return parse_mls_credential(credential.identity);
}

mls::GroupConfig group_config(Client::Impl& impl) {
  mls::GroupConfig config;
  config.accept_leaf =
      kt_leaf_acceptor([&impl](ByteView account_id,
                               bool refresh) { return verified_record(impl, account_id, refresh); },
                       record_refreshes);
  return config;
}

Result<GroupMember> member_view(Client::Impl& impl, const mls::Credential& credential,
                                mls::LeafIndex leaf, bool you) {
  const MlsCredential identity = BULWARK_TRY(leaf_identity(credential));
  GroupMember member;
  member.leaf = leaf.value();
  member.account = BULWARK_TRY(format_uuid(identity.account_id));
  member.device_id = identity.device_id;
  member.you = you;
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  if (std::ranges::equal(self->account_id, identity.account_id)) {
    member.phone = self->phone;
    member.username = self->username;
  } else if (auto contact = BULWARK_TRY(impl.store->contact(identity.account_id)); contact) {
    member.phone = contact->phone;
    member.username = contact->username;
  }
  return member;
}

Result<GroupMember> member_view(Client::Impl& impl, const mls::Group& group, mls::LeafIndex leaf) {
  auto info = group.member(leaf);
  if (!info) return fail(Errc::not_found, "leaf " + leaf.to_string() + " is not a member");
  return member_view(impl, info->credential, leaf, leaf == group.own_leaf());
}

Result<std::vector<RosterChange>> roster_changes(Client::Impl& impl, const mls::Group& before,
                                                 const std::vector<mls::RosterChange>& changes) {
  std::vector<RosterChange> out;
  for (const mls::RosterChange& change : changes) {
    RosterChange shown;
    shown.kind = change.kind == mls::RosterChangeKind::added     ? RosterChange::Kind::added
                 : change.kind == mls::RosterChangeKind::removed ? RosterChange::Kind::removed
                                                                 : RosterChange::Kind::updated;
    const bool subject_is_me =
        change.kind != mls::RosterChangeKind::added && change.leaf == before.own_leaf();
    shown.subject = BULWARK_TRY(member_view(impl, change.credential, change.leaf, subject_is_me));
    shown.by = BULWARK_TRY(member_view(impl, before, change.proposer));
    out.push_back(std::move(shown));
  }
  return out;
}

Result<std::vector<api::DeviceAddress>> other_member_devices(const mls::Group& group) {
  std::vector<api::DeviceAddress> out;
  for (const mls::MemberInfo& member : group.members()) {
    if (member.leaf == group.own_leaf()) continue;
    const MlsCredential identity = BULWARK_TRY(leaf_identity(member.credential));
    api::DeviceAddress address;
    address.set_account_id(text_of(identity.account_id));
    address.set_device_id(identity.device_id);
    out.push_back(std::move(address));
  }
  return out;
}

}  // namespace bulwark::client::detail
