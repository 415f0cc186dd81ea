// A world of Bulwark devices for the group e2e tests, driven through the client library
// (client/groups.h) against a real bulwark-server process on loopback: the CLI's group commands
// are another step's. Each device has its own data directory and key file; accounts register
// with the code the server writes to its file sender. Group events are collected with
// Client::receive until the ones a test waits for arrived, so no test sleeps to synchronise.
//
// This binary links the client (SQLCipher), so it shares no support code that links SQLite; a
// malicious operator's edits of the server's database go through the sqlite3 program.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/groups.h"
#include "common/clock.h"
#include "crypto/random.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace bulwark::e2e {

struct GroupDevice {
  std::string name;
  std::string phone;
  std::filesystem::path dir;
  std::unique_ptr<client::Client> client;
  std::string account;  // UUID text
  std::uint32_t device_id = 0;
  client::Groups groups() { return client->groups(); }
};

// A server that publishes a KT entry every 100 ms, so that new accounts and devices are in
// the log quickly.
[[nodiscard]] ServerOptions group_server_options();

class GroupWorld {
 public:
  GroupWorld(const TempDir& tmp, ServerProcess& server) : tmp_(tmp), server_(server) {}

  // Registers +1 201 555 01NN (discoverable) as `name`'s first device.
  GroupDevice& register_account(const std::string& name, int nn);
  // Adds a device to `primary`'s account, as `name`.
  GroupDevice& add_device(GroupDevice& primary, const std::string& name);
  GroupDevice& device(const std::string& name) { return *devices_.at(name); }

  // Receives until `done` holds for the group events collected (or 20 quiet seconds); returns
  // them all. Other events are ignored.
  std::vector<client::GroupEvent> receive_until(
      GroupDevice& device, const std::function<bool(const std::vector<client::GroupEvent>&)>& done);
  // Receives until `count` events of `kind` arrived.
  std::vector<client::GroupEvent> receive_kind(GroupDevice& device, client::GroupEvent::Kind kind,
                                               std::size_t count = 1);
  // Everything queued for the device now (until 2 quiet seconds).
  std::vector<client::GroupEvent> drain(GroupDevice& device);

  // Closes and reopens the device's Client (after its server-side data changed under it).
  void reopen(GroupDevice& device);

 private:
  std::unique_ptr<client::Client> open_client(const std::filesystem::path& dir);

  const TempDir& tmp_;
  ServerProcess& server_;
  SystemClock clock_;
  crypto::SystemRng rng_;
  std::map<std::string, std::unique_ptr<GroupDevice>> devices_;
};

// Runs `sql` on the server's database with the sqlite3 program (the server stopped first, as a
// compromised operator with the disk would); returns its output. Throws on failure.
std::string operator_sql(const ServerProcess& server, const std::string& sql);

}  // namespace bulwark::e2e
