#include "disk_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>

#include "event_loop.h"

namespace bulwark::loadgen {

LatencyHistogram probe_fsync(const std::filesystem::path& dir, int samples) {
  LatencyHistogram out;
  const std::filesystem::path file = dir / "fsync-probe";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return out;
  std::array<char, 4096> block{};
  for (int i = 0; i < samples; ++i) {
    block[0] = static_cast<char>(i);
    const Clock::time_point start = Clock::now();
    if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) break;
    if (::fdatasync(fd) != 0) break;
    out.record((Clock::now() - start).count());
  }
  ::close(fd);
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
  return out;
}

}  // namespace bulwark::loadgen
