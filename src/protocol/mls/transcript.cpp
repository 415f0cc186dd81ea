#include "protocol/mls/transcript.h"

#include "crypto/compare.h"
#include "crypto/hash.h"
#include "crypto/mac.h"
#include "protocol/mls/codec.h"
#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

Result<Bytes> confirmed_transcript_hash(ByteView interim_transcript_hash_before,
                                        const AuthenticatedContent& commit) {
  if (content_type(commit.content.content) != ContentType::commit) {
    return fail(Errc::invalid_argument, "the confirmed transcript hash covers commits only");
  }
  const Bytes input = BULWARK_TRY(encode_with([&](TlsWriter& w) {
    encode(w, commit.wire_format);
    encode(w, commit.content);
    put_opaque(w, commit.auth.signature, max_signature_bytes);
  }));
  const auto digest = crypto::sha256({interim_transcript_hash_before, input});
  return to_bytes(view_of(digest));
}

Result<Bytes> interim_transcript_hash(ByteView confirmed_transcript_hash,
                                      ByteView confirmation_tag) {
  const Bytes input = BULWARK_TRY(
      encode_with([&](TlsWriter& w) { put_opaque(w, confirmation_tag, max_hash_bytes); }));
  const auto digest = crypto::sha256({confirmed_transcript_hash, input});
  return to_bytes(view_of(digest));
}

Bytes confirmation_tag(ByteView confirmation_key, ByteView confirmed_transcript_hash) {
  const auto tag = crypto::hmac_sha256(confirmation_key, confirmed_transcript_hash);
  return to_bytes(view_of(tag));
}

bool verify_confirmation_tag(ByteView confirmation_key, ByteView confirmed_transcript_hash,
                             ByteView tag) noexcept {
  const auto expected = crypto::hmac_sha256(confirmation_key, confirmed_transcript_hash);
  return crypto::constant_time_equal(view_of(expected), tag);
}

}  // namespace bulwark::protocol::mls
