#include "crypto/mlkem/kem_scheme.h"

#include <array>
#include <string>

#include "crypto/detail/ct.h"
#include "crypto/detail/keccak.h"
#include "crypto/mlkem/kpke.h"

namespace bulwark::crypto::mlkem {
namespace {

using detail::Keccak;
using detail::KeccakContext;

// Hides a value from the optimiser so that mask arithmetic is not turned back into a branch.
std::uint8_t value_barrier(std::uint8_t x) noexcept {
  __asm__("" : "+r"(x));
  return x;
}

// 0xff when a == b, else 0x00; reads every byte whatever the contents.
std::uint8_t equal_mask(ByteView a, ByteView b) noexcept {
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<std::uint8_t>(diff | std::to_integer<std::uint8_t>(a[i] ^ b[i]));
  }
  const std::uint32_t is_zero = (static_cast<std::uint32_t>(value_barrier(diff)) - 1) >> 31;
  return static_cast<std::uint8_t>(-is_zero);
}

// out = mask ? out : alternative, byte by byte. The mask goes through the barrier too: the
// optimiser can prove it is 0x00 or 0xff and might otherwise select with a branch.
void select_unless(MutableByteView out, ByteView alternative, std::uint8_t keep_mask) noexcept {
  const auto keep = static_cast<std::byte>(value_barrier(keep_mask));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = (out[i] & keep) | (alternative[i] & ~keep);
  }
}

template <class P>
Result<void> check_encapsulation_key(ByteView ek) {
  if (ek.size() != P::public_key_bytes) {
    return fail(Errc::invalid_length, "ML-KEM encapsulation key must be " +
                                          std::to_string(P::public_key_bytes) + " bytes");
  }
  for (int i = 0; i < P::k; ++i) {
    if (!encode12_is_reduced(u8(ek.subspan(poly_bytes * i, poly_bytes)))) {
      return fail(Errc::invalid_encoding, "ML-KEM encapsulation key coefficient >= q");
    }
  }
  return {};
}

}  // namespace

template <class P, Variant V>
Result<KemKeyPair> KemScheme<P, V>::keypair_from_seed(ByteView seed) {
  if (seed.size() != kem_seed_bytes) {
    return fail(Errc::invalid_length, "ML-KEM seed must be 64 bytes (d || z)");
  }
  KeccakContext keccak;
  const ByteView d = seed.first(32), z = seed.subspan(32);
  SecretBytes rho_sigma(64);
  const std::array<std::byte, 1> k_byte{static_cast<std::byte>(P::k)};
  if constexpr (V == Variant::fips203) {
    keccak.hash(Keccak::sha3_512, {d, k_byte}, rho_sigma.writable());
  } else {
    keccak.hash(Keccak::sha3_512, {d}, rho_sigma.writable());
  }
  // rho is public by design (it is the last 32 bytes of ek); SampleNTT branches on it.
  detail::ct_declassify(rho_sigma.view().data(), 32);
  KemKeyPair pair{Bytes(P::public_key_bytes), SecretBytes(P::secret_key_bytes)};
  const MutableByteView dk = pair.secret_key.writable();
  Kpke<P>::keygen(keccak, u8(rho_sigma.view().first(32)), u8(rho_sigma.view().subspan(32)),
                  u8(MutableByteView(pair.public_key)), u8(dk.first(P::polyvec_bytes)));
  // dk = dk_PKE || ek || H(ek) || z
  std::copy(pair.public_key.begin(), pair.public_key.end(), dk.begin() + P::polyvec_bytes);
  keccak.hash(Keccak::sha3_256, {pair.public_key},
              dk.subspan(P::polyvec_bytes + P::public_key_bytes, 32));
  std::copy(z.begin(), z.end(), dk.end() - 32);
  return pair;
}

template <class P, Variant V>
Result<void> KemScheme<P, V>::check_public_key(ByteView public_key) {
  return check_encapsulation_key<P>(public_key);
}

