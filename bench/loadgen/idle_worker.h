// The process side of the idle phase (idle.h): holds a slice of the idle connections for the
// parent, which drives it with one-line commands over a pipe.
#pragma once

#include <cstddef>
#include <vector>

#include "device.h"
#include "ws_client.h"

namespace bulwark::loadgen {

// Runs in a forked child until "exit" or the command pipe closes; never returns.
[[noreturn]] void idle_worker_main(const TlsClientContext& tls, const ServerAddress& server,
                                   const std::vector<DeviceCredentials>& devices, std::size_t begin,
                                   std::size_t end, int command_fd, int reply_fd);

}  // namespace bulwark::loadgen
