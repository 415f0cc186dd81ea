#include "protocol/mls/messages/known_extensions.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

template <class Body>
Result<Extension> wrap(ExtensionType type, const Body& body) {
  Bytes data = BULWARK_TRY(encode_with([&](TlsWriter& w) { encode(w, body); }));
  return Extension{type, std::move(data)};
}

template <class Decode>
auto unwrap(const Extension& e, ExtensionType type, Decode decode)
    -> decltype(decode(std::declval<TlsReader&>())) {
  if (e.extension_type != type) {
    return fail(Errc::invalid_argument, "the extension is of another type");
  }
  return decode_all(e.extension_data, decode);
}

}  // namespace

void encode(TlsWriter& w, const ApplicationId& v) {
  put_opaque(w, v.application_id, max_extension_data_bytes);
}
Result<ApplicationId> decode_application_id(TlsReader& r) {
  Bytes id = BULWARK_TRY(get_opaque(r, max_extension_data_bytes));
  return ApplicationId{std::move(id)};
}

void encode(TlsWriter& w, const RequiredCapabilities& v) {
  encode_extension_types(w, v.extension_types);
  encode_proposal_types(w, v.proposal_types);
  encode_credential_types(w, v.credential_types);
}
Result<RequiredCapabilities> decode_required_capabilities(TlsReader& r) {
  RequiredCapabilities out;
  out.extension_types = BULWARK_TRY(decode_extension_types(r));
  out.proposal_types = BULWARK_TRY(decode_proposal_types(r));
  out.credential_types = BULWARK_TRY(decode_credential_types(r));
  return out;
}

void encode(TlsWriter& w, const ExternalPub& v) {
  put_opaque(w, v.external_pub, max_public_key_bytes);
}
Result<ExternalPub> decode_external_pub(TlsReader& r) {
  Bytes key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  return ExternalPub{std::move(key)};
}

void encode(TlsWriter& w, const ExternalSender& v) {
  put_opaque(w, v.signature_key, max_public_key_bytes);
  encode(w, v.credential);
}
Result<ExternalSender> decode_external_sender(TlsReader& r) {
  ExternalSender out;
  out.signature_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.credential = BULWARK_TRY(decode_credential(r));
  return out;
}

void encode(TlsWriter& w, const ExternalSenders& v) {
  encode_list(w, v.senders, max_extension_data_bytes, max_external_senders);
}
Result<ExternalSenders> decode_external_senders(TlsReader& r) {
  auto senders = BULWARK_TRY(decode_list<ExternalSender>(
      r, max_extension_data_bytes, max_external_senders, decode_external_sender));
  return ExternalSenders{std::move(senders)};
}

Result<Extension> make_extension(const ApplicationId& v) {
  return wrap(ExtensionType::application_id, v);
}
Result<Extension> make_extension(const RequiredCapabilities& v) {
  return wrap(ExtensionType::required_capabilities, v);
}
Result<Extension> make_extension(const ExternalPub& v) {
  return wrap(ExtensionType::external_pub, v);
}
Result<Extension> make_extension(const ExternalSenders& v) {
  return wrap(ExtensionType::external_senders, v);
}

Result<ApplicationId> application_id_from(const Extension& e) {
  return unwrap(e, ExtensionType::application_id, decode_application_id);
}
Result<RequiredCapabilities> required_capabilities_from(const Extension& e) {
  return unwrap(e, ExtensionType::required_capabilities, decode_required_capabilities);
}
Result<ExternalPub> external_pub_from(const Extension& e) {
  return unwrap(e, ExtensionType::external_pub, decode_external_pub);
}
Result<ExternalSenders> external_senders_from(const Extension& e) {
  return unwrap(e, ExtensionType::external_senders, decode_external_senders);
}

}  // namespace bulwark::protocol::mls
