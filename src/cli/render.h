// JSON and text forms of what the client reports, shared by receive, chat and the daemon.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "client/client.h"
#include "client/lawful_notices.h"
#include "client/moderation.h"

namespace bulwark::cli {

[[nodiscard]] nlohmann::json event_json(const client::ReceiveEvent& event);
[[nodiscard]] std::string event_text(const client::ReceiveEvent& event);
[[nodiscard]] nlohmann::json account_json(const client::AccountInfo& info);
// One moderation decision affecting this account ("type": "moderation_notice").
[[nodiscard]] nlohmann::json moderation_notice_json(const client::ModerationNoticeView& notice);
// One disclosure of this account's data under a lawful order ("type": "lawful_notice").
[[nodiscard]] nlohmann::json lawful_notice_json(const client::LawfulNoticeView& notice);

}  // namespace bulwark::cli
