#include "protocol/mls/messages/leaf_node.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

// Every field the signature covers, up to and including the extensions.
void encode_signed_part(TlsWriter& w, const LeafNode& v) {
  put_opaque(w, v.encryption_key, max_public_key_bytes);
  put_opaque(w, v.signature_key, max_public_key_bytes);
  encode(w, v.credential);
  encode(w, v.capabilities);
  encode(w, v.leaf_node_source);
  const bool wants_lifetime = v.leaf_node_source == LeafNodeSource::key_package;
  const bool wants_parent_hash = v.leaf_node_source == LeafNodeSource::commit;
  if (v.lifetime.has_value() != wants_lifetime || v.parent_hash.has_value() != wants_parent_hash) {
    w.reject();
    return;
  }
  if (v.lifetime) encode(w, *v.lifetime);
  if (v.parent_hash) put_opaque(w, *v.parent_hash, max_hash_bytes);
  encode_extensions(w, v.extensions);
}

}  // namespace

void encode(TlsWriter& w, const LeafNode& v) {
  encode_signed_part(w, v);
  put_opaque(w, v.signature, max_signature_bytes);
}

Result<LeafNode> decode_leaf_node(TlsReader& r) {
  LeafNode out;
  out.encryption_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.signature_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.credential = BULWARK_TRY(decode_credential(r));
  out.capabilities = BULWARK_TRY(decode_capabilities(r));
  out.leaf_node_source = BULWARK_TRY(decode_leaf_node_source(r));
  switch (out.leaf_node_source) {
    case LeafNodeSource::key_package:
      out.lifetime = BULWARK_TRY(decode_lifetime(r));
      break;
    case LeafNodeSource::update:
      break;
    case LeafNodeSource::commit:
      out.parent_hash = BULWARK_TRY(get_opaque(r, max_hash_bytes));
      break;
  }
  out.extensions = BULWARK_TRY(decode_extensions(r));
  out.signature = BULWARK_TRY(get_opaque(r, max_signature_bytes));
  return out;
}

Result<Bytes> leaf_node_tbs(const LeafNode& leaf, ByteView group_id, std::uint32_t leaf_index) {
  return encode_with([&](TlsWriter& w) {
    encode_signed_part(w, leaf);
    if (leaf.leaf_node_source == LeafNodeSource::key_package) return;
    put_opaque(w, group_id, max_group_id_bytes);
    w.u32(leaf_index);
  });
}

}  // namespace bulwark::protocol::mls
