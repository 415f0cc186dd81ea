#include "group_world.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "client/local_store.h"
#include "support/process.h"

namespace bulwark::e2e {
namespace {

constexpr auto quiet_limit = std::chrono::seconds(20);

std::string phone_of(int nn) {
  return "+120155501" + std::string(nn < 10 ? "0" : "") + std::to_string(nn);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <class T>
T must(Result<T> result, const std::string& what) {
  if (!result) throw std::runtime_error(what + ": " + result.error().describe());
  return std::move(*result);
}

}  // namespace

ServerOptions group_server_options() {
  ServerOptions options;
  options.config_toml = "[transparency]\nepoch_ms = 100\nwitnesses = []\nquorum = 0\n";
  return options;
}

std::unique_ptr<client::Client> GroupWorld::open_client(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  client::ClientOptions options;
  options.account_dir = dir;
  options.key =
      must(client::load_key_file(dir.parent_path() / (dir.filename().string() + ".key"), true),
           "key file");
  options.trust = client::TlsTrust{server_.ca_file()};
  options.server_url = server_.url();
  return must(client::Client::open(std::move(options), clock_, rng_), "open " + dir.string());
}

GroupDevice& GroupWorld::register_account(const std::string& name, int nn) {
  auto device = std::make_unique<GroupDevice>();
  device->name = name;
  device->dir = tmp_.path() / "devices" / name;
  device->phone =
      must(client::Client::request_code(server_.url(), client::TlsTrust{server_.ca_file()},
                                        phone_of(nn), std::chrono::seconds(15)),
           "request code");
  device->client = open_client(device->dir);
  const std::string code = server_.next_code(device->phone);
  const client::AccountInfo info =
      must(device->client->verify(device->phone, code, true), "verify");
  device->account = info.account_id;
  device->device_id = info.device_id;
  return *devices_.insert_or_assign(name, std::move(device)).first->second;
}

GroupDevice& GroupWorld::add_device(GroupDevice& primary, const std::string& name) {
  auto device = std::make_unique<GroupDevice>();
  device->name = name;
  device->phone = primary.phone;
  device->dir = tmp_.path() / "devices" / name;
  std::filesystem::create_directories(device->dir.parent_path());
  auto key =
      must(client::load_key_file(tmp_.path() / "devices" / (name + ".key"), true), "key file");
  device->device_id = must(primary.client->add_device(device->dir, key), "add device");
  device->account = primary.account;
  device->client = open_client(device->dir);
  return *devices_.insert_or_assign(name, std::move(device)).first->second;
}

void GroupWorld::reopen(GroupDevice& device) {
  device.client.reset();
  device.client = open_client(device.dir);
}

std::vector<client::GroupEvent> GroupWorld::receive_until(
    GroupDevice& device, const std::function<bool(const std::vector<client::GroupEvent>&)>& done) {
  std::vector<client::GroupEvent> events;
  if (done(events)) return events;
  auto received = device.client->receive(quiet_limit, [&](const client::ReceiveEvent& event) {
    if (event.kind != client::ReceiveEvent::Kind::group_event || !event.group_event) return true;
    events.push_back(*event.group_event);
    return !done(events);
  });
  if (!received) throw std::runtime_error(device.name + " receive: " + received.error().describe());
  return events;
}

std::vector<client::GroupEvent> GroupWorld::receive_kind(GroupDevice& device,
                                                         client::GroupEvent::Kind kind,
                                                         std::size_t count) {
  return receive_until(device, [&](const std::vector<client::GroupEvent>& events) {
    std::size_t seen = 0;
    for (const auto& event : events) seen += event.kind == kind ? 1 : 0;
    return seen >= count;
  });
}

std::vector<client::GroupEvent> GroupWorld::drain(GroupDevice& device) {
  std::vector<client::GroupEvent> events;
  auto received =
      device.client->receive(std::chrono::seconds(2), [&](const client::ReceiveEvent& event) {
        if (event.kind == client::ReceiveEvent::Kind::group_event && event.group_event)
          events.push_back(*event.group_event);
        return true;
      });
  if (!received) throw std::runtime_error(device.name + " receive: " + received.error().describe());
  return events;
}

std::string operator_sql(const ServerProcess& server, const std::string& sql) {
  static int runs = 0;
  const std::filesystem::path base = server.data_dir().parent_path();
  SpawnOptions spawn;
  spawn.argv = {"/usr/bin/sqlite3", (server.data_dir() / "bulwark.db").string(), sql};
  spawn.env = child_environment(base);
  ++runs;
  spawn.stdout_file = base / ("sql-" + std::to_string(runs) + ".out");
  spawn.stderr_file = base / ("sql-" + std::to_string(runs) + ".err");
  Process process(spawn);
  const auto status = process.wait_for(std::chrono::seconds(30));
  const std::string err = read_text(spawn.stderr_file);
  if (!status || !status->exited || status->code != 0 || !err.empty())
    throw std::runtime_error("sqlite3 failed: " + err + " for: " + sql);
  return read_text(spawn.stdout_file);
}

}  // namespace bulwark::e2e
