#include "franking_fixtures.h"

#include <cstdlib>

#include "crypto/ed25519.h"

namespace bulwark::franking::fixtures {


StampingKeys stamping_keys(SeededRng& rng, std::uint32_t epochs) {
  StampingKeys keys(crypto::ed25519_keypair(rng).secret_key);
  for (std::uint32_t epoch = 1; epoch <= epochs; ++epoch) {
    SecretBytes key(stamp_key_bytes);
    rng.fill(key.writable());
    if (!keys.add_epoch(epoch, std::move(key))) std::abort();
  }
  return keys;
}

ReportedMessage Conversation::send(const std::string& text, std::int64_t time_ms) {
  ReportedMessage message;
  message.sender = sender_;
  message.conversation = concat({sender_, recipient_});
  message.message_id = to_bytes(as_bytes("m" + std::to_string(++sent_)));
  message.content = to_bytes(as_bytes(text));
  message.key = new_franking_key(rng_);
  message.previous = previous_;
  message.tag = *franking_tag(message.key, Franked{message.sender, message.conversation,
                                                    message.message_id, message.content,
                                                    message.previous});
  message.stamp = *keys_.stamp(message.tag, sender_, recipient_, time_ms);
  previous_ = message.tag;
  return message;
}

}  // namespace bulwark::franking::fixtures
