#include "protocol/mls/messages/group_info.h"

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

void encode_signed_part(TlsWriter& w, const GroupInfo& v) {
  encode(w, v.group_context);
  encode_extensions(w, v.extensions);
  put_opaque(w, v.confirmation_tag, max_hash_bytes);
  w.u32(v.signer);
}

}  // namespace

void encode(TlsWriter& w, const GroupInfo& v) {
  encode_signed_part(w, v);
  put_opaque(w, v.signature, max_signature_bytes);
}

Result<GroupInfo> decode_group_info(TlsReader& r) {
  GroupInfo out;
  out.group_context = BULWARK_TRY(decode_group_context(r));
  out.extensions = BULWARK_TRY(decode_extensions(r));
  out.confirmation_tag = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  out.signer = BULWARK_TRY(r.u32());
  out.signature = BULWARK_TRY(get_opaque(r, max_signature_bytes));
  return out;
}

Result<Bytes> serialize(const GroupInfo& v) { return serialize_with_encode(v); }

Result<GroupInfo> deserialize_group_info(ByteView input) {
  return decode_all(input, decode_group_info);
}

Result<Bytes> group_info_tbs(const GroupInfo& v) {
  return encode_with([&](TlsWriter& w) { encode_signed_part(w, v); });
}

}  // namespace bulwark::protocol::mls
