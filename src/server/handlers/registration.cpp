// Registration and device authentication (api.proto: RequestCode, Register, Authenticate).
#include <spdlog/spdlog.h>

#include "api/auth.h"
#include "api/limits.h"
#include "api/proto/api.pb.h"
#include "crypto/compare.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "server/account_record_checks.h"
#include "server/bus/bus.h"
#include "server/device_session.h"
#include "server/handlers/convert.h"
#include "server/handlers/handlers.h"
#include "server/handlers/respond.h"
#include "server/phone.h"

namespace bulwark::server {
namespace {

// A uniformly random six-digit code (rejection sampling: no modulo bias).
std::string new_code(Rng& rng) {
  constexpr std::uint32_t range = 1'000'000;
  constexpr std::uint32_t limit = 0xFFFFFFFFu - (0xFFFFFFFFu % range);
  std::uint32_t value = 0;
  do {
    auto raw = random_array<4>(rng);
    value = (static_cast<std::uint32_t>(raw[0]) << 24) | (static_cast<std::uint32_t>(raw[1]) << 16) |
            (static_cast<std::uint32_t>(raw[2]) << 8) | static_cast<std::uint32_t>(raw[3]);
  } while (value >= limit);
  std::string code = std::to_string(value % range);
  return std::string(api::verification_code_digits - code.size(), '0') + code;
}

Bytes code_hash(ByteView salt, std::string_view phone, std::string_view code) {
  auto digest = crypto::sha256({salt, as_bytes(phone), as_bytes(code)});
  return Bytes(digest.begin(), digest.end());
}

bool is_code_shape(std::string_view code) {
  if (code.size() != api::verification_code_digits) return false;
  for (char c : code)
    if (c < '0' || c > '9') return false;
  return true;
}

void record_ip(DeviceSession& session, const store::AccountId& account) {
  std::string ip = session.connection().remote_ip();
  std::int64_t now = session.context().now_ms();
  session.with_store(0, [account, ip, now](store::Store& store) -> Result<void> {
    return store.record_ip(account, ip, now);
  }, [](Result<void> result) {
    if (!result) spdlog::warn("could not record a sighting: {}", result.error().describe());
  });
}

}  // namespace

void handle_request_code(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  auto phone = normalize_phone(request.request_code().phone());
  if (!phone) return respond_error(session, id, phone.error());
  for (auto [limit, key] : {std::pair{Limit::code_per_phone, std::string_view(*phone)},
                            std::pair{Limit::code_per_ip,
                                      std::string_view(session.connection().remote_ip())}}) {
    auto decision = context.limiters.take(limit, key);
    if (!decision.allowed) return respond_rate_limited(session, id, decision);
  }
  store::PendingCode pending;
  pending.phone = *phone;
  pending.salt.resize(16);
  context.rng.fill(pending.salt);
  auto code = std::make_shared<std::string>(new_code(context.rng));
  pending.code_hash = code_hash(pending.salt, *phone, *code);
  pending.created_at_ms = context.now_ms();
  pending.expires_at_ms = pending.created_at_ms +
                          std::chrono::duration_cast<std::chrono::milliseconds>(
                              context.config.code_lifetime).count();
  auto self = session.connection().shared_from_this();
  session.with_store(id, [pending](store::Store& store) {
    return store.put_verification_code(pending);
  }, [&session, self, id, code, e164 = *phone](Result<void> stored) {
    if (!stored) return respond_error(session, id, stored.error());
    ServerContext& ctx = session.context();
    ctx.run_blocking([self, id, code, e164, &ctx] {
      Result<void> sent = ctx.code_sender.send(e164, *code);
      std::fill(code->begin(), code->end(), '\0');
      self->post([self, id, e164, sent = std::move(sent), &ctx] {
        DeviceSession& s = self->session();
        if (!sent) {
          spdlog::warn("verification code not delivered: {}", sent.error().describe());
          return s.respond_status(id, api::UNAVAILABLE, "could not deliver the code, retry later");
        }
        ctx.metrics.codes_sent++;
        api::Response response = ok_response(id);
        response.mutable_request_code()->set_phone(e164);
        response.mutable_request_code()->set_expires_in_ms(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(ctx.config.code_lifetime).count()));
        s.respond(response);
      });
    });
  });
}

namespace {

enum class CodeCheck { accepted, wrong, expired, exhausted };

struct RegisterOutcome {
  CodeCheck check = CodeCheck::wrong;
  store::AccountId account;
  std::vector<store::Device> replaced_devices;
};

Result<void> check_code_and_register(store::Store& store, const std::string& phone,
                                     const std::string& code, std::int64_t now_ms,
                                     std::uint32_t max_attempts, const store::NewAccount& account,
                                     const store::NewDevice& device, const Bytes& record,
                                     RegisterOutcome& outcome) {
  auto pending = BULWARK_TRY(store.verification_code(phone));
  if (!pending || pending->expires_at_ms <= now_ms) {
    outcome.check = CodeCheck::expired;
    return {};
  }
  if (pending->failed_attempts >= max_attempts) {
    outcome.check = CodeCheck::exhausted;
    return store.delete_verification_code(phone);
  }
  if (!crypto::constant_time_equal(code_hash(pending->salt, phone, code), pending->code_hash)) {
    outcome.check = CodeCheck::wrong;
    BULWARK_TRY(store.add_failed_attempt(phone));
    return {};
  }
  BULWARK_TRY(store.delete_verification_code(phone));
  auto existing = BULWARK_TRY(store.account_by_phone(phone));
  if (existing) outcome.replaced_devices = BULWARK_TRY(store.devices(existing->id));
  outcome.account = BULWARK_TRY(store.register_account(account, device));
  // Published in key transparency with the account, or not at all.
  BULWARK_TRY(store.kt_queue_update(view_of(outcome.account.bytes), record));
  outcome.check = CodeCheck::accepted;
  return {};
}

}  // namespace

