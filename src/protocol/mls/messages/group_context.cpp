#include "protocol/mls/messages/group_context.h"

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

void encode(TlsWriter& w, const GroupContext& v) {
  if (v.version != ProtocolVersion::mls10) w.reject();
  encode(w, v.version);
  encode_cipher_suite(w, v.cipher_suite);
  put_opaque(w, v.group_id, max_group_id_bytes);
  w.u64(v.epoch);
  put_opaque(w, v.tree_hash, max_hash_bytes);
  put_opaque(w, v.confirmed_transcript_hash, max_hash_bytes);
  encode_extensions(w, v.extensions);
}

Result<GroupContext> decode_group_context(TlsReader& r) {
  GroupContext out;
  out.version = BULWARK_TRY(decode_protocol_version(r));
  if (out.version != ProtocolVersion::mls10) {
    return fail(Errc::invalid_encoding, "GroupContext.version is fixed to mls10");
  }
  out.cipher_suite = BULWARK_TRY(decode_cipher_suite(r));
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.epoch = BULWARK_TRY(r.u64());
  out.tree_hash = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  out.confirmed_transcript_hash = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  out.extensions = BULWARK_TRY(decode_extensions(r));
  return out;
}

Result<Bytes> serialize(const GroupContext& v) { return serialize_with_encode(v); }

Result<GroupContext> deserialize_group_context(ByteView input) {
  return decode_all(input, decode_group_context);
}

}  // namespace bulwark::protocol::mls
