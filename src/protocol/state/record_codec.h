// The at-rest form of a SessionRecord (proto/storage.proto), for stores that keep records as
// bytes: a client's encrypted database, and the in-memory reference store, which round-trips
// every record so that every session test also tests this codec.
//
// The bytes hold key material, so they are SecretBytes, and the protobuf objects' copies of
// secrets are wiped before release. Reading checks key encodings, key and ciphertext lengths,
// and libsignal's bounds (receiver chains, skipped keys, archived states), so a malformed
// record is an error, never a state that could make the cipher loop or allocate without
// bound. It does not recompute the sending ratchet's public key from its private key (an
// X25519 multiplication on every load): a record whose two halves disagree only makes the
// peer fail to decrypt. Integrity at rest is the encrypted store's job (SQLCipher
// authenticates every page).
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"
#include "protocol/state/session_record.h"

namespace bulwark::protocol {

// Far above the largest legal record (41 states x 5 chains x 2000 skipped keys is ~16 MiB).
inline constexpr std::size_t max_session_record_bytes = 32 * 1024 * 1024;

[[nodiscard]] SecretBytes serialize_session_record(const SessionRecord& record);

// Errc::invalid_encoding for bytes that are not a valid record.
[[nodiscard]] Result<SessionRecord> deserialize_session_record(ByteView bytes);

}  // namespace bulwark::protocol