template <class P, Variant V>
Result<KemEncapsulation> KemScheme<P, V>::encapsulate(ByteView public_key, ByteView message) {
  BULWARK_TRY(check_encapsulation_key<P>(public_key));
  if (message.size() != kem_message_bytes) {
    return fail(Errc::invalid_length, "ML-KEM encapsulation randomness must be 32 bytes");
  }
  KeccakContext keccak;
  // G input: m || H(ek); Kyber round 3 replaces m by H(m) first.
  SecretBytes g_input(64);
  const MutableByteView m = g_input.writable().first(32);
  if constexpr (V == Variant::fips203) {
    std::copy(message.begin(), message.end(), m.begin());
  } else {
    keccak.hash(Keccak::sha3_256, {message}, m);
  }
  keccak.hash(Keccak::sha3_256, {public_key}, g_input.writable().subspan(32));
  SecretBytes k_r(64);
  keccak.hash(Keccak::sha3_512, {g_input.view()}, k_r.writable());

  KemEncapsulation out{Bytes(P::ciphertext_bytes), SecretBytes(kem_shared_secret_bytes)};
  Kpke<P>::encrypt(keccak, u8(public_key), u8(ByteView(m)), u8(k_r.view().subspan(32)),
                   u8(MutableByteView(out.ciphertext)));
  if constexpr (V == Variant::fips203) {
    const ByteView k = k_r.view().first(32);
    std::copy(k.begin(), k.end(), out.shared_secret.writable().begin());
  } else {
    std::array<std::byte, 32> ct_hash{};
    keccak.hash(Keccak::sha3_256, {out.ciphertext}, ct_hash);
    keccak.hash(Keccak::shake256, {k_r.view().first(32), ct_hash}, out.shared_secret.writable());
  }
  return out;
}

template <class P, Variant V>
Result<SecretBytes> KemScheme<P, V>::decapsulate(const SecretBytes& secret_key,
                                                 ByteView ciphertext) {
  if (ciphertext.size() != P::ciphertext_bytes) {
    return fail(Errc::invalid_length, "ML-KEM ciphertext must be " +
                                          std::to_string(P::ciphertext_bytes) + " bytes");
  }
  if (secret_key.size() != P::secret_key_bytes) {
    return fail(Errc::invalid_length, "ML-KEM decapsulation key must be " +
                                          std::to_string(P::secret_key_bytes) + " bytes");
  }
  const ByteView dk = secret_key.view();
  const ByteView dk_pke = dk.first(P::polyvec_bytes);
  const ByteView ek = dk.subspan(P::polyvec_bytes, P::public_key_bytes);
  const ByteView h = dk.subspan(P::polyvec_bytes + P::public_key_bytes, 32);
  const ByteView z = dk.subspan(P::polyvec_bytes + P::public_key_bytes + 32, 32);

  KeccakContext keccak;
  // FIPS 203 §7.3 hash check: the key must be internally consistent. Whether it is, is public.
  std::array<std::byte, 32> ek_hash{};
  keccak.hash(Keccak::sha3_256, {ek}, ek_hash);
  std::uint8_t key_ok = equal_mask(ek_hash, h);
  detail::ct_declassify(&key_ok, sizeof key_ok);
  if (key_ok == 0) return fail(Errc::invalid_encoding, "ML-KEM decapsulation key hash mismatch");

  SecretBytes g_input(64);  // m' || h
  Kpke<P>::decrypt(u8(dk_pke), u8(ciphertext), u8(g_input.writable().first(32)));
  std::copy(h.begin(), h.end(), g_input.writable().begin() + 32);
  SecretBytes k_r(64);  // (K', r') = G(m' || h)
  keccak.hash(Keccak::sha3_512, {g_input.view()}, k_r.writable());
  Bytes reencrypted(P::ciphertext_bytes);
  Kpke<P>::encrypt(keccak, u8(ek), u8(g_input.view().first(32)), u8(k_r.view().subspan(32)),
                   u8(MutableByteView(reencrypted)));
  const std::uint8_t ciphertext_matches = equal_mask(ciphertext, reencrypted);
  secure_wipe(reencrypted);

  SecretBytes shared(kem_shared_secret_bytes);
  const ByteView k_prime = k_r.view().first(32);
  std::copy(k_prime.begin(), k_prime.end(), shared.writable().begin());
  if constexpr (V == Variant::fips203) {
    SecretBytes rejection(32);  // K-bar = J(z || c)
    keccak.hash(Keccak::shake256, {z, ciphertext}, rejection.writable());
    select_unless(shared.writable(), rejection.view(), ciphertext_matches);
    return shared;
  } else {
    // K = KDF(K' || H(c)) on success, KDF(z || H(c)) on rejection.
    select_unless(shared.writable(), z, ciphertext_matches);
    std::array<std::byte, 32> ct_hash{};
    keccak.hash(Keccak::sha3_256, {ciphertext}, ct_hash);
    SecretBytes out(kem_shared_secret_bytes);
    keccak.hash(Keccak::shake256, {shared.view(), ct_hash}, out.writable());
    return out;
  }
}

template struct KemScheme<Params768, Variant::fips203>;
template struct KemScheme<Params1024, Variant::fips203>;
template struct KemScheme<Params1024, Variant::kyber_round3>;

}  // namespace bulwark::crypto::mlkem
