#include "server/lawful_service.h"

#include <algorithm>
#include <set>

#include "api/limits.h"
#include "crypto/ed25519.h"
#include "lawful/approval.h"
#include "lawful/category.h"
#include "lawful/release.h"
#include "server/phone.h"

namespace bulwark::server {
namespace {

using lawful::EntryKind;
using lawful::LogEntry;

std::int64_t to_ms(lawful::Seconds time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

lawful::Seconds from_ms(std::int64_t ms) {
  return lawful::Seconds{
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(ms))};
}

lawful::OrderHash hash_of(const store::LawfulOrder& order) {
  lawful::OrderHash hash{};
  std::copy_n(order.order_hash.begin(), std::min(order.order_hash.size(), hash.size()),
              hash.begin());
  return hash;
}

std::array<std::byte, 32> key_of(const ModeratorKey& by) {
  std::array<std::byte, 32> key{};
  std::copy_n(by.public_key.begin(), std::min(by.public_key.size(), key.size()), key.begin());
  return key;
}

// An operator's signature as log entries carry it: name, configured key, the 64 bytes (already
// verified, so of that length).
lawful::OperatorSignature operator_signature(const ModeratorKey& by, ByteView signature) {
  lawful::OperatorSignature signed_by{by.name, key_of(by), {}};
  std::copy_n(signature.begin(), std::min(signature.size(), signed_by.signature.size()),
              signed_by.signature.begin());
  return signed_by;
}

// The order as stored; a stored order was verified, so it parses.
Result<lawful::Order> stored_order(const store::LawfulOrder& stored) {
  auto order = lawful::parse_order(stored.document);
  if (!order) return fail(Errc::internal, "a stored order no longer parses");
  return order;
}

// An entry about `order`, with its hash and claims.
LogEntry entry_about(EntryKind kind, lawful::Seconds time, const store::LawfulOrder& order) {
  LogEntry entry;
  entry.kind = kind;
  entry.time = time;
  entry.order_hash = hash_of(order);
  entry.jurisdiction = order.jurisdiction;
  entry.authority = order.authority;
  return entry;
}

lawful::Authority from_store(const store::LawfulAuthority& stored) {
  return lawful::Authority{
      stored.name, stored.jurisdiction,
      crypto::DocumentTrust{stored.anchors, stored.intermediates, stored.crls}};
}

}  // namespace

struct LawfulService::Resolved {
  lawful::Target target;
  std::optional<store::Account> account;
};

LawfulService::LawfulService(LawfulSettings settings, DisclosureLog log, const Clock& clock,
                             Rng& rng)
    : settings_(std::move(settings)), log_(std::move(log)), clock_(clock), rng_(rng) {}

lawful::Seconds LawfulService::now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(clock_.now());
}

std::int64_t LawfulService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
      .count();
}

const ModeratorKey* LawfulService::find_operator(std::string_view name) const {
  for (const ModeratorKey& candidate : settings_.operators)
    if (candidate.name == name) return &candidate;
  return nullptr;
}

Result<std::uint64_t> LawfulService::put_authority(store::Store& store,
                                                   const lawful::Authority& authority,
                                                   const ModeratorKey& by, ByteView signature) {
  BULWARK_TRY(lawful::check_authority(authority));
  const auto digest = lawful::trust_digest(authority.trust);
  const auto key = BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(by.public_key));
  if (!lawful::verify_authority_change(key, authority.name, authority.jurisdiction, digest,
                                       signature) ||
      signature.size() != 64)
    return fail(Errc::auth_failed, "the change is not " + by.name + "'s signature of it");
  BULWARK_TRY(store.put_lawful_authority(
      store::LawfulAuthority{authority.name, authority.jurisdiction, authority.trust.anchors,
                             authority.trust.intermediates, authority.trust.crls, now_ms()}));
  LogEntry entry;
  entry.kind = EntryKind::authority;
  entry.time = now();
  entry.order_hash = digest;
  entry.jurisdiction = authority.jurisdiction;
  entry.authority = authority.name;
  entry.signatures = {operator_signature(by, signature)};
  return log_.append(store, entry);
}

Result<std::vector<lawful::Authority>> LawfulService::authorities(store::Store& store) const {
  std::vector<lawful::Authority> out;
  for (const store::LawfulAuthority& stored : BULWARK_TRY(store.lawful_authorities()))
    out.push_back(from_store(stored));
  return out;
}

