#include "channel/admin_set.h"

#include <algorithm>

namespace bulwark::channel {

Result<Authority> Authority::from_create(const Entry& create) {
  if (create.kind != EntryKind::create || create.seq != 1)
    return fail(Errc::invalid_argument, "a channel starts with its CREATE entry");
  if (create.channel != channel_id_for_key(create.profile.channel_key))
    return fail(Errc::auth_failed, "channel id does not match the channel key");
  if (ByteView(create.signer).size() != channel_key_bytes ||
      !std::equal(create.signer.begin(), create.signer.end(), create.profile.channel_key.begin(),
                  create.profile.channel_key.end()))
    return fail(Errc::auth_failed, "a channel is created by its own key");
  BULWARK_TRY(verify_signature(create));
  Authority authority;
  authority.channel_ = create.channel;
  authority.profile_ = create.profile;
  return authority;
}

Result<void> Authority::apply_admin_entry(const Entry& entry, bool signature_verified) {
  if (entry.kind != EntryKind::admin_add && entry.kind != EntryKind::admin_remove)
    return fail(Errc::invalid_argument, "not an admin entry");
  if (entry.channel != channel_ || entry.seq <= 1)
    return fail(Errc::auth_failed, "admin entry of another channel");
  if (entry.seq <= last_admin_seq_)
    return fail(Errc::invalid_argument, "admin entries are applied in seq order");
  if (entry.signer != profile_.channel_key)
    return fail(Errc::auth_failed, "only the channel key names admins");
  if (!signature_verified) BULWARK_TRY(verify_signature(entry));
  std::vector<Span>& spans = admins_[entry.admin_key];
  const bool active = !spans.empty() && spans.back().until == 0;
  if (entry.kind == EntryKind::admin_add) {
    if (!active) spans.push_back({entry.seq, 0});
  } else if (active) {
    spans.back().until = entry.seq;
  }
  if (spans.empty()) admins_.erase(entry.admin_key);
  last_admin_seq_ = entry.seq;
  return {};
}

bool Authority::is_admin_at(ByteView key, std::uint64_t seq) const {
  auto found = admins_.find(to_bytes(key));
  if (found == admins_.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(), [seq](const Span& span) {
    return span.from < seq && (span.until == 0 || seq < span.until);
  });
}

std::vector<Bytes> Authority::current_admins() const {
  std::vector<Bytes> out;
  for (const auto& [key, spans] : admins_)
    if (!spans.empty() && spans.back().until == 0) out.push_back(key);
  return out;
}

Result<void> Authority::verify(const Entry& entry) const {
  BULWARK_TRY(may_sign(entry));
  return verify_signature(entry);
}

Result<void> Authority::may_sign(const Entry& entry) const {
  if (entry.channel != channel_) return fail(Errc::auth_failed, "entry of another channel");
  if (entry.seq <= 1 || entry.kind == EntryKind::create)
    return fail(Errc::auth_failed, "a channel is created only once");
  const bool by_channel_key = entry.signer == profile_.channel_key;
  if (!by_channel_key) {
    const bool admin_may_sign = entry.kind == EntryKind::post || entry.kind == EntryKind::edit ||
                                entry.kind == EntryKind::remove;
    if (!admin_may_sign) return fail(Errc::auth_failed, "only the channel key names admins");
    if (!is_admin_at(entry.signer, entry.seq))
      return fail(Errc::auth_failed, "signed by a key that is not an admin of the channel");
  }
  return {};
}

}  // namespace bulwark::channel
