#include "server/handlers/channel_common.h"

#include <algorithm>

#include "channel/view_sketch.h"
#include "crypto/compare.h"
#include "crypto/hash.h"

namespace bulwark::server {

store::ChannelId store_channel_id(const channel::ChannelId& id) {
  store::ChannelId out;
  std::copy(id.begin(), id.end(), out.bytes.begin());
  return out;
}

Result<store::ChannelId> channel_id_from(const std::string& bytes) {
  store::ChannelId out;
  if (bytes.size() != out.bytes.size())
    return fail(Errc::invalid_argument, "a channel id is 16 bytes");
  std::copy_n(reinterpret_cast<const std::byte*>(bytes.data()), out.bytes.size(),
              out.bytes.begin());
  return out;
}

Result<channel::Authority> stored_authority(store::Store& store, const store::Channel& channel) {
  auto stored = [](const Error& error) {
    return fail(Errc::internal, "stored channel entry unreadable: " + error.context);
  };
  auto create = channel::decode_entry(channel.create_entry);
  if (!create) return stored(create.error());
  auto authority = channel::Authority::from_create(*create);
  if (!authority) return stored(authority.error());
  for (const store::ChannelEntry& row : BULWARK_TRY(store.channel_admin_entries(channel.id))) {
    auto admin = channel::decode_entry(row.entry);
    if (!admin) return stored(admin.error());
    if (auto applied = authority->apply_admin_entry(*admin, /*signature_verified=*/true); !applied)
      return stored(applied.error());
  }
  return authority;
}

Result<bool> may_see(store::Store& store, const store::Channel& channel,
                     const store::AccountId& account, const std::string& invite) {
  if (!channel.is_private || channel.owner == account) return true;
  if (!invite.empty()) {
    const crypto::Sha256Digest hash = crypto::sha256(as_bytes(invite));
    if (crypto::constant_time_equal(hash, channel.invite_hash)) return true;
  }
  return store.is_subscribed(account, channel.id);
}

void entry_to_api(const store::ChannelEntry& entry, api::ChannelEntry& out) {
  out.set_seq(entry.seq);
  out.set_entry(entry.entry.data(), entry.entry.size());
  out.set_deleted_by(entry.deleted_by);
  out.set_server_time_ms(static_cast<std::uint64_t>(std::max<std::int64_t>(entry.server_time_ms, 0)));
  if (!entry.views.empty()) {
    if (auto sketch = channel::ViewSketch::from_bytes(entry.views)) out.set_views(sketch->estimate());
  }
}

}  // namespace bulwark::server
