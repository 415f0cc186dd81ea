#include "server/bus/node_id.h"

#include <unistd.h>

#include <array>

namespace bulwark::server {

std::string default_node_id() {
  std::array<char, 256> host{};
  std::string name = ::gethostname(host.data(), host.size() - 1) == 0 ? host.data() : "node";
  if (name.empty()) name = "node";
  for (char& c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) c = '-';
  }
  const std::string pid = "-" + std::to_string(::getpid());
  if (name.size() + pid.size() > 128) name.resize(128 - pid.size());
  return name + pid;
}

}  // namespace bulwark::server
