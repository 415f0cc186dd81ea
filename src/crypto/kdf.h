// HKDF-SHA256 (RFC 5869), on OpenSSL's EVP_KDF.
//
// Preconditions (checked, errors not aborts): an empty salt means HashLen zero bytes, as the
// RFC says; 1 <= length <= 255 * 32; info is at most 32 KiB (OpenSSL 3.0's limit); for expand,
// prk.size() >= 32.
#pragma once

#include <cstddef>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t hkdf_sha256_prk_bytes = 32;
inline constexpr std::size_t hkdf_sha256_max_output_bytes = 255 * 32;
inline constexpr std::size_t hkdf_sha256_max_info_bytes = 32 * 1024;

// Extract then expand: OKM of `length` bytes.
[[nodiscard]] Result<SecretBytes> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info,
                                              std::size_t length);
// HKDF-Extract(salt, ikm) = PRK.
[[nodiscard]] Result<SecretBytes> hkdf_sha256_extract(ByteView salt, ByteView ikm);
// HKDF-Expand(prk, info, length) = OKM.
[[nodiscard]] Result<SecretBytes> hkdf_sha256_expand(ByteView prk, ByteView info,
                                                     std::size_t length);

}  // namespace bulwark::crypto
