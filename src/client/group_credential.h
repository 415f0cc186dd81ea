// The MLS credential of a Bulwark device (docs/plans/issue-9-groups-client.md): what binds a
// group member's leaf to an account that key transparency publishes.
//
// A leaf's BasicCredential identity is
//   "bulwark-mls-credential-v1" || account_id[16] || device_id u32 || mls_signature_key[32] ||
//   XEdDSA(identity_key, "bulwark-mls-credential-v1" || account_id || device_id ||
//          mls_signature_key)
// Every device of an account holds the account identity key, so each device signs its own
// MLS signature key; the server holds no identity key and so cannot forge a member. A leaf is
// accepted only if its credential verifies under the identity key of the account's
// KT-verified record and that record lists the device: a ghost device the server adds must
// first be published in the log, where its owner sees it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "common/rng.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "kt/account_record.h"

namespace bulwark::client {

inline constexpr std::string_view mls_credential_domain = "bulwark-mls-credential-v1";
inline constexpr std::size_t mls_credential_bytes = mls_credential_domain.size() + 16 + 4 + 32 + 64;

struct MlsCredential {
  std::array<std::byte, 16> account_id{};
  std::uint32_t device_id = 0;
  std::array<std::byte, 32> signature_key{};  // the leaf's Ed25519 key
  std::array<std::byte, 64> identity_signature{};
};

// The credential identity bytes for this device's MLS signature key.
[[nodiscard]] Result<Bytes> make_mls_credential(ByteView account_id, std::uint32_t device_id,
                                                const crypto::Ed25519PublicKey& signature_key,
                                                const crypto::X25519SecretKey& identity, Rng& rng);

// Errc::invalid_encoding unless `identity` has the layout above (the signature unchecked).
[[nodiscard]] Result<MlsCredential> parse_mls_credential(ByteView identity);

// Whether a leaf may join this device's view of a group: its credential parses, names the
// leaf's own signature key, is signed by the identity key of `record` (an account record this
// device verified against the transparency log) for that account, and the record lists the
// device. Errc::untrusted_identity with a reason a person can act on otherwise.
[[nodiscard]] Result<void> check_mls_credential(const MlsCredential& credential,
                                                ByteView leaf_signature_key,
                                                ByteView record_account_id,
                                                const kt::AccountRecord& record);

}  // namespace bulwark::client
