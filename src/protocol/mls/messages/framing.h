// Message framing (RFC 9420 §6): Sender, FramedContent and its authentication data,
// AuthenticatedContent, PublicMessage, and the FramedContentTBS / AuthenticatedContentTBM
// encodings that signatures and membership tags cover.
//
// Selector rules kept by both directions (decoders produce, encoders reject the opposite):
// Sender's index fields are used only for the sender types that carry them; the
// confirmation_tag is present iff the content is a commit; a PublicMessage's membership_tag is
// present iff the sender is a member. PrivateMessage is in private_message.h.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/commit.h"
#include "protocol/mls/messages/group_context.h"
#include "protocol/mls/messages/proposals.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// struct {
//     SenderType sender_type;
//     select (Sender.sender_type) {
//         case member:
//             uint32 leaf_index;
//         case external:
//             uint32 sender_index;
//         case new_member_commit:
//         case new_member_proposal:
//             struct{};
//     };
// } Sender;
struct Sender {
  SenderType sender_type = SenderType::member;
  std::uint32_t leaf_index = 0;    // member only; 0 otherwise
  std::uint32_t sender_index = 0;  // external only (an index into external_senders); 0 otherwise

  bool operator==(const Sender&) const = default;
};

[[nodiscard]] Sender member_sender(std::uint32_t leaf_index) noexcept;
[[nodiscard]] Sender external_sender(std::uint32_t sender_index) noexcept;
[[nodiscard]] Sender new_member_sender(SenderType type) noexcept;

// opaque application_data<V>; (the application case of FramedContent's select)
struct ApplicationData {
  Bytes data;

  bool operator==(const ApplicationData&) const = default;
};

// FramedContent's (and PrivateMessageContent's) select on ContentType: the alternative is the
// content type (content_type(body) names it).
using ContentBody = std::variant<ApplicationData, Proposal, Commit>;

[[nodiscard]] ContentType content_type(const ContentBody& v) noexcept;

// struct {
//     opaque group_id<V>;
//     uint64 epoch;
//     Sender sender;
//     opaque authenticated_data<V>;
//
//     ContentType content_type;
//     select (FramedContent.content_type) {
//         case application:
//           opaque application_data<V>;
//         case proposal:
//           Proposal proposal;
//         case commit:
//           Commit commit;
//     };
// } FramedContent;
struct FramedContent {
  Bytes group_id;
  std::uint64_t epoch = 0;
  Sender sender;
  Bytes authenticated_data;
  ContentBody content;

  bool operator==(const FramedContent&) const = default;
};

// struct {
//     /* SignWithLabel(., "FramedContentTBS", FramedContentTBS) */
//     opaque signature<V>;
//     select (FramedContent.content_type) {
//         case commit:
//             MAC confirmation_tag;
//         case application:
//         case proposal:
//             struct{};
//     };
// } FramedContentAuthData;
struct FramedContentAuthData {
  Bytes signature;
  std::optional<Bytes> confirmation_tag;  // iff the content is a commit

  bool operator==(const FramedContentAuthData&) const = default;
};

// struct {
//     WireFormat wire_format;
//     FramedContent content;
//     FramedContentAuthData auth;
// } AuthenticatedContent;
// wire_format is mls_public_message or mls_private_message.
struct AuthenticatedContent {
  WireFormat wire_format = WireFormat::mls_public_message;
  FramedContent content;
  FramedContentAuthData auth;

  bool operator==(const AuthenticatedContent&) const = default;
};

// struct {
//     FramedContent content;
//     FramedContentAuthData auth;
//     select (PublicMessage.content.sender.sender_type) {
//         case member:
//             MAC membership_tag;
//         case external:
//         case new_member_commit:
//         case new_member_proposal:
//             struct{};
//     };
// } PublicMessage;
struct PublicMessage {
  FramedContent content;
  FramedContentAuthData auth;
  std::optional<Bytes> membership_tag;  // iff the sender is a member

  bool operator==(const PublicMessage&) const = default;
};

void encode(TlsWriter& w, const Sender& v);
[[nodiscard]] Result<Sender> decode_sender(TlsReader& r);
// The content without its ContentType (PrivateMessageContent writes it so).
void encode_content_body(TlsWriter& w, const ContentBody& v);
[[nodiscard]] Result<ContentBody> decode_content_body(TlsReader& r, ContentType type);
void encode(TlsWriter& w, const FramedContent& v);
[[nodiscard]] Result<FramedContent> decode_framed_content(TlsReader& r);
// The auth data alone; callers that know the content type check the tag's presence.
void encode(TlsWriter& w, const FramedContentAuthData& v);
[[nodiscard]] Result<FramedContentAuthData> decode_framed_content_auth_data(TlsReader& r,
                                                                            ContentType type);
void encode(TlsWriter& w, const AuthenticatedContent& v);
[[nodiscard]] Result<AuthenticatedContent> decode_authenticated_content(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const AuthenticatedContent& v);
[[nodiscard]] Result<AuthenticatedContent> deserialize_authenticated_content(ByteView input);
void encode(TlsWriter& w, const PublicMessage& v);
[[nodiscard]] Result<PublicMessage> decode_public_message(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const PublicMessage& v);
[[nodiscard]] Result<PublicMessage> deserialize_public_message(ByteView input);

// The FramedContentTBS encoding (§6.1):
// struct {
//     ProtocolVersion version = mls10;
//     WireFormat wire_format;
//     FramedContent content;
//     select (FramedContentTBS.content.sender.sender_type) {
//         case member:
//         case new_member_commit:
//             GroupContext context;
//         case external:
//         case new_member_proposal:
//             struct{};
//     };
// } FramedContentTBS;
// `context` is required (non-null) for member and new_member_commit senders, and ignored for
// the others; a missing one is invalid_argument.
[[nodiscard]] Result<Bytes> framed_content_tbs(WireFormat wire_format, const FramedContent& content,
                                               const GroupContext* context);

// The AuthenticatedContentTBM encoding a PublicMessage's membership_tag covers (§6.2):
// struct {
//   FramedContentTBS content_tbs;
//   FramedContentAuthData auth;
// } AuthenticatedContentTBM;
// with wire_format mls_public_message.
[[nodiscard]] Result<Bytes> authenticated_content_tbm(const FramedContent& content,
                                                      const FramedContentAuthData& auth,
                                                      const GroupContext* context);

}  // namespace bulwark::protocol::mls
