#include "disk_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>

#include "event_loop.h"

namespace bulwark::loadgen {

std::int64_t timed_sync(int fd, off_t offset, char tag) {
  std::array<char, 4096> block{};
  block[0] = tag;
  const Clock::time_point start = Clock::now();
  const bool synced =
      ::pwrite(fd, block.data(), block.size(), offset) == static_cast<ssize_t>(block.size()) &&
      ::fdatasync(fd) == 0;
  if (!synced) return -1;
  return (Clock::now() - start).count();
}

LatencyHistogram probe_fsync(const std::filesystem::path& dir, int samples) {
  LatencyHistogram out;
  const std::filesystem::path file = dir / "fsync-probe";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return out;
  for (int i = 0; i < samples; ++i) {
    // Appending, as the probe always did.
    const std::int64_t took = timed_sync(fd, off_t{i} * 4096, static_cast<char>(i));
    if (took < 0) break;
    out.record(took);
  }
  ::close(fd);
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
  return out;
}

}  // namespace bulwark::loadgen
