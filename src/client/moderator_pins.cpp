#include "client/moderator_pins.h"

#include <algorithm>

#include "crypto/ed25519.h"

namespace bulwark::client {
namespace {

bool is_pinned(std::span<const PinnedModerator> pinned, std::string_view name) {
  return std::ranges::any_of(pinned, [name](const PinnedModerator& m) { return m.name == name; });
}

}  // namespace

Result<void> pin_moderators(Client::Impl& impl, const api::KtConfigResult& config) {
  std::vector<PinnedModerator> published;
  for (const api::ModeratorKey& moderator : config.moderators()) {
    if (!crypto::Ed25519PublicKey::from_bytes(as_bytes(moderator.key())))
      return fail(Errc::invalid_message,
                  "the server publishes an invalid key for moderator " + moderator.name());
    published.push_back(PinnedModerator{moderator.name(), to_bytes(as_bytes(moderator.key())),
                                        impl.now_ms()});
  }
  for (const PinnedModerator& moderator : published)
    BULWARK_TRY(impl.store->pin_moderator(moderator));
  return {};
}

Result<void> pin_published_moderators(Client::Impl& impl) {
  api::Request request;
  request.mutable_kt_config();
  const api::Response response = BULWARK_TRY(impl.call(std::move(request)));
  return pin_moderators(impl, response.kt_config());
}

Result<std::vector<PinnedModerator>> moderators_for(Client::Impl& impl,
                                                    const std::vector<std::string>& names) {
  std::vector<PinnedModerator> pinned = BULWARK_TRY(impl.store->pinned_moderators());
  const bool missing = std::ranges::any_of(
      names, [&pinned](const std::string& name) { return !is_pinned(pinned, name); });
  if (!missing) return pinned;
  BULWARK_TRY(pin_published_moderators(impl));
  return impl.store->pinned_moderators();
}

Result<moderation::ActionRecord> check_pinned_action(std::span<const PinnedModerator> pinned,
                                                     ByteView record, ByteView signature) {
  auto decoded = moderation::decode_action(record);
  if (!decoded) return fail(Errc::auth_failed, "the moderator's signed action does not decode");
  auto found = std::ranges::find_if(
      pinned, [&](const PinnedModerator& m) { return m.name == decoded->moderator; });
  if (found == pinned.end())
    return fail(Errc::auth_failed, "signed by \"" + decoded->moderator +
                                       "\", whom the server does not publish as a moderator");
  if (!std::ranges::equal(ByteView(decoded->moderator_key), ByteView(found->public_key)))
    return fail(Errc::auth_failed, "signed with another key than the one this device pinned for "
                                   "moderator \"" + decoded->moderator + "\"");
  auto key = crypto::Ed25519PublicKey::from_bytes(found->public_key);
  if (!key || !moderation::verify_action(*key, record, signature))
    return fail(Errc::auth_failed, "the signature of moderator \"" + decoded->moderator +
                                       "\" does not verify");
  return *decoded;
}

std::optional<std::string> action_moderator(ByteView record) {
  auto decoded = moderation::decode_action(record);
  if (!decoded) return std::nullopt;
  return decoded->moderator;
}

}  // namespace bulwark::client
