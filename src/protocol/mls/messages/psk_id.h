// PreSharedKeyID (RFC 9420 §8.4): names a pre-shared key that a PreSharedKey proposal or a
// Welcome's GroupSecrets injects into the key schedule (PSKLabel carries it too).
#pragma once

#include <cstdint>
#include <variant>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/types.h"

namespace bulwark::protocol::mls {

// The external case: opaque psk_id<V>.
struct ExternalPskId {
  Bytes psk_id;

  bool operator==(const ExternalPskId&) const = default;
};

// The resumption case: a past epoch's resumption_psk of some group.
struct ResumptionPskId {
  ResumptionPSKUsage usage = ResumptionPSKUsage::application;
  Bytes psk_group_id;
  std::uint64_t psk_epoch = 0;

  bool operator==(const ResumptionPskId&) const = default;
};

// struct {
//   PSKType psktype;
//   select (PreSharedKeyID.psktype) {
//     case external:
//       opaque psk_id<V>;
//     case resumption:
//       ResumptionPSKUsage usage;
//       opaque psk_group_id<V>;
//       uint64 psk_epoch;
//   };
//   opaque psk_nonce<V>;
// } PreSharedKeyID;
//
// The variant's alternative is psktype (psk_type(id) names it).
struct PreSharedKeyID {
  std::variant<ExternalPskId, ResumptionPskId> id;
  Bytes psk_nonce;

  bool operator==(const PreSharedKeyID&) const = default;
};

[[nodiscard]] PSKType psk_type(const PreSharedKeyID& v) noexcept;

void encode(TlsWriter& w, const PreSharedKeyID& v);
[[nodiscard]] Result<PreSharedKeyID> decode_pre_shared_key_id(TlsReader& r);

}  // namespace bulwark::protocol::mls
