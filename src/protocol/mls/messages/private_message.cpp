#include "protocol/mls/messages/private_message.h"

#include <algorithm>
#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

void encode(TlsWriter& w, const PrivateMessage& v) {
  put_opaque(w, v.group_id, max_group_id_bytes);
  w.u64(v.epoch);
  encode(w, v.content_type);
  put_opaque(w, v.authenticated_data, max_authenticated_data_bytes);
  put_opaque(w, v.encrypted_sender_data, max_encrypted_sender_data_bytes);
  put_opaque(w, v.ciphertext, max_private_ciphertext_bytes);
}

Result<PrivateMessage> decode_private_message(TlsReader& r) {
  PrivateMessage out;
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.epoch = BULWARK_TRY(r.u64());
  out.content_type = BULWARK_TRY(decode_content_type(r));
  out.authenticated_data = BULWARK_TRY(get_opaque(r, max_authenticated_data_bytes));
  out.encrypted_sender_data = BULWARK_TRY(get_opaque(r, max_encrypted_sender_data_bytes));
  out.ciphertext = BULWARK_TRY(get_opaque(r, max_private_ciphertext_bytes));
  return out;
}

Result<Bytes> serialize(const PrivateMessage& v) { return serialize_with_encode(v); }

Result<PrivateMessage> deserialize_private_message(ByteView input) {
  return decode_all(input, decode_private_message);
}

void encode(TlsWriter& w, const PrivateMessageContent& v) {
  const bool is_commit = content_type(v.content) == ContentType::commit;
  if (v.auth.confirmation_tag.has_value() != is_commit ||
      v.padding > max_private_ciphertext_bytes) {
    w.reject();
    return;
  }
  encode_content_body(w, v.content);
  encode(w, v.auth);
  w.fixed(Bytes(v.padding));
}

Result<PrivateMessageContent> decode_private_message_content(TlsReader& r, ContentType type) {
  PrivateMessageContent out;
  out.content = BULWARK_TRY(decode_content_body(r, type));
  out.auth = BULWARK_TRY(decode_framed_content_auth_data(r, type));
  const ByteView padding = BULWARK_TRY(r.fixed(r.remaining()));
  if (std::any_of(padding.begin(), padding.end(), [](std::byte b) { return b != std::byte{0}; })) {
    return fail(Errc::invalid_encoding, "PrivateMessageContent padding is not all zero");
  }
  out.padding = padding.size();
  return out;
}

Result<Bytes> serialize(const PrivateMessageContent& v) { return serialize_with_encode(v); }

Result<PrivateMessageContent> deserialize_private_message_content(ByteView input,
                                                                  ContentType type) {
  TlsReader r(input);
  return decode_private_message_content(r, type);
}

void encode(TlsWriter& w, const SenderData& v) {
  w.u32(v.leaf_index);
  w.u32(v.generation);
  w.fixed(v.reuse_guard);
}

Result<SenderData> decode_sender_data(TlsReader& r) {
  SenderData out;
  out.leaf_index = BULWARK_TRY(r.u32());
  out.generation = BULWARK_TRY(r.u32());
  const ByteView guard = BULWARK_TRY(r.fixed(out.reuse_guard.size()));
  std::copy(guard.begin(), guard.end(), out.reuse_guard.begin());
  return out;
}

Result<Bytes> serialize(const SenderData& v) { return serialize_with_encode(v); }

Result<SenderData> deserialize_sender_data(ByteView input) {
  return decode_all(input, decode_sender_data);
}

void encode(TlsWriter& w, const PrivateContentAAD& v) {
  put_opaque(w, v.group_id, max_group_id_bytes);
  w.u64(v.epoch);
  encode(w, v.content_type);
  put_opaque(w, v.authenticated_data, max_authenticated_data_bytes);
}

Result<PrivateContentAAD> decode_private_content_aad(TlsReader& r) {
  PrivateContentAAD out;
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.epoch = BULWARK_TRY(r.u64());
  out.content_type = BULWARK_TRY(decode_content_type(r));
  out.authenticated_data = BULWARK_TRY(get_opaque(r, max_authenticated_data_bytes));
  return out;
}

Result<Bytes> serialize(const PrivateContentAAD& v) { return serialize_with_encode(v); }

void encode(TlsWriter& w, const SenderDataAAD& v) {
  put_opaque(w, v.group_id, max_group_id_bytes);
  w.u64(v.epoch);
  encode(w, v.content_type);
}

Result<SenderDataAAD> decode_sender_data_aad(TlsReader& r) {
  SenderDataAAD out;
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.epoch = BULWARK_TRY(r.u64());
  out.content_type = BULWARK_TRY(decode_content_type(r));
  return out;
}

Result<Bytes> serialize(const SenderDataAAD& v) { return serialize_with_encode(v); }

}  // namespace bulwark::protocol::mls
