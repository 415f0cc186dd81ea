#include "protocol/mls/cipher_suite.h"

#include <string>

#include "crypto/aead.h"
#include "crypto/compare.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/mac.h"
#include "protocol/mls/codec.h"

namespace bulwark::protocol::mls {
namespace {

constexpr std::size_t max_expand_bytes = 255 * CipherSuite::hash_size();

// A label with the "MLS 1.0 " prefix, as opaque label<V>.
void write_label(TlsWriter& writer, std::string_view label) {
  writer.vector([&](TlsWriter& inner) {
    inner.fixed(as_bytes(mls_label_prefix));
    inner.fixed(as_bytes(label));
  });
}

// struct { opaque label<V>; opaque content<V>; }: SignContent and EncryptContext alike.
Result<Bytes> labeled_pair(std::string_view label, ByteView content) {
  return encode_with([&](TlsWriter& writer) {
    write_label(writer, label);
    writer.opaque(content);
  });
}

Result<LabeledCiphertext> seal_labeled(Result<crypto::HpkeSender> setup, ByteView plaintext) {
  crypto::HpkeSender sender = BULWARK_TRY(std::move(setup));
  Bytes ciphertext = BULWARK_TRY(sender.context.seal({}, plaintext));
  return LabeledCiphertext{std::move(sender.enc), std::move(ciphertext)};
}

}  // namespace

Result<CipherSuite> CipherSuite::from_id(std::uint16_t id) {
  switch (id) {
    case static_cast<std::uint16_t>(CipherSuiteId::x25519_aes128gcm_sha256_ed25519):
    case static_cast<std::uint16_t>(CipherSuiteId::x25519_chacha20poly1305_sha256_ed25519):
      return CipherSuite(static_cast<CipherSuiteId>(id));
    default:
      return fail(Errc::invalid_argument, "cipher suite " + std::to_string(id) + " not supported");
  }
}

std::size_t CipherSuite::aead_key_size() const noexcept {
  return id_ == CipherSuiteId::x25519_aes128gcm_sha256_ed25519 ? crypto::aes128gcm_key_bytes
                                                               : crypto::chacha20poly1305_key_bytes;
}

crypto::HpkeAead CipherSuite::hpke_aead() const noexcept {
  return id_ == CipherSuiteId::x25519_aes128gcm_sha256_ed25519 ? crypto::HpkeAead::aes128gcm
                                                               : crypto::HpkeAead::chacha20poly1305;
}

Bytes CipherSuite::hash(ByteView data) const { return to_bytes(view_of(crypto::sha256(data))); }

Bytes CipherSuite::mac(ByteView key, ByteView data) const {
  return to_bytes(view_of(crypto::hmac_sha256(key, data)));
}

Result<void> CipherSuite::verify_mac(ByteView key, ByteView data, ByteView tag) const {
  const crypto::HmacSha256Tag expected = crypto::hmac_sha256(key, data);
  if (!crypto::constant_time_equal(view_of(expected), tag)) {
    return fail(Errc::auth_failed, "MLS MAC does not verify");
  }
  return {};
}

Result<SecretBytes> CipherSuite::kdf_extract(ByteView salt, ByteView ikm) const {
  return crypto::hkdf_sha256_extract(salt, ikm);
}

// HKDF-Expand (RFC 5869 §2.3) over HMAC directly: OpenSSL 3.0's HKDF refuses an info over
// 32 KiB, and ExpandWithLabel's context can be a GroupContext with large extensions.
// T(i) = HMAC(PRK, T(i-1) || info || i); the blocks are secret and wiped.
Result<SecretBytes> CipherSuite::kdf_expand(ByteView prk, ByteView info, std::size_t length) const {
  if (prk.size() < hash_size()) return fail(Errc::invalid_length, "HKDF-Expand: PRK too short");
  if (length == 0 || length > max_expand_bytes) {
    return fail(Errc::invalid_argument, "HKDF-Expand: output length out of 1..8160");
  }
  SecretBytes out(length);
  crypto::HmacSha256Tag block{};
  std::size_t done = 0;
  for (std::uint8_t counter = 1; done < length; ++counter) {
    const ByteView previous = counter == 1 ? ByteView{} : view_of(block);
    const std::byte index[1] = {std::byte{counter}};
    block = crypto::hmac_sha256(prk, {previous, info, ByteView(index)});
    const std::size_t take = std::min(block.size(), length - done);
    std::copy_n(block.begin(), take, out.writable().begin() + static_cast<std::ptrdiff_t>(done));
    done += take;
  }
  secure_wipe(block);
  return out;
}

Result<Bytes> CipherSuite::ref_hash(std::string_view label, ByteView value) const {
  const Bytes input = BULWARK_TRY(encode_with([&](TlsWriter& writer) {
    writer.opaque(as_bytes(label));
    writer.opaque(value);
  }));
  return hash(input);
}

// KDFLabel = struct { uint16 length; opaque label<V>; opaque context<V>; }.
Result<SecretBytes> CipherSuite::expand_with_label(ByteView secret, std::string_view label,
                                                   ByteView context, std::uint16_t length) const {
  const Bytes kdf_label = BULWARK_TRY(encode_with([&](TlsWriter& writer) {
    writer.u16(length);
    write_label(writer, label);
    writer.opaque(context);
  }));
  return kdf_expand(secret, kdf_label, length);
}

Result<SecretBytes> CipherSuite::derive_secret(ByteView secret, std::string_view label) const {
  return expand_with_label(secret, label, {}, hash_size());
}

Result<SecretBytes> CipherSuite::derive_tree_secret(ByteView secret, std::string_view label,
                                                    std::uint32_t generation,
                                                    std::uint16_t length) const {
  const std::byte context[4] = {std::byte(generation >> 24), std::byte((generation >> 16) & 0xff),
                                std::byte((generation >> 8) & 0xff), std::byte(generation & 0xff)};
  return expand_with_label(secret, label, ByteView(context), length);
}

Result<Bytes> CipherSuite::sign_with_label(const crypto::Ed25519SecretKey& key,
                                           std::string_view label, ByteView content) const {
  const Bytes sign_content = BULWARK_TRY(labeled_pair(label, content));
  return to_bytes(view_of(crypto::ed25519_sign(key, sign_content)));
}

Result<void> CipherSuite::verify_with_label(const crypto::Ed25519PublicKey& key,
                                            std::string_view label, ByteView content,
                                            ByteView signature) const {
  const Bytes sign_content = BULWARK_TRY(labeled_pair(label, content));
  return crypto::ed25519_verify(key, sign_content, signature);
}

Result<void> CipherSuite::verify_with_label(ByteView public_key, std::string_view label,
                                            ByteView content, ByteView signature) const {
  const auto key = crypto::Ed25519PublicKey::from_bytes(public_key);
  if (!key) return fail(Errc::auth_failed, "MLS signature key is not a valid Ed25519 key");
  return verify_with_label(*key, label, content, signature);
}

Result<LabeledCiphertext> CipherSuite::encrypt_with_label(const crypto::X25519PublicKey& key,
                                                          std::string_view label, ByteView context,
                                                          ByteView plaintext, Rng& rng) const {
  const Bytes info = BULWARK_TRY(labeled_pair(label, context));
  return seal_labeled(crypto::hpke_setup_sender(hpke_aead(), key, info, std::nullopt, rng),
                      plaintext);
}

Result<LabeledCiphertext> CipherSuite::encrypt_with_label_deterministic(
    const crypto::X25519PublicKey& key, std::string_view label, ByteView context,
    ByteView plaintext, ByteView ikm_e) const {
  const Bytes info = BULWARK_TRY(labeled_pair(label, context));
  return seal_labeled(
      crypto::hpke_setup_sender_deterministic(hpke_aead(), key, info, std::nullopt, ikm_e),
      plaintext);
}

Result<SecretBytes> CipherSuite::decrypt_with_label(const crypto::X25519SecretKey& key,
                                                    std::string_view label, ByteView context,
                                                    ByteView kem_output,
                                                    ByteView ciphertext) const {
  const Bytes info = BULWARK_TRY(labeled_pair(label, context));
  crypto::HpkeContext recipient =
      BULWARK_TRY(crypto::hpke_setup_recipient(hpke_aead(), kem_output, key, info, std::nullopt));
  Bytes plaintext = BULWARK_TRY(recipient.open({}, ciphertext));
  SecretBytes out = SecretBytes::copy_of(plaintext);
  secure_wipe(plaintext);
  return out;
}

Result<crypto::HpkeDerivedKey> CipherSuite::derive_hpke_key_pair(ByteView secret) const {
  return crypto::hpke_derive_key_pair(secret);
}

Result<Bytes> CipherSuite::aead_seal(ByteView key, ByteView nonce, ByteView aad,
                                     ByteView plaintext) const {
  return id_ == CipherSuiteId::x25519_aes128gcm_sha256_ed25519
             ? crypto::aes128gcm_encrypt(key, nonce, plaintext, aad)
             : crypto::chacha20poly1305_encrypt(key, nonce, plaintext, aad);
}

Result<Bytes> CipherSuite::aead_open(ByteView key, ByteView nonce, ByteView aad,
                                     ByteView ciphertext) const {
  return id_ == CipherSuiteId::x25519_aes128gcm_sha256_ed25519
             ? crypto::aes128gcm_decrypt(key, nonce, ciphertext, aad)
             : crypto::chacha20poly1305_decrypt(key, nonce, ciphertext, aad);
}

}  // namespace bulwark::protocol::mls
