// KEM behaviour beyond the vectors: round trips for every parameter set, bad input (wrong
// lengths, unreduced keys, a tampered secret key) rejected with a clear error, and forged
// ciphertexts taking the implicit-rejection path.
#include <gtest/gtest.h>

#include <ostream>

#include "crypto/hash.h"
#include "crypto/detail/kem_internal.h"
#include "crypto/kem.h"
#include "support/seeded_rng.h"

namespace bulwark::crypto {
namespace {

struct Kem {
  const char* name;
  std::size_t public_key_bytes, secret_key_bytes, ciphertext_bytes;
  KemKeyPair (*keypair)(Rng&);
  Result<void> (*check_public_key)(ByteView);
  Result<KemEncapsulation> (*encapsulate)(ByteView, Rng&);
  Result<SecretBytes> (*decapsulate)(const SecretBytes&, ByteView);
  bool fips203;
};

const Kem kems[] = {
    {"ML-KEM-768", mlkem768::public_key_bytes, mlkem768::secret_key_bytes,
     mlkem768::ciphertext_bytes, mlkem768::keypair, mlkem768::check_public_key,
     mlkem768::encapsulate, mlkem768::decapsulate, true},
    {"ML-KEM-1024", mlkem1024::public_key_bytes, mlkem1024::secret_key_bytes,
     mlkem1024::ciphertext_bytes, mlkem1024::keypair, mlkem1024::check_public_key,
     mlkem1024::encapsulate, mlkem1024::decapsulate, true},
    {"Kyber1024", kyber1024::public_key_bytes, kyber1024::secret_key_bytes,
     kyber1024::ciphertext_bytes, kyber1024::keypair, kyber1024::check_public_key,
     kyber1024::encapsulate, kyber1024::decapsulate, false},
};

// gtest names the parameter in test listings; without this it dumps the struct's bytes.
void PrintTo(const Kem& kem, std::ostream* out) { *out << kem.name; }

class KemTest : public ::testing::TestWithParam<Kem> {};

TEST_P(KemTest, EncapsulatedSecretIsRecoveredByDecapsulation) {
  const Kem& kem = GetParam();
  testing::SeededRng rng(11);
  for (int i = 0; i < 20; ++i) {
    const KemKeyPair pair = kem.keypair(rng);
    ASSERT_EQ(pair.public_key.size(), kem.public_key_bytes);
    ASSERT_EQ(pair.secret_key.size(), kem.secret_key_bytes);
    auto enc = kem.encapsulate(pair.public_key, rng);
    ASSERT_TRUE(enc);
    ASSERT_EQ(enc->ciphertext.size(), kem.ciphertext_bytes);
    auto shared = kem.decapsulate(pair.secret_key, enc->ciphertext);
    ASSERT_TRUE(shared);
    EXPECT_EQ(to_hex(shared->view()), to_hex(enc->shared_secret.view()));
  }
}

TEST_P(KemTest, ForgedCiphertextGivesTheImplicitRejectionKey) {
  const Kem& kem = GetParam();
  testing::SeededRng rng(12);
  const KemKeyPair pair = kem.keypair(rng);
  auto enc = kem.encapsulate(pair.public_key, rng);
  ASSERT_TRUE(enc);
  Bytes forged = enc->ciphertext;
  forged.back() ^= std::byte{0x80};
  auto shared = kem.decapsulate(pair.secret_key, forged);
  ASSERT_TRUE(shared);  // not an error: the standard returns a pseudorandom key
  const ByteView z = pair.secret_key.view().last(32);
  Bytes expected(32);
  if (kem.fips203) {
    shake256({z, forged}, expected);  // J(z || c)
  } else {
    shake256({z, sha3_256(forged)}, expected);  // KDF(z || H(c))
  }
  EXPECT_EQ(to_hex(shared->view()), to_hex(expected));
  EXPECT_NE(to_hex(shared->view()), to_hex(enc->shared_secret.view()));
}

TEST_P(KemTest, WrongLengthsAreRejected) {
  const Kem& kem = GetParam();
  testing::SeededRng rng(13);
  const KemKeyPair pair = kem.keypair(rng);
  for (long delta : {-1L, 1L}) {
    Bytes key = pair.public_key;
    key.resize(static_cast<std::size_t>(static_cast<long>(key.size()) + delta));
    EXPECT_EQ(kem.encapsulate(key, rng).error().code, Errc::invalid_length);
    EXPECT_EQ(kem.check_public_key(key).error().code, Errc::invalid_length);
    Bytes ct(static_cast<std::size_t>(static_cast<long>(kem.ciphertext_bytes) + delta));
    EXPECT_EQ(kem.decapsulate(pair.secret_key, ct).error().code, Errc::invalid_length);
    SecretBytes short_key(static_cast<std::size_t>(static_cast<long>(kem.secret_key_bytes) + delta));
    EXPECT_EQ(kem.decapsulate(short_key, Bytes(kem.ciphertext_bytes)).error().code,
              Errc::invalid_length);
  }
  EXPECT_EQ(kem.encapsulate({}, rng).error().code, Errc::invalid_length);
  EXPECT_EQ(kem.decapsulate(pair.secret_key, {}).error().code, Errc::invalid_length);
}

TEST_P(KemTest, PublicKeyWithACoefficientAtOrAboveQIsRejected) {
  const Kem& kem = GetParam();
  testing::SeededRng rng(14);
  const KemKeyPair pair = kem.keypair(rng);
  EXPECT_TRUE(kem.check_public_key(pair.public_key));
  Bytes key = pair.public_key;
  key[0] = std::byte{0xff};  // coefficient 0 = 0xfff = 4095 >= q
  key[1] |= std::byte{0x0f};
  EXPECT_EQ(kem.check_public_key(key).error().code, Errc::invalid_encoding);
  EXPECT_EQ(kem.encapsulate(key, rng).error().code, Errc::invalid_encoding);
}

TEST_P(KemTest, SecretKeyWhoseEmbeddedHashDisagreesIsRejected) {
  const Kem& kem = GetParam();
  testing::SeededRng rng(15);
  const KemKeyPair pair = kem.keypair(rng);
  auto enc = kem.encapsulate(pair.public_key, rng);
  ASSERT_TRUE(enc);
  SecretBytes tampered = pair.secret_key.clone();
  // Flip a bit of the embedded ek: H(ek) no longer matches the stored hash.
  tampered.writable()[kem.secret_key_bytes / 2] ^= std::byte{0x01};
  EXPECT_EQ(kem.decapsulate(tampered, enc->ciphertext).error().code, Errc::invalid_encoding);
}

TEST_P(KemTest, KeyGenerationIsDeterministicInTheRng) {
  const Kem& kem = GetParam();
  testing::SeededRng a(99), b(99), c(100);
  EXPECT_EQ(kem.keypair(a).public_key, kem.keypair(b).public_key);
  EXPECT_NE(kem.keypair(a).public_key, kem.keypair(c).public_key);
}

std::string kem_test_name(const ::testing::TestParamInfo<Kem>& param) {
  std::string name = param.param.name;
  std::erase(name, '-');
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllParameterSets, KemTest, ::testing::ValuesIn(kems), kem_test_name);

TEST(KemSeedTest, SeedOfTheWrongLengthIsRejected) {
  EXPECT_EQ(mlkem768::keypair_from_seed(Bytes(63)).error().code, Errc::invalid_length);
  EXPECT_EQ(kyber1024::keypair_from_seed(Bytes(65)).error().code, Errc::invalid_length);
  auto pair = mlkem768::keypair_from_seed(Bytes(64));
  ASSERT_TRUE(pair);
  EXPECT_EQ(detail::mlkem768::encapsulate_with_message(pair->public_key, Bytes(31)).error().code,
            Errc::invalid_length);
}

TEST(KemSeedTest, Kyber1024AndMlKem1024DifferOnlyWhereRound3Differs) {
  // Same seed: FIPS 203 adds the byte k to G's input, so even the keys differ.
  const Bytes seed(64, std::byte{0x01});
  EXPECT_NE(mlkem1024::keypair_from_seed(seed)->public_key,
            kyber1024::keypair_from_seed(seed)->public_key);
  EXPECT_EQ(kyber1024::key_type, std::byte{0x08});
}

}  // namespace
}  // namespace bulwark::crypto
