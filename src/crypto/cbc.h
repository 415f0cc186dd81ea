// AES-256-CBC with PKCS#7 padding (NIST SP 800-38A; RFC 5652 §6.3), on OpenSSL: the body
// cipher of Signal messages, which authenticate it separately with HMAC-SHA256.
//
// CBC is not authenticated: decrypt only what a MAC has already verified (Signal checks the
// HMAC first). That is also what keeps padding-oracle attacks out: a padding error is
// Errc::auth_failed, the same code as a MAC failure, but OpenSSL's unpadding is not
// constant-time, so this function must never run on unauthenticated input.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::crypto {

inline constexpr std::size_t aes256cbc_key_bytes = 32;
inline constexpr std::size_t aes256cbc_iv_bytes = 16;
inline constexpr std::size_t aes_block_bytes = 16;

// Ciphertext length is the plaintext length rounded up to the next multiple of 16 (a full
// block of padding when the plaintext is already block-aligned).
[[nodiscard]] Result<Bytes> aes256cbc_encrypt(ByteView key, ByteView iv, ByteView plaintext);
[[nodiscard]] Result<Bytes> aes256cbc_decrypt(ByteView key, ByteView iv, ByteView ciphertext);

}  // namespace bulwark::crypto
