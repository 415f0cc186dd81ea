#include "franking/tag.h"

#include <algorithm>
#include <string_view>

#include "crypto/compare.h"
#include "crypto/mac.h"

namespace bulwark::franking {
namespace {

constexpr std::string_view tag_label = "bulwark-franking-tag-v1";

}  // namespace

Bytes one_to_one_conversation(ByteView account, ByteView other) {
  const bool account_first = std::ranges::lexicographical_compare(account, other);
  Bytes out = to_bytes(account_first ? account : other);
  const ByteView second = account_first ? other : account;
  out.insert(out.end(), second.begin(), second.end());
  return out;
}

FrankingKey new_franking_key(Rng& rng) { return random_array<key_bytes>(rng); }

Result<FrankingTag> franking_tag(const FrankingKey& key, const Franked& message) {
  for (ByteView id : {message.sender, message.conversation, message.message_id}) {
    if (id.empty() || id.size() > max_id_bytes)
      return fail(Errc::invalid_length, "franking: an id must be 1-64 bytes");
  }
  if (message.content.size() > max_content_bytes)
    return fail(Errc::invalid_length, "franking: content over 256 KiB");
  const std::array<std::byte, 1> sender_length{std::byte(message.sender.size())};
  const std::array<std::byte, 1> conversation_length{std::byte(message.conversation.size())};
  const std::array<std::byte, 1> id_length{std::byte(message.message_id.size())};
  const auto content_size = static_cast<std::uint32_t>(message.content.size());
  const std::array<std::byte, 4> content_length{
      std::byte(content_size >> 24), std::byte(content_size >> 16), std::byte(content_size >> 8),
      std::byte(content_size)};
  return crypto::hmac_sha256(key, {as_bytes(tag_label), sender_length, message.sender,
                                   conversation_length, message.conversation, id_length,
                                   message.message_id, message.previous, content_length,
                                   message.content});
}

bool opens(const FrankingTag& tag, const FrankingKey& key, const Franked& message) {
  auto expected = franking_tag(key, message);
  return expected && crypto::constant_time_equal(*expected, tag);
}

}  // namespace bulwark::franking
