// Groups (client/groups.h): create, add, remove, send, members, leave and list, over the
// shared pieces in detail/group_ops.h.
#include "client/groups.h"

#include <set>

#include "client/content.h"
#include "client/detail/group_ops.h"
#include "client/display_name.h"
#include "client/group_event_codec.h"
#include "client/transparency.h"
#include "client/uuid.h"
#include "crypto/hash.h"
#include "protocol/mls/key_package.h"

namespace bulwark::client {
namespace {

namespace mls = protocol::mls;
using detail::CommitPlan;
using detail::LoadedGroup;

std::string name_of(const ResolvedPeer& peer) {
  return display_name(peer.phone, peer.username, peer.account_text);
}

// The leaves of `account` in the group, and their device ids.
std::vector<std::pair<mls::LeafIndex, std::uint32_t>> leaves_of(const mls::Group& group,
                                                                ByteView account) {
  std::vector<std::pair<mls::LeafIndex, std::uint32_t>> out;
  for (const mls::MemberInfo& member : group.members()) {
    auto identity = detail::leaf_identity(member.credential);
    if (identity && std::ranges::equal(identity->account_id, account))
      out.emplace_back(member.leaf, identity->device_id);
  }
  return out;
}

Result<void> check_name(std::string_view name) {
  if (name.empty() || name.size() > detail::max_group_name_bytes || !is_valid_utf8(name))
    return fail(Errc::invalid_argument, "a group name is 1-64 bytes of UTF-8 text");
  for (const char c : name)
    if (static_cast<unsigned char>(c) < 0x20)
      return fail(Errc::invalid_argument, "a group name has no control characters");
  return {};
}

// The peer's KeyPackages for its devices not yet in the group, each checked: a valid package
// of our suite whose credential names that device of that account and verifies under the
// account's KT-verified record.
Result<CommitPlan> key_packages_for(Client::Impl& impl, const ResolvedPeer& peer,
                                    const kt::AccountRecord& record, const mls::Group& group) {
  std::set<std::uint32_t> present;
  for (const auto& [leaf, device] : leaves_of(group, peer.account_id)) present.insert(device);
  // One-time KeyPackages are consumed when taken: take them only for the devices to add (all
  // of the account's at once when none is in the group yet).
  std::vector<std::uint32_t> wanted;
  for (const std::uint32_t device : peer.devices)
    if (!present.contains(device)) wanted.push_back(device);
  if (!present.empty() && wanted.empty())
    return fail(Errc::conflict, name_of(peer) + " is already a member");
  if (present.empty()) wanted = {0};  // 0: every device of the account
  api::KeyPackages taken;
  for (const std::uint32_t device : wanted) {
    api::Request request;
    request.mutable_take_key_packages()->set_account_id(text_of(peer.account_id));
    request.mutable_take_key_packages()->set_device_id(device);
    auto response = BULWARK_TRY(impl.call(std::move(request)));
    taken.MergeFrom(response.key_packages());
  }
  for (const std::uint32_t missing : taken.missing_devices()) {
    if (!present.contains(missing))
      return fail(Errc::not_found, "device " + std::to_string(missing) + " of " + name_of(peer) +
                                       " has no KeyPackage on the server");
  }
  CommitPlan plan;
  for (const api::DeviceKeyPackage& offered : taken.key_packages()) {
    if (present.contains(offered.device_id())) continue;
    const std::string which =
        "device " + std::to_string(offered.device_id()) + " of " + name_of(peer);
    auto key_package = mls::deserialize_key_package(as_bytes(offered.key_package()));
    if (!key_package) return fail(Errc::invalid_message, which + ": malformed KeyPackage");
    auto valid = mls::validate_key_package(detail::group_suite(), *key_package,
                                           static_cast<std::uint64_t>(impl.now_ms() / 1000));
    if (!valid) return fail(Errc::invalid_message, which + ": " + valid.error().context);
    auto credential = detail::leaf_identity(key_package->leaf_node.credential);
    if (!credential) return fail(Errc::untrusted_identity, which + ": not a Bulwark credential");
    if (credential->device_id != offered.device_id())
      return fail(Errc::untrusted_identity, which + ": its KeyPackage is for another device");
    auto checked = check_mls_credential(*credential, key_package->leaf_node.signature_key,
                                        peer.account_id, record);
    if (!checked) return fail(Errc::untrusted_identity, which + ": " + checked.error().context);
    api::DeviceAddress address;
    address.set_account_id(text_of(peer.account_id));
    address.set_device_id(offered.device_id());
    plan.add.push_back(std::move(*key_package));
    plan.add_devices.push_back(std::move(address));
  }
  if (plan.add.empty()) return fail(Errc::conflict, name_of(peer) + " is already a member");
  return plan;
}

}  // namespace

std::string GroupMember::display() const { return display_name(phone, username, account); }

Groups Client::groups() { return Groups(*impl_); }

Result<GroupSummary> Groups::create(std::string_view name) {
  BULWARK_TRY(check_name(name));
  BULWARK_TRY(impl_.require_account());
  detail::GroupIdentity identity = BULWARK_TRY(detail::group_identity(impl_));
  Bytes group_id(group_id_bytes);
  impl_.rng.fill(group_id);
  mls::Member me{std::move(identity.signer), identity.credential, detail::group_capabilities()};
  std::vector<mls::Extension> extensions{
      mls::Extension{detail::group_name_extension, to_bytes(as_bytes(name))}};
  mls::Group group =
      BULWARK_TRY(mls::Group::create(detail::group_suite(), group_id, me, impl_.rng,
                                     detail::group_config(impl_), std::move(extensions)));
  api::Request request;
  request.mutable_create_group()->set_group_id(text_of(group_id));
  const Bytes token_hash = BULWARK_TRY(detail::epoch_token_hash(group));
  request.mutable_create_group()->set_epoch_token_hash(text_of(token_hash));
  BULWARK_TRY(impl_.call(std::move(request)));
  StoredGroup row{group_id, std::string(name), std::nullopt, 0, false};
  BULWARK_TRY(detail::save_group_state(impl_, row, group));
  return detail::summary_of(row, group);
}

Result<GroupUpdate> Groups::add(std::string_view group_text, std::string_view peer_text) {
  const Bytes group_id = BULWARK_TRY(detail::find_group_id(impl_, group_text));
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl_, peer_text));
  VerifiedKeys keys = BULWARK_TRY(
      verify_contact_keys(impl_, peer.account_id, name_of(peer), peer.identity_key, peer.devices));
  BULWARK_TRY(refuse_changed_identity(impl_, peer));
  // KeyPackages are taken once: a retry after a lost race commits the same ones again.
  std::optional<CommitPlan> taken;
  return detail::commit_and_send(
      impl_, group_id, [&](const LoadedGroup& loaded) -> Result<CommitPlan> {
        if (!taken) taken = BULWARK_TRY(key_packages_for(impl_, peer, keys.record, loaded.group));
        CommitPlan plan;
        for (std::size_t i = 0; i < taken->add.size(); ++i) {
          const std::uint32_t device = taken->add_devices[i].device_id();
          bool present = false;
          for (const auto& [leaf, id] : leaves_of(loaded.group, peer.account_id))
            present = present || id == device;
          if (present) continue;
          plan.add.push_back(taken->add[i]);
          plan.add_devices.push_back(taken->add_devices[i]);
        }
        if (plan.add.empty()) return fail(Errc::conflict, name_of(peer) + " is already a member");
        return plan;
      });
}

