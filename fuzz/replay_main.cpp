// Replay driver for libFuzzer targets in normal builds: runs LLVMFuzzerTestOneInput over every
// file named on the command line (directories are walked) and over --generated N inputs from a
// fixed-seed generator, so the same inputs run on every machine. A crash or sanitizer report
// fails the ctest that runs it.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_target.h"

namespace {

void run(const std::vector<std::uint8_t>& input) { LLVMFuzzerTestOneInput(input.data(), input.size()); }

std::size_t replay_path(const std::filesystem::path& path) {
  std::size_t count = 0;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
      if (entry.is_regular_file()) count += replay_path(entry.path());
    }
    return count;
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  run(bytes);
  return 1;
}

// Lengths cluster around the sizes decoders care about (keys, ciphertexts, blocks), +-2.
std::size_t pick_length(std::uint64_t r) {
  static constexpr std::size_t interesting[] = {0, 1, 16, 32, 33, 64, 65, 1088, 1184, 1568, 2400, 3168};
  if (r % 3 == 0) return r / 3 % 4097;
  const std::size_t base = interesting[(r / 3) % std::size(interesting)];
  const std::size_t delta = (r >> 20) % 5;
  return base + delta >= 2 ? base + delta - 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t generated = 0, replayed = 0;
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--generated") == 0 && i + 1 < argc) {
      generated = std::stoul(argv[++i]);
    } else if (std::filesystem::exists(argv[i])) {
      replayed += replay_path(argv[i]);
    } else {
      std::fprintf(stderr, "no such corpus path: %s\n", argv[i]);  // a typo must not pass
      return 2;
    }
  }
  for (std::size_t n = 0; n < generated; ++n) {
    std::vector<std::uint8_t> input(pick_length(next()));
    for (auto& b : input) b = static_cast<std::uint8_t>(next());
    run(input);
  }
  std::printf("replayed %zu corpus inputs and %zu generated inputs without a crash\n", replayed,
              generated);
  return 0;
}
