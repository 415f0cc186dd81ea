#include "protocol/mls/messages/psk_id.h"

#include <utility>

#include "protocol/mls/messages/limits.h"
#include "protocol/mls/messages/wire.h"

namespace bulwark::protocol::mls {

PSKType psk_type(const PreSharedKeyID& v) noexcept {
  return std::holds_alternative<ExternalPskId>(v.id) ? PSKType::external : PSKType::resumption;
}

void encode(TlsWriter& w, const PreSharedKeyID& v) {
  encode(w, psk_type(v));
  if (const auto* external = std::get_if<ExternalPskId>(&v.id)) {
    put_opaque(w, external->psk_id, max_psk_id_bytes);
  } else {
    const auto& resumption = std::get<ResumptionPskId>(v.id);
    encode(w, resumption.usage);
    put_opaque(w, resumption.psk_group_id, max_group_id_bytes);
    w.u64(resumption.psk_epoch);
  }
  put_opaque(w, v.psk_nonce, max_secret_bytes);
}

Result<PreSharedKeyID> decode_pre_shared_key_id(TlsReader& r) {
  PreSharedKeyID out;
  const PSKType type = BULWARK_TRY(decode_psk_type(r));
  if (type == PSKType::external) {
    ExternalPskId external;
    external.psk_id = BULWARK_TRY(get_opaque(r, max_psk_id_bytes));
    out.id = std::move(external);
  } else {
    ResumptionPskId resumption;
    resumption.usage = BULWARK_TRY(decode_resumption_psk_usage(r));
    resumption.psk_group_id = BULWARK_TRY(get_opaque(r, max_group_id_bytes));
    resumption.psk_epoch = BULWARK_TRY(r.u64());
    out.id = std::move(resumption);
  }
  out.psk_nonce = BULWARK_TRY(get_opaque(r, max_secret_bytes));
  return out;
}

}  // namespace bulwark::protocol::mls
