#include "protocol/mls/messages/framing.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

bool tag_fits(const ContentBody& content, const FramedContentAuthData& auth) noexcept {
  return auth.confirmation_tag.has_value() == (content_type(content) == ContentType::commit);
}

bool is_framed_wire_format(WireFormat format) noexcept {
  return format == WireFormat::mls_public_message || format == WireFormat::mls_private_message;
}

// FramedContentTBS carries the GroupContext for these senders (§6.1).
bool signs_group_context(SenderType type) noexcept {
  return type == SenderType::member || type == SenderType::new_member_commit;
}

Result<void> write_tbs(TlsWriter& w, WireFormat wire_format, const FramedContent& content,
                       const GroupContext* context) {
  if (!is_framed_wire_format(wire_format)) {
    return fail(Errc::invalid_argument, "FramedContentTBS of a wire format without framing");
  }
  const bool wants_context = signs_group_context(content.sender.sender_type);
  if (wants_context && context == nullptr) {
    return fail(Errc::invalid_argument, "FramedContentTBS of a member needs the GroupContext");
  }
  encode(w, ProtocolVersion::mls10);
  encode(w, wire_format);
  encode(w, content);
  if (wants_context) encode(w, *context);
  return {};
}

}  // namespace

Sender member_sender(std::uint32_t leaf_index) noexcept {
  return Sender{SenderType::member, leaf_index, 0};
}
Sender external_sender(std::uint32_t sender_index) noexcept {
  return Sender{SenderType::external, 0, sender_index};
}
Sender new_member_sender(SenderType type) noexcept { return Sender{type, 0, 0}; }

ContentType content_type(const ContentBody& v) noexcept {
  return static_cast<ContentType>(v.index() + 1);
}

void encode(TlsWriter& w, const Sender& v) {
  encode(w, v.sender_type);
  const bool is_member = v.sender_type == SenderType::member;
  const bool is_external = v.sender_type == SenderType::external;
  if ((!is_member && v.leaf_index != 0) || (!is_external && v.sender_index != 0)) {
    w.reject();
    return;
  }
  if (is_member) w.u32(v.leaf_index);
  if (is_external) w.u32(v.sender_index);
}

Result<Sender> decode_sender(TlsReader& r) {
  Sender out;
  out.sender_type = BULWARK_TRY(decode_sender_type(r));
  if (out.sender_type == SenderType::member) out.leaf_index = BULWARK_TRY(r.u32());
  if (out.sender_type == SenderType::external) out.sender_index = BULWARK_TRY(r.u32());
  return out;
}

void encode_content_body(TlsWriter& w, const ContentBody& v) {
  if (const auto* application = std::get_if<ApplicationData>(&v)) {
    put_opaque(w, application->data, max_application_data_bytes);
  } else if (const auto* proposal = std::get_if<Proposal>(&v)) {
    encode(w, *proposal);
  } else {
    encode(w, std::get<Commit>(v));
  }
}

Result<ContentBody> decode_content_body(TlsReader& r, ContentType type) {
  switch (type) {
    case ContentType::application: {
      Bytes data = BULWARK_TRY(get_opaque(r, max_application_data_bytes));
      return ContentBody{ApplicationData{std::move(data)}};
    }
    case ContentType::proposal: {
      Proposal proposal = BULWARK_TRY(decode_proposal(r));
      return ContentBody{std::move(proposal)};
    }
    case ContentType::commit:
      break;
  }
  Commit commit = BULWARK_TRY(decode_commit(r));
  return ContentBody{std::move(commit)};
}

void encode(TlsWriter& w, const FramedContent& v) {
  put_opaque(w, v.group_id, max_group_id_bytes);
  w.u64(v.epoch);
  encode(w, v.sender);
  put_opaque(w, v.authenticated_data, max_authenticated_data_bytes);
  encode(w, content_type(v.content));
  encode_content_body(w, v.content);
}

Result<FramedContent> decode_framed_content(TlsReader& r) {
  FramedContent out;
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.epoch = BULWARK_TRY(r.u64());
  out.sender = BULWARK_TRY(decode_sender(r));
  out.authenticated_data = BULWARK_TRY(get_opaque(r, max_authenticated_data_bytes));
  const ContentType type = BULWARK_TRY(decode_content_type(r));
  out.content = BULWARK_TRY(decode_content_body(r, type));
  return out;
}

void encode(TlsWriter& w, const FramedContentAuthData& v) {
  put_opaque(w, v.signature, max_signature_bytes);
  if (v.confirmation_tag) put_opaque(w, *v.confirmation_tag, max_hash_bytes);
}

Result<FramedContentAuthData> decode_framed_content_auth_data(TlsReader& r, ContentType type) {
  FramedContentAuthData out;
  out.signature = BULWARK_TRY(get_opaque(r, max_signature_bytes));
  if (type == ContentType::commit)
    out.confirmation_tag = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  return out;
}

void encode(TlsWriter& w, const AuthenticatedContent& v) {
  if (!is_framed_wire_format(v.wire_format) || !tag_fits(v.content.content, v.auth)) {
    w.reject();
    return;
  }
  encode(w, v.wire_format);
  encode(w, v.content);
  encode(w, v.auth);
}

Result<AuthenticatedContent> decode_authenticated_content(TlsReader& r) {
  AuthenticatedContent out;
  out.wire_format = BULWARK_TRY(decode_wire_format(r));
  if (!is_framed_wire_format(out.wire_format)) {
    return fail(Errc::invalid_encoding, "AuthenticatedContent of a wire format without framing");
  }
  out.content = BULWARK_TRY(decode_framed_content(r));
  out.auth = BULWARK_TRY(decode_framed_content_auth_data(r, content_type(out.content.content)));
  return out;
}

Result<Bytes> serialize(const AuthenticatedContent& v) { return serialize_with_encode(v); }

Result<AuthenticatedContent> deserialize_authenticated_content(ByteView input) {
  return decode_all(input, decode_authenticated_content);
}

void encode(TlsWriter& w, const PublicMessage& v) {
  const bool wants_tag = v.content.sender.sender_type == SenderType::member;
  if (!tag_fits(v.content.content, v.auth) || v.membership_tag.has_value() != wants_tag) {
    w.reject();
    return;
  }
  encode(w, v.content);
  encode(w, v.auth);
  if (v.membership_tag) put_opaque(w, *v.membership_tag, max_hash_bytes);
}

Result<PublicMessage> decode_public_message(TlsReader& r) {
  PublicMessage out;
  out.content = BULWARK_TRY(decode_framed_content(r));
  out.auth = BULWARK_TRY(decode_framed_content_auth_data(r, content_type(out.content.content)));
  if (out.content.sender.sender_type == SenderType::member) {
    out.membership_tag = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  }
  return out;
}

Result<Bytes> serialize(const PublicMessage& v) { return serialize_with_encode(v); }

Result<PublicMessage> deserialize_public_message(ByteView input) {
  return decode_all(input, decode_public_message);
}

Result<Bytes> framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                 const GroupContext* context) {
  TlsWriter w;
  BULWARK_TRY(write_tbs(w, wire_format, content, context));
  return std::move(w).finish();
}

Result<Bytes> authenticated_content_tbm(const FramedContent& content,
                                        const FramedContentAuthData& auth,
                                        const GroupContext* context) {
  TlsWriter w;
  BULWARK_TRY(write_tbs(w, WireFormat::mls_public_message, content, context));
  if (!tag_fits(content.content, auth)) w.reject();
  encode(w, auth);
  return std::move(w).finish();
}

}  // namespace bulwark::protocol::mls
