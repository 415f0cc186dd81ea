#include "protocol/mls/messages/proposals.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {
namespace {

constexpr auto last_rfc_proposal_type =
    static_cast<std::uint16_t>(ProposalType::group_context_extensions);

bool is_rfc_proposal_type(ProposalType type) noexcept {
  return static_cast<std::uint16_t>(type) <= last_rfc_proposal_type;
}

// Reads the body selected by `type` into a Proposal.
template <class Body, class Decode>
Result<Proposal> read_body(TlsReader& r, Decode&& decode) {
  Body body = BULWARK_TRY(decode(r));
  return Proposal{std::move(body)};
}

}  // namespace

ProposalType proposal_type(const Proposal& v) noexcept {
  if (const auto* custom = std::get_if<CustomProposal>(&v.body)) return custom->proposal_type;
  return static_cast<ProposalType>(v.body.index() + 1);
}

void encode(TlsWriter& w, const Add& v) { encode(w, v.key_package); }
Result<Add> decode_add(TlsReader& r) {
  KeyPackage key_package = BULWARK_TRY(decode_key_package(r));
  return Add{std::move(key_package)};
}

void encode(TlsWriter& w, const Update& v) { encode(w, v.leaf_node); }
Result<Update> decode_update(TlsReader& r) {
  LeafNode leaf = BULWARK_TRY(decode_leaf_node(r));
  return Update{std::move(leaf)};
}

void encode(TlsWriter& w, const Remove& v) { w.u32(v.removed); }
Result<Remove> decode_remove(TlsReader& r) {
  const std::uint32_t removed = BULWARK_TRY(r.u32());
  return Remove{removed};
}

void encode(TlsWriter& w, const PreSharedKey& v) { encode(w, v.psk); }
Result<PreSharedKey> decode_pre_shared_key(TlsReader& r) {
  PreSharedKeyID psk = BULWARK_TRY(decode_pre_shared_key_id(r));
  return PreSharedKey{std::move(psk)};
}

void encode(TlsWriter& w, const ReInit& v) {
  put_opaque(w, v.group_id, max_group_id_bytes);
  encode(w, v.version);
  encode_cipher_suite(w, v.cipher_suite);
  encode_extensions(w, v.extensions);
}
Result<ReInit> decode_re_init(TlsReader& r) {
  ReInit out;
  out.group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
  out.version = BULWARK_TRY(decode_protocol_version(r));
  out.cipher_suite = BULWARK_TRY(decode_cipher_suite(r));
  out.extensions = BULWARK_TRY(decode_extensions(r));
  return out;
}

void encode(TlsWriter& w, const ExternalInit& v) {
  put_opaque(w, v.kem_output, max_kem_output_bytes);
}
Result<ExternalInit> decode_external_init(TlsReader& r) {
  Bytes kem_output = BULWARK_TRY(get_opaque(r, max_kem_output_bytes));
  return ExternalInit{std::move(kem_output)};
}

void encode(TlsWriter& w, const GroupContextExtensions& v) { encode_extensions(w, v.extensions); }
Result<GroupContextExtensions> decode_group_context_extensions(TlsReader& r) {
  auto extensions = BULWARK_TRY(decode_extensions(r));
  return GroupContextExtensions{std::move(extensions)};
}

void encode(TlsWriter& w, const CustomProposal& v) {
  if (is_rfc_proposal_type(v.proposal_type)) {
    w.reject();
    return;
  }
  put_opaque(w, v.payload, max_extension_data_bytes);
}

void encode(TlsWriter& w, const Proposal& v) {
  encode(w, proposal_type(v));
  std::visit([&w](const auto& body) { encode(w, body); }, v.body);
}

Result<Proposal> decode_proposal(TlsReader& r) {
  const ProposalType type = BULWARK_TRY(decode_proposal_type(r));
  switch (type) {
    case ProposalType::add:
      return read_body<Add>(r, decode_add);
    case ProposalType::update:
      return read_body<Update>(r, decode_update);
    case ProposalType::remove:
      return read_body<Remove>(r, decode_remove);
    case ProposalType::psk:
      return read_body<PreSharedKey>(r, decode_pre_shared_key);
    case ProposalType::reinit:
      return read_body<ReInit>(r, decode_re_init);
    case ProposalType::external_init:
      return read_body<ExternalInit>(r, decode_external_init);
    case ProposalType::group_context_extensions:
      return read_body<GroupContextExtensions>(r, decode_group_context_extensions);
  }
  Bytes payload = BULWARK_TRY(get_opaque(r, max_extension_data_bytes));
  return Proposal{CustomProposal{type, std::move(payload)}};
}

Result<Bytes> serialize(const Proposal& v) { return serialize_with_encode(v); }

Result<Proposal> deserialize_proposal(ByteView input) { return decode_all(input, decode_proposal); }

}  // namespace bulwark::protocol::mls
