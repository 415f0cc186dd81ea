#include "crypto/kem.h"

#include <array>

#include "crypto/detail/kem_internal.h"
#include "crypto/mlkem/kem_scheme.h"

namespace bulwark::crypto {
namespace {

template <class Scheme>
KemKeyPair random_keypair(Rng& rng) {
  SecretBytes seed(kem_seed_bytes);
  rng.fill(seed.writable());
  auto pair = Scheme::keypair_from_seed(seed.view());
  if (!pair) contract_violation("KEM key generation from a 64-byte seed failed");
  return std::move(*pair);
}

template <class Scheme>
Result<KemEncapsulation> random_encapsulation(ByteView public_key, Rng& rng) {
  SecretBytes message(kem_message_bytes);
  rng.fill(message.writable());
  return Scheme::encapsulate(public_key, message.view());
}

}  // namespace

// One set of entry points per parameter set; each forwards to its KemScheme instance.
#define BULWARK_KEM_ENTRY_POINTS(ns, scheme)                                                   \
  namespace ns {                                                                               \
  KemKeyPair keypair(Rng& rng) { return random_keypair<scheme>(rng); }                         \
  Result<KemKeyPair> keypair_from_seed(ByteView seed) { return scheme::keypair_from_seed(seed); } \
  Result<void> check_public_key(ByteView public_key) {                                         \
    return scheme::check_public_key(public_key);                                               \
  }                                                                                            \
  Result<KemEncapsulation> encapsulate(ByteView public_key, Rng& rng) {                        \
    return random_encapsulation<scheme>(public_key, rng);                                      \
  }                                                                                            \
  Result<SecretBytes> decapsulate(const SecretBytes& secret_key, ByteView ciphertext) {        \
    return scheme::decapsulate(secret_key, ciphertext);                                        \
  }                                                                                            \
  }

using MlKem768 = mlkem::KemScheme<mlkem::Params768, mlkem::Variant::fips203>;
using MlKem1024 = mlkem::KemScheme<mlkem::Params1024, mlkem::Variant::fips203>;
using Kyber1024 = mlkem::KemScheme<mlkem::Params1024, mlkem::Variant::kyber_round3>;

BULWARK_KEM_ENTRY_POINTS(mlkem768, MlKem768)
BULWARK_KEM_ENTRY_POINTS(mlkem1024, MlKem1024)
BULWARK_KEM_ENTRY_POINTS(kyber1024, Kyber1024)

#undef BULWARK_KEM_ENTRY_POINTS

namespace detail {
Result<KemEncapsulation> mlkem768::encapsulate_with_message(ByteView public_key, ByteView message) {
  return MlKem768::encapsulate(public_key, message);
}
Result<KemEncapsulation> mlkem1024::encapsulate_with_message(ByteView public_key, ByteView message) {
  return MlKem1024::encapsulate(public_key, message);
}
Result<KemEncapsulation> kyber1024::encapsulate_with_message(ByteView public_key, ByteView message) {
  return Kyber1024::encapsulate(public_key, message);
}
}  // namespace detail

static_assert(mlkem768::public_key_bytes == mlkem::Params768::public_key_bytes);
static_assert(mlkem768::secret_key_bytes == mlkem::Params768::secret_key_bytes);
static_assert(mlkem768::ciphertext_bytes == mlkem::Params768::ciphertext_bytes);
static_assert(mlkem1024::public_key_bytes == mlkem::Params1024::public_key_bytes);
static_assert(mlkem1024::secret_key_bytes == mlkem::Params1024::secret_key_bytes);
static_assert(mlkem1024::ciphertext_bytes == mlkem::Params1024::ciphertext_bytes);

}  // namespace bulwark::crypto
