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
#include <string>

#include "crypto/crypto.h"

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

void check_mac_comparison() {
  Bytes key(32, std::byte{7}), data(100, std::byte{9});
  HmacSha256Tag tag = hmac_sha256(key, data);
  HmacSha256Tag wrong = tag;
  wrong[0] ^= std::byte{1};
  for (const HmacSha256Tag* candidate : {&tag, &wrong}) {
    HmacSha256Tag copy = *candidate;
    mark_secret(key);
    mark_secret(copy);
    bool ok = verify_hmac_sha256(key, {data}, ByteView(copy).first(8));
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
      {"x25519", check_x25519},
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