Result<LawfulOutcome> LawfulService::submit(store::Store& store, ByteView document,
                                            ByteView signature) {
  const std::vector<lawful::Authority> known = BULWARK_TRY(authorities(store));
  auto verified = lawful::verify_order(document, signature, known, clock_.now());
  std::optional<lawful::OrderRefusal> refusal;
  std::uint64_t id = 0;
  if (verified) {
    store::LawfulOrder order;
    order.authority = verified->order.authority;
    order.order_id = verified->order.order_id;
    order.jurisdiction = verified->order.jurisdiction;
    order.order_hash.assign(verified->hash.begin(), verified->hash.end());
    order.document.assign(document.begin(), document.end());
    order.signature.assign(signature.begin(), signature.end());
    order.received_ms = now_ms();
    order.non_disclosure_until_ms = to_ms(verified->order.non_disclosure_until);
    auto added = store.add_lawful_order(order);
    if (added) {
      id = *added;
      order.id = id;
      LogEntry entry = entry_about(EntryKind::received, now(), order);
      entry.categories = verified->order.categories;
      entry.account_count = static_cast<std::uint32_t>(verified->order.targets.size());
      entry.non_disclosure_until = verified->order.non_disclosure_until;
      const std::uint64_t index = BULWARK_TRY(log_.append(store, entry));
      return LawfulOutcome{true, index, "", id, ""};
    }
    if (added.error().code != Errc::conflict) return tl::unexpected(added.error());
    refusal = lawful::OrderRefusal{lawful::RefusalReason::replayed,
                                   "order " + verified->order.order_id + " of \"" +
                                       verified->order.authority + "\" was submitted before"};
  } else {
    refusal = verified.error();
  }
  // Refused: logged under what the document claims, if it can be read at all.
  LogEntry entry;
  entry.kind = EntryKind::refused;
  entry.time = now();
  entry.order_hash = lawful::order_hash(document);
  entry.reason = static_cast<std::uint8_t>(refusal->reason);
  if (auto claimed = lawful::parse_order(document)) {
    entry.jurisdiction = claimed->jurisdiction;
    entry.authority = claimed->authority;
  }
  const std::uint64_t index = BULWARK_TRY(log_.append(store, entry));
  return LawfulOutcome{false, index, refusal->detail, 0,
                       std::string(lawful::refusal_name(refusal->reason))};
}

Result<LawfulOutcome> LawfulService::approve(store::Store& store, std::uint64_t id,
                                             const ModeratorKey& by, ByteView signature) {
  auto found = BULWARK_TRY(store.lawful_order(id));
  if (!found) return fail(Errc::not_found, "no order " + std::to_string(id));
  if (found->state != store::LawfulOrderState::pending)
    return fail(Errc::conflict, "order " + std::to_string(id) + " is no longer pending");
  const auto key = BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(by.public_key));
  if (!lawful::verify_approval(key, hash_of(*found), signature))
    return fail(Errc::auth_failed, "the approval is not " + by.name + "'s signature of the order");
  for (const store::LawfulDecision& decision : BULWARK_TRY(store.lawful_decisions(id))) {
    if (decision.operator_name != by.name) continue;
    LogEntry entry = entry_about(EntryKind::attempt_refused, now(), *found);
    entry.reason = static_cast<std::uint8_t>(lawful::AttemptRefusal::repeated_approver);
    const std::uint64_t index = BULWARK_TRY(log_.append(store, entry));
    return LawfulOutcome{
        false, index, by.name + " has already decided on this order", id,
        std::string(lawful::attempt_refusal_name(lawful::AttemptRefusal::repeated_approver))};
  }
  store::LawfulDecision decision{id,
                                 by.name,
                                 by.public_key,
                                 store::LawfulDecisionKind::approve,
                                 Bytes(signature.begin(), signature.end()),
                                 "",
                                 now_ms()};
  BULWARK_TRY(store.add_lawful_decision(decision));
  LogEntry entry = entry_about(EntryKind::approval, now(), *found);
  entry.signatures = {operator_signature(by, signature)};
  const std::uint64_t index = BULWARK_TRY(log_.append(store, entry));
  return LawfulOutcome{true, index, "", id, ""};
}

