// Public-content moderation for users (docs/MODERATION.md): reporting a channel post or a
// channel, the notices of moderation decisions affecting this account (each moderator action
// verified here against the moderator's signature), and appealing one. Obtained from
// Client::moderation(); valid while the Client is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/client.h"

namespace bulwark::client {

struct ReportReceipt {
  std::uint64_t case_id = 0;
  bool counted = false;  // false: this account had already reported this case
};

struct ModerationNoticeView {
  std::uint64_t case_id = 0;
  std::string action;     // remove-post, restrict-channel, suspend-account, dismiss, reinstate, hide
  std::string reason;
  std::string moderator;  // empty for a policy rule's hide
  std::int64_t time_ms = 0;
  std::string category;
  std::string state;
  std::string channel_handle;  // when the channel is known here or to the server
  std::uint64_t seq = 0;
  bool appealable = false;
  // The moderator's signature over the action verifies and the signed record says what the
  // notice says. A rule's hide carries no signature (signed = false, problem empty).
  bool signed_ok = false;
  std::string problem;
};

class Moderation {
 public:
  explicit Moderation(Client::Impl& impl) noexcept : impl_(impl) {}
  // Reports post `seq` of @handle, or the channel itself when seq is 0. `category`: violence,
  // drugs, csam, hate, terrorism, spam or other; `comment` at most 1,000 bytes.
  [[nodiscard]] Result<ReportReceipt> report(std::string_view handle, std::uint64_t seq,
                                             std::string_view category, std::string_view comment);
  [[nodiscard]] Result<std::vector<ModerationNoticeView>> notices();
  // `text`: 1-2,000 bytes.
  [[nodiscard]] Result<void> appeal(std::uint64_t case_id, std::string_view text);

 private:
  Client::Impl& impl_;
};

}  // namespace bulwark::client
