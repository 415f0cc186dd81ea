// The constant-time check ("ctgrind"): runs secret-handling primitives with their secret
// inputs marked undefined for valgrind memcheck. Memcheck then reports every conditional
// branch and every memory address computed from a secret, and ctest fails the run (valgrind
// --error-exitcode). Outputs are declassified before the harness looks at them, because
// the harness's own comparisons are not under test.
//
// Usage: ct_check <case>, where case is one of the names in `cases` below. The case
// "leaky-control" compares secrets with an early-exit loop on purpose: its run must be
// reported, which proves the harness can see a leak (tests/crypto/ct/expect_leak.sh).
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <utility>
#include <string>

#include "crypto/crypto.h"
#include "crypto/detail/kem_internal.h"

namespace bulwark::crypto {
namespace {

class CountingRng final : public Rng {
 public:
  void fill(MutableByteView out) override {
    for (auto& b : out) b = static_cast<std::byte>(counter_++ * 167 + 13);
  }

 private:
  unsigned counter_ = 1;
};

void mark_secret(ByteView bytes) { (void)VALGRIND_MAKE_MEM_UNDEFINED(bytes.data(), bytes.size()); }
void mark_public(ByteView bytes) { (void)VALGRIND_MAKE_MEM_DEFINED(bytes.data(), bytes.size()); }

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ct_check: %s\n", what);
    std::exit(2);
  }
}

// Decapsulation with the secret parts of dk (dk_PKE and z) undefined; ek, H(ek) and the
// ciphertext are public. Runs a valid ciphertext and a tampered one (implicit rejection).
template <class Keypair, class Encapsulate, class Decapsulate>
void check_decapsulation(Keypair keypair, Encapsulate encapsulate, Decapsulate decapsulate,
                         std::size_t polyvec_bytes) {
  CountingRng rng;
  KemKeyPair pair = keypair(rng);
  auto enc = encapsulate(pair.public_key, rng);
  require(enc.has_value(), "encapsulation failed");
  const ByteView dk = pair.secret_key.view();
  for (int tampered = 0; tampered < 2; ++tampered) {
    Bytes ciphertext = enc->ciphertext;
    if (tampered == 1) ciphertext[5] ^= std::byte{0x01};
    mark_secret(dk.first(polyvec_bytes));
    mark_secret(dk.last(32));
    auto shared = decapsulate(pair.secret_key, ciphertext);
    mark_public(dk);
    require(shared.has_value(), "decapsulation failed");
    mark_public(shared->view());
    const bool same = constant_time_equal(shared->view(), enc->shared_secret.view());
    require(same == (tampered == 0), "decapsulation gave the wrong key");
  }
}

// Key generation from a secret seed (d || z): everything but rho, which becomes public in ek,
// must be handled in constant time.
template <class KeypairFromSeed>
void check_keygen(KeypairFromSeed keypair_from_seed) {
  Bytes seed(64, std::byte{0x3c});
  mark_secret(seed);
  auto pair = keypair_from_seed(seed);
  mark_public(seed);
  require(pair.has_value(), "key generation failed");
  mark_public(pair->public_key);
  mark_public(pair->secret_key.view());
}

// Encapsulation with a secret message m; the encapsulation key is public.
template <class Keypair, class Encapsulate>
void check_encapsulation(Keypair keypair, Encapsulate encapsulate_with_message) {
  CountingRng rng;
  KemKeyPair pair = keypair(rng);
  Bytes message(32, std::byte{0x5a});
  mark_secret(message);
  auto enc = encapsulate_with_message(pair.public_key, message);
  mark_public(message);
  require(enc.has_value(), "encapsulation failed");
  mark_public(enc->ciphertext);
  mark_public(enc->shared_secret.view());
}

void check_x25519() {
  CountingRng rng;
  const auto alice = x25519_keypair(rng);
  const auto bob = x25519_keypair(rng);
  mark_secret(alice.secret_key.bytes().view());
  auto shared = x25519(alice.secret_key, bob.public_key);
  const auto derived_public = alice.secret_key.public_key();
  mark_public(alice.secret_key.bytes().view());
  require(shared.has_value(), "x25519 failed");
  mark_public(shared->view());
  mark_public(derived_public.bytes());
  require(derived_public == alice.public_key, "x25519 public key mismatch");
  auto other = x25519(bob.secret_key, alice.public_key);
  require(other && constant_time_equal(shared->view(), other->view()), "x25519 disagreement");
}

// Signing with a secret key: Ed25519 (seed secret) and XEdDSA (X25519 scalar secret).
void check_signing() {
  CountingRng rng;
  const Bytes message(40, std::byte{0x61});
  Bytes seed(32, std::byte{0x17});
  mark_secret(seed);
  auto ed_secret = Ed25519SecretKey::from_seed(seed);
  require(ed_secret.has_value(), "Ed25519 key");
  auto ed_signature = ed25519_sign(*ed_secret, message);
  mark_public(seed);
  mark_public(ed_signature);
  mark_public(ed_secret->seed().view());

  const auto x = x25519_keypair(rng);
  mark_secret(x.secret_key.bytes().view());
  auto x_signature = xeddsa_sign(x.secret_key, message, rng);
  mark_public(x.secret_key.bytes().view());
  mark_public(x_signature);
  require(xeddsa_verify(x.public_key, message, x_signature).has_value(), "XEdDSA signature");
}

