// Label-version inputs and value commitments (draft-ietf-keytrans-protocol §11.6 Commitment
// and §11.7 Verifiable Random Function, suite KT_128_SHA256_Ed25519: Nc = 16 and the fixed
// HMAC key Kc = d821f8790d97709796b4d7903357c3f5).
//
//   struct { opaque label<0..2^8-1>; uint32 version; } VrfInput;
//   struct { opaque value<0..2^32-1>; } UpdateValue;  (Third-Party Auditing: no suffix)
//   struct { opaque opening[Nc]; opaque label<0..2^8-1>; uint32 version;
//            UpdateValue update; } CommitmentValue;
//   commitment = HMAC-SHA256(Kc, CommitmentValue)
//
// The prefix tree holds only commitments, so an auditor who sees every leaf learns nothing
// about the values; a searcher gets the opening of the version it asked for. Labels are at
// most 255 bytes and values at most max_kt_value_bytes (a device list is far smaller).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/merkle.h"

namespace bulwark::kt {

inline constexpr std::size_t opening_bytes = 16;
inline constexpr std::size_t max_label_bytes = 255;
inline constexpr std::size_t max_kt_value_bytes = 64 * 1024;

using Opening = std::array<std::byte, opening_bytes>;

// Errc::invalid_argument for a label longer than 255 bytes.
[[nodiscard]] Result<Bytes> vrf_input(ByteView label, std::uint32_t version);

// Errc::invalid_argument for a label longer than 255 bytes or a value longer than
// max_kt_value_bytes.
[[nodiscard]] Result<Hash> commitment(const Opening& opening, ByteView label,
                                      std::uint32_t version, ByteView value);

}  // namespace bulwark::kt
