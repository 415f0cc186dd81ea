// Transcript hashes and the confirmation tag (RFC 9420 §8.2, §6.1).
//
// Each epoch's GroupContext carries the confirmed transcript hash: a hash chain over every
// Commit (with the signature that authenticated it) and the confirmation tag of the Commit
// before it. The confirmation tag is a MAC of that hash under the new epoch's
// confirmation_key, proving that the committer reached the same epoch secrets.
//
//   confirmed_transcript_hash[n] = Hash(interim_transcript_hash[n-1] ||
//                                       ConfirmedTranscriptHashInput[n])
//   interim_transcript_hash[n]   = Hash(confirmed_transcript_hash[n] ||
//                                       InterimTranscriptHashInput[n])
//   confirmation_tag             = MAC(confirmation_key, confirmed_transcript_hash)
//
// Hash is SHA-256 and MAC is HMAC-SHA256: the primitives of cipher suites 1 and 3 (and 2).
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/messages/framing.h"

namespace bulwark::protocol::mls {

// struct {
//     WireFormat wire_format;
//     FramedContent content; /* with content_type == commit */
//     opaque signature<V>;
// } ConfirmedTranscriptHashInput;
//
// The confirmed transcript hash after `commit`, given the interim transcript hash of the
// epoch it was sent in. invalid_argument unless `commit` holds a Commit.
[[nodiscard]] Result<Bytes> confirmed_transcript_hash(ByteView interim_transcript_hash_before,
                                                      const AuthenticatedContent& commit);

// struct {
//     MAC confirmation_tag;
// } InterimTranscriptHashInput;
//
// The interim transcript hash of the new epoch.
[[nodiscard]] Result<Bytes> interim_transcript_hash(ByteView confirmed_transcript_hash,
                                                    ByteView confirmation_tag);

// MAC(confirmation_key, confirmed_transcript_hash). The key is the epoch's confirmation_key
// (a secret: pass SecretBytes::view()).
[[nodiscard]] Bytes confirmation_tag(ByteView confirmation_key, ByteView confirmed_transcript_hash);

// True when `tag` is the confirmation tag of `confirmed_transcript_hash` under the key;
// compared in constant time.
[[nodiscard]] bool verify_confirmation_tag(ByteView confirmation_key,
                                           ByteView confirmed_transcript_hash,
                                           ByteView tag) noexcept;

}  // namespace bulwark::protocol::mls
