// Authority: who may sign a channel's entries, at each point of its log.
//
// Built from the channel's CREATE entry (the channel key) and its ADMIN_ADD / ADMIN_REMOVE
// entries (signed by the channel key), replayed in seq order. An admin key signs posts, edits
// and removals with a seq after its ADMIN_ADD and before any later ADMIN_REMOVE: a removed
// admin's earlier posts stay valid, its later ones do not. The server uses this to refuse
// entries; every client uses it to verify what it shows.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "channel/entry.h"

namespace bulwark::channel {

class Authority {
 public:
  // Checks `create`: kind CREATE, seq 1, signed by the key it names, under the id derived
  // from that key.
  [[nodiscard]] static Result<Authority> from_create(const Entry& create);

  // Applies an admin entry: signed by the channel key, for this channel, after every entry
  // applied so far. Errc::auth_failed or Errc::invalid_argument otherwise (nothing changes).
  // `signature_verified`: the caller already checked this very entry's signature (the server,
  // replaying entries it verified before storing them); clients never pass it.
  [[nodiscard]] Result<void> apply_admin_entry(const Entry& entry,
                                               bool signature_verified = false);

  // Errc::auth_failed unless `entry` belongs to this channel (seq > 1) and is signed by the
  // channel key, or - for POST, EDIT and REMOVE - by an admin delegated at its seq.
  [[nodiscard]] Result<void> verify(const Entry& entry) const;
  // verify() without the signature check: whether `entry.signer` may sign it.
  [[nodiscard]] Result<void> may_sign(const Entry& entry) const;

  [[nodiscard]] const Profile& profile() const noexcept { return profile_; }
  [[nodiscard]] const ChannelId& channel() const noexcept { return channel_; }
  [[nodiscard]] ByteView channel_key() const noexcept { return profile_.channel_key; }
  // Admin keys delegated after every applied entry (current admins), in key order.
  [[nodiscard]] std::vector<Bytes> current_admins() const;
  [[nodiscard]] bool is_admin_at(ByteView key, std::uint64_t seq) const;
  // The seq of the last admin entry applied (0: none).
  [[nodiscard]] std::uint64_t last_admin_seq() const noexcept { return last_admin_seq_; }

 private:
  Authority() = default;
  // One delegation: valid for entries with from < seq < until (until 0: still valid).
  struct Span {
    std::uint64_t from = 0;
    std::uint64_t until = 0;
  };
  ChannelId channel_{};
  Profile profile_;
  std::map<Bytes, std::vector<Span>> admins_;
  std::uint64_t last_admin_seq_ = 0;
};

}  // namespace bulwark::channel
