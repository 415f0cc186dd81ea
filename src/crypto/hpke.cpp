#include "crypto/hpke.h"

#include <limits>
#include <string_view>

#include "common/writer.h"
#include "crypto/aead.h"
#include "crypto/kdf.h"

namespace bulwark::crypto {
namespace {

constexpr std::uint16_t kem_id = 0x0020;
constexpr std::uint16_t kdf_id = 0x0001;
constexpr std::size_t n_secret = 32;  // DHKEM(X25519)'s Nsecret
constexpr std::size_t n_h = 32;       // HKDF-SHA256's Nh
constexpr std::size_t n_n = 12;       // every AEAD here
// Labels, ids and inputs stay far below this; LabeledExpand's info must fit HKDF's bound.
constexpr std::size_t max_labeled_bytes = hkdf_sha256_max_info_bytes;
// Extract is HMAC and takes any input; the HPKE info it hashes may be large (MLS encrypts a
// Welcome's GroupSecrets with the encrypted GroupInfo, ratchet tree included, as the info).
constexpr std::size_t max_extract_input_bytes = std::size_t{64} << 20;

Bytes kem_suite_id() {
  return Bytes{std::byte{'K'}, std::byte{'E'}, std::byte{'M'}, std::byte{0x00}, std::byte{0x20}};
}

Bytes hpke_suite_id(HpkeAead aead) {
  const auto id = static_cast<std::uint16_t>(aead);
  return Bytes{std::byte{'H'},         std::byte{'P'},           std::byte{'K'},
               std::byte{'E'},         std::byte{kem_id >> 8},   std::byte{kem_id & 0xff},
               std::byte{kdf_id >> 8}, std::byte{kdf_id & 0xff}, std::byte(id >> 8),
               std::byte(id & 0xff)};
}

std::size_t key_bytes(HpkeAead aead) {
  switch (aead) {
    case HpkeAead::aes128gcm:
      return aes128gcm_key_bytes;
    case HpkeAead::chacha20poly1305:
      return chacha20poly1305_key_bytes;
    case HpkeAead::export_only:
      return 0;
  }
  return 0;
}

// LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm).
Result<SecretBytes> labeled_extract(ByteView suite_id, ByteView salt, std::string_view label,
                                    ByteView ikm) {
  Writer input(max_extract_input_bytes);
  input.bytes(as_bytes(std::string_view("HPKE-v1")));
  input.bytes(suite_id);
  input.bytes(as_bytes(label));
  input.bytes(ikm);
  const SecretBytes labeled = SecretBytes::copy_of(BULWARK_TRY(std::move(input).finish()));
  return hkdf_sha256_extract(salt, labeled.view());
}

// LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id ||
// label || info, L).
Result<SecretBytes> labeled_expand(ByteView suite_id, ByteView prk, std::string_view label,
                                   ByteView info, std::size_t length) {
  if (length > std::numeric_limits<std::uint16_t>::max())
    return fail(Errc::invalid_length, "HPKE: output too long");
  Writer labeled(max_labeled_bytes);
  labeled.u16_be(static_cast<std::uint16_t>(length));
  labeled.bytes(as_bytes(std::string_view("HPKE-v1")));
  labeled.bytes(suite_id);
  labeled.bytes(as_bytes(label));
  labeled.bytes(info);
  const Bytes message = BULWARK_TRY(std::move(labeled).finish());
  return hkdf_sha256_expand(prk, message, length);
}

// ExtractAndExpand(dh, kem_context) of DHKEM (RFC 9180 §4.1).
Result<SecretBytes> extract_and_expand(ByteView dh, ByteView kem_context) {
  const Bytes suite = kem_suite_id();
  const SecretBytes prk = BULWARK_TRY(labeled_extract(suite, {}, "eae_prk", dh));
  return labeled_expand(suite, prk.view(), "shared_secret", kem_context, n_secret);
}

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Result<void> check_psk(HpkeMode mode, const std::optional<HpkePsk>& psk) {
  // RFC 9180 §5.1 VerifyPSKInputs: both or neither, and a PSK of at least 32 bytes.
  if (mode == HpkeMode::psk && (psk->psk.size() < 32 || psk->psk_id.empty()))
    return fail(Errc::invalid_argument, "HPKE: a PSK needs at least 32 bytes and an id");
  return {};
}

}  // namespace

// Builds contexts: the key schedule of RFC 9180 §5.1.
struct HpkeSetup {
  static Result<HpkeContext> key_schedule(HpkeAead aead, ByteView shared_secret, ByteView info,
                                          const std::optional<HpkePsk>& psk) {
    const HpkeMode mode = psk ? HpkeMode::psk : HpkeMode::base;
    BULWARK_TRY(check_psk(mode, psk));
    const Bytes suite = hpke_suite_id(aead);
    const ByteView psk_bytes = psk ? psk->psk : ByteView{};
    const ByteView psk_id = psk ? psk->psk_id : ByteView{};
    const SecretBytes psk_id_hash = BULWARK_TRY(labeled_extract(suite, {}, "psk_id_hash", psk_id));
    const SecretBytes info_hash = BULWARK_TRY(labeled_extract(suite, {}, "info_hash", info));
    Bytes context{std::byte{static_cast<std::uint8_t>(mode)}};
    context.insert(context.end(), psk_id_hash.view().begin(), psk_id_hash.view().end());
    context.insert(context.end(), info_hash.view().begin(), info_hash.view().end());
    const SecretBytes secret =
        BULWARK_TRY(labeled_extract(suite, shared_secret, "secret", psk_bytes));
    SecretBytes key;
    SecretBytes base_nonce;
    if (aead != HpkeAead::export_only) {
      key = BULWARK_TRY(labeled_expand(suite, secret.view(), "key", context, key_bytes(aead)));
      base_nonce = BULWARK_TRY(labeled_expand(suite, secret.view(), "base_nonce", context, n_n));
    }
    SecretBytes exporter = BULWARK_TRY(labeled_expand(suite, secret.view(), "exp", context, n_h));
    return HpkeContext(aead, std::move(key), std::move(base_nonce), std::move(exporter));
  }

