#include "lawful/order_check.h"

#include "crypto/hash.h"

namespace bulwark::lawful {
namespace {

tl::unexpected<OrderRefusal> refuse(RefusalReason reason, std::string detail) {
  return tl::unexpected(OrderRefusal{reason, std::move(detail)});
}

const Authority* find_by_name(std::span<const Authority> authorities, std::string_view name) {
  for (const Authority& authority : authorities)
    if (authority.name == name) return &authority;
  return nullptr;
}

}  // namespace

std::string_view refusal_name(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::malformed:
      return "malformed";
    case RefusalReason::unknown_authority:
      return "unknown_authority";
    case RefusalReason::wrong_jurisdiction:
      return "wrong_jurisdiction";
    case RefusalReason::not_yet_valid:
      return "not_yet_valid";
    case RefusalReason::expired:
      return "expired";
    case RefusalReason::invalid_signature:
      return "invalid_signature";
    case RefusalReason::replayed:
      return "replayed";
    case RefusalReason::refused_by_operator:
      return "refused_by_operator";
  }
  return "unknown";
}

OrderHash order_hash(ByteView document) {
  OrderHash hash{};
  const auto digest = crypto::sha256(document);
  std::copy(digest.begin(), digest.end(), hash.begin());
  return hash;
}

tl::expected<VerifiedOrder, OrderRefusal> verify_order(ByteView document, ByteView signature,
                                                       std::span<const Authority> authorities,
                                                       std::chrono::system_clock::time_point now) {
  auto parsed = parse_order(document);
  if (!parsed) return refuse(RefusalReason::malformed, parsed.error().context);
  const Order& order = *parsed;
  const Authority* authority = find_by_name(authorities, order.authority);
  if (authority == nullptr)
    return refuse(RefusalReason::unknown_authority,
                  "no authority named \"" + order.authority + "\" is configured");
  if (authority->jurisdiction != order.jurisdiction)
    return refuse(RefusalReason::wrong_jurisdiction, "\"" + authority->name + "\" acts in " +
                                                         authority->jurisdiction +
                                                         ", the order names " + order.jurisdiction);
  const auto at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  if (at < order.issued_at)
    return refuse(RefusalReason::not_yet_valid,
                  "the order is issued at " + format_utc_time(order.issued_at));
  if (at >= order.expires_at)
    return refuse(RefusalReason::expired,
                  "the order expired at " + format_utc_time(order.expires_at));
  auto signer = crypto::verify_document_signature(document, signature, authority->trust, now);
  if (!signer) {
    // A signature that verifies under another authority's anchors is named as such: an order
    // from one jurisdiction dressed as another's is a clearer refusal than a broken chain.
    for (const Authority& other : authorities) {
      if (&other == authority ||
          !crypto::verify_document_signature(document, signature, other.trust, now))
        continue;
      return refuse(other.jurisdiction != order.jurisdiction ? RefusalReason::wrong_jurisdiction
                                                             : RefusalReason::invalid_signature,
                    "signed under the anchors of \"" + other.name + "\" (" + other.jurisdiction +
                        "), not those of \"" + authority->name + "\"");
    }
    return refuse(RefusalReason::invalid_signature, signer.error().context);
  }
  return VerifiedOrder{std::move(*parsed), order_hash(document), std::move(*signer)};
}

}  // namespace bulwark::lawful
