// A node's default name on the cluster bus when [cluster] node_id is not set: HOSTNAME-PID,
// with every character outside [A-Za-z0-9._-] replaced by '-' and cut to 128 bytes, so that
// it is always a valid node id (config.h valid_node_id) and unique among a host's processes.
#pragma once

#include <string>

namespace bulwark::server {

[[nodiscard]] std::string default_node_id();

}  // namespace bulwark::server
