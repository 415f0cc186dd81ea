#include "cpu_probe.h"

#include <chrono>
#include <cstddef>
#include <thread>
#include <vector>

#include "crypto/hash.h"
#include "isolation.h"

namespace bulwark::loadgen {
namespace {
constexpr std::size_t block_bytes = 64 * 1024;
constexpr auto duration = std::chrono::milliseconds(100);
}  // namespace

double reference_speed_mb_per_s(int cpu) {
  double result = 0;
  std::thread probe([cpu, &result] {
    if (!pin_to_cpu(cpu)) return;
    std::vector<std::byte> block(block_bytes, std::byte{0x5a});
    std::size_t hashed = 0;
    const auto start = std::chrono::steady_clock::now();
    auto now = start;
    while (now - start < duration) {
      const crypto::Sha256Digest digest = crypto::sha256(block);
      block[0] = digest[0];  // each pass depends on the last: nothing to optimise away
      hashed += block.size();
      now = std::chrono::steady_clock::now();
    }
    result = static_cast<double>(hashed) / 1e6 /
             std::chrono::duration<double>(now - start).count();
  });
  probe.join();
  return result;
}

}  // namespace bulwark::loadgen
