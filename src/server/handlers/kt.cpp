// Key-transparency requests (api.proto "key transparency"): the configuration clients pin,
// search proofs and checkpoints. Proofs are computed on the KT thread (KtService) and
// answered back on the connection's strand.
#include "api/proto/api.pb.h"
#include "server/device_session.h"
#include "server/franking_keys.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/kt_service.h"

namespace bulwark::server {
namespace {

constexpr std::size_t account_id_bytes = 16;

// Runs `then` on the session's strand with the KT thread's answer.
template <class T>
std::function<void(Result<T>)> on_strand(DeviceSession& session,
                                         std::function<void(Result<T>)> then) {
  auto connection = session.connection().shared_from_this();
  return [connection, then = std::move(then)](Result<T> result) mutable {
    connection->post([then = std::move(then), result = std::move(result)]() mutable {
      then(std::move(result));
    });
  };
}

void respond_kt_busy(DeviceSession& session, std::uint64_t id) {
  session.respond_status(id, api::UNAVAILABLE, "key transparency is busy, retry");
}

}  // namespace

void handle_kt_config(DeviceSession& session, const api::Request& request) {
  KtService* kt = session.context().kt;
  if (kt == nullptr) return session.respond_status(request.id(), api::UNAVAILABLE, "no KT log");
  api::Response response = ok_response(request.id());
  api::KtConfigResult* out = response.mutable_kt_config();
  out->set_origin(kt->origin());
  out->set_log_key(kt->log_vkey());
  const Bytes vrf = kt->vrf_public_key();
  out->set_vrf_public_key(vrf.data(), vrf.size());
  for (const std::string& witness : kt->witness_vkeys()) out->add_witnesses(witness);
  out->set_quorum(static_cast<std::uint32_t>(kt->quorum()));
  if (FrankingKeys* franking = session.context().franking; franking != nullptr) {
    const crypto::Ed25519PublicKey key = franking->public_key();
    out->set_franking_key(key.bytes().data(), key.bytes().size());
  }
  for (const ModeratorKey& moderator : session.context().config.moderators) {
    api::ModeratorKey* published = out->add_moderators();
    published->set_name(moderator.name);
    published->set_key(moderator.public_key.data(), moderator.public_key.size());
  }
  session.respond(response);
}

void handle_kt_search(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  KtService* kt = session.context().kt;
  if (kt == nullptr) return session.respond_status(id, api::UNAVAILABLE, "no KT log");
  const api::KtSearch& search = request.kt_search();
  if (search.account_id().size() != account_id_bytes) {
    return session.respond_status(id, api::BAD_REQUEST, "account id must be 16 bytes");
  }
  // Not rate-limited like lookups: a search names a random 128-bit account id, which only a
  // lookup (limited) can reveal, so it cannot enumerate accounts; and every send makes one.
  const bool queued = kt->search(
      to_bytes(as_bytes(search.account_id())), search.last_size(),
      on_strand<KtService::SearchAnswer>(session, [&session, id](auto result) {
        if (!result) return respond_error(session, id, result.error());
        api::Response response = ok_response(id);
        response.mutable_kt_search()->set_checkpoint(result->checkpoint);
        response.mutable_kt_search()->set_proof(result->proof.data(), result->proof.size());
        session.respond(response);
      }));
  if (!queued) respond_kt_busy(session, id);
}

void handle_kt_checkpoint(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  KtService* kt = session.context().kt;
  if (kt == nullptr) return session.respond_status(id, api::UNAVAILABLE, "no KT log");
  const bool queued = kt->served_checkpoint(
      request.kt_checkpoint().last_size(),
      on_strand<KtService::CheckpointAnswer>(session, [&session, id](auto result) {
        if (!result) return respond_error(session, id, result.error());
        api::Response response = ok_response(id);
        response.mutable_kt_checkpoint()->set_checkpoint(result->checkpoint);
        for (const kt::Hash& hash : result->consistency) {
          response.mutable_kt_checkpoint()->add_consistency(hash.data(), hash.size());
        }
        session.respond(response);
      }));
  if (!queued) respond_kt_busy(session, id);
}

}  // namespace bulwark::server