Result<LawfulOutcome> LawfulService::refuse(store::Store& store, std::uint64_t id,
                                            const ModeratorKey& by, std::string_view reason,
                                            ByteView signature) {
  auto found = BULWARK_TRY(store.lawful_order(id));
  if (!found) return fail(Errc::not_found, "no order " + std::to_string(id));
  if (found->state != store::LawfulOrderState::pending)
    return fail(Errc::conflict, "order " + std::to_string(id) + " is no longer pending");
  const auto key = BULWARK_TRY(crypto::Ed25519PublicKey::from_bytes(by.public_key));
  if (!lawful::verify_refusal(key, hash_of(*found), reason, signature))
    return fail(Errc::auth_failed, "the refusal is not " + by.name + "'s signature of it");
  store::LawfulDecision decision{id,
                                 by.name,
                                 by.public_key,
                                 store::LawfulDecisionKind::refuse,
                                 Bytes(signature.begin(), signature.end()),
                                 std::string(reason),
                                 now_ms()};
  if (auto added = store.add_lawful_decision(decision); !added) {
    if (added.error().code == Errc::conflict)
      return fail(Errc::conflict, by.name + " has already decided on this order");
    return tl::unexpected(added.error());
  }
  BULWARK_TRY(store.set_lawful_order_state(id, store::LawfulOrderState::refused, std::nullopt));
  LogEntry entry = entry_about(EntryKind::refused, now(), *found);
  entry.reason = static_cast<std::uint8_t>(lawful::RefusalReason::refused_by_operator);
  entry.signatures = {operator_signature(by, signature)};
  entry.operator_note = std::string(reason);
  const std::uint64_t index = BULWARK_TRY(log_.append(store, entry));
  return LawfulOutcome{true, index, "", id, ""};
}

// Approvals that still count: by an operator configured now, under the key configured now.
Result<std::vector<lawful::OperatorSignature>> LawfulService::valid_approvals(
    store::Store& store, const store::LawfulOrder& order) const {
  std::vector<lawful::OperatorSignature> valid;
  for (const store::LawfulDecision& decision : BULWARK_TRY(store.lawful_decisions(order.id))) {
    const ModeratorKey* by = find_operator(decision.operator_name);
    if (decision.kind != store::LawfulDecisionKind::approve || by == nullptr ||
        by->public_key != decision.operator_key || decision.signature.size() != 64)
      continue;
    valid.push_back(operator_signature(*by, decision.signature));
  }
  return valid;
}

Result<std::vector<LawfulService::Resolved>> LawfulService::resolve_targets(
    store::Store& store, const lawful::Order& order) {
  std::vector<Resolved> out;
  for (const lawful::Target& target : order.targets) {
    Resolved resolved{target, std::nullopt};
    if (target.kind == lawful::Target::Kind::phone_number) {
      if (auto phone = normalize_phone(target.value))
        resolved.account = BULWARK_TRY(store.account_by_phone(*phone));
    } else {
      resolved.account =
          BULWARK_TRY(store.account_by_username(api::canonical_username(target.value)));
    }
    out.push_back(std::move(resolved));
  }
  return out;
}

Result<ReleaseOutcome> LawfulService::release(store::Store& store, std::uint64_t id) {
  auto found = BULWARK_TRY(store.lawful_order(id));
  if (!found) return fail(Errc::not_found, "no order " + std::to_string(id));
  if (found->state == store::LawfulOrderState::refused)
    return fail(Errc::conflict, "order " + std::to_string(id) + " was refused");
  const lawful::Order order = BULWARK_TRY(stored_order(*found));
  if (found->state == store::LawfulOrderState::pending) return log_answer(store, *found, order);
  return build_package(store, *found, order);
}

