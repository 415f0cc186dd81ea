// The witness's state (state.h) on disk: the file "state" in the state directory, replaced
// atomically (written to a temporary file, fsynced, renamed, directory fsynced), so a crash
// at any point leaves the old state or the new one, never a mix or nothing.
#pragma once

#include <filesystem>
#include <optional>

#include "common/result.h"
#include "witness/state.h"

namespace bulwark::witness {

[[nodiscard]] std::filesystem::path state_file_path(const std::filesystem::path& state_dir);

// The stored state, std::nullopt when there is none yet (a first run). Errc::storage when
// the file cannot be read, parse_witness_state's errors when it is not a state file.
[[nodiscard]] Result<std::optional<WitnessState>> load_state(
    const std::filesystem::path& state_dir);

// Durably stores `state`, creating the directory (0700) when absent. Errc::storage.
[[nodiscard]] Result<void> save_state(const std::filesystem::path& state_dir,
                                      const WitnessState& state);

}  // namespace bulwark::witness
