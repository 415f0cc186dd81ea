// Test-only: deterministic encapsulation from a chosen 32-byte message (ML-KEM.Encaps_internal,
// FIPS 203 §6.2), for known-answer tests and fuzzing. FIPS 203 §6 keeps it away from
// applications: a repeated message repeats the shared secret. For kyber1024, `message` is the
// raw random input that round 3 hashes before use. Other modules cannot include crypto/detail/.
#pragma once

#include "crypto/kem.h"

namespace bulwark::crypto::detail {

namespace mlkem768 {
[[nodiscard]] Result<KemEncapsulation> encapsulate_with_message(ByteView public_key,
                                                                ByteView message);
}  // namespace mlkem768
namespace mlkem1024 {
[[nodiscard]] Result<KemEncapsulation> encapsulate_with_message(ByteView public_key,
                                                                ByteView message);
}  // namespace mlkem1024
namespace kyber1024 {
[[nodiscard]] Result<KemEncapsulation> encapsulate_with_message(ByteView public_key,
                                                                ByteView message);
}  // namespace kyber1024

}  // namespace bulwark::crypto::detail
