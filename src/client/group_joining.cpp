// Joining a group from a Welcome (RFC 9420 §12.4.3.1): the tree comes from the Welcome's
// ratchet_tree extension, every leaf in it passes the KT credential check, and the KeyPackage
// it used is deleted (unless it is the last-resort one).
#include <algorithm>

#include "client/detail/group_receive_parts.h"
#include "protocol/mls/messages/mls_message.h"

namespace bulwark::client::detail {
namespace {

// The stored KeyPackage the Welcome was made for.
std::optional<Bytes> used_key_package(ByteView welcome,
                                      const std::vector<mls::KeyPackageBundle>& bundles) {
  auto decoded = mls::deserialize_mls_message(welcome);
  if (!decoded) return std::nullopt;
  const auto* body = std::get_if<mls::Welcome>(&decoded->body);
  if (body == nullptr) return std::nullopt;
  for (const mls::EncryptedGroupSecrets& secrets : body->secrets) {
    for (const mls::KeyPackageBundle& bundle : bundles)
      if (bundle.ref == secrets.new_member) return bundle.ref;
  }
  return std::nullopt;
}

// The member that sent the Welcome, as the envelope names it, if it is in the tree.
std::optional<mls::LeafIndex> sender_leaf(const mls::Group& group, const api::Envelope& envelope) {
  for (const mls::MemberInfo& member : group.members()) {
    auto identity = leaf_identity(member.credential);
    if (identity && std::ranges::equal(identity->account_id, as_bytes(envelope.source_account())) &&
        identity->device_id == envelope.source_device())
      return member.leaf;
  }
  return std::nullopt;
}

}  // namespace

Result<Received> receive_welcome(Client::Impl& impl, const std::optional<StoredGroup>& existing,
                                 const api::Envelope& envelope, GroupEvent event) {
  Received out;
  if (existing && !existing->closed) return out;  // a copy of a Welcome already used
  const ByteView welcome = as_bytes(envelope.content());
  const std::vector<mls::KeyPackageBundle> bundles = BULWARK_TRY(stored_key_package_bundles(impl));
  const GroupIdentity identity = BULWARK_TRY(group_identity(impl));
  auto joined =
      mls::Group::join(welcome, std::nullopt, bundles, identity.signer, {}, group_config(impl));
  if (!joined) {
    const Error& error = joined.error();
    if (error.code == Errc::storage || error.code == Errc::network ||
        error.code == Errc::unavailable)
      return tl::unexpected(error);
    event.kind = GroupEvent::Kind::problem;
    event.detail = "invitation refused: " + error.describe();
    out.events.push_back(std::move(event));
    return out;
  }
  if (!std::ranges::equal(joined->group_id(), as_bytes(envelope.group_id()))) {
    event.kind = GroupEvent::Kind::problem;
    event.detail = "invitation refused: it is for another group than its envelope says";
    out.events.push_back(std::move(event));
    return out;
  }
  StoredGroup row;
  row.group_id = to_bytes(joined->group_id());
  row.name = group_name_of(*joined);
  row.state = BULWARK_TRY(joined->serialize());
  row.epoch = joined->epoch();
  event.kind = GroupEvent::Kind::joined;
  event.group_name = row.name;
  event.epoch = row.epoch;
  const GroupMember me = BULWARK_TRY(member_view(impl, *joined, joined->own_leaf()));
  if (auto from = sender_leaf(*joined, envelope)) {
    event.from = BULWARK_TRY(member_view(impl, *joined, *from));
    event.changes.push_back(RosterChange{RosterChange::Kind::added, me, *event.from});
  }
  out.row = std::move(row);
  out.used_key_package = used_key_package(welcome, bundles);
  out.events.push_back(std::move(event));
  return out;
}

}  // namespace bulwark::client::detail