Result<GroupUpdate> Groups::remove(std::string_view group_text, std::string_view peer_text) {
  const Bytes group_id = BULWARK_TRY(detail::find_group_id(impl_, group_text));
  ResolvedPeer peer = BULWARK_TRY(resolve_peer(impl_, peer_text));
  return detail::commit_and_send(
      impl_, group_id, [&](const LoadedGroup& loaded) -> Result<CommitPlan> {
        CommitPlan plan;
        for (const auto& [leaf, device] : leaves_of(loaded.group, peer.account_id)) {
          if (leaf == loaded.group.own_leaf())
            return fail(Errc::invalid_argument, "to remove this device, leave the group");
          plan.remove.push_back(leaf);
        }
        if (plan.remove.empty()) return fail(Errc::not_found, name_of(peer) + " is not a member");
        return plan;
      });
}

Result<GroupSendReceipt> Groups::send(std::string_view group_text, std::string_view text) {
  const LocalAccount* self = BULWARK_TRY(impl_.require_account());
  if (text.size() > max_body_bytes)
    return fail(Errc::invalid_argument, "message body is over 64 KiB");
  if (!is_valid_utf8(text)) return fail(Errc::invalid_argument, "message body is not UTF-8");
  const Bytes group_id = BULWARK_TRY(detail::find_group_id(impl_, group_text));
  Content content{
      std::string(text), impl_.now_ms(), self->phone, self->username.value_or(""), {}, {}, {}};
  Bytes plaintext = BULWARK_TRY(encode_content(content));
  auto receipt =
      detail::send_to_group(impl_, group_id, api::MLS_APPLICATION,
                            [&](const mls::Group& group) -> Result<mls::Group::Sent> {
                              return group.encrypt(plaintext, detail::fork_check(group), impl_.rng);
                            });
  secure_wipe(plaintext);
  return receipt;
}

