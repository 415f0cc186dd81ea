// The local copy of a group: finding it by what the user typed, loading and saving its MLS
// state, and the per-epoch values derived from it (the delivery service's epoch token and the
// fork check).
#include <algorithm>
#include <cctype>

#include "client/detail/group_ops.h"
#include "crypto/hash.h"

namespace bulwark::client::detail {
namespace {

bool is_hex_prefix(std::string_view text) {
  return text.size() >= 8 && text.size() <= 64 && std::ranges::all_of(text, [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<SecretBytes> epoch_token(const mls::Group& group) {
  return group.export_secret(epoch_token_label, {}, 32);
}

Result<Bytes> epoch_token_hash(const mls::Group& group) {
  const SecretBytes token = BULWARK_TRY(epoch_token(group));
  const auto digest = crypto::sha256(token.view());
  return Bytes(digest.begin(), digest.end());
}

Bytes fork_check(const mls::Group& group) {
  const auto digest =
      crypto::sha256({as_bytes(fork_check_domain), group.epoch_authenticator().view()});
  return Bytes(digest.begin(), digest.begin() + fork_check_bytes);
}

Bytes commit_hash_of(ByteView commit) {
  const auto digest = crypto::sha256(commit);
  return Bytes(digest.begin(), digest.end());
}

std::string group_name_of(const mls::Group& group) {
  const mls::Extension* name =
      mls::find_extension(group.group_context().extensions, group_name_extension);
  if (name == nullptr || name->extension_data.size() > max_group_name_bytes) return "(unnamed)";
  return std::string(reinterpret_cast<const char*>(name->extension_data.data()),
                     name->extension_data.size());
}

Result<Bytes> find_group_id(Client::Impl& impl, std::string_view group) {
  GroupStore store(*impl.store);
  const std::vector<StoredGroup> groups = BULWARK_TRY(store.groups());
  std::vector<const StoredGroup*> by_name;
  std::vector<const StoredGroup*> by_id;
  const std::string prefix = lower(group);
  for (const StoredGroup& row : groups) {
    if (row.name == group) by_name.push_back(&row);
    if (is_hex_prefix(group) && to_hex(row.group_id).starts_with(prefix)) by_id.push_back(&row);
  }
  const std::vector<const StoredGroup*>& matches = by_name.size() == 1 ? by_name : by_id;
  if (matches.empty() && by_name.empty())
    return fail(Errc::not_found, "no group " + std::string(group) + " on this device");
  if (matches.size() != 1)
    return fail(Errc::conflict, "\"" + std::string(group) + "\" names several groups: use the id");
  if (matches.front()->closed)
    return fail(Errc::conflict, "this device is no longer in group " + std::string(group));
  return matches.front()->group_id;
}

Result<LoadedGroup> load_group(Client::Impl& impl, ByteView group_id) {
  GroupStore store(*impl.store);
  auto row = BULWARK_TRY(store.group(group_id));
  if (!row) return fail(Errc::not_found, "no such group on this device");
  if (row->closed || !row->state)
    return fail(Errc::conflict, "this device is no longer in the group");
  mls::Group group = BULWARK_TRY(mls::Group::deserialize(row->state->view(), group_config(impl)));
  if (!std::ranges::equal(group.group_id(), group_id))
    return fail(Errc::storage, "the stored group state is for another group");
  return LoadedGroup{std::move(*row), std::move(group)};
}

Result<void> save_group_state(Client::Impl& impl, StoredGroup& row, const mls::Group& group) {
  row.state = BULWARK_TRY(group.serialize());
  row.epoch = group.epoch();
  row.closed = false;
  GroupStore store(*impl.store);
  return store.save_group(row);
}

GroupSummary summary_of(const StoredGroup& row, const mls::Group& group) {
  return GroupSummary{to_hex(row.group_id), row.name, group.epoch(), group.members().size()};
}

}  // namespace bulwark::client::detail
