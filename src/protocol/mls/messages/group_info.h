// GroupInfo (RFC 9420 §12.4.3): what a joiner needs to know about a group (sent encrypted
// in a Welcome, or in the clear for external joins), and the GroupInfoTBS encoding its
// signature covers.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/extensions.h"
#include "protocol/mls/messages/group_context.h"

namespace bulwark::protocol::mls {

// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
//     /* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) */
//     opaque signature<V>;
// } GroupInfo;
struct GroupInfo {
  GroupContext group_context;
  std::vector<Extension> extensions;
  Bytes confirmation_tag;
  std::uint32_t signer = 0;
  Bytes signature;

  bool operator==(const GroupInfo&) const = default;
};

void encode(TlsWriter& w, const GroupInfo& v);
[[nodiscard]] Result<GroupInfo> decode_group_info(TlsReader& r);
[[nodiscard]] Result<Bytes> serialize(const GroupInfo& v);
[[nodiscard]] Result<GroupInfo> deserialize_group_info(ByteView input);

// struct {
//     GroupContext group_context;
//     Extension extensions<V>;
//     MAC confirmation_tag;
//     uint32 signer;
// } GroupInfoTBS;
[[nodiscard]] Result<Bytes> group_info_tbs(const GroupInfo& v);

}  // namespace bulwark::protocol::mls
