#include "crypto/cbc.h"

#include "common/secret_bytes.h"
#include "crypto/detail/openssl.h"
#include "crypto/detail/sodium.h"

namespace bulwark::crypto {
namespace {

const EVP_CIPHER* aes256cbc_cipher() noexcept {
  static EVP_CIPHER* const cipher = detail::fetch_cipher("AES-256-CBC");
  return cipher;
}

constexpr std::size_t max_input_bytes = std::size_t{1} << 30;

Result<Bytes> cbc(bool encrypt, ByteView key, ByteView iv, ByteView input) {
  if (key.size() != aes256cbc_key_bytes) return fail(Errc::invalid_length, "AES key must be 32 bytes");
  if (iv.size() != aes256cbc_iv_bytes) return fail(Errc::invalid_length, "CBC IV must be 16 bytes");
  if (input.size() > max_input_bytes) return fail(Errc::invalid_length, "CBC input too long");
  if (!encrypt && (input.empty() || input.size() % aes_block_bytes != 0)) {
    return fail(Errc::auth_failed, "decryption failed");
  }
  detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return fail(Errc::internal, "EVP_CIPHER_CTX_new failed");
  Bytes out(input.size() + aes_block_bytes);
  int update_len = 0;
  int final_len = 0;
  if (EVP_CipherInit_ex2(ctx.get(), aes256cbc_cipher(), detail::uc(key.data()),
                         detail::uc(iv.data()), encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CipherUpdate(ctx.get(), detail::uc(out.data()), &update_len, detail::uc(input.data()),
                       static_cast<int>(input.size())) != 1) {
    secure_wipe(out);
    detail::clear_openssl_errors();
    return fail(Errc::internal, "AES-256-CBC failed");
  }
  if (EVP_CipherFinal_ex(ctx.get(), detail::uc(out.data()) + update_len, &final_len) != 1) {
    secure_wipe(out);
    detail::clear_openssl_errors();
    if (encrypt) return fail(Errc::internal, "AES-256-CBC failed");
    return fail(Errc::auth_failed, "decryption failed");  // bad padding looks like a bad MAC
  }
  out.resize(static_cast<std::size_t>(update_len + final_len));
  return out;
}

}  // namespace

Result<Bytes> aes256cbc_encrypt(ByteView key, ByteView iv, ByteView plaintext) {
  return cbc(true, key, iv, plaintext);
}

Result<Bytes> aes256cbc_decrypt(ByteView key, ByteView iv, ByteView ciphertext) {
  return cbc(false, key, iv, ciphertext);
}

}  // namespace bulwark::crypto
