// `bulwark whoami`, `bulwark set-username NAME`, `bulwark contacts`.
#include "cli/commands.h"
#include "cli/render.h"
#include "client/uuid.h"

namespace bulwark::cli {
namespace {

int run_whoami(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto info = (*session)->client->whoami();
  if (!info) return out.error(info.error());
  std::string text = info->phone + (info->username ? " (@" + *info->username + ")" : "") + "\naccount " +
                     info->account_id + ", device " + std::to_string(info->device_id) + " of " +
                     std::to_string(info->devices.size()) + "\nserver " + info->server_url +
                     (info->discoverable ? "\ndiscoverable by phone" : "\nnot discoverable by phone");
  out.emit(account_json(*info), text);
  return exit_ok;
}

int run_set_username(const std::string& name, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto set = (*session)->client->set_username(name);
  if (!set) return out.error(set.error());
  out.emit({{"type", "username"}, {"username", name}}, name.empty() ? "Username removed." : "Username set.");
  return exit_ok;
}

int run_set_discoverable(bool on, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto set = (*session)->client->set_discoverable(on);
  if (!set) return out.error(set.error());
  out.emit({{"type", "discoverable"}, {"discoverable", on}},
           on ? "Others can now find you by phone number." : "Others can no longer find you by phone number.");
  return exit_ok;
}

std::string trust_name(client::TrustLevel level) {
  switch (level) {
    case client::TrustLevel::untrusted: return "untrusted";
    case client::TrustLevel::trusted_unverified: return "trusted";
    case client::TrustLevel::verified: return "verified";
  }
  return "unknown";
}

int run_contacts(const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  auto contacts = (*session)->client->contacts();
  if (!contacts) return out.error(contacts.error());
  for (const client::Contact& contact : *contacts) {
    std::string id = client::format_uuid(contact.account_id).value_or("?");
    std::string trust = contact.pending_identity_key ? "key changed" : trust_name(contact.trust);
    nlohmann::json json{{"type", "contact"}, {"account_id", id}, {"trust", trust}};
    json["phone"] = contact.phone ? nlohmann::json(*contact.phone) : nlohmann::json(nullptr);
    json["username"] = contact.username ? nlohmann::json(*contact.username) : nlohmann::json(nullptr);
    std::string name = contact.phone ? *contact.phone : contact.username ? "@" + *contact.username : id;
    out.emit(json, name + "  [" + trust + "]");
  }
  return exit_ok;
}

int run_add_device(const std::string& new_data_dir, const GlobalOptions& options, const Output& out) {
  auto session = open_account(options);
  if (!session) return out.error(session.error());
  GlobalOptions target = options;
  target.data_dir = new_data_dir;
  target.key_file.reset();
  std::string phone = (*session)->account_dir.filename().string();
  auto dir = prepare_account_dir(target, phone);
  if (!dir) return out.error(dir.error());
  std::error_code error;
  std::filesystem::copy_file((*session)->account_dir / "settings.json", *dir / "settings.json",
                             std::filesystem::copy_options::overwrite_existing, error);
  auto key = store_key(target);
  if (!key) return out.error(key.error());
  auto device = (*session)->client->add_device(*dir, *key);
  if (!device) return out.error(device.error());
  out.emit({{"type", "device_added"}, {"device_id", *device}, {"data_dir", new_data_dir}},
           "Added device " + std::to_string(*device) + "; use it with --data-dir " + new_data_dir);
  return exit_ok;
}

}  // namespace

void add_account_commands(CLI::App& app, Commands& commands) {
  CLI::App* whoami = app.add_subcommand("whoami", "show this account and device");
  commands.push_back({whoami, run_whoami});
  auto name = std::make_shared<std::string>();
  CLI::App* username = app.add_subcommand("set-username", "set (or with \"\" remove) your @username");
  username->add_option("name", *name, "3-32 letters, digits or _, starting with a letter")->required();
  commands.push_back({username, [name](const GlobalOptions& o, const Output& out) { return run_set_username(*name, o, out); }});
  auto on = std::make_shared<std::string>();
  CLI::App* discover = app.add_subcommand("set-discoverable", "allow or forbid discovery by phone number");
  discover->add_option("state", *on, "on|off")->required()->check(CLI::IsMember({"on", "off"}));
  commands.push_back({discover, [on](const GlobalOptions& o, const Output& out) { return run_set_discoverable(*on == "on", o, out); }});
  auto new_dir = std::make_shared<std::string>();
  CLI::App* add_device = app.add_subcommand("add-device", "add another device of this account, stored in a new data directory on this machine");
  add_device->add_option("--new-data-dir", *new_dir, "the new device's data directory")->required();
  commands.push_back({add_device, [new_dir](const GlobalOptions& o, const Output& out) { return run_add_device(*new_dir, o, out); }});
  CLI::App* contacts = app.add_subcommand("contacts", "list the people you have exchanged messages with");
  commands.push_back({contacts, run_contacts});
}

}  // namespace bulwark::cli
