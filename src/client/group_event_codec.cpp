#include "client/group_event_codec.h"

#include <nlohmann/json.hpp>

namespace bulwark::client {
namespace {

using nlohmann::json;

json member_json(const GroupMember& member) {
  json out{{"leaf", member.leaf},
           {"account", member.account},
           {"device", member.device_id},
           {"you", member.you}};
  if (member.phone) out["phone"] = *member.phone;
  if (member.username) out["username"] = *member.username;
  return out;
}

GroupMember member_of(const json& in) {
  GroupMember member;
  member.leaf = in.at("leaf").get<std::uint32_t>();
  member.account = in.at("account").get<std::string>();
  member.device_id = in.at("device").get<std::uint32_t>();
  member.you = in.at("you").get<bool>();
  if (in.contains("phone")) member.phone = in.at("phone").get<std::string>();
  if (in.contains("username")) member.username = in.at("username").get<std::string>();
  return member;
}

constexpr const char* kind_names[] = {"message", "roster", "joined", "removed", "fork", "problem"};

}  // namespace

std::string encode_group_event(const GroupEvent& event) {
  json out{{"kind", kind_names[static_cast<int>(event.kind)]},
           {"group_id", event.group_id},
           {"group_name", event.group_name},
           {"epoch", event.epoch},
           {"text", event.text},
           {"detail", event.detail},
           {"envelope_id", event.envelope_id},
           {"sent_at_ms", event.sent_at_ms}};
  if (event.from) out["from"] = member_json(*event.from);
  json changes = json::array();
  for (const RosterChange& change : event.changes) {
    changes.push_back(json{{"kind", static_cast<int>(change.kind)},
                           {"subject", member_json(change.subject)},
                           {"by", member_json(change.by)}});
  }
  out["changes"] = std::move(changes);
  return out.dump();
}

Result<GroupEvent> decode_group_event(std::string_view text) {
  const json in = json::parse(text, nullptr, false);
  if (in.is_discarded() || !in.is_object())
    return fail(Errc::invalid_encoding, "not a group event");
  try {
    GroupEvent event;
    const std::string kind = in.at("kind").get<std::string>();
    bool known = false;
    for (int i = 0; i < static_cast<int>(std::size(kind_names)); ++i) {
      if (kind == kind_names[i]) {
        event.kind = static_cast<GroupEvent::Kind>(i);
        known = true;
      }
    }
    if (!known) return fail(Errc::invalid_encoding, "unknown group event kind");
    event.group_id = in.at("group_id").get<std::string>();
    event.group_name = in.at("group_name").get<std::string>();
    event.epoch = in.at("epoch").get<std::uint64_t>();
    event.text = in.at("text").get<std::string>();
    event.detail = in.at("detail").get<std::string>();
    event.envelope_id = in.at("envelope_id").get<std::string>();
    event.sent_at_ms = in.at("sent_at_ms").get<std::int64_t>();
    if (in.contains("from")) event.from = member_of(in.at("from"));
    for (const json& change : in.at("changes")) {
      const int change_kind = change.at("kind").get<int>();
      if (change_kind < 0 || change_kind > 2)
        return fail(Errc::invalid_encoding, "bad change kind");
      event.changes.push_back(RosterChange{static_cast<RosterChange::Kind>(change_kind),
                                           member_of(change.at("subject")),
                                           member_of(change.at("by"))});
    }
    return event;
  } catch (const json::exception&) {
    return fail(Errc::invalid_encoding, "malformed group event");
  }
}

}  // namespace bulwark::client