Result<ReleaseOutcome> LawfulService::log_answer(store::Store& store,
                                                 const store::LawfulOrder& stored,
                                                 const lawful::Order& order) {
  LogEntry answer = entry_about(EntryKind::answered, now(), stored);
  for (const std::string& category : order.categories)
    (lawful::is_releasable(category) ? answer.categories : answer.not_held).push_back(category);
  answer.non_disclosure_until = order.non_disclosure_until;
  if (!answer.categories.empty()) {
    answer.signatures = BULWARK_TRY(valid_approvals(store, stored));
    if (answer.signatures.size() < settings_.approvals) {
      LogEntry attempt = entry_about(EntryKind::attempt_refused, now(), stored);
      attempt.reason = static_cast<std::uint8_t>(lawful::AttemptRefusal::too_few_approvals);
      ReleaseOutcome refused;
      refused.log_index = BULWARK_TRY(log_.append(store, attempt));
      refused.refused =
          std::string(lawful::attempt_refusal_name(lawful::AttemptRefusal::too_few_approvals));
      refused.detail = "releasing data needs " + std::to_string(settings_.approvals) +
                       " operators' approvals; the order has " +
                       std::to_string(answer.signatures.size());
      return refused;
    }
  }
  // The order must still bind: not expired, and its signer still valid and unrevoked under the
  // authorities' current anchors and CRLs. An expired order is refused for good; any other
  // failure (a CRL past its next update, a revocation) leaves the order pending, for the
  // operators to mend the configuration or refuse it.
  const std::vector<lawful::Authority> known = BULWARK_TRY(authorities(store));
  if (auto verified = lawful::verify_order(stored.document, stored.signature, known, clock_.now());
      !verified) {
    const bool expired = verified.error().reason == lawful::RefusalReason::expired;
    LogEntry refused_entry =
        entry_about(expired ? EntryKind::refused : EntryKind::attempt_refused, now(), stored);
    refused_entry.reason =
        expired ? static_cast<std::uint8_t>(lawful::RefusalReason::expired)
                : static_cast<std::uint8_t>(lawful::AttemptRefusal::order_does_not_verify);
    if (expired)
      BULWARK_TRY(
          store.set_lawful_order_state(stored.id, store::LawfulOrderState::refused, std::nullopt));
    ReleaseOutcome refused;
    refused.log_index = BULWARK_TRY(log_.append(store, refused_entry));
    refused.refused = expired ? std::string(lawful::refusal_name(lawful::RefusalReason::expired))
                              : std::string(lawful::attempt_refusal_name(
                                    lawful::AttemptRefusal::order_does_not_verify));
    refused.detail = "the order no longer binds: " + verified.error().detail;
    return refused;
  }
  std::vector<store::LawfulDisclosure> disclosures;
  if (!answer.categories.empty()) {
    std::set<store::AccountId> seen;
    for (const Resolved& resolved : BULWARK_TRY(resolve_targets(store, order))) {
      // Two targets may name one account (its number and its username): it counts once.
      if (!resolved.account || !seen.insert(resolved.account->id).second) continue;
      const auto salt = random_array<lawful::account_salt_bytes>(rng_);
      answer.accounts.push_back(lawful::account_commitment(salt, resolved.account->phone));
      disclosures.push_back(store::LawfulDisclosure{stored.id, resolved.account->id,
                                                    Bytes(salt.begin(), salt.end()), 0,
                                                    stored.non_disclosure_until_ms});
    }
  }
  answer.account_count = static_cast<std::uint32_t>(answer.accounts.size());
  const std::uint64_t index = BULWARK_TRY(log_.append(store, answer));
  for (store::LawfulDisclosure& disclosure : disclosures) disclosure.log_index = index;
  BULWARK_TRY(store.add_lawful_disclosures(disclosures));
  BULWARK_TRY(store.set_lawful_order_state(stored.id, store::LawfulOrderState::answered, index));
  store::LawfulOrder answered = stored;
  answered.answer_index = index;
  return build_package(store, answered, order);
}

