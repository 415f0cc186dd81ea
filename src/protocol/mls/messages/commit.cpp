#include "protocol/mls/messages/commit.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

ProposalOrRefType proposal_or_ref_type(const ProposalOrRef& v) noexcept {
  return std::holds_alternative<Proposal>(v.body) ? ProposalOrRefType::proposal
                                                  : ProposalOrRefType::reference;
}

void encode(TlsWriter& w, const HPKECiphertext& v) {
  put_opaque(w, v.kem_output, max_kem_output_bytes);
  put_opaque(w, v.ciphertext, max_hpke_ciphertext_bytes);
}

Result<HPKECiphertext> decode_hpke_ciphertext(TlsReader& r) {
  HPKECiphertext out;
  out.kem_output = BULWARK_TRY(get_opaque(r, max_kem_output_bytes));
  out.ciphertext = BULWARK_TRY(get_opaque(r, max_hpke_ciphertext_bytes));
  return out;
}

void encode(TlsWriter& w, const UpdatePathNode& v) {
  put_opaque(w, v.encryption_key, max_public_key_bytes);
  encode_list(w, v.encrypted_path_secret, max_list_bytes, max_path_ciphertexts);
}

Result<UpdatePathNode> decode_update_path_node(TlsReader& r) {
  UpdatePathNode out;
  out.encryption_key = BULWARK_TRY(get_opaque(r, max_public_key_bytes));
  out.encrypted_path_secret = BULWARK_TRY(
      decode_list<HPKECiphertext>(r, max_list_bytes, max_path_ciphertexts, decode_hpke_ciphertext));
  return out;
}

void encode(TlsWriter& w, const UpdatePath& v) {
  encode(w, v.leaf_node);
  encode_list(w, v.nodes, max_list_bytes, max_update_path_nodes);
}

Result<UpdatePath> decode_update_path(TlsReader& r) {
  UpdatePath out;
  out.leaf_node = BULWARK_TRY(decode_leaf_node(r));
  out.nodes = BULWARK_TRY(decode_list<UpdatePathNode>(r, max_list_bytes, max_update_path_nodes,
                                                      decode_update_path_node));
  return out;
}

void encode(TlsWriter& w, const ProposalOrRef& v) {
  encode(w, proposal_or_ref_type(v));
  if (const auto* proposal = std::get_if<Proposal>(&v.body)) {
    encode(w, *proposal);
  } else {
    put_opaque(w, std::get<ProposalRef>(v.body), max_hash_bytes);
  }
}

Result<ProposalOrRef> decode_proposal_or_ref(TlsReader& r) {
  const ProposalOrRefType type = BULWARK_TRY(decode_proposal_or_ref_type(r));
  if (type == ProposalOrRefType::proposal) {
    Proposal proposal = BULWARK_TRY(decode_proposal(r));
    return ProposalOrRef{std::move(proposal)};
  }
  ProposalRef reference = BULWARK_TRY(get_opaque(r, max_hash_bytes));
  return ProposalOrRef{std::move(reference)};
}

void encode(TlsWriter& w, const Commit& v) {
  encode_list(w, v.proposals, max_list_bytes, max_proposals_per_commit);
  w.present(v.path.has_value());
  if (v.path) encode(w, *v.path);
}

Result<Commit> decode_commit(TlsReader& r) {
  Commit out;
  out.proposals = BULWARK_TRY(decode_list<ProposalOrRef>(
      r, max_list_bytes, max_proposals_per_commit, decode_proposal_or_ref));
  const bool has_path = BULWARK_TRY(r.present());
  if (has_path) out.path = BULWARK_TRY(decode_update_path(r));
  return out;
}

Result<Bytes> serialize(const Commit& v) { return serialize_with_encode(v); }

Result<Commit> deserialize_commit(ByteView input) { return decode_all(input, decode_commit); }

}  // namespace bulwark::protocol::mls
