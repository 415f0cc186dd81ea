// Where the witness gets the log from: one of the server's log HTTP APIs (http_log_source.h) in
// production, an in-memory log in tests. Nothing it returns is trusted: the witness verifies
// checkpoints against the log's key and entries against checkpoint roots.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::witness {

class LogSource {
 public:
  virtual ~LogSource() = default;
  // The newest signed checkpoint note; std::nullopt while the log has no entry.
  [[nodiscard]] virtual Result<std::optional<std::string>> latest_checkpoint() = 0;
  // The raw bytes of entry `index` (0-based), decoded by the witness's replica (replica.h).
  // Errc::not_found past the end.
  [[nodiscard]] virtual Result<Bytes> entry(std::uint64_t index) = 0;
  // Hands the server this witness's cosignature line for the checkpoint of `size`.
  [[nodiscard]] virtual Result<void> submit_cosignature(std::uint64_t size,
                                                        std::string_view line) = 0;
};

}  // namespace bulwark::witness
