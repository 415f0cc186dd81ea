// The channel requests of api.proto ("channels") this benchmark sends, serialised and ready
// for DeviceLink::send, and OwnedChannel: a channel key held by the benchmark, which signs the
// channel's entries exactly as a client does (channel/entry.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "channel/entry.h"
#include "common/bytes.h"
#include "common/rng.h"
#include "crypto/ed25519.h"

namespace bulwark::bench_channel {

class OwnedChannel {
 public:
  // A fresh Ed25519 channel key; the CREATE entry (seq 1) for `handle` is signed at once.
  // Aborts if the entry cannot be signed (a handle or title this benchmark chose is wrong).
  OwnedChannel(std::string handle, std::string title, Rng& rng);

  [[nodiscard]] const channel::ChannelId& id() const noexcept { return id_; }
  [[nodiscard]] const std::string& handle() const noexcept { return handle_; }
  [[nodiscard]] ByteView create_entry() const noexcept { return create_entry_; }

  [[nodiscard]] std::string create_frame(std::uint64_t request_id) const;
  // The signed, encoded POST entry of `seq`: what ChannelAppend carries and every push of it
  // must carry unchanged.
  [[nodiscard]] Bytes post_entry(std::uint64_t seq, std::string_view text) const;

 private:
  crypto::Ed25519KeyPair key_;
  std::string handle_;
  channel::ChannelId id_{};
  Bytes create_entry_;
};

[[nodiscard]] std::string append_frame(std::uint64_t request_id, ByteView entry);
[[nodiscard]] std::string subscribe_frame(std::uint64_t request_id, std::string_view handle);
[[nodiscard]] std::string info_frame(std::uint64_t request_id, std::string_view handle);
[[nodiscard]] std::string read_frame(std::uint64_t request_id, const channel::ChannelId& channel,
                                     std::uint64_t after, std::uint32_t limit);

// Exactly `bytes` ASCII characters naming `seq`, like a text post of that length.
[[nodiscard]] std::string post_text(std::uint64_t seq, std::size_t bytes);

[[nodiscard]] std::string_view text_of(ByteView bytes);

}  // namespace bulwark::bench_channel
