// Whether an order binds the operator: the strict document (lawful/order.h), an authority the
// operator configured under the order's name and in the order's jurisdiction, the order's own
// validity period at the verifier's time, and the authority's detached CMS signature
// (crypto/document_signature.h: chain, revocation, key usage, algorithms - all at the verifier's
// time, so a backdated order signed by an expired or revoked certificate fails).
//
// A refusal carries a reason code - published, per jurisdiction, in the disclosure log - and a
// detail for the operator.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "common/bytes.h"
#include "crypto/document_signature.h"
#include "lawful/authority.h"
#include "lawful/order.h"

namespace bulwark::lawful {

// Why an order was refused. The numbers are in the disclosure log: never reuse one.
enum class RefusalReason : std::uint8_t {
  malformed = 1,            // not a strict order document (a duplicated key, a missing field...)
  unknown_authority = 2,    // no configured authority by the name the order gives
  wrong_jurisdiction = 3,   // the authority, or the anchors that verify it, act elsewhere
  not_yet_valid = 4,        // issued_at is in the future
  expired = 5,              // expires_at has passed
  invalid_signature = 6,    // the CMS signature does not verify (tampered, chain, revoked, ...)
  replayed = 7,             // an order with this id from this authority was submitted before
  refused_by_operator = 8,  // an approver refused it, with a reason
};

[[nodiscard]] std::string_view refusal_name(RefusalReason reason);

struct OrderRefusal {
  RefusalReason reason = RefusalReason::malformed;
  std::string detail;  // for the operator; secret-free (the order is not a secret to them)
};

using OrderHash = std::array<std::byte, 32>;

// SHA-256 of the document's bytes: what operators approve and the disclosure log commits to,
// which the authority can recompute with any sha256sum.
[[nodiscard]] OrderHash order_hash(ByteView document);

struct VerifiedOrder {
  Order order;
  OrderHash hash{};
  crypto::DocumentSigner signer;
};

[[nodiscard]] tl::expected<VerifiedOrder, OrderRefusal> verify_order(
    ByteView document, ByteView signature, std::span<const Authority> authorities,
    std::chrono::system_clock::time_point now);

}  // namespace bulwark::lawful
