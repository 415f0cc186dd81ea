#include "lawful/approval.h"

#include <algorithm>

#include "common/free_text.h"
#include "common/writer.h"

namespace bulwark::lawful {
namespace {

constexpr std::string_view approval_domain = "bulwark-lawful-approval-v1";
constexpr std::string_view refusal_domain = "bulwark-lawful-refusal-v1";
constexpr std::string_view authority_domain = "bulwark-lawful-authority-v1";

// Names and jurisdictions are at most 200 bytes (lawful/order.h), so one length byte holds them.
Bytes authority_message(std::string_view name, std::string_view jurisdiction,
                        const std::array<std::byte, 32>& digest) {
  const std::string_view short_name = name.substr(0, 255);
  const std::string_view short_jurisdiction = jurisdiction.substr(0, 255);
  Writer out(authority_domain.size() + 2 + short_name.size() + short_jurisdiction.size() + 32);
  out.bytes(as_bytes(authority_domain));
  out.u8(static_cast<std::uint8_t>(short_name.size()));
  out.bytes(as_bytes(short_name));
  out.u8(static_cast<std::uint8_t>(short_jurisdiction.size()));
  out.bytes(as_bytes(short_jurisdiction));
  out.bytes(digest);
  return *std::move(out).finish();  // sized exactly: cannot overflow
}

Bytes approval_message(const OrderHash& order) {
  Writer out(approval_domain.size() + order.size());
  out.bytes(as_bytes(approval_domain));
  out.bytes(order);
  return *std::move(out).finish();  // sized exactly: cannot overflow
}

Result<Bytes> refusal_message(const OrderHash& order, std::string_view reason) {
  if (!is_refusal_reason(reason))
    return fail(Errc::invalid_argument,
                "a refusal's reason is 1 to 1000 bytes of text without control characters");
  Writer out(refusal_domain.size() + order.size() + 2 + reason.size());
  out.bytes(as_bytes(refusal_domain));
  out.bytes(order);
  out.u16_be(static_cast<std::uint16_t>(reason.size()));
  out.bytes(as_bytes(reason));
  return std::move(out).finish();
}

}  // namespace

bool is_operator_name(std::string_view name) {
  return !name.empty() && name.size() <= max_operator_name_bytes &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

bool is_refusal_reason(std::string_view reason) {
  return !reason.empty() && reason.size() <= max_refusal_reason_bytes && is_free_text(reason);
}

crypto::Ed25519Signature sign_approval(const crypto::Ed25519SecretKey& key,
                                       const OrderHash& order) {
  return crypto::ed25519_sign(key, approval_message(order));
}

Result<void> verify_approval(const crypto::Ed25519PublicKey& key, const OrderHash& order,
                             ByteView signature) {
  return crypto::ed25519_verify(key, approval_message(order), signature);
}

Result<crypto::Ed25519Signature> sign_refusal(const crypto::Ed25519SecretKey& key,
                                              const OrderHash& order, std::string_view reason) {
  const Bytes message = BULWARK_TRY(refusal_message(order, reason));
  return crypto::ed25519_sign(key, message);
}

Result<void> verify_refusal(const crypto::Ed25519PublicKey& key, const OrderHash& order,
                            std::string_view reason, ByteView signature) {
  const Bytes message = BULWARK_TRY(refusal_message(order, reason));
  return crypto::ed25519_verify(key, message, signature);
}

crypto::Ed25519Signature sign_authority_change(const crypto::Ed25519SecretKey& key,
                                               std::string_view name, std::string_view jurisdiction,
                                               const std::array<std::byte, 32>& trust_digest) {
  return crypto::ed25519_sign(key, authority_message(name, jurisdiction, trust_digest));
}

Result<void> verify_authority_change(const crypto::Ed25519PublicKey& key, std::string_view name,
                                     std::string_view jurisdiction,
                                     const std::array<std::byte, 32>& trust_digest,
                                     ByteView signature) {
  return crypto::ed25519_verify(key, authority_message(name, jurisdiction, trust_digest),
                                signature);
}

}  // namespace bulwark::lawful