void handle_register(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  ServerContext& context = session.context();
  const api::Register& reg = request.register_();
  auto phone = normalize_phone(reg.phone());
  if (!phone) return respond_error(session, id, phone.error());
  auto decision = context.limiters.take(Limit::verify_per_phone, *phone);
  if (!decision.allowed) return respond_rate_limited(session, id, decision);
  if (!is_code_shape(reg.code()))
    return session.respond_status(id, api::INVALID_CODE, "the code is six digits");
  auto identity = identity_key_from(reg.identity_key());
  if (!identity) return respond_error(session, id, identity.error());
  auto device = new_device_from(reg.device(), context.now_ms());
  if (!device) return respond_error(session, id, device.error());
  const auto record = check_first_record(as_bytes(reg.account_record()), *identity,
                                         device->registration_id.value(), device->auth_key);
  if (!record) return respond_error(session, id, record.error());

  store::NewAccount account;
  context.rng.fill(account.id.bytes);
  // An RFC 9562 version-4 UUID: random, with the version and variant bits set.
  account.id.bytes[6] = (account.id.bytes[6] & std::byte{0x0f}) | std::byte{0x40};
  account.id.bytes[8] = (account.id.bytes[8] & std::byte{0x3f}) | std::byte{0x80};
  account.phone = *phone;
  account.identity_key = std::move(*identity);
  account.discoverable = reg.discoverable_by_phone();
  account.created_at_ms = context.now_ms();
  auto outcome = std::make_shared<RegisterOutcome>();
  std::int64_t now = context.now_ms();
  std::uint32_t max_attempts = context.config.code_max_attempts;
  session.with_store(id, [=, code = reg.code(), device = std::move(*device), phone = *phone,
                          record = to_bytes(as_bytes(reg.account_record()))](store::Store& store) {
    return check_code_and_register(store, phone, code, now, max_attempts, account, device, record,
                                   *outcome);
  }, [&session, id, outcome](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    switch (outcome->check) {
      case CodeCheck::expired:
        return session.respond_status(id, api::INVALID_CODE, "no valid code: it expired or was used");
      case CodeCheck::exhausted:
        return session.respond_status(id, api::INVALID_CODE, "too many wrong codes: request a new one");
      case CodeCheck::wrong:
        return session.respond_status(id, api::INVALID_CODE, "wrong code");
      case CodeCheck::accepted: break;
    }
    ServerContext& ctx = session.context();
    ctx.metrics.registrations++;
    for (const store::Device& old : outcome->replaced_devices)
      ctx.bus->close_replaced_device({outcome->account, old.id});
    api::Response response = ok_response(id);
    response.mutable_register_()->set_account_id(outcome->account.bytes.data(),
                                                 outcome->account.bytes.size());
    response.mutable_register_()->set_device_id(1);
    session.respond(response);
    session.authenticated({outcome->account, DeviceId(1)});
    record_ip(session, outcome->account);
  });
}

void handle_authenticate(DeviceSession& session, const api::Request& request) {
  const std::uint64_t id = request.id();
  const api::Authenticate& auth = request.authenticate();
  auto account = account_id_from(auth.account_id());
  if (!account) return respond_error(session, id, account.error());
  if (auth.signature().size() != api::signature_bytes)
    return session.respond_status(id, api::BAD_REQUEST, "signature must be 64 bytes");
  store::DeviceAddress address{*account, DeviceId(auth.device_id())};
  auto found = std::make_shared<std::optional<store::Device>>();
  auto queued = std::make_shared<std::uint64_t>(0);
  session.with_store(id, [address, found, queued](store::Store& store) -> Result<void> {
    *found = BULWARK_TRY(store.device(address.account, address.device));
    if (*found) *queued = BULWARK_TRY(store.queue_length(address));
    return {};
  }, [&session, id, address, found, queued, signature = auth.signature()](Result<void> result) {
    if (!result) return respond_error(session, id, result.error());
    ServerContext& ctx = session.context();
    Result<void> verified = fail(Errc::auth_failed, "unknown device");
    if (*found) {
      auto key = crypto::Ed25519PublicKey::from_bytes((*found)->auth_key);
      const Connection& connection = session.connection();
      Bytes message =
          connection.plaintext()
              ? api::plaintext_device_auth_message(session.challenge(),
                                                   view_of(address.account.bytes),
                                                   address.device.value())
              : api::device_auth_message(session.challenge(), view_of(address.account.bytes),
                                         address.device.value(), connection.tls_exporter());
      if (key) verified = crypto::ed25519_verify(*key, message, as_bytes(signature));
    }
    if (!verified) {
      ctx.metrics.auth_failures++;
      // One answer for "no such device" and "bad signature": no probing which devices exist.
      return session.respond_status(id, api::UNAUTHENTICATED, "authentication failed");
    }
    api::Response response = ok_response(id);
    response.mutable_authenticate()->set_queued(*queued);
    session.respond(response);
    session.authenticated(address);
    record_ip(session, address.account);
  });
}

}  // namespace bulwark::server
