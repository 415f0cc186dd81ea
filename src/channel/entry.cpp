#include "channel/entry.h"

#include <algorithm>

#include "channel/handle.h"
#include "channel/text.h"
#include "common/reader.h"
#include "common/writer.h"
#include "crypto/hash.h"
#include "crypto/xeddsa.h"

namespace bulwark::channel {
namespace {

constexpr std::uint8_t format_version = 1;
constexpr std::string_view signature_context = "bulwark-channel-entry-v1";
constexpr std::string_view channel_id_context = "bulwark-channel-id";
constexpr std::size_t max_text_bytes = max_post_chars * 4;

tl::unexpected<Error> bad(std::string_view what) {
  return fail(Errc::invalid_encoding, "channel entry: " + std::string(what));
}

bool is_known_kind(std::uint8_t kind) noexcept {
  return kind >= static_cast<std::uint8_t>(EntryKind::create) &&
         kind <= static_cast<std::uint8_t>(EntryKind::admin_remove);
}

bool is_admin_kind(EntryKind kind) noexcept {
  return kind == EntryKind::admin_add || kind == EntryKind::admin_remove;
}

// Field limits, checked before encoding and after decoding, so that both ends agree.
Result<void> check_fields(const Entry& entry) {
  if (entry.seq == 0) return fail(Errc::invalid_argument, "entry seq starts at 1");
  switch (entry.kind) {
    case EntryKind::create: {
      if (entry.seq != 1) return fail(Errc::invalid_argument, "a channel's first entry creates it");
      if (!is_valid_handle(entry.profile.handle))
        return fail(Errc::invalid_argument, "invalid or reserved channel handle");
      BULWARK_TRY(check_text(entry.profile.title, max_title_chars, "title"));
      BULWARK_TRY(check_text(entry.profile.description, max_description_chars, "description",
                             /*may_be_empty=*/true));
      if (entry.profile.channel_key.size() != channel_key_bytes)
        return fail(Errc::invalid_argument, "a channel key is 32 bytes");
      if (entry.channel != channel_id_for_key(entry.profile.channel_key))
        return fail(Errc::invalid_argument, "channel id does not match the channel key");
      return {};
    }
    case EntryKind::post:
    case EntryKind::edit:
      if (entry.seq == 1) return fail(Errc::invalid_argument, "seq 1 is the channel's creation");
      BULWARK_TRY(check_text(entry.text, max_post_chars, "post"));
      if (entry.kind == EntryKind::edit && (entry.target == 0 || entry.target >= entry.seq))
        return fail(Errc::invalid_argument, "an edit names an earlier post");
      return {};
    case EntryKind::remove:
      if (entry.target <= 1 || entry.target >= entry.seq)
        return fail(Errc::invalid_argument, "a removal names an earlier post");
      return {};
    case EntryKind::admin_add:
    case EntryKind::admin_remove:
      if (entry.seq == 1) return fail(Errc::invalid_argument, "seq 1 is the channel's creation");
      if (entry.admin_key.size() != admin_key_bytes || entry.admin_key[0] != std::byte{0x05})
        return fail(Errc::invalid_argument, "an admin key is a 33-byte identity key");
      return {};
  }
  return fail(Errc::invalid_argument, "unknown entry kind");
}

void write_unsigned_part(Writer& writer, const Entry& entry) {
  writer.u8(format_version);
  writer.bytes(entry.channel);
  writer.u64_be(entry.seq);
  writer.u64_be(entry.time_ms);
  writer.u8(static_cast<std::uint8_t>(entry.kind));
  switch (entry.kind) {
    case EntryKind::create:
      writer.u8(static_cast<std::uint8_t>(entry.profile.handle.size()));
      writer.bytes(as_bytes(entry.profile.handle));
      writer.u16_be(static_cast<std::uint16_t>(entry.profile.title.size()));
      writer.bytes(as_bytes(entry.profile.title));
      writer.u16_be(static_cast<std::uint16_t>(entry.profile.description.size()));
      writer.bytes(as_bytes(entry.profile.description));
      writer.u8(entry.profile.is_private ? 1 : 0);
      writer.bytes(entry.profile.channel_key);
      break;
    case EntryKind::post:
      writer.u32_be(static_cast<std::uint32_t>(entry.text.size()));
      writer.bytes(as_bytes(entry.text));
      break;
    case EntryKind::edit:
      writer.u64_be(entry.target);
      writer.u32_be(static_cast<std::uint32_t>(entry.text.size()));
      writer.bytes(as_bytes(entry.text));
      break;
    case EntryKind::remove:
      writer.u64_be(entry.target);
      break;
    case EntryKind::admin_add:
    case EntryKind::admin_remove:
      writer.bytes(entry.admin_key);
      break;
  }
}

Result<std::string> read_string(Reader& reader, std::size_t length, std::size_t max) {
  if (length > max) return bad("a text field is too long");
  ByteView bytes = BULWARK_TRY(reader.bytes(length));
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

std::string_view kind_name(EntryKind kind) noexcept {
  switch (kind) {
    case EntryKind::create: return "create";
    case EntryKind::post: return "post";
    case EntryKind::edit: return "edit";
    case EntryKind::remove: return "remove";
    case EntryKind::admin_add: return "admin_add";
    case EntryKind::admin_remove: return "admin_remove";
  }
  return "unknown";
}

ChannelId channel_id_for_key(ByteView channel_key) {
  const crypto::Sha256Digest digest = crypto::sha256({as_bytes(channel_id_context), channel_key});
  ChannelId id;
  std::copy_n(digest.begin(), id.size(), id.begin());
  return id;
}

Result<Bytes> signed_message(const Entry& entry) {
  BULWARK_TRY(check_fields(entry));
  Writer writer(signature_context.size() + max_entry_bytes);
  writer.bytes(as_bytes(signature_context));
  write_unsigned_part(writer, entry);
  return std::move(writer).finish();
}

Result<void> sign_with_channel_key(Entry& entry, const crypto::Ed25519SecretKey& key) {
  const Bytes message = BULWARK_TRY(signed_message(entry));
  const crypto::Ed25519PublicKey public_key = key.public_key();
  entry.signer = to_bytes(public_key.bytes());
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(key, message);
  entry.signature.assign(signature.begin(), signature.end());
  return {};
}

Result<void> sign_with_admin_key(Entry& entry, const crypto::X25519SecretKey& key, Rng& rng) {
  if (is_admin_kind(entry.kind) || entry.kind == EntryKind::create)
    return fail(Errc::invalid_argument, "only the channel key may create a channel or name admins");
  const Bytes message = BULWARK_TRY(signed_message(entry));
  entry.signer.assign(1, std::byte{0x05});
  const crypto::X25519PublicKey public_key = key.public_key();  // bytes() views into it
  entry.signer.insert(entry.signer.end(), public_key.bytes().begin(), public_key.bytes().end());
  const crypto::XEdDsaSignature signature = crypto::xeddsa_sign(key, message, rng);
  entry.signature.assign(signature.begin(), signature.end());
  return {};
}

Result<Bytes> encode_entry(const Entry& entry) {
  BULWARK_TRY(check_fields(entry));
  if (entry.signer.size() != channel_key_bytes && entry.signer.size() != admin_key_bytes)
    return fail(Errc::invalid_argument, "the entry is not signed");
  if (entry.signature.size() != entry_signature_bytes)
    return fail(Errc::invalid_argument, "a signature is 64 bytes");
  Writer writer(max_entry_bytes);
  write_unsigned_part(writer, entry);
  writer.u8(static_cast<std::uint8_t>(entry.signer.size()));
  writer.bytes(entry.signer);
  writer.bytes(entry.signature);
  return std::move(writer).finish();
}

Result<Entry> decode_entry(ByteView bytes) {
  if (bytes.size() > max_entry_bytes) return bad("too large");
  Reader reader(bytes);
  if (BULWARK_TRY(reader.u8()) != format_version) return bad("unknown version");
  Entry entry;
  ByteView id = BULWARK_TRY(reader.bytes(channel_id_bytes));
  std::copy(id.begin(), id.end(), entry.channel.begin());
  entry.seq = BULWARK_TRY(reader.u64_be());
  entry.time_ms = BULWARK_TRY(reader.u64_be());
  const std::uint8_t kind = BULWARK_TRY(reader.u8());
  if (!is_known_kind(kind)) return bad("unknown kind");
  entry.kind = static_cast<EntryKind>(kind);
  switch (entry.kind) {
    case EntryKind::create: {
      const std::uint8_t handle_length = BULWARK_TRY(reader.u8());
      entry.profile.handle = BULWARK_TRY(read_string(reader, handle_length, max_handle_length));
      const std::uint16_t title_length = BULWARK_TRY(reader.u16_be());
      entry.profile.title = BULWARK_TRY(read_string(reader, title_length, max_title_chars * 4));
      const std::uint16_t description_length = BULWARK_TRY(reader.u16_be());
      entry.profile.description =
          BULWARK_TRY(read_string(reader, description_length, max_description_chars * 4));
      const std::uint8_t is_private = BULWARK_TRY(reader.u8());
      if (is_private > 1) return bad("private flag is 0 or 1");
      entry.profile.is_private = is_private == 1;
      entry.profile.channel_key = to_bytes(BULWARK_TRY(reader.bytes(channel_key_bytes)));
      break;
    }
    case EntryKind::edit:
      entry.target = BULWARK_TRY(reader.u64_be());
      [[fallthrough]];
    case EntryKind::post: {
      const std::uint32_t text_length = BULWARK_TRY(reader.u32_be());
      entry.text = BULWARK_TRY(read_string(reader, text_length, max_text_bytes));
      break;
    }
    case EntryKind::remove:
      entry.target = BULWARK_TRY(reader.u64_be());
      break;
    case EntryKind::admin_add:
    case EntryKind::admin_remove:
      entry.admin_key = to_bytes(BULWARK_TRY(reader.bytes(admin_key_bytes)));
      break;
  }
  const std::uint8_t signer_length = BULWARK_TRY(reader.u8());
  if (signer_length != channel_key_bytes && signer_length != admin_key_bytes)
    return bad("signer is 32 or 33 bytes");
  entry.signer = to_bytes(BULWARK_TRY(reader.bytes(signer_length)));
  entry.signature = to_bytes(BULWARK_TRY(reader.bytes(entry_signature_bytes)));
  BULWARK_TRY(reader.expect_end());
  if (auto checked = check_fields(entry); !checked)
    return fail(Errc::invalid_encoding, "channel entry: " + checked.error().context);
  return entry;
}

Result<void> verify_signature(const Entry& entry) {
  const Bytes message = BULWARK_TRY(signed_message(entry));
  if (entry.signature.size() != entry_signature_bytes)
    return fail(Errc::auth_failed, "channel entry signature is 64 bytes");
  if (entry.signer.size() == channel_key_bytes) {
    auto key = crypto::Ed25519PublicKey::from_bytes(entry.signer);
    if (!key) return fail(Errc::auth_failed, "channel entry signer is not a valid key");
    return crypto::ed25519_verify(*key, message, entry.signature);
  }
  if (entry.signer.size() == admin_key_bytes && entry.signer[0] == std::byte{0x05}) {
    auto key = crypto::X25519PublicKey::from_bytes(ByteView(entry.signer).subspan(1));
    if (!key) return fail(Errc::auth_failed, "channel entry signer is not a valid key");
    return crypto::xeddsa_verify(*key, message, entry.signature);
  }
  return fail(Errc::auth_failed, "channel entry has no valid signer");
}

}  // namespace bulwark::channel
