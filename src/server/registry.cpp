#include "server/registry.h"

namespace bulwark::server {

std::shared_ptr<Connection> Registry::add(const store::DeviceAddress& device,
                                          const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  std::weak_ptr<Connection>& slot = online_[device];
  std::shared_ptr<Connection> previous = slot.lock();
  slot = connection;
  if (previous == connection) return nullptr;
  return previous;
}

void Registry::remove(const store::DeviceAddress& device, const Connection* connection) {
  std::lock_guard lock(mutex_);
  auto it = online_.find(device);
  if (it == online_.end()) return;
  std::shared_ptr<Connection> current = it->second.lock();
  if (!current || current.get() == connection) online_.erase(it);
}

std::shared_ptr<Connection> Registry::find(const store::DeviceAddress& device) const {
  std::lock_guard lock(mutex_);
  auto it = online_.find(device);
  return it == online_.end() ? nullptr : it->second.lock();
}

std::size_t Registry::size() const {
  std::lock_guard lock(mutex_);
  return online_.size();
}

void Registry::track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  open_[connection.get()] = connection;
}

void Registry::untrack(const Connection* connection) {
  std::lock_guard lock(mutex_);
  open_.erase(connection);
}

std::vector<std::shared_ptr<Connection>> Registry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Connection>> out;
  out.reserve(open_.size());
  for (const auto& [raw, weak] : open_) {
    if (auto connection = weak.lock()) out.push_back(std::move(connection));
  }
  return out;
}

std::size_t Registry::open_connections() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

}  // namespace bulwark::server
