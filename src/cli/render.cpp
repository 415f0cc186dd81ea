#include "cli/render.h"

#include "cli/channel_render.h"
#include "cli/group_render.h"

namespace bulwark::cli {

nlohmann::json event_json(const client::ReceiveEvent& event) {
  using Kind = client::ReceiveEvent::Kind;
  switch (event.kind) {
    case Kind::message: {
      const client::ReceivedMessage& m = *event.message;
      nlohmann::json out{{"type", "message"},       {"id", m.envelope_id},
                         {"from", m.from()},        {"from_account", m.sender_account},
                         {"from_device", m.sender_device}, {"body", m.body},
                         {"sent_at", m.sent_at_ms}, {"received_at", m.received_at_ms}};
      if (m.sender_phone) out["from_phone"] = *m.sender_phone;
      if (m.sender_username) out["from_username"] = *m.sender_username;
      return out;
    }
    case Kind::untrusted_identity:
      return {{"type", "untrusted_identity"}, {"from_account", event.sender_account},
              {"message", "a message arrived under a new identity key; it stays on the server until you run `bulwark trust`"}};
    case Kind::undecryptable:
      return {{"type", "undecryptable"}, {"from_account", event.sender_account}, {"detail", event.detail}};
    case Kind::queue_empty: return {{"type", "queue_empty"}};
    case Kind::channel_entry: return channel_item_json(*event.channel_entry);
    case Kind::group_event: return group_event_json(*event.group_event);
  }
  return {};
}

std::string event_text(const client::ReceiveEvent& event) {
  using Kind = client::ReceiveEvent::Kind;
  switch (event.kind) {
    case Kind::message: return event.message->from() + ": " + event.message->body;
    case Kind::untrusted_identity:
      return "! " + event.sender_account +
             " now uses a different identity key: compare safety numbers, then `bulwark trust` (the message waits on the server)";
    case Kind::undecryptable: return "! a message from " + event.sender_account + " could not be decrypted: " + event.detail;
    case Kind::queue_empty: return "";
    case Kind::channel_entry:
      return "@" + event.channel_entry->handle + " " + channel_item_text(*event.channel_entry);
    case Kind::group_event: return group_event_text(*event.group_event);
  }
  return "";
}

nlohmann::json moderation_notice_json(const client::ModerationNoticeView& notice) {
  return {{"type", "moderation_notice"}, {"case", notice.case_id}, {"action", notice.action},
          {"reason", notice.reason}, {"moderator", notice.moderator}, {"time", notice.time_ms},
          {"category", notice.category}, {"state", notice.state},
          {"channel", notice.channel_handle}, {"seq", notice.seq},
          {"appealable", notice.appealable}, {"signed", notice.signed_ok},
          {"problem", notice.problem}};
}

nlohmann::json lawful_notice_json(const client::LawfulNoticeView& notice) {
  return {{"type", "lawful_notice"}, {"order", notice.order_id}, {"authority", notice.authority},
          {"jurisdiction", notice.jurisdiction}, {"legal_basis", notice.legal_basis},
          {"categories", notice.categories}, {"disclosed_at", notice.disclosed_at_ms},
          {"log_index", notice.log_index}, {"verified", notice.verified},
          {"proved", notice.proved}, {"cosigned_by", notice.cosigned_by},
          {"problem", notice.problem}};
}

nlohmann::json account_json(const client::AccountInfo& info) {
  nlohmann::json out{{"type", "account"},   {"account_id", info.account_id}, {"device_id", info.device_id},
                     {"phone", info.phone}, {"discoverable", info.discoverable},
                     {"devices", info.devices}, {"server", info.server_url}};
  out["username"] = info.username ? nlohmann::json(*info.username) : nlohmann::json(nullptr);
  return out;
}

}  // namespace bulwark::cli
