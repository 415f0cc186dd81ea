#include "protocol/mls/messages/extensions.h"

#include <algorithm>
#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

// A list of extensions; each is bounded again by max_extension_data_bytes.
constexpr std::size_t extension_list_bytes = max_list_bytes;
// uint16 entries of a capability list.
constexpr std::size_t capability_list_bytes = 2 * max_capability_items;

bool has_repeated_type(const std::vector<Extension>& list) noexcept {
  for (std::size_t i = 0; i < list.size(); ++i) {
    for (std::size_t j = i + 1; j < list.size(); ++j) {
      if (list[i].extension_type == list[j].extension_type) return true;
    }
  }
  return false;
}

template <class E>
void encode_u16_list(TlsWriter& w, const std::vector<E>& v) {
  encode_list(w, v, capability_list_bytes, max_capability_items);
}

}  // namespace

void encode(TlsWriter& w, const Extension& v) {
  encode(w, v.extension_type);
  put_opaque(w, v.extension_data, max_extension_data_bytes);
}

Result<Extension> decode_extension(TlsReader& r) {
  Extension out;
  out.extension_type = BULWARK_TRY(decode_extension_type(r));
  out.extension_data = BULWARK_TRY(get_opaque(r, max_extension_data_bytes));
  return out;
}

void encode_extensions(TlsWriter& w, const std::vector<Extension>& v) {
  if (has_repeated_type(v)) {
    w.reject();
    return;
  }
  encode_list(w, v, extension_list_bytes, max_extensions);
}

Result<std::vector<Extension>> decode_extensions(TlsReader& r) {
  auto out = BULWARK_TRY(
      decode_list<Extension>(r, extension_list_bytes, max_extensions, decode_extension));
  if (has_repeated_type(out)) {
    return fail(Errc::invalid_encoding, "an extension type appears twice in one list");
  }
  return out;
}

const Extension* find_extension(const std::vector<Extension>& list, ExtensionType type) noexcept {
  const auto found = std::find_if(list.begin(), list.end(),
                                  [type](const Extension& e) { return e.extension_type == type; });
  return found == list.end() ? nullptr : &*found;
}

void encode_extension_types(TlsWriter& w, const std::vector<ExtensionType>& v) {
  encode_u16_list(w, v);
}
Result<std::vector<ExtensionType>> decode_extension_types(TlsReader& r) {
  return decode_list<ExtensionType>(r, capability_list_bytes, max_capability_items,
                                    decode_extension_type);
}
void encode_proposal_types(TlsWriter& w, const std::vector<ProposalType>& v) {
  encode_u16_list(w, v);
}
Result<std::vector<ProposalType>> decode_proposal_types(TlsReader& r) {
  return decode_list<ProposalType>(r, capability_list_bytes, max_capability_items,
                                   decode_proposal_type);
}
void encode_credential_types(TlsWriter& w, const std::vector<CredentialType>& v) {
  encode_u16_list(w, v);
}
Result<std::vector<CredentialType>> decode_credential_types(TlsReader& r) {
  return decode_list<CredentialType>(r, capability_list_bytes, max_capability_items,
                                     decode_credential_type);
}

void encode(TlsWriter& w, const Capabilities& v) {
  encode_u16_list(w, v.versions);
  encode_list(w, v.cipher_suites, capability_list_bytes, max_capability_items,
              [](TlsWriter& inner, std::uint16_t suite) { encode_cipher_suite(inner, suite); });
  encode_extension_types(w, v.extensions);
  encode_proposal_types(w, v.proposals);
  encode_credential_types(w, v.credentials);
}

Result<Capabilities> decode_capabilities(TlsReader& r) {
  Capabilities out;
  out.versions = BULWARK_TRY(decode_list<ProtocolVersion>(
      r, capability_list_bytes, max_capability_items, decode_protocol_version));
  out.cipher_suites = BULWARK_TRY(decode_list<std::uint16_t>(
      r, capability_list_bytes, max_capability_items, decode_cipher_suite));
  out.extensions = BULWARK_TRY(decode_extension_types(r));
  out.proposals = BULWARK_TRY(decode_proposal_types(r));
  out.credentials = BULWARK_TRY(decode_credential_types(r));
  return out;
}

void encode(TlsWriter& w, const Lifetime& v) {
  w.u64(v.not_before);
  w.u64(v.not_after);
}

Result<Lifetime> decode_lifetime(TlsReader& r) {
  Lifetime out;
  out.not_before = BULWARK_TRY(r.u64());
  out.not_after = BULWARK_TRY(r.u64());
  return out;
}

}  // namespace bulwark::protocol::mls
