#include "protocol/mls/messages/welcome.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

void encode(TlsWriter& w, const EncryptedGroupSecrets& v) {
  put_opaque(w, v.new_member, max_hash_bytes);
  encode(w, v.encrypted_group_secrets);
}

Result<EncryptedGroupSecrets> decode_encrypted_group_secrets(TlsReader& r) {
  EncryptedGroupSecrets out;
  out.new_member = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  out.encrypted_group_secrets = BULWARK_TRY(decode_hpke_ciphertext(r));
  return out;
}

void encode(TlsWriter& w, const Welcome& v) {
  encode_cipher_suite(w, v.cipher_suite);
  encode_list(w, v.secrets, max_list_bytes, max_welcome_secrets);
  put_opaque(w, v.encrypted_group_info, max_encrypted_group_info_bytes);
}

Result<Welcome> decode_welcome(TlsReader& r) {
  Welcome out;
  out.cipher_suite = BULWARK_TRY(decode_cipher_suite(r));
  out.secrets = BULWARK_TRY(decode_list<EncryptedGroupSecrets>(
      r, max_list_bytes, max_welcome_secrets, decode_encrypted_group_secrets));
  out.encrypted_group_info = BULWARK_TRY(get_opaque(r, max_encrypted_group_info_bytes));
  return out;
}

Result<Bytes> serialize(const Welcome& v) { return serialize_with_encode(v); }

Result<Welcome> deserialize_welcome(ByteView input) { return decode_all(input, decode_welcome); }

}  // namespace bulwark::protocol::mls
