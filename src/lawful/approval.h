// Operators' signed decisions on an order (issue 8 "Approval"). Releasing data needs M-of-N
// distinct configured operators' approvals; any one operator's refusal, with its reason, ends
// the order. Each is an Ed25519 signature by the operator's own key, made in bulwark-admin
// (the key never leaves it), over the order hash - so anyone holding the published operator
// keys can check, from the disclosure log alone, who approved what:
//   approval = Ed25519(key, "bulwark-lawful-approval-v1" || order hash)
//   refusal  = Ed25519(key, "bulwark-lawful-refusal-v1" || order hash || u16 len || reason)
// and an operator's change to an authority (its anchors and CRLs, lawful/authority.h):
//   change   = Ed25519(key, "bulwark-lawful-authority-v1" || u8 len || name ||
//                           u8 len || jurisdiction || trust digest)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "lawful/order_check.h"

namespace bulwark::lawful {

inline constexpr std::size_t max_operator_name_bytes = 64;
inline constexpr std::size_t max_refusal_reason_bytes = 1000;

// 1-64 of [A-Za-z0-9._-]: shown in logs, terminals and the public log.
[[nodiscard]] bool is_operator_name(std::string_view name);
// 1-1000 bytes of UTF-8 without control characters but newline and tab. The reason is
// published in the disclosure log.
[[nodiscard]] bool is_refusal_reason(std::string_view reason);

[[nodiscard]] crypto::Ed25519Signature sign_approval(const crypto::Ed25519SecretKey& key,
                                                     const OrderHash& order);
[[nodiscard]] Result<void> verify_approval(const crypto::Ed25519PublicKey& key,
                                           const OrderHash& order, ByteView signature);
// Errc::invalid_argument for a reason that is_refusal_reason refuses.
[[nodiscard]] Result<crypto::Ed25519Signature> sign_refusal(const crypto::Ed25519SecretKey& key,
                                                            const OrderHash& order,
                                                            std::string_view reason);
[[nodiscard]] Result<void> verify_refusal(const crypto::Ed25519PublicKey& key,
                                          const OrderHash& order, std::string_view reason,
                                          ByteView signature);

[[nodiscard]] crypto::Ed25519Signature sign_authority_change(
    const crypto::Ed25519SecretKey& key, std::string_view name, std::string_view jurisdiction,
    const std::array<std::byte, 32>& trust_digest);
[[nodiscard]] Result<void> verify_authority_change(const crypto::Ed25519PublicKey& key,
                                                   std::string_view name,
                                                   std::string_view jurisdiction,
                                                   const std::array<std::byte, 32>& trust_digest,
                                                   ByteView signature);

}  // namespace bulwark::lawful
