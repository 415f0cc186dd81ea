#include "protocol/mls/messages/key_package.h"

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

void encode_signed_part(TlsWriter& w, const KeyPackage& v) {
  encode(w, v.version);
  encode_cipher_suite(w, v.cipher_suite);
  put_opaque(w, v.init_key, max_public_key_bytes);
  encode(w, v.leaf_node);
  encode_extensions(w, v.extensions);
}

}  // namespace

void encode(TlsWriter& w, const KeyPackage& v) {
  encode_signed_part(w, v);
  put_opaque(w, v.signature, max_signature_bytes);
}

Result<KeyPackage> decode_key_package(TlsReader& r) {
  KeyPackage out;
  out.version = BULWARK_TRY(decode_protocol_version(r));
  out.cipher_suite = BULWARK_TRY(decode_cipher_suite(r));
  out.init_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.leaf_node = BULWARK_TRY(decode_leaf_node(r));
  out.extensions = BULWARK_TRY(decode_extensions(r));
  out.signature = BULWARK_TRY(get_opaque(r, max_signature_bytes));
  return out;
}

Result<Bytes> serialize(const KeyPackage& v) { return serialize_with_encode(v); }

Result<KeyPackage> deserialize_key_package(ByteView input) {
  return decode_all(input, decode_key_package);
}

Result<Bytes> key_package_tbs(const KeyPackage& v) {
  return encode_with([&](TlsWriter& w) { encode_signed_part(w, v); });
}

}  // namespace bulwark::protocol::mls
