// HPKE (crypto/hpke.h) against RFC 9180 Appendix A: every vector of DHKEM(X25519, HKDF-SHA256)
// with HKDF-SHA256 (shared/vectors/hpke/rfc9180-x25519-hkdf-sha256.json) in Base and PSK mode,
// for AES-128-GCM, ChaCha20Poly1305 and export-only. The Auth and AuthPSK vectors are skipped,
// and counted as such: MLS uses Base mode only, and those modes are not implemented.
#include "crypto/hpke.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/seeded_rng.h"
#include "support/vectors.h"

namespace bulwark::crypto {
namespace {

using testing::hex;

Bytes field(const nlohmann::json& c, const char* key) { return hex(c.at(key).get<std::string>()); }

Bytes bytes_of(const SecretBytes& secret) {
  return Bytes(secret.view().begin(), secret.view().end());
}

TEST(HpkeTest, Rfc9180AppendixAVectorsForX25519HkdfSha256) {
  const nlohmann::json vectors =
      testing::load_json(testing::shared_vector_path("hpke/rfc9180-x25519-hkdf-sha256.json"));
  int passed = 0;
  int skipped = 0;
  for (const nlohmann::json& c : vectors) {
    const int mode = c.at("mode").get<int>();
    const std::string name =
        c.at("suite_name").get<std::string>() + " mode " + std::to_string(mode);
    SCOPED_TRACE(name);
    if (mode != 0 && mode != 1) {
      ++skipped;  // Auth / AuthPSK: not implemented, not used by MLS
      continue;
    }
    const auto aead = static_cast<HpkeAead>(c.at("aead_id").get<int>());
    const Bytes info = field(c, "info");
    const Bytes psk = mode == 1 ? field(c, "psk") : Bytes{};
    const Bytes psk_id = mode == 1 ? field(c, "psk_id") : Bytes{};
    const std::optional<HpkePsk> with_psk =
        mode == 1 ? std::optional<HpkePsk>(HpkePsk{psk, psk_id}) : std::nullopt;

    // DeriveKeyPair: the vectors' private keys are the bytes before clamping.
    const HpkeDerivedKey recipient = hpke_derive_key_pair(field(c, "ikmR")).value();
    EXPECT_EQ(bytes_of(recipient.private_bytes), field(c, "skRm"));
    EXPECT_EQ(to_bytes(recipient.public_key.bytes()), field(c, "pkRm"));
    const HpkeDerivedKey ephemeral = hpke_derive_key_pair(field(c, "ikmE")).value();
    EXPECT_EQ(bytes_of(ephemeral.private_bytes), field(c, "skEm"));

    HpkeSender sender = hpke_setup_sender_deterministic(aead, recipient.public_key, info, with_psk,
                                                        field(c, "ikmE"))
                            .value();
    EXPECT_EQ(sender.enc, field(c, "enc"));
    HpkeContext receiver =
        hpke_setup_recipient(aead, sender.enc, recipient.secret_key, info, with_psk).value();
    EXPECT_EQ(bytes_of(sender.context.exporter_secret()), field(c, "exporter_secret"));
    if (aead != HpkeAead::export_only) {
      EXPECT_EQ(bytes_of(sender.context.key()), field(c, "key"));
      EXPECT_EQ(bytes_of(sender.context.base_nonce()), field(c, "base_nonce"));
    }

    // The vectors' sequence numbers skip (0, 1, 2, 4, 255, 256): both sides step through the
    // numbers in between in lockstep, then each listed encryption must match.
    std::uint64_t sequence = 0;
    for (const nlohmann::json& e : c.value("encryptions", nlohmann::json::array())) {
      const std::uint64_t target = e.at("sequence_number").get<std::uint64_t>();
      for (; sequence < target; ++sequence) {
        const Bytes filler = sender.context.seal({}, {}).value();
        ASSERT_TRUE(receiver.open({}, filler));
      }
      const Bytes sealed = sender.context.seal(field(e, "aad"), field(e, "pt")).value();
      EXPECT_EQ(sealed, field(e, "ct")) << "sequence " << target;
      EXPECT_EQ(receiver.open(field(e, "aad"), sealed).value(), field(e, "pt"));
      ++sequence;
    }
    for (const nlohmann::json& x : c.at("exports")) {
      const SecretBytes exported =
          sender.context.export_secret(field(x, "exporter_context"), x.at("L").get<std::size_t>())
              .value();
      EXPECT_EQ(bytes_of(exported), field(x, "exported_value"));
      EXPECT_EQ(
          bytes_of(
              receiver.export_secret(field(x, "exporter_context"), x.at("L").get<std::size_t>())
                  .value()),
          field(x, "exported_value"));
    }
    ++passed;
  }
  EXPECT_EQ(passed, 6);
  EXPECT_EQ(skipped, 6) << "Auth and AuthPSK (modes 2, 3) are not implemented";
}

TEST(HpkeTest, ARandomSessionRoundTripsAndATamperedCiphertextDoesNotOpen) {
  testing::SeededRng rng(9);
  const X25519KeyPair recipient = x25519_keypair(rng);
  const Bytes info = to_bytes(as_bytes(std::string_view("bulwark hpke test")));
  for (const HpkeAead aead : {HpkeAead::aes128gcm, HpkeAead::chacha20poly1305}) {
    HpkeSender sender =
        hpke_setup_sender(aead, recipient.public_key, info, std::nullopt, rng).value();
    HpkeContext receiver =
        hpke_setup_recipient(aead, sender.enc, recipient.secret_key, info, std::nullopt).value();
    const Bytes message = to_bytes(as_bytes(std::string_view("welcome secrets")));
    Bytes sealed = sender.context.seal({}, message).value();
    Bytes tampered = sealed;
    tampered[0] ^= std::byte{1};
    EXPECT_EQ(receiver.open({}, tampered).error().code, Errc::auth_failed);
    EXPECT_EQ(receiver.sequence(), 0u);  // a failed open does not advance
    EXPECT_EQ(receiver.open({}, sealed).value(), message);
    // Another info is another context.
    HpkeContext other =
        hpke_setup_recipient(aead, sender.enc, recipient.secret_key, {}, std::nullopt).value();
    EXPECT_FALSE(other.open({}, sender.context.seal({}, message).value()));
  }
  EXPECT_EQ(
      hpke_setup_recipient(HpkeAead::aes128gcm, Bytes(31), recipient.secret_key, info, std::nullopt)
          .error()
          .code,
      Errc::invalid_length);
  EXPECT_EQ(hpke_derive_key_pair(Bytes(31)).error().code, Errc::invalid_length);
}

}  // namespace
}  // namespace bulwark::crypto
