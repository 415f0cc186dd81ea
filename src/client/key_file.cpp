// load_key_file and derive_key: the two ways to get the key that opens the local database.
#include <cstddef>
#include <string>

#include "client/detail/file_io.h"
#include "client/local_store.h"
#include "crypto/pwhash.h"
#include "crypto/random.h"

namespace bulwark::client {
namespace {

constexpr std::size_t key_bytes = 32;
// 64 hex digits and a newline, with room for a CRLF or stray spaces.
constexpr std::size_t max_key_file_bytes = 128;
constexpr std::size_t max_salt_file_bytes = 128;

int hex_value(std::byte c) noexcept {
  const auto v = std::to_integer<int>(c);
  if (v >= '0' && v <= '9') return v - '0';
  if (v >= 'a' && v <= 'f') return v - 'a' + 10;
  if (v >= 'A' && v <= 'F') return v - 'A' + 10;
  return -1;
}

bool is_space(std::byte c) noexcept {
  const auto v = std::to_integer<int>(c);
  return v == ' ' || v == '\n' || v == '\r' || v == '\t';
}

ByteView trim_trailing_space(ByteView text) noexcept {
  while (!text.empty() && is_space(text.back())) text = text.first(text.size() - 1);
  return text;
}

// Hex straight into a SecretBytes, so that no unwiped copy of the key is left behind.
Result<SecretBytes> decode_hex_secret(ByteView text) {
  if (text.size() % 2 != 0) return fail(Errc::invalid_encoding, "odd number of hex digits");
  SecretBytes out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(text[2 * i]);
    const int low = hex_value(text[2 * i + 1]);
    if (high < 0 || low < 0) return fail(Errc::invalid_encoding, "not a hex digit");
    out.writable()[i] = static_cast<std::byte>((high << 4) | low);
  }
  return out;
}

SecretBytes encode_hex_secret(ByteView bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  SecretBytes out(bytes.size() * 2 + 1);
  auto text = out.writable();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto v = std::to_integer<unsigned>(bytes[i]);
    text[2 * i] = static_cast<std::byte>(digits[v >> 4]);
    text[2 * i + 1] = static_cast<std::byte>(digits[v & 0x0f]);
  }
  text.back() = std::byte{'\n'};
  return out;
}

// A key file holds the 32 bytes as 64 hex digits (what create writes) or raw.
Result<StoreKey> parse_key_file(const SecretBytes& contents, const std::filesystem::path& path) {
  if (contents.size() == key_bytes) return StoreKey{contents.clone()};
  auto key = decode_hex_secret(trim_trailing_space(contents.view()));
  if (!key || key->size() != key_bytes)
    return fail(Errc::invalid_encoding,
                "key file " + path.string() + ": expected 64 hex digits or 32 raw bytes");
  return StoreKey{std::move(*key)};
}

Result<StoreKey> create_key_file(const std::filesystem::path& path) {
  SecretBytes key(key_bytes);
  crypto::random_bytes(key.writable());
  const SecretBytes text = encode_hex_secret(key.view());
  BULWARK_TRY(detail::create_private_file(path, text.view()));
  return StoreKey{std::move(key)};
}

Result<Bytes> load_or_create_salt(const std::filesystem::path& path) {
  auto contents = detail::read_small_file(path, max_salt_file_bytes, /*require_private=*/false);
  if (!contents && contents.error().code == Errc::not_found) {
    Bytes salt(crypto::pwhash_salt_bytes);
    crypto::random_bytes(salt);
    auto created = detail::create_private_file(path, as_bytes(to_hex(salt) + "\n"));
    if (created) return salt;
    // Another process created it first: read theirs.
    if (created.error().code != Errc::conflict) return tl::unexpected(created.error());
    contents = detail::read_small_file(path, max_salt_file_bytes, false);
  }
  if (!contents) return tl::unexpected(contents.error());
  const ByteView text = trim_trailing_space(contents->view());
  auto salt = from_hex(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
  if (!salt || salt->size() != crypto::pwhash_salt_bytes)
    return fail(Errc::invalid_encoding, "salt file " + path.string() + ": expected 32 hex digits");
  return std::move(*salt);
}

}  // namespace

Result<StoreKey> load_key_file(const std::filesystem::path& path, bool create) {
  auto contents = detail::read_small_file(path, max_key_file_bytes, /*require_private=*/true);
  if (contents) return parse_key_file(*contents, path);
  if (contents.error().code != Errc::not_found || !create) {
    if (contents.error().code == Errc::not_found)
      return fail(Errc::not_found, "no key file at " + path.string());
    return fail(contents.error().code, "key file " + contents.error().context);
  }
  auto created = create_key_file(path);
  if (created || created.error().code != Errc::conflict) return created;
  // Lost a race with another process creating it: use theirs.
  return load_key_file(path, /*create=*/false);
}

Result<StoreKey> derive_key(std::string_view passphrase, const std::filesystem::path& salt_path) {
  return derive_key(passphrase, salt_path, crypto::PwhashStrength::moderate);
}

Result<StoreKey> derive_key(std::string_view passphrase, const std::filesystem::path& salt_path,
                            crypto::PwhashStrength strength) {
  if (passphrase.empty()) return fail(Errc::invalid_argument, "the passphrase is empty");
  const Bytes salt = BULWARK_TRY(load_or_create_salt(salt_path));
  auto key = BULWARK_TRY(crypto::pwhash_argon2id(passphrase, salt, key_bytes, strength));
  return StoreKey{std::move(key)};
}

}  // namespace bulwark::client
