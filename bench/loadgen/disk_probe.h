// How long the disk under the server's data directory takes to make a small write durable
// (write 4 KiB + fdatasync, the shape of a WAL commit). A commit cannot be faster than this,
// so the latency goal is read against it: on a VM disk the fsync tail, not the server, can set
// p99.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>

#include "histogram.h"

namespace bulwark::loadgen {

// One synced write: 4 KiB at `offset` of `fd` (its first byte `tag`), then fdatasync. Returns
// how long that took in nanoseconds, or -1 if the write or the sync failed.
[[nodiscard]] std::int64_t timed_sync(int fd, off_t offset, char tag);

// `samples` synced writes to a scratch file in `dir` (removed afterwards).
[[nodiscard]] LatencyHistogram probe_fsync(const std::filesystem::path& dir, int samples);

}  // namespace bulwark::loadgen
