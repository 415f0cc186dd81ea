#include "kt/vkey.h"

#include <algorithm>

#include "crypto/base64.h"

namespace bulwark::kt {
namespace {

Error malformed(const char* what) {
  return Error{Errc::invalid_encoding, std::string("vkey: ") + what};
}

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Result<VerifierKey> parse_vkey(std::string_view vkey) {
  // The name holds no '+', so the first two '+' end the name and the ID; base64 may hold more.
  const std::size_t name_end = vkey.find('+');
  if (name_end == std::string_view::npos) return tl::unexpected(malformed("no '+' after the name"));
  const std::size_t id_end = vkey.find('+', name_end + 1);
  if (id_end == std::string_view::npos) return tl::unexpected(malformed("no '+' after the key ID"));
  VerifierKey key;
  key.name = std::string(vkey.substr(0, name_end));
  if (!is_valid_key_name(key.name)) return tl::unexpected(malformed("invalid key name"));
  const std::string_view id_hex = vkey.substr(name_end + 1, id_end - name_end - 1);
  if (id_hex.size() != 2 * key_id_bytes || !is_lower_hex(id_hex)) {
    return tl::unexpected(malformed("key ID is not 8 lower-case hex digits"));
  }
  const Bytes id = BULWARK_TRY(from_hex(id_hex));
  std::copy(id.begin(), id.end(), key.key_id.begin());
  auto material = crypto::base64_decode(vkey.substr(id_end + 1));
  if (!material) return tl::unexpected(malformed("key is not canonical base64"));
  if (material->size() < 2) return tl::unexpected(malformed("no key after the signature type"));
  key.type = material->front();
  key.public_key.assign(material->begin() + 1, material->end());
  if (note_key_id(key.name, key.type, key.public_key) != key.key_id) {
    return tl::unexpected(malformed("key ID does not match the name and key"));
  }
  return key;
}

std::string format_vkey(const VerifierKey& key) {
  if (!is_valid_key_name(key.name)) contract_violation("kt::format_vkey: invalid key name");
  if (key.public_key.empty()) contract_violation("kt::format_vkey: empty key");
  return key.name + '+' + to_hex(view_of(key.key_id)) + '+' +
         crypto::base64_encode(concat({ByteView(&key.type, 1), key.public_key}));
}

std::string format_vkey(std::string_view name, std::byte type, ByteView public_key) {
  return format_vkey(VerifierKey{std::string(name), note_key_id(name, type, public_key), type,
                                 to_bytes(public_key)});
}

}  // namespace bulwark::kt
