#include "lawful/authority.h"

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

}  // namespace bulwark::lawful
