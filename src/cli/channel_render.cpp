#include "cli/channel_render.h"

#include <algorithm>
#include <iostream>

namespace bulwark::cli {
namespace {

std::string short_key(const Bytes& key) {
  return key.empty() ? "" : to_hex(ByteView(key).first(std::min<std::size_t>(key.size(), 8))) + "...";
}

std::string signer_text(const client::ChannelItem& item) {
  if (item.signed_by == "owner") return "owner";
  return "admin " + (item.signer_name ? *item.signer_name : short_key(item.signer_key));
}

}  // namespace

nlohmann::json channel_item_json(const client::ChannelItem& item) {
  nlohmann::json out{{"type", "channel_entry"}, {"channel", item.handle},  {"seq", item.seq},
                     {"kind", item.kind},        {"verified", item.verified}, {"time", item.time_ms},
                     {"server_time", item.server_time_ms}, {"views", item.views}};
  if (item.verified) {
    if (item.kind == "post" || item.kind == "edit" || item.kind == "create") out["text"] = item.text;
    out["signed_by"] = item.signed_by;
    out["signer_key"] = to_hex(item.signer_key);
    if (item.signer_name) out["signer_name"] = *item.signer_name;
  } else {
    out["problem"] = item.problem;
    if (!item.claimed_text.empty()) out["claimed_text"] = item.claimed_text;
  }
  if (item.target != 0) out["target"] = item.target;
  if (item.deleted_by != 0) out["deleted_by"] = item.deleted_by;
  if (item.moderation_case != 0) {
    out["moderation_case"] = item.moderation_case;
    out["moderation_reason"] = item.moderation_reason;
    // Who decided, checked against this device's pinned key; absent: a policy rule's hold.
    if (!item.moderated_by.empty()) out["moderated_by"] = item.moderated_by;
    if (item.moderated_post != 0 && item.moderated_post != item.seq)
      out["moderated_post"] = item.moderated_post;
  }
  if (!item.admin_key.empty()) out["admin_key"] = to_hex(item.admin_key);
  if (item.admin_name) out["admin_name"] = *item.admin_name;
  return out;
}

std::string channel_item_text(const client::ChannelItem& item) {
  const std::string head = "#" + std::to_string(item.seq) + " ";
  if (!item.verified)
    return head + "!! NOT VERIFIED (" + item.problem + "): content withheld";
  std::string text;
  if (item.kind == "post") {
    text = head + "[" + signer_text(item) + "] " + item.text;
  } else if (item.kind == "edit") {
    text = head + "edit of #" + std::to_string(item.target) + " [" + signer_text(item) + "] " + item.text;
  } else if (item.kind == "remove") {
    text = head + "removed #" + std::to_string(item.target) + " [" + signer_text(item) + "]";
  } else if (item.kind == "removed") {
    text = head + "(removed by #" + std::to_string(item.deleted_by) + ")";
  } else if (item.kind == "moderated") {
    const std::string by = item.moderated_by.empty()
                               ? "hidden by a policy rule, awaiting review"
                               : "removed by moderator " + item.moderated_by;
    const std::string of = item.moderated_post != 0 && item.moderated_post != item.seq
                               ? ", an edit of #" + std::to_string(item.moderated_post)
                               : "";
    text = head + "(" + by + of + " (case " + std::to_string(item.moderation_case) +
           "): " + item.moderation_reason + ")";
  } else if (item.kind == "create") {
    text = head + "channel created: " + item.text;
  } else if (item.kind == "admin_add" || item.kind == "admin_remove") {
    text = head + (item.kind == "admin_add" ? "admin added: " : "admin removed: ") +
           (item.admin_name ? *item.admin_name : short_key(item.admin_key));
  } else {
    text = head + item.kind;
  }
  if (item.kind == "post" && item.views > 0) text += "  (" + std::to_string(item.views) + " views)";
  return text;
}

nlohmann::json channel_admin_json(const client::ChannelAdmin& admin) {
  nlohmann::json out{{"identity_key", to_hex(admin.identity_key)}, {"you", admin.you}};
  out["name"] = admin.name ? nlohmann::json(*admin.name) : nlohmann::json(nullptr);
  return out;
}

std::string channel_admin_text(const client::ChannelAdmin& admin) {
  std::string text = admin.name ? *admin.name + " " : "";
  text += to_hex(admin.identity_key);
  if (admin.you) text += " (you)";
  return text;
}

nlohmann::json channel_details_json(const client::ChannelDetails& details) {
  nlohmann::json admins = nlohmann::json::array();
  for (const auto& admin : details.admins) admins.push_back(channel_admin_json(admin));
  nlohmann::json out{{"type", "channel"},          {"handle", details.handle},
                     {"channel_id", details.channel_id}, {"title", details.title},
                     {"description", details.description}, {"private", details.is_private},
                     {"last_seq", details.last_seq}, {"subscribers", details.subscribers},
                     {"subscribed", details.subscribed}, {"owner", details.owner},
                     {"admin", details.admin},       {"admins", admins},
                     {"cursor", details.cursor}};
  if (details.invite_link) out["invite_link"] = *details.invite_link;
  return out;
}

std::string channel_details_text(const client::ChannelDetails& details) {
  std::string text = "@" + details.handle + (details.is_private ? " (private)" : "") + ": " +
                     details.title + "\n";
  if (!details.description.empty()) text += "  " + details.description + "\n";
  text += "  " + std::to_string(details.last_seq) + " entries, " +
          std::to_string(details.subscribers) + " subscribers" +
          (details.subscribed ? ", you subscribe" : "") + "\n";
  text += "  id " + details.channel_id;
  if (details.owner) text += "\n  you own it (this device holds its channel key)";
  if (details.admin) text += "\n  you are an admin";
  for (const auto& admin : details.admins) text += "\n  admin: " + channel_admin_text(admin);
  if (details.invite_link) text += "\n  invite link: " + *details.invite_link;
  return text;
}

int report_channel_problems(const Output& out, const std::string& handle,
                            const std::vector<std::string>& problems) {
  std::cerr << "bulwark: WARNING: not everything @" << handle
            << " shows verified: entries flagged NOT VERIFIED were not signed by the channel or "
               "its admins, or the server hid something\n";
  for (const std::string& problem : problems) {
    std::cerr << "bulwark:   " << problem << "\n";
    if (out.json()) out.emit({{"type", "channel_problem"}, {"channel", handle}, {"message", problem}}, "");
  }
  return exit_untrusted;
}

int channel_error(const Output& out, const Error& error) {
  if (error.code == Errc::untrusted_identity) {
    std::cerr << "\n!!! ======================== CHANNEL ALERT ======================== !!!\n"
              << "!!! " << error.context << "\n"
              << "!!! ================================================================ !!!\n";
    if (out.json()) out.emit({{"type", "channel_alert"}, {"message", error.context}}, "");
  }
  return out.error(error);
}

}  // namespace bulwark::cli
