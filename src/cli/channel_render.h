// JSON and text forms of channels (client/channels.h), shared by the channel commands, receive
// and the daemon. An entry that did not verify is flagged in both: JSON "verified": false with
// "problem" (its claimed text only as "claimed_text", never "text"); text "!! NOT VERIFIED"
// with its content withheld.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/output.h"
#include "client/channel_types.h"

namespace bulwark::cli {

[[nodiscard]] nlohmann::json channel_item_json(const client::ChannelItem& item);
[[nodiscard]] std::string channel_item_text(const client::ChannelItem& item);
[[nodiscard]] nlohmann::json channel_details_json(const client::ChannelDetails& details);
[[nodiscard]] std::string channel_details_text(const client::ChannelDetails& details);
[[nodiscard]] nlohmann::json channel_admin_json(const client::ChannelAdmin& admin);
[[nodiscard]] std::string channel_admin_text(const client::ChannelAdmin& admin);

// Warns on stderr that something did not verify (a {"type":"channel_problem"} line in json
// mode too) and returns exit_untrusted, so that scripts notice.
[[nodiscard]] int report_channel_problems(const Output& out, const std::string& handle,
                                          const std::vector<std::string>& problems);
// A channel command's error: a changed channel key (Errc::untrusted_identity) is announced
// loudly (a banner on stderr, a {"type":"channel_alert"} line in json mode) before the usual
// error line.
[[nodiscard]] int channel_error(const Output& out, const Error& error);

}  // namespace bulwark::cli