Result<std::vector<GroupMember>> Groups::members(std::string_view group_text) {
  const Bytes group_id = BULWARK_TRY(detail::find_group_id(impl_, group_text));
  LoadedGroup loaded = BULWARK_TRY(detail::load_group(impl_, group_id));
  std::vector<GroupMember> out;
  for (const mls::MemberInfo& member : loaded.group.members()) {
    GroupMember shown = BULWARK_TRY(detail::member_view(impl_, loaded.group, member.leaf));
    out.push_back(std::move(shown));
  }
  return out;
}

Result<void> Groups::leave(std::string_view group_text) {
  const LocalAccount* self = BULWARK_TRY(impl_.require_account());
  const Bytes group_id = BULWARK_TRY(detail::find_group_id(impl_, group_text));
  const Bytes account = self->account_id;
  const auto sent = detail::send_to_group(
      impl_, group_id, api::MLS_PROPOSAL, [&](const mls::Group& group) -> Result<mls::Group::Sent> {
        mls::Group::Sent out{group, {}};
        const Bytes check = detail::fork_check(group);
        for (const auto& [leaf, device] : leaves_of(group, account)) {
          mls::Group::Sent one = BULWARK_TRY(out.group.propose_remove(
              leaf, impl_.rng, mls::WireFormat::mls_private_message, check));
          out.message.insert(out.message.end(), one.message.begin(), one.message.end());
          out.group = std::move(one.group);
        }
        return out;
      });
  if (!sent) return tl::unexpected(sent.error());
  GroupStore store(*impl_.store);
  return store.delete_group(group_id);
}

Result<std::vector<GroupSummary>> Groups::list() {
  BULWARK_TRY(impl_.require_account());
  GroupStore store(*impl_.store);
  std::vector<GroupSummary> out;
  for (const StoredGroup& row : BULWARK_TRY(store.groups())) {
    if (row.closed) {
      out.push_back(GroupSummary{to_hex(row.group_id), row.name, row.epoch, 0});
      continue;
    }
    LoadedGroup loaded = BULWARK_TRY(detail::load_group(impl_, row.group_id));
    out.push_back(detail::summary_of(loaded.row, loaded.group));
  }
  return out;
}

namespace detail {

Result<void> commit_pending_proposals(Client::Impl& impl, ByteView group_id) {
  auto update =
      commit_and_send(impl, group_id, [](const LoadedGroup& loaded) -> Result<CommitPlan> {
        if (loaded.group.pending_proposals() == 0)
          return fail(Errc::conflict, "nothing left to commit");
        return CommitPlan{};
      });
  if (!update) {
    if (update.error().code == Errc::conflict) return {};  // another member committed them
    return tl::unexpected(update.error());
  }
  LoadedGroup loaded = BULWARK_TRY(load_group(impl, group_id));
  GroupEvent event;
  event.kind = GroupEvent::Kind::roster;
  event.group_id = to_hex(group_id);
  event.group_name = loaded.row.name;
  event.epoch = loaded.group.epoch();
  event.from = BULWARK_TRY(member_view(impl, loaded.group, loaded.group.own_leaf()));
  event.changes = std::move(update->changes);
  event.sent_at_ms = impl.now_ms();
  GroupStore store(*impl.store);
  BULWARK_TRY(store.add_event(encode_group_event(event)));
  return {};
}

}  // namespace detail
}  // namespace bulwark::client
