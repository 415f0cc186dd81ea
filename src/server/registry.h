// Registry: which devices are online, and on which connection. One connection per device: a
// newer connection for the same device displaces the older one, which is closed (its client
// reconnects only if it is really a second process, and then the two take turns visibly rather
// than splitting a queue). Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "server/connection.h"
#include "store/records.h"

namespace bulwark::server {

class Registry {
 public:
  // Registers `connection` for `device`; returns the connection it displaced, if any.
  std::shared_ptr<Connection> add(const store::DeviceAddress& device,
                                  const std::shared_ptr<Connection>& connection);
  // Removes the entry only if it still points at `connection`.
  void remove(const store::DeviceAddress& device, const Connection* connection);
  // The device's connection if it is online.
  [[nodiscard]] std::shared_ptr<Connection> find(const store::DeviceAddress& device) const;
  [[nodiscard]] std::size_t size() const;
  // Every open connection, authenticated or not, is tracked so shutdown can close them all.
  void track(const std::shared_ptr<Connection>& connection);
  void untrack(const Connection* connection);
  [[nodiscard]] std::vector<std::shared_ptr<Connection>> all() const;
  [[nodiscard]] std::size_t open_connections() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<store::DeviceAddress, std::weak_ptr<Connection>, store::DeviceAddressHash>
      online_;
  std::map<const Connection*, std::weak_ptr<Connection>> open_;
};

}  // namespace bulwark::server
