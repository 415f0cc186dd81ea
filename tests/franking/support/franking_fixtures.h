// Shared fixtures of the franking tests: fixed accounts and a sender that chains its tags.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "franking/report.h"
#include "franking/stamp.h"
#include "franking/tag.h"
#include "support/seeded_rng.h"

namespace bulwark::franking::fixtures {

using bulwark::testing::SeededRng;

inline Bytes account(std::uint8_t fill) { return Bytes(16, std::byte{fill}); }

// Stamping keys with epoch 1 (and `epochs` in all), from a seeded generator.
StampingKeys stamping_keys(SeededRng& rng, std::uint32_t epochs = 1);

// One sender's messages in one conversation, each tagged, chained and stamped as the real
// path does (the server stamps with `keys`, for `recipient`).
class Conversation {
 public:
  Conversation(SeededRng& rng, const StampingKeys& keys, Bytes sender, Bytes recipient)
      : rng_(rng), keys_(keys), sender_(std::move(sender)), recipient_(std::move(recipient)) {}
  ReportedMessage send(const std::string& text, std::int64_t time_ms = 1'700'000'000'000);

 private:
  SeededRng& rng_;
  const StampingKeys& keys_;
  Bytes sender_;
  Bytes recipient_;
  FrankingTag previous_{};
  int sent_ = 0;
};

}  // namespace bulwark::franking::fixtures
