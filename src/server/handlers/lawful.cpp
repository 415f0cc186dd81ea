// Lawful requests for users (api.proto "lawful requests", docs/LAWFUL.md): the disclosures of the
// asking account's data whose order's non-disclosure period has ended, each with its disclosure
// log entry, the salt that opens the entry's commitment to the account and the entry's proof,
// and the log's keys for the client to pin. Operators work through the admin HTTPS API instead
// (server/lawful_http.h).
#include <algorithm>
#include <memory>

#include "api/proto/api.pb.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/lawful_service.h"

namespace bulwark::server {
namespace {

std::string text_of_bytes(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void fill_notice(const LawfulNotice& notice, api::LawfulNotice& out) {
  out.set_order_id(notice.order_id);
  out.set_authority(notice.authority);
  out.set_jurisdiction(notice.jurisdiction);
  out.set_legal_basis(notice.legal_basis);
  for (const std::string& category : notice.categories) out.add_categories(category);
  out.set_disclosed_at_ms(
      static_cast<std::uint64_t>(std::max<std::int64_t>(notice.disclosed_at_ms, 0)));
  out.set_salt(text_of_bytes(notice.salt));
  out.set_log_index(notice.log_index);
  out.set_entry(text_of_bytes(notice.entry));
  if (!notice.proof) return;
  out.set_checkpoint(notice.proof->checkpoint);
  for (const kt::Hash& hash : notice.proof->inclusion_proof)
    out.add_inclusion_proof(text_of_bytes(hash));
}

void fill_keys(const DisclosureLog& log, api::LawfulNoticesResult& out) {
  out.set_log_vkey(log.vkey());
  for (const kt::CosignerKey& witness : log.settings().witnesses) out.add_witnesses(witness.vkey());
  out.set_quorum(static_cast<std::uint32_t>(log.settings().quorum));
}

}  // namespace

void handle_lawful_notices(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const store::AccountId account = session.device()->account;
  auto decision =
      session.context().limiters.take(Limit::lookups_per_account, account_text(account));
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  auto response = std::make_shared<api::Response>(ok_response(id));
  LawfulService* lawful = session.context().lawful;
  // A server without lawful requests has disclosed nothing: an empty list, and no log to pin.
  if (!lawful) {
    response->mutable_lawful_notices();
    return session.respond(std::move(*response));
  }
  fill_keys(lawful->log(), *response->mutable_lawful_notices());
  // The service runs on the store thread, inside this job, like every other use of it.
  session.read_store(
      id,
      [lawful, account, response](store::Store& store) -> Result<void> {
        api::LawfulNoticesResult* out = response->mutable_lawful_notices();
        for (const LawfulNotice& notice : BULWARK_TRY(lawful->notices(store, account)))
          fill_notice(notice, *out->add_notices());
        return {};
      },
      [&session, id, response](Result<void> result) {
        if (!result) return respond_error(session, id, result.error());
        session.respond(std::move(*response));
      });
}

}  // namespace bulwark::server
