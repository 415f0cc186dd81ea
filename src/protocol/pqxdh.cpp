#include "protocol/pqxdh.h"

#include <initializer_list>

#include "crypto/kdf.h"

namespace bulwark::protocol {
namespace {

constexpr std::string_view pqxdh_info = "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024";
constexpr std::size_t discontinuity_bytes = 32;

// Concatenates the DH outputs after 32 0xFF bytes (X3DH §2.2: domain separation from
// XEdDSA, whose hash inputs start with a different prefix) and derives the three keys.
Result<PqxdhKeys> derive(std::initializer_list<const SecretBytes*> parts) {
  std::size_t total = discontinuity_bytes;
  for (const SecretBytes* part : parts) total += part->size();
  SecretBytes secret(total);
  auto out = secret.writable();
  std::size_t offset = 0;
  for (; offset < discontinuity_bytes; ++offset) out[offset] = std::byte{0xFF};
  for (const SecretBytes* part : parts) {
    for (std::byte b : part->view()) out[offset++] = b;
  }
  auto okm = BULWARK_TRY(crypto::hkdf_sha256(secret.view(), {}, as_bytes(pqxdh_info), 96));
  auto part = [&okm](std::size_t index) {
    return SecretBytes::copy_of(okm.view().subspan(index * 32, 32));
  };
  return PqxdhKeys{ratchet::RootKey(part(0)), ratchet::ChainKey(part(1), 0), part(2)};
}

}  // namespace

Result<PqxdhKeys> pqxdh_initiate(const PqxdhInitiatorInputs& in) {
  SecretBytes dh1 = BULWARK_TRY(in.our_identity.agree(in.their_signed_pre_key));
  SecretBytes dh2 = BULWARK_TRY(in.our_base_key.agree(in.their_identity));
  SecretBytes dh3 = BULWARK_TRY(in.our_base_key.agree(in.their_signed_pre_key));
  if (!in.their_one_time_pre_key) return derive({&dh1, &dh2, &dh3, &in.kyber_shared_secret});
  SecretBytes dh4 = BULWARK_TRY(in.our_base_key.agree(*in.their_one_time_pre_key));
  return derive({&dh1, &dh2, &dh3, &dh4, &in.kyber_shared_secret});
}

Result<PqxdhKeys> pqxdh_respond(const PqxdhResponderInputs& in) {
  SecretBytes dh1 = BULWARK_TRY(in.our_signed_pre_key.agree(in.their_identity));
  SecretBytes dh2 = BULWARK_TRY(in.our_identity.agree(in.their_base_key));
  SecretBytes dh3 = BULWARK_TRY(in.our_signed_pre_key.agree(in.their_base_key));
  if (in.our_one_time_pre_key == nullptr)
    return derive({&dh1, &dh2, &dh3, &in.kyber_shared_secret});
  SecretBytes dh4 = BULWARK_TRY(in.our_one_time_pre_key->agree(in.their_base_key));
  return derive({&dh1, &dh2, &dh3, &dh4, &in.kyber_shared_secret});
}

}  // namespace bulwark::protocol