Result<ReleaseOutcome> LawfulService::build_package(store::Store& store,
                                                    const store::LawfulOrder& stored,
                                                    const lawful::Order& order) {
  const std::uint64_t index = stored.answer_index.value_or(0);
  // The answer covers the order while it binds: once it has expired, no package is built.
  if (now() >= order.expires_at)
    return fail(Errc::conflict, "the order expired at " +
                                    lawful::format_utc_time(order.expires_at) +
                                    "; its answer (disclosure log entry " + std::to_string(index) +
                                    ") can no longer be released");
  auto proof = BULWARK_TRY(log_.prove(store, index));
  if (!proof) {
    ReleaseOutcome waiting;
    waiting.kind = ReleaseOutcome::Kind::awaiting_witnesses;
    waiting.log_index = index;
    waiting.cosignatures = BULWARK_TRY(log_.newest_cosignature_count(store));
    waiting.quorum = log_.settings().quorum;
    waiting.detail = "the answer is disclosure log entry " + std::to_string(index) +
                     "; nothing is released until " + std::to_string(waiting.quorum) +
                     " witnesses have cosigned a checkpoint that includes it";
    return waiting;
  }
  const Bytes entry_bytes = BULWARK_TRY(log_.entry(store, index));
  const LogEntry answer = BULWARK_TRY(lawful::decode_log_entry(entry_bytes));
  lawful::ReleasePackage package;
  package.order_id = order.order_id;
  package.order_hash = hash_of(stored);
  package.authority = order.authority;
  package.jurisdiction = order.jurisdiction;
  package.released_at = now();
  package.released_categories = answer.categories;
  package.not_held = answer.not_held;
  package.log = {index, entry_bytes, std::move(proof->checkpoint),
                 std::move(proof->inclusion_proof)};
  const auto released = [&](std::string_view category) {
    return std::find(answer.categories.begin(), answer.categories.end(), category) !=
           answer.categories.end();
  };
  const std::vector<store::LawfulDisclosure> disclosed =
      BULWARK_TRY(store.lawful_order_disclosures(stored.id));
  // What the answer released is fixed when it was logged: sightings inside both the order's
  // period and the retention window as of the answer's time, their times cut to that span. A
  // later release of the same answer never reaches further.
  // The entry's time is to the second: the answer covers that whole second.
  const std::int64_t answered_ms = to_ms(answer.time) + 999;
  const std::int64_t span_start = std::max(
      to_ms(order.from),
      answered_ms -
          std::chrono::duration_cast<std::chrono::milliseconds>(settings_.ip_retention).count());
  const std::int64_t span_end = std::min(to_ms(order.to), answered_ms);
  std::set<store::AccountId> seen;
  for (const Resolved& resolved : BULWARK_TRY(resolve_targets(store, order))) {
    lawful::ReleasedAccount account;
    account.target = resolved.target;
    const auto disclosure =
        !resolved.account ? disclosed.end()
                          : std::find_if(disclosed.begin(), disclosed.end(), [&](const auto& d) {
                              return d.account == resolved.account->id;
                            });
    // An account a target named before is listed once, under its first target.
    if (answer.categories.empty() || disclosure == disclosed.end() ||
        !seen.insert(resolved.account->id).second) {
      package.accounts.push_back(std::move(account));
      continue;
    }
    account.found = true;
    account.salt = disclosure->salt;
    account.commitment = lawful::account_commitment(account.salt, resolved.account->phone);
    if (released(lawful::phone_number_category)) account.phone_number = resolved.account->phone;
    if (released(lawful::ip_addresses_category)) {
      std::vector<lawful::ReleasedIp> ips;
      for (const store::IpSighting& ip : BULWARK_TRY(store.recent_ips(resolved.account->id))) {
        if (ip.last_seen_ms < span_start || ip.first_seen_ms > span_end) continue;
        ips.push_back({ip.ip, from_ms(std::max(ip.first_seen_ms, span_start)),
                       from_ms(std::min(ip.last_seen_ms, span_end))});
      }
      account.ip_addresses = std::move(ips);
    }
    package.accounts.push_back(std::move(account));
  }
  ReleaseOutcome released_outcome;
  released_outcome.kind = ReleaseOutcome::Kind::released;
  released_outcome.log_index = index;
  released_outcome.package =
      BULWARK_TRY(lawful::encode_release(package, log_.policy(), log_.key()));
  return released_outcome;
}

Result<std::vector<LawfulNotice>> LawfulService::notices(store::Store& store,
                                                         const store::AccountId& account) {
  std::vector<LawfulNotice> out;
  for (const store::LawfulDisclosure& disclosure :
       BULWARK_TRY(store.lawful_disclosures_for(account, now_ms(), store::max_lawful_page))) {
    auto stored = BULWARK_TRY(store.lawful_order(disclosure.order));
    if (!stored) continue;
    const lawful::Order order = BULWARK_TRY(stored_order(*stored));
    LawfulNotice notice;
    notice.order_id = order.order_id;
    notice.authority = order.authority;
    notice.jurisdiction = order.jurisdiction;
    notice.legal_basis = order.legal_basis;
    notice.salt = disclosure.salt;
    notice.log_index = disclosure.log_index;
    notice.entry = BULWARK_TRY(log_.entry(store, disclosure.log_index));
    const LogEntry answer = BULWARK_TRY(lawful::decode_log_entry(notice.entry));
    notice.categories = answer.categories;
    notice.disclosed_at_ms = to_ms(answer.time);
    notice.proof = BULWARK_TRY(log_.prove(store, disclosure.log_index));
    out.push_back(std::move(notice));
  }
  return out;
}

}  // namespace bulwark::server
