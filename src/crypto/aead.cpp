#include "crypto/aead.h"

#include "common/secret_bytes.h"
#include "crypto/detail/ct.h"
#include "crypto/detail/openssl.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {
namespace {

const EVP_CIPHER* aes256gcm_cipher() noexcept {
  static EVP_CIPHER* const cipher = detail::fetch_cipher("AES-256-GCM");
  return cipher;
}

const EVP_CIPHER* aes128gcm_cipher() noexcept {
  static EVP_CIPHER* const cipher = detail::fetch_cipher("AES-128-GCM");
  return cipher;
}

Result<void> check_lengths(ByteView key, std::size_t key_bytes, ByteView nonce,
                           std::size_t nonce_bytes) {
  if (key.size() != key_bytes) return fail(Errc::invalid_length, "AEAD key has the wrong length");
  if (nonce.size() != nonce_bytes) {
    return fail(Errc::invalid_length, "AEAD nonce has the wrong length");
  }
  return {};
}

// OpenSSL takes int lengths; inputs and associated data are capped well below INT_MAX.
constexpr std::size_t max_aead_input_bytes = std::size_t{1} << 30;

int int_size(std::size_t size) { return static_cast<int>(size); }

Result<Bytes> gcm_failure(Bytes& out, bool encrypt) {
  secure_wipe(out);
  detail::clear_openssl_errors();
  if (encrypt) return fail(Errc::internal, "AES-GCM failed");
  return fail(Errc::auth_failed, "decryption failed");
}

// AES-GCM with a 12-byte nonce and a 16-byte tag; the key's length picks AES-128 or AES-256.
Result<Bytes> gcm(bool encrypt, std::size_t key_bytes, ByteView key, ByteView nonce,
                  ByteView input, ByteView aad) {
  BULWARK_TRY(check_lengths(key, key_bytes, nonce, aes256gcm_nonce_bytes));
  const EVP_CIPHER* cipher = key_bytes == aes128gcm_key_bytes ? aes128gcm_cipher()
                                                               : aes256gcm_cipher();
  if (input.size() > max_aead_input_bytes || aad.size() > max_aead_input_bytes) {
    return fail(Errc::invalid_length, "AEAD input or associated data longer than 1 GiB");
  }
  if (!encrypt && input.size() < aes256gcm_tag_bytes) {
    return fail(Errc::auth_failed, "decryption failed");
  }
  detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return fail(Errc::internal, "EVP_CIPHER_CTX_new failed");
  const std::size_t body = encrypt ? input.size() : input.size() - aes256gcm_tag_bytes;
  Bytes out(encrypt ? body + aes256gcm_tag_bytes : body);
  int len = 0;
  bool ok = EVP_CipherInit_ex2(ctx.get(), cipher, detail::uc(key.data()),
                               detail::uc(nonce.data()), encrypt ? 1 : 0, nullptr) == 1;
  ok = ok && (aad.empty() || EVP_CipherUpdate(ctx.get(), nullptr, &len, detail::uc(aad.data()),
                                              int_size(aad.size())) == 1);
  ok = ok && (body == 0 || EVP_CipherUpdate(ctx.get(), detail::uc(out.data()), &len,
                                            detail::uc(input.data()), int_size(body)) == 1);
  if (encrypt) {
    ok = ok && EVP_CipherFinal_ex(ctx.get(), nullptr, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, int_size(aes256gcm_tag_bytes),
                             out.data() + body) == 1;
  } else {
    Bytes tag(input.begin() + static_cast<std::ptrdiff_t>(body), input.end());
    ok = ok &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, int_size(tag.size()), tag.data()) == 1 &&
         EVP_CipherFinal_ex(ctx.get(), nullptr, &len) == 1;
  }
  detail::ct_declassify(&ok, sizeof ok);  // whether the tag verified is the public outcome
  if (!ok) return gcm_failure(out, encrypt);
  return out;
}

}  // namespace

Result<Bytes> aes256gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext,
                                ByteView associated_data) {
  return gcm(true, aes256gcm_key_bytes, key, nonce, plaintext, associated_data);
}

Result<Bytes> aes256gcm_decrypt(ByteView key, ByteView nonce, ByteView ciphertext_and_tag,
                                ByteView associated_data) {
  return gcm(false, aes256gcm_key_bytes, key, nonce, ciphertext_and_tag, associated_data);
}

Result<Bytes> aes128gcm_encrypt(ByteView key, ByteView nonce, ByteView plaintext,
                                ByteView associated_data) {
  return gcm(true, aes128gcm_key_bytes, key, nonce, plaintext, associated_data);
}

Result<Bytes> aes128gcm_decrypt(ByteView key, ByteView nonce, ByteView ciphertext_and_tag,
                                ByteView associated_data) {
  return gcm(false, aes128gcm_key_bytes, key, nonce, ciphertext_and_tag, associated_data);
}

Result<Bytes> chacha20poly1305_encrypt(ByteView key, ByteView nonce, ByteView plaintext,
                                       ByteView associated_data) {
  detail::sodium_ready();
  BULWARK_TRY(check_lengths(key, chacha20poly1305_key_bytes, nonce, chacha20poly1305_nonce_bytes));
  if (plaintext.size() > max_aead_input_bytes) {
    return fail(Errc::invalid_length, "AEAD input longer than 1 GiB");
  }
  Bytes out(plaintext.size() + chacha20poly1305_tag_bytes);
  unsigned long long out_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(
      detail::uc(out.data()), &out_len, detail::uc_nonnull(plaintext), plaintext.size(),
      detail::uc_nonnull(associated_data), associated_data.size(), nullptr,
      detail::uc(nonce.data()), detail::uc(key.data()));
  return out;
}

Result<Bytes> chacha20poly1305_decrypt(ByteView key, ByteView nonce, ByteView ciphertext_and_tag,
                                       ByteView associated_data) {
  detail::sodium_ready();
  BULWARK_TRY(check_lengths(key, chacha20poly1305_key_bytes, nonce, chacha20poly1305_nonce_bytes));
  if (ciphertext_and_tag.size() < chacha20poly1305_tag_bytes) {
    return fail(Errc::auth_failed, "decryption failed");
  }
  Bytes out(ciphertext_and_tag.size() - chacha20poly1305_tag_bytes);
  unsigned long long out_len = 0;
  int rc = crypto_aead_chacha20poly1305_ietf_decrypt(
      detail::uc(out.data()), &out_len, nullptr, detail::uc(ciphertext_and_tag.data()),
      ciphertext_and_tag.size(), detail::uc_nonnull(associated_data), associated_data.size(),
      detail::uc(nonce.data()), detail::uc(key.data()));
  detail::ct_declassify(&rc, sizeof rc);  // whether the tag verified is the public outcome
  if (rc != 0) {
    secure_wipe(out);
    return fail(Errc::auth_failed, "decryption failed");
  }
  return out;
}

}  // namespace bulwark::crypto
