#include "lawful/authority.h"

#include "common/writer.h"
#include "crypto/hash.h"
#include "lawful/order.h"

namespace bulwark::lawful {

Result<void> check_authority(const Authority& authority) {
  if (!is_authority_name(authority.name))
    return fail(Errc::invalid_argument,
                "an authority's name is 1 to 200 bytes without control characters or outer "
                "spaces");
  if (!is_jurisdiction_code(authority.jurisdiction))
    return fail(Errc::invalid_argument,
                "a jurisdiction is an ISO 3166 code such as \"GR\" or \"DE-BY\"");
  if (authority.trust.anchors.empty())
    return fail(Errc::invalid_argument, "an authority needs at least one anchor certificate");
  return crypto::check_document_trust(authority.trust);
}

std::array<std::byte, 32> trust_digest(const crypto::DocumentTrust& trust) {
  constexpr std::string_view domain = "bulwark-lawful-trust-v1";
  const std::vector<const std::vector<std::string>*> lists{&trust.anchors, &trust.intermediates,
                                                           &trust.crls};
  std::size_t total = domain.size();
  for (const auto* pems : lists)
    for (const std::string& pem : *pems) total += 4 + pem.size();
  Writer out(total + 4 * lists.size());
  out.bytes(as_bytes(domain));
  for (const auto* pems : lists) {
    out.u32_be(static_cast<std::uint32_t>(pems->size()));
    for (const std::string& pem : *pems) {
      out.u32_be(static_cast<std::uint32_t>(pem.size()));
      out.bytes(as_bytes(pem));
    }
  }
  const Bytes message = *std::move(out).finish();  // sized exactly: cannot overflow
  return crypto::sha256(message);
}

}  // namespace bulwark::lawful
