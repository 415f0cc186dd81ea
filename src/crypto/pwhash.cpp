#include "crypto/pwhash.h"

#include <string>

#include "crypto/detail/sodium.h"

namespace bulwark::crypto {

static_assert(pwhash_salt_bytes == crypto_pwhash_argon2id_SALTBYTES);

namespace {

struct PwhashLimits {
  unsigned long long opslimit;
  std::size_t memlimit;
};

PwhashLimits limits_of(PwhashStrength strength) noexcept {
  switch (strength) {
    case PwhashStrength::moderate:
      return {crypto_pwhash_argon2id_OPSLIMIT_MODERATE, crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
    case PwhashStrength::interactive:
      return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
              crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
  }
  contract_violation("pwhash: unknown strength");
}

}  // namespace

Result<SecretBytes> pwhash_argon2id(std::string_view passphrase, ByteView salt,
                                    std::size_t out_bytes, PwhashStrength strength) {
  detail::sodium_ready();
  if (salt.size() != pwhash_salt_bytes)
    return fail(Errc::invalid_length,
                "pwhash salt: expected " + std::to_string(pwhash_salt_bytes) + " bytes");
  if (out_bytes < crypto_pwhash_argon2id_BYTES_MIN || out_bytes > crypto_pwhash_argon2id_BYTES_MAX)
    return fail(Errc::invalid_length, "pwhash output: expected at least " +
                                          std::to_string(crypto_pwhash_argon2id_BYTES_MIN) +
                                          " bytes");
  if (passphrase.size() > crypto_pwhash_argon2id_PASSWD_MAX)
    return fail(Errc::invalid_length, "pwhash passphrase too long");
  const PwhashLimits limits = limits_of(strength);
  SecretBytes out(out_bytes);
  // A null pointer with length 0 is what libsodium's own empty-password tests pass; point at a
  // harmless byte anyway so a nonnull annotation can never bite.
  const char* passwd = passphrase.empty() ? "" : passphrase.data();
  if (crypto_pwhash(detail::uc(out.writable().data()), out.size(), passwd, passphrase.size(),
                    detail::uc(salt.data()), limits.opslimit, limits.memlimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    // libsodium fails here only when it cannot allocate the memory the limits ask for.
    return fail(Errc::internal, "pwhash: Argon2id could not allocate its memory");
  return out;
}

}  // namespace bulwark::crypto
