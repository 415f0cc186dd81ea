// Authenticated encryption: AES-256-GCM and AES-128-GCM (NIST SP 800-38D, OpenSSL; AES-128 for
// MLS cipher suite 1's HPKE) and ChaCha20-Poly1305 (RFC 8439, IETF variant, libsodium).
//
// Output of encrypt is ciphertext || 16-byte tag. Every decryption failure is
// Errc::auth_failed and returns no plaintext. Wrong key or nonce lengths are
// Errc::invalid_length. Nonces must never repeat under one key; choosing them is the caller's
// job. Note: neither AEAD is key-committing; use a committing construction where a ciphertext
// must open to one message only (message franking).
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"

namespace bulwark::crypto {

inline constexpr std::size_t aes256gcm_key_bytes = 32;
inline constexpr std::size_t aes256gcm_nonce_bytes = 12;
inline constexpr std::size_t aes256gcm_tag_bytes = 16;

[[nodiscard]] Result<Bytes> aes256gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext,
                                              ByteView associated_data);
[[nodiscard]] Result<Bytes> aes256gcm_decrypt(ByteView key, ByteView nonce,
                                              ByteView ciphertext_and_tag,
                                              ByteView associated_data);

inline constexpr std::size_t aes128gcm_key_bytes = 16;
inline constexpr std::size_t aes128gcm_nonce_bytes = 12;
inline constexpr std::size_t aes128gcm_tag_bytes = 16;

[[nodiscard]] Result<Bytes> aes128gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext,
                                              ByteView associated_data);
[[nodiscard]] Result<Bytes> aes128gcm_decrypt(ByteView key, ByteView nonce,
                                              ByteView ciphertext_and_tag,
                                              ByteView associated_data);

inline constexpr std::size_t chacha20poly1305_key_bytes = 32;
inline constexpr std::size_t chacha20poly1305_nonce_bytes = 12;
inline constexpr std::size_t chacha20poly1305_tag_bytes = 16;

[[nodiscard]] Result<Bytes> chacha20poly1305_encrypt(ByteView key, ByteView nonce,
                                                     ByteView plaintext,
                                                     ByteView associated_data);
[[nodiscard]] Result<Bytes> chacha20poly1305_decrypt(ByteView key, ByteView nonce,
                                                     ByteView ciphertext_and_tag,
                                                     ByteView associated_data);

}  // namespace bulwark::crypto
