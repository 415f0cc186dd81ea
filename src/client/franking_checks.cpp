#include <algorithm>

#include "client/detail/franking_ops.h"
#include "client/local_store.h"
#include "franking/stamp.h"

namespace bulwark::client::detail {
namespace {

tl::unexpected<Error> dropped(std::string_view why) {
  return fail(Errc::auth_failed, std::string(why) + "; the message was dropped, because it could not be reported");
}

}  // namespace

Bytes conversation_id(ByteView account, ByteView other) {
  return franking::one_to_one_conversation(account, other);
}

Result<franking::FrankingTag> frank_outgoing(Client::Impl& impl, ByteView peer, Content& content) {
  const LocalAccount* self = BULWARK_TRY(impl.require_account());
  const Bytes conversation = conversation_id(self->account_id, peer);
  const franking::FrankingKey key = franking::new_franking_key(impl.rng);
  content.franking_key.assign(key.begin(), key.end());
  content.message_id.assign(franking_message_id_bytes, std::byte{0});
  impl.rng.fill(content.message_id);
  franking::FrankingTag previous{};
  if (auto last = BULWARK_TRY(impl.store->last_franking_tag(conversation)); last)
    std::ranges::copy(*last, previous.begin());
  content.franking_previous.assign(previous.begin(), previous.end());
  const franking::FrankingTag tag = BULWARK_TRY(franking::franking_tag(
      key, {self->account_id, conversation, content.message_id, as_bytes(content.body), previous}));
  BULWARK_TRY(impl.store->save_last_franking_tag(conversation, tag));
  return tag;
}

Result<crypto::Ed25519PublicKey> franking_server_key(Client::Impl& impl) {
  if (impl.franking_key) return *impl.franking_key;
  auto pinned = BULWARK_TRY(impl.store->franking_server_key());
  if (!pinned) {
    api::Request request;
    request.mutable_kt_config();
    auto response = BULWARK_TRY(impl.call(std::move(request)));
    const std::string& key = response.kt_config().franking_key();
    if (key.size() != crypto::ed25519_public_key_bytes)
      return fail(Errc::invalid_message, "the server publishes no message-franking key");
    BULWARK_TRY(impl.store->save_franking_server_key(as_bytes(key)));
    pinned = to_bytes(as_bytes(key));
  }
  impl.franking_key = BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(*pinned));
  return *impl.franking_key;
}

Result<InboxFranking> check_incoming(const crypto::Ed25519PublicKey& server_key,
                                     const api::Envelope& envelope, const Content& content,
                                     ByteView recipient) {
  if (envelope.franking_tag().size() != franking::tag_bytes || content.franking_key.size() != franking::key_bytes ||
      content.message_id.size() != franking_message_id_bytes ||
      content.franking_previous.size() != franking::tag_bytes)
    return dropped("the sender did not commit to this message (no franking tag)");
  franking::FrankingTag tag{};
  franking::FrankingKey key{};
  franking::FrankingTag previous{};
  std::ranges::copy(as_bytes(envelope.franking_tag()), tag.begin());
  std::ranges::copy(content.franking_key, key.begin());
  std::ranges::copy(content.franking_previous, previous.begin());
  const ByteView sender = as_bytes(envelope.source_account());
  const Bytes conversation = conversation_id(sender, recipient);
  if (!franking::opens(tag, key, {sender, conversation, content.message_id, as_bytes(content.body), previous}))
    return dropped("the message does not match the franking tag its sender committed to");
  auto stamp = franking::decode_stamp(as_bytes(envelope.franking_stamp()));
  // The server stamps an envelope as it leaves for the device: never before it accepted it.
  if (!stamp || !franking::verify_stamp_signature(server_key, *stamp) ||
      stamp->server_time_ms < static_cast<std::int64_t>(envelope.server_timestamp_ms()))
    return dropped("the server's franking stamp on the message does not verify");
  InboxFranking out;
  out.message_id = content.message_id;
  out.franking_key = content.franking_key;
  out.previous = content.franking_previous;
  out.tag = to_bytes(tag);
  out.stamp = to_bytes(as_bytes(envelope.franking_stamp()));
  return out;
}

}  // namespace bulwark::client::detail
