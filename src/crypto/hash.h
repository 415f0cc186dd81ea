// Hash functions: SHA-256 (FIPS 180-4, OpenSSL: SHA extensions where the CPU has them) and
// SHA-512 (libsodium), SHA3-256, SHA3-512 and the
// SHAKE128/SHAKE256 extendable-output functions (FIPS 202, OpenSSL).
//
// Multi-part inputs are hashed as their concatenation, without copying them together.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>

#include "common/bytes.h"

namespace bulwark::crypto {

inline constexpr std::size_t sha256_bytes = 32;
inline constexpr std::size_t sha512_bytes = 64;
inline constexpr std::size_t sha3_256_bytes = 32;
inline constexpr std::size_t sha3_512_bytes = 64;

using Sha256Digest = std::array<std::byte, sha256_bytes>;
using Sha512Digest = std::array<std::byte, sha512_bytes>;
using Sha3_256Digest = std::array<std::byte, sha3_256_bytes>;
using Sha3_512Digest = std::array<std::byte, sha3_512_bytes>;

[[nodiscard]] Sha256Digest sha256(std::initializer_list<ByteView> parts) noexcept;
[[nodiscard]] Sha512Digest sha512(std::initializer_list<ByteView> parts) noexcept;
[[nodiscard]] Sha3_256Digest sha3_256(std::initializer_list<ByteView> parts) noexcept;
[[nodiscard]] Sha3_512Digest sha3_512(std::initializer_list<ByteView> parts) noexcept;

[[nodiscard]] inline Sha256Digest sha256(ByteView data) noexcept { return sha256({data}); }
[[nodiscard]] inline Sha512Digest sha512(ByteView data) noexcept { return sha512({data}); }
[[nodiscard]] inline Sha3_256Digest sha3_256(ByteView data) noexcept { return sha3_256({data}); }
[[nodiscard]] inline Sha3_512Digest sha3_512(ByteView data) noexcept { return sha3_512({data}); }

// Writes out.size() bytes of SHAKE output for the concatenation of `parts`.
void shake128(std::initializer_list<ByteView> parts, MutableByteView out) noexcept;
void shake256(std::initializer_list<ByteView> parts, MutableByteView out) noexcept;

[[nodiscard]] Bytes shake128(ByteView data, std::size_t out_bytes);
[[nodiscard]] Bytes shake256(ByteView data, std::size_t out_bytes);

}  // namespace bulwark::crypto
