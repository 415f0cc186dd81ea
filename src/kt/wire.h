// The KT wire format of search proofs and audit entries: the TLS presentation language
// structs given in kt/search.h, kt/prefix_proof.h and kt/audit.h, big-endian, with every
// count bounded before anything is allocated.
//
// Decoders are strict: unknown result types, a flag other than 0 or 1, a depth beyond 256,
// a count beyond its bound or trailing bytes are refused with Errc::invalid_encoding,
// truncated or trailing_data; nothing is ever read past the input.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "kt/audit.h"
#include "kt/search.h"

namespace bulwark::kt {

inline constexpr std::size_t max_ladder_steps = 70;     // 2 * 32 + a few: any uint32 version
inline constexpr std::size_t max_log_proof_hashes = 128;  // 2 * 64 levels
inline constexpr std::size_t max_prefix_elements = 65535;
inline constexpr std::size_t max_audit_leaves = std::size_t{1} << 24;

[[nodiscard]] Result<Bytes> encode_search_proof(const SearchProof& proof);
[[nodiscard]] Result<SearchProof> decode_search_proof(ByteView bytes);

[[nodiscard]] Result<Bytes> encode_audit_entry(const AuditEntry& entry);
[[nodiscard]] Result<AuditEntry> decode_audit_entry(ByteView bytes);

}  // namespace bulwark::kt