// Key derivation and authenticated decryption under secret keys. Whether a tag verifies is
// public (the caller is told), so only the AEADs' final flag is declassified, by the harness.
void check_kdf_and_aead() {
  Bytes ikm(32, std::byte{0x21}), key(32, std::byte{0x42});
  const Bytes nonce(12, std::byte{0x01}), aad(5, std::byte{0x02}), plaintext(100, std::byte{0x03});
  mark_secret(ikm);
  auto okm = hkdf_sha256(ikm, as_bytes("salt"), as_bytes("info"), 80);
  mark_public(ikm);
  require(okm.has_value(), "HKDF failed");
  mark_public(okm->view());

  using Cipher = Result<Bytes> (*)(ByteView, ByteView, ByteView, ByteView);
  const std::pair<Cipher, Cipher> aeads[] = {{aes256gcm_encrypt, aes256gcm_decrypt},
                                             {chacha20poly1305_encrypt, chacha20poly1305_decrypt}};
  for (auto [encrypt, decrypt] : aeads) {
    auto sealed = encrypt(key, nonce, plaintext, aad);
    require(sealed.has_value(), "AEAD encryption failed");
    mark_secret(key);
    auto opened = decrypt(key, nonce, *sealed, aad);
    mark_public(key);
    mark_public({reinterpret_cast<const std::byte*>(&opened), sizeof opened});
    require(opened.has_value(), "AEAD decryption failed");
    mark_public(*opened);
  }
}

void check_mac_comparison() {
  Bytes key(32, std::byte{7}), data(100, std::byte{9});
  HmacSha256Tag tag = hmac_sha256(key, data);
  HmacSha256Tag wrong = tag;
  wrong[0] ^= std::byte{1};
  for (const HmacSha256Tag* candidate : {&tag, &wrong}) {
    HmacSha256Tag copy = *candidate;
    mark_secret(key);
    mark_secret(copy);
    bool ok = verify_hmac_sha256(key, {data}, ByteView(copy).first(8), 8);
    bool equal = constant_time_equal(copy, tag);
    mark_public(key);
    mark_public(copy);
    mark_public({reinterpret_cast<const std::byte*>(&ok), sizeof ok});
    mark_public({reinterpret_cast<const std::byte*>(&equal), sizeof equal});
    require(ok == (candidate == &tag) && equal == ok, "MAC comparison gave the wrong answer");
  }
}

// An early-exit comparison, the classic timing leak. Must be reported.
void leaky_control() {
  Bytes a(32, std::byte{1}), b(32, std::byte{1});
  b[3] = std::byte{2};
  mark_secret(a);
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  mark_public(a);
  std::printf("leaky-control: first difference at %zu\n", i);
}

}  // namespace
}  // namespace bulwark::crypto

int main(int argc, char** argv) {
  using namespace bulwark::crypto;
  const std::map<std::string, std::function<void()>> cases = {
      {"mlkem768-decaps",
       [] { check_decapsulation(mlkem768::keypair, mlkem768::encapsulate, mlkem768::decapsulate, 1152); }},
      {"mlkem1024-decaps",
       [] { check_decapsulation(mlkem1024::keypair, mlkem1024::encapsulate, mlkem1024::decapsulate, 1536); }},
      {"kyber1024-decaps",
       [] { check_decapsulation(kyber1024::keypair, kyber1024::encapsulate, kyber1024::decapsulate, 1536); }},
      {"mlkem768-keygen", [] { check_keygen(mlkem768::keypair_from_seed); }},
      {"mlkem1024-keygen", [] { check_keygen(mlkem1024::keypair_from_seed); }},
      {"kyber1024-keygen", [] { check_keygen(kyber1024::keypair_from_seed); }},
      {"mlkem768-encaps",
       [] { check_encapsulation(mlkem768::keypair, detail::mlkem768::encapsulate_with_message); }},
      {"mlkem1024-encaps",
       [] { check_encapsulation(mlkem1024::keypair, detail::mlkem1024::encapsulate_with_message); }},
      {"kyber1024-encaps",
       [] { check_encapsulation(kyber1024::keypair, detail::kyber1024::encapsulate_with_message); }},
      {"x25519", check_x25519},
      {"signing", check_signing},
      {"kdf-and-aead", check_kdf_and_aead},
      {"mac-comparison", check_mac_comparison},
      {"leaky-control", leaky_control},
  };
  if (argc != 2 || !cases.contains(argv[1])) {
    std::fprintf(stderr, "usage: ct_check <case>; cases:");
    for (const auto& [name, _] : cases) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  if (RUNNING_ON_VALGRIND == 0) {
    std::fprintf(stderr, "ct_check must run under valgrind memcheck\n");
    return 2;
  }
  cases.at(argv[1])();
  return 0;
}