  static Result<HpkeSender> sender(HpkeAead aead, const X25519PublicKey& recipient, ByteView info,
                                   const std::optional<HpkePsk>& psk, HpkeDerivedKey ephemeral) {
    const SecretBytes dh = BULWARK_TRY(x25519(ephemeral.secret_key, recipient));
    const ByteView enc = ephemeral.public_key.bytes();
    const Bytes kem_context = concat(enc, recipient.bytes());
    const SecretBytes shared = BULWARK_TRY(extract_and_expand(dh.view(), kem_context));
    HpkeContext context = BULWARK_TRY(key_schedule(aead, shared.view(), info, psk));
    return HpkeSender{Bytes(enc.begin(), enc.end()), std::move(context)};
  }
};

Result<HpkeDerivedKey> hpke_derive_key_pair(ByteView ikm) {
  if (ikm.size() < n_secret) return fail(Errc::invalid_length, "HPKE: ikm under 32 bytes");
  const Bytes suite = kem_suite_id();
  const SecretBytes prk = BULWARK_TRY(labeled_extract(suite, {}, "dkp_prk", ikm));
  SecretBytes private_bytes = BULWARK_TRY(labeled_expand(suite, prk.view(), "sk", {}, 32));
  X25519SecretKey secret_key = BULWARK_TRY(X25519SecretKey::from_bytes(private_bytes.view()));
  X25519PublicKey public_key = secret_key.public_key();
  return HpkeDerivedKey{std::move(private_bytes), std::move(secret_key), public_key};
}

Result<HpkeSender> hpke_setup_sender_deterministic(HpkeAead aead, const X25519PublicKey& recipient,
                                                   ByteView info, const std::optional<HpkePsk>& psk,
                                                   ByteView ikm_e) {
  HpkeDerivedKey ephemeral = BULWARK_TRY(hpke_derive_key_pair(ikm_e));
  return HpkeSetup::sender(aead, recipient, info, psk, std::move(ephemeral));
}

Result<HpkeSender> hpke_setup_sender(HpkeAead aead, const X25519PublicKey& recipient, ByteView info,
                                     const std::optional<HpkePsk>& psk, Rng& rng) {
  SecretBytes ikm(n_secret);
  rng.fill(ikm.writable());
  return hpke_setup_sender_deterministic(aead, recipient, info, psk, ikm.view());
}

Result<HpkeContext> hpke_setup_recipient(HpkeAead aead, ByteView enc,
                                         const X25519SecretKey& recipient, ByteView info,
                                         const std::optional<HpkePsk>& psk) {
  if (enc.size() != x25519_public_key_bytes)
    return fail(Errc::invalid_length, "HPKE: enc must be 32 bytes");
  const X25519PublicKey ephemeral = BULWARK_TRY(X25519PublicKey::from_bytes(enc));
  const SecretBytes dh = BULWARK_TRY(x25519(recipient, ephemeral));
  const X25519PublicKey own = recipient.public_key();
  const Bytes kem_context = concat(enc, own.bytes());
  const SecretBytes shared = BULWARK_TRY(extract_and_expand(dh.view(), kem_context));
  return HpkeSetup::key_schedule(aead, shared.view(), info, psk);
}

Bytes HpkeContext::nonce() const {
  Bytes nonce(base_nonce_.view().begin(), base_nonce_.view().end());
  for (std::size_t i = 0; i < 8; ++i)
    nonce[n_n - 1 - i] ^= std::byte((sequence_ >> (8 * i)) & 0xff);
  return nonce;
}

Result<Bytes> HpkeContext::seal(ByteView aad, ByteView plaintext) {
  if (aead_ == HpkeAead::export_only)
    return fail(Errc::invalid_argument, "HPKE: an export-only context does not seal");
  if (spent_) return fail(Errc::capacity_exceeded, "HPKE: the sequence number is spent");
  const Bytes nonce_bytes = nonce();
  Bytes sealed =
      aead_ == HpkeAead::aes128gcm
          ? BULWARK_TRY(aes128gcm_encrypt(key_.view(), nonce_bytes, plaintext, aad))
          : BULWARK_TRY(chacha20poly1305_encrypt(key_.view(), nonce_bytes, plaintext, aad));
  if (sequence_ == std::numeric_limits<std::uint64_t>::max())
    spent_ = true;
  else
    ++sequence_;
  return sealed;
}

Result<Bytes> HpkeContext::open(ByteView aad, ByteView ciphertext) {
  if (aead_ == HpkeAead::export_only)
    return fail(Errc::invalid_argument, "HPKE: an export-only context does not open");
  if (spent_) return fail(Errc::capacity_exceeded, "HPKE: the sequence number is spent");
  const Bytes nonce_bytes = nonce();
  Bytes opened =
      aead_ == HpkeAead::aes128gcm
          ? BULWARK_TRY(aes128gcm_decrypt(key_.view(), nonce_bytes, ciphertext, aad))
          : BULWARK_TRY(chacha20poly1305_decrypt(key_.view(), nonce_bytes, ciphertext, aad));
  if (sequence_ == std::numeric_limits<std::uint64_t>::max())
    spent_ = true;
  else
    ++sequence_;
  return opened;
}

Result<SecretBytes> HpkeContext::export_secret(ByteView exporter_context,
                                               std::size_t length) const {
  if (length > 255 * n_h) return fail(Errc::invalid_length, "HPKE: export too long");
  return labeled_expand(hpke_suite_id(aead_), exporter_secret_.view(), "sec", exporter_context,
                        length);
}

}  // namespace bulwark::crypto
