#include "client/transparency.h"

#include <algorithm>
#include <thread>

#include "client/detail/proto_text.h"
#include "client/moderator_pins.h"
#include "client/uuid.h"
#include "crypto/ed25519.h"
#include "crypto/x25519.h"
#include "kt/checkpoint_policy.h"
#include "kt/search.h"
#include "kt/wire.h"

namespace bulwark::client {
namespace {

constexpr auto retry_interval = std::chrono::milliseconds(200);

std::string account_text(ByteView account_id) {
  if (account_id.empty()) return "(the whole log)";
  auto text = format_uuid(account_id);
  return text ? *text : to_hex(account_id);
}

void raise(Client::Impl& impl, std::string kind, ByteView account_id, std::string message) {
  KtAlert alert{std::move(kind), account_text(account_id), std::move(message)};
  const bool known = std::any_of(impl.alerts.begin(), impl.alerts.end(), [&](const KtAlert& a) {
    return a.kind == alert.kind && a.account == alert.account && a.message == alert.message;
  });
  if (!known) impl.alerts.push_back(std::move(alert));
}

// A checkpoint without the log's signature or the required witness cosignatures: nothing
// proved against it counts (Errc::auth_failed), and the user is told (an "unwitnessed" alert).
Error refuse_checkpoint(Client::Impl& impl, const Error& why) {
  const std::string message =
      "the server's key-transparency checkpoint is not acceptable: " + why.context;
  raise(impl, "unwitnessed", {}, message + ". Keys cannot be verified until it is");
  return Error{Errc::auth_failed, message};
}

Result<kt::CheckpointPolicy> policy_of(const KtTrust& trust) {
  auto log_key = kt::NoteVerifier::from_vkey(trust.log_key);
  if (!log_key) return fail(Errc::invalid_argument, "the pinned KT log key is not a key");
  kt::CheckpointPolicy policy{trust.origin, std::move(*log_key), {}, trust.quorum};
  for (const std::string& vkey : trust.witnesses) {
    auto witness = kt::CosignerKey::from_vkey(vkey);
    if (!witness) return fail(Errc::invalid_argument, "a pinned KT witness key is not a key");
    policy.witnesses.push_back(std::move(*witness));
  }
  return policy;
}

// The last checkpoint this device accepted, as a view the next one must extend.
std::optional<kt::LogView> accepted_view(const KtTrust& trust) {
  if (trust.size == 0 || !trust.root || trust.root->size() != kt::hash_bytes) return std::nullopt;
  return kt::LogView{trust.size, kt::to_hash(*trust.root).value()};
}

void raise_inconsistent(Client::Impl& impl, ByteView account_id, std::uint64_t shown,
                        std::uint64_t accepted, const std::string& why) {
  raise(impl, "log_inconsistent", account_id,
        "the key-transparency log the server shows (size " + std::to_string(shown) +
            ") does not verify as an extension of the one this device accepted before (size " +
            std::to_string(accepted) + "): the server is showing a forked, truncated or "
            "rewritten history (" + why + ")");
}

// Makes `trusted` the accepted checkpoint when it is at least as new.
Result<void> accept_checkpoint(Client::Impl& impl, KtTrust trust,
                               const kt::TrustedCheckpoint& trusted, const std::string& note) {
  if (trusted.checkpoint.size < trust.size) return {};
  trust.size = trusted.checkpoint.size;
  trust.root = to_bytes(trusted.checkpoint.root);
  trust.checkpoint = note;
  return impl.store->save_kt_trust(trust);
}

CheckpointInfo info_of(const kt::TrustedCheckpoint& trusted) {
  return CheckpointInfo{trusted.checkpoint.origin, trusted.checkpoint.size,
                        to_hex(trusted.checkpoint.root), trusted.cosigned_by};
}

struct SearchAnswer {
  std::string checkpoint;
  Bytes proof;
};

Result<SearchAnswer> search_once(Client::Impl& impl, ByteView account_id, std::uint64_t last) {
  api::Request request;
  request.mutable_kt_search()->set_account_id(text_of(account_id));
  request.mutable_kt_search()->set_last_size(last);
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  return SearchAnswer{response.kt_search().checkpoint(),
                      to_bytes(as_bytes(response.kt_search().proof()))};
}

// Asks until the log has the account or `wait` has passed.
Result<SearchAnswer> search(Client::Impl& impl, ByteView account_id, std::uint64_t last,
                            std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto answer = search_once(impl, account_id, last);
    const bool absent = !answer && (answer.error().code == Errc::not_found ||
                                    answer.error().code == Errc::unavailable);
    if (!absent || std::chrono::steady_clock::now() + retry_interval > deadline) {
      if (absent) {
        return fail(Errc::not_found, account_text(account_id) +
                                         " has no keys in the key-transparency log yet");
      }
      return answer;
    }
    std::this_thread::sleep_for(retry_interval);
  }
}

Result<kt::AccountRecord> decode_verified(ByteView bytes) {
  auto record = kt::decode_account_record(bytes);
  if (!record || !kt::verify_account_record(*record)) {
    return fail(Errc::invalid_proof, "the log holds an account record that is not signed by its key");
  }
  return record;
}

std::string device_list(const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (const std::uint32_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

}  // namespace

Result<void> pin_kt_trust(Client::Impl& impl, const KtRequirements& required) {
  api::Request request;
  request.mutable_kt_config();
  auto response = BULWARK_TRY(impl.call(std::move(request)));
  const api::KtConfigResult& config = response.kt_config();
  KtTrust trust;
  trust.origin = config.origin();
  trust.log_key = config.log_key();
  trust.vrf_public_key = to_bytes(as_bytes(config.vrf_public_key()));
  trust.witnesses.assign(config.witnesses().begin(), config.witnesses().end());
  trust.quorum = config.quorum();
  if (!required.witnesses.empty()) {
    trust.witnesses = required.witnesses;
    trust.quorum = static_cast<std::uint32_t>(required.witnesses.size());
  }
  if (required.quorum) trust.quorum = *required.quorum;
  if (trust.quorum > trust.witnesses.size()) {
    return fail(Errc::invalid_argument, "a key-transparency quorum above the number of witnesses");
  }
  BULWARK_TRY(policy_of(trust));  // refuse to pin keys that do not parse
  BULWARK_TRY(crypto::VrfPublicKey::from_bytes(trust.vrf_public_key));
  // The message-franking key comes with the log's keys: pinned now, it checks every stamp.
  if (const std::string& franking = config.franking_key(); !franking.empty()) {
    BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(as_bytes(franking)));
    BULWARK_TRY(impl.store->save_franking_server_key(as_bytes(franking)));
    impl.franking_key.reset();  // read again from what was just pinned
  }
  // So are the moderators' keys, which check every moderation notice and hold.
  BULWARK_TRY(pin_moderators(impl, config));
  return impl.store->save_kt_trust(trust);
}

Result<CheckpointInfo> verify_log_view(Client::Impl& impl) {
  if (!BULWARK_TRY(impl.store->kt_trust())) BULWARK_TRY(pin_kt_trust(impl));
  KtTrust trust = BULWARK_TRY(impl.store->kt_trust()).value();
  const kt::CheckpointPolicy policy = BULWARK_TRY(policy_of(trust));
  api::Request request;
  request.mutable_kt_checkpoint()->set_last_size(trust.size);
  const auto response = BULWARK_TRY(impl.call(std::move(request)));
  const auto trusted = kt::verify_checkpoint(policy, response.kt_checkpoint().checkpoint());
  if (!trusted) return tl::unexpected(refuse_checkpoint(impl, trusted.error()));
  std::vector<kt::Hash> consistency;
  for (const std::string& hash : response.kt_checkpoint().consistency()) {
    const auto parsed = kt::to_hash(as_bytes(hash));
    if (!parsed) return fail(Errc::invalid_proof, "the server sent a malformed consistency proof");
    consistency.push_back(*parsed);
  }
  const auto extends =
      kt::verify_log_extends(accepted_view(trust), trusted->checkpoint, consistency);
  if (!extends) {
    raise_inconsistent(impl, {}, trusted->checkpoint.size, trust.size, extends.error().context);
    return fail(Errc::invalid_proof, "key-transparency log refused: " + extends.error().context);
  }
  BULWARK_TRY(accept_checkpoint(impl, trust, *trusted, response.kt_checkpoint().checkpoint()));
  return info_of(*trusted);
}

Result<VerifiedKeys> verify_account(Client::Impl& impl, ByteView account_id,
                                    std::chrono::milliseconds wait) {
  if (!BULWARK_TRY(impl.store->kt_trust())) BULWARK_TRY(pin_kt_trust(impl));
  KtTrust trust = BULWARK_TRY(impl.store->kt_trust()).value();
  const kt::CheckpointPolicy policy = BULWARK_TRY(policy_of(trust));
  const auto vrf_key = BULWARK_TRY(crypto::VrfPublicKey::from_bytes(trust.vrf_public_key));
  const SearchAnswer answer = BULWARK_TRY(search(impl, account_id, trust.size, wait));

  const auto trusted = kt::verify_checkpoint(policy, answer.checkpoint);
  if (!trusted) return tl::unexpected(refuse_checkpoint(impl, trusted.error()));
  const auto proof = kt::decode_search_proof(answer.proof);
  if (!proof) return fail(Errc::invalid_proof, "the server sent a malformed search proof");
  const std::optional<kt::LogView> previous = accepted_view(trust);
  const auto found = kt::verify_search(vrf_key, account_id, trusted->checkpoint, previous, *proof);
  if (!found) {
    if (previous && found.error().code == Errc::invalid_proof) {
      raise_inconsistent(impl, account_id, trusted->checkpoint.size, trust.size,
                         found.error().context);
    }
    return fail(Errc::invalid_proof, "key-transparency proof refused: " + found.error().context);
  }
  VerifiedKeys keys{BULWARK_TRY(decode_verified(found->value)), found->version, info_of(*trusted)};
  BULWARK_TRY(accept_checkpoint(impl, trust, *trusted, answer.checkpoint));
  return keys;
}

namespace {

// What the log's record says about the keys the server gave: empty when they agree.
std::optional<std::pair<std::string, std::string>> disagreement(
    const VerifiedKeys& keys, std::string_view name, ByteView identity_key,
    const std::vector<std::uint32_t>& devices) {
  if (!std::equal(identity_key.begin(), identity_key.end(), keys.record.identity_key.begin(),
                  keys.record.identity_key.end())) {
    return std::pair{std::string("key_mismatch"),
                     "the server gave an identity key for " + std::string(name) +
                         " that is not the one in the key-transparency log: refusing it"};
  }
  std::vector<std::uint32_t> unsigned_devices;
  for (const std::uint32_t device : devices) {
    if (keys.record.device(device) == nullptr) unsigned_devices.push_back(device);
  }
  if (unsigned_devices.empty()) return std::nullopt;
  return std::pair{std::string("ghost_device"),
                   "the server lists device(s) " + device_list(unsigned_devices) + " for " +
                       std::string(name) + " that " + std::string(name) +
                       "'s identity key never signed (a ghost device?): refusing to encrypt to them"};
}

}  // namespace

Result<VerifiedKeys> verify_contact_keys(Client::Impl& impl, ByteView account_id,
                                         std::string_view name, ByteView identity_key,
                                         const std::vector<std::uint32_t>& devices) {
  VerifiedKeys keys = BULWARK_TRY(verify_account(impl, account_id, std::chrono::seconds(10)));
  // A change the server already shows is in the log within the next entry or two: until two
  // more entries have been published, a disagreement may be a change on its way, not a lie.
  const std::uint64_t first_size = keys.checkpoint.size;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  auto problem = disagreement(keys, name, identity_key, devices);
  while (problem && keys.checkpoint.size < first_size + 2 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(retry_interval);
    keys = BULWARK_TRY(verify_account(impl, account_id, std::chrono::seconds(10)));
    problem = disagreement(keys, name, identity_key, devices);
  }
  if (problem) {
    raise(impl, problem->first, account_id, problem->second);
    return fail(Errc::untrusted_identity, problem->second);
  }
  const auto known = BULWARK_TRY(impl.store->kt_record(account_id));
  // Written when it is news: not on every send to the same contact.
  if (!known || !known->version || *known->version < keys.version) {
    BULWARK_TRY(impl.store->save_kt_record(
        KtRecord{to_bytes(account_id), keys.version, kt::encode_account_record(keys.record)}));
  }
  return keys;
}

Result<kt::AccountRecord> sign_record(const LocalAccount& account,
                                      const kt::AccountRecord* previous,
                                      std::vector<kt::DeviceEntry> devices, std::int64_t now_ms,
                                      Rng& rng) {
  kt::AccountRecord record;
  if (previous != nullptr) {
    record.sequence = previous->sequence + 1;
    record.previous = kt::account_record_hash(*previous);
  }
  if (account.identity_public.size() != record.identity_key.size()) {
    return fail(Errc::invalid_argument, "this account's identity key is malformed");
  }
  std::copy(account.identity_public.begin(), account.identity_public.end(),
            record.identity_key.begin());
  record.created_ms = static_cast<std::uint64_t>(now_ms);
  std::sort(devices.begin(), devices.end(),
            [](const auto& a, const auto& b) { return a.device_id < b.device_id; });
  record.devices = std::move(devices);
  const auto identity =
      BULWARK_TRY(crypto::X25519SecretKey::from_bytes(account.identity_private.view()));
  kt::sign_account_record(record, identity, rng);
  return record;
}

}  // namespace bulwark::client
