#include "protocol/mls/group/group_psks.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "protocol/mls/codec.h"
#include "protocol/mls/messages/limits.h"
#include "protocol/mls/psk.h"

namespace bulwark::protocol::mls {
namespace {

Result<SecretBytes> find_psk(const PreSharedKeyID& id, const PskSources& sources) {
  if (const auto* external = std::get_if<ExternalPskId>(&id.id)) {
    for (const ExternalPsk& psk : sources.external) {
      if (psk.psk_id == external->psk_id) return psk.psk.clone();
    }
    return fail(Errc::invalid_message, "external PSK " + to_hex(external->psk_id) + " unknown");
  }
  const auto& resumption = std::get<ResumptionPskId>(id.id);
  if (resumption.usage != ResumptionPSKUsage::application) {
    return fail(Errc::invalid_message, "resumption PSK of usage reinit/branch not supported");
  }
  const bool same_group = resumption.psk_group_id.size() == sources.group_id.size() &&
                          std::equal(resumption.psk_group_id.begin(), resumption.psk_group_id.end(),
                                     sources.group_id.begin());
  if (same_group) {
    for (const ResumptionPsk& psk : sources.resumption) {
      if (psk.epoch == resumption.psk_epoch) return psk.psk.clone();
    }
  }
  return fail(Errc::invalid_message,
              "resumption PSK of epoch " + std::to_string(resumption.psk_epoch) + " unavailable");
}

}  // namespace

Result<void> check_external_psk(const ExternalPsk& psk) {
  if (psk.psk_id.empty() || psk.psk_id.size() > max_psk_id_bytes) {
    return fail(Errc::invalid_argument, "external PSK id size out of range");
  }
  if (psk.psk.empty() || psk.psk.size() > max_external_psk_bytes) {
    return fail(Errc::invalid_argument, "external PSK size out of range");
  }
  return {};
}

Result<void> check_psk_id(const PreSharedKeyID& id) {
  if (id.psk_nonce.size() != CipherSuite::hash_size()) {
    return fail(Errc::invalid_message, "PreSharedKey proposal: psk_nonce is not Nh bytes");
  }
  if (const auto* resumption = std::get_if<ResumptionPskId>(&id.id)) {
    if (resumption->usage != ResumptionPSKUsage::application) {
      return fail(Errc::invalid_message,
                  "PreSharedKey proposal: resumption usage reinit/branch outside a reinit/branch");
    }
  }
  return {};
}

Result<SecretBytes> resolve_psk_secret(const CipherSuite& suite,
                                       std::span<const PreSharedKeyID> ids,
                                       const PskSources& sources) {
  std::vector<PskInput> inputs;
  inputs.reserve(ids.size());
  for (const PreSharedKeyID& id : ids) {
    Bytes encoded = BULWARK_TRY(encode_with([&](TlsWriter& w) { encode(w, id); }));
    SecretBytes psk = BULWARK_TRY(find_psk(id, sources));
    inputs.push_back(PskInput{std::move(encoded), std::move(psk)});
  }
  return psk_secret(suite, inputs);
}

}  // namespace bulwark::protocol::mls
