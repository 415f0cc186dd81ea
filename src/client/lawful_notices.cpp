#include "client/lawful_notices.h"

#include <algorithm>
#include <limits>

#include "client/detail/client_impl.h"
#include "kt/merkle.h"
#include "lawful/log_entry.h"

namespace bulwark::client {
namespace {

// The server's claims, shown (flagged) as long as the entry has not been checked.
LawfulNoticeView claimed_view(const api::LawfulNotice& notice) {
  LawfulNoticeView view;
  view.order_id = notice.order_id();
  view.authority = notice.authority();
  view.jurisdiction = notice.jurisdiction();
  view.legal_basis = notice.legal_basis();
  view.categories.assign(notice.categories().begin(), notice.categories().end());
  view.disclosed_at_ms = static_cast<std::int64_t>(
      std::min<std::uint64_t>(notice.disclosed_at_ms(), std::numeric_limits<std::int64_t>::max()));
  view.log_index = notice.log_index();
  return view;
}

std::optional<std::int64_t> entry_ms(lawful::Seconds time) {
  const std::int64_t seconds = time.time_since_epoch().count();
  if (seconds < 0 || seconds > std::numeric_limits<std::int64_t>::max() / 1000) return std::nullopt;
  return seconds * 1000;
}

// The entry is an answer that names this account; what is shown becomes the entry's.
std::optional<std::string> check_entry(std::string_view own_phone, const api::LawfulNotice& notice,
                                       LawfulNoticeView& view) {
  auto entry = lawful::decode_log_entry(as_bytes(notice.entry()));
  if (!entry || entry->kind != lawful::EntryKind::answered)
    return "the notice does not carry an answer of the disclosure log";
  if (notice.salt().size() != lawful::account_salt_bytes)
    return "the notice carries no salt to find this account in the answer";
  const lawful::AccountCommitment mine =
      lawful::account_commitment(as_bytes(notice.salt()), own_phone);
  if (std::ranges::find(entry->accounts, mine) == entry->accounts.end())
    return "the logged answer does not name this account's phone number";
  const std::optional<std::int64_t> logged_ms = entry_ms(entry->time);
  if (!logged_ms) return "the logged answer's time is out of range";
  const bool as_logged = entry->authority == notice.authority() &&
                         entry->jurisdiction == notice.jurisdiction() &&
                         std::ranges::equal(entry->categories, notice.categories()) &&
                         static_cast<std::uint64_t>(*logged_ms) == notice.disclosed_at_ms();
  view.authority = entry->authority;
  view.jurisdiction = entry->jurisdiction;
  view.categories = entry->categories;
  view.disclosed_at_ms = *logged_ms;
  if (!as_logged) return "the server's notice differs from the logged answer (shown as logged)";
  return std::nullopt;
}

// With a proof: the entry is in a checkpoint of the pinned log that its quorum cosigned.
std::optional<std::string> check_proof(const kt::CheckpointPolicy& policy,
                                       const api::LawfulNotice& notice, LawfulNoticeView& view) {
  if (notice.checkpoint().empty()) {
    if (notice.inclusion_proof_size() != 0)
      return "the notice carries an inclusion proof without its checkpoint";
    return std::nullopt;  // not cosigned yet: verified, not proved
  }
  auto trusted = kt::verify_checkpoint(policy, notice.checkpoint());
  if (!trusted)
    return "the disclosure log checkpoint does not verify under the keys this device pinned (" +
           trusted.error().context + ")";
  std::vector<kt::Hash> proof;
  for (const std::string& hash : notice.inclusion_proof()) {
    auto parsed = kt::to_hash(as_bytes(hash));
    if (!parsed) return "the notice carries a malformed inclusion proof";
    proof.push_back(*parsed);
  }
  if (!kt::verify_inclusion(notice.log_index(), trusted->checkpoint.size,
                            kt::leaf_hash(as_bytes(notice.entry())), proof,
                            trusted->checkpoint.root))
    return "the logged answer is not entry " + std::to_string(notice.log_index()) +
           " of the disclosure log's checkpoint (its inclusion proof does not verify)";
  view.proved = true;
  view.cosigned_by = std::move(trusted->cosigned_by);
  return std::nullopt;
}

std::string key_changed(const std::string& pinned, const std::string& published) {
  std::string text = "DISCLOSURE LOG KEY CHANGED: the server now signs its log of lawful requests";
  text += " with the key " + published + ", but this device pinned " + pinned;
  text += " when it first asked for its notices. The server may be showing you another log than";
  text += " the public one: no notice is shown until this is resolved";
  return text;
}

}  // namespace

Result<PinnedDisclosureLog> disclosure_log_to_trust(
    const std::optional<PinnedDisclosureLog>& pinned, const api::LawfulNoticesResult& published,
    std::int64_t now_ms) {
  if (pinned) {
    if (!published.log_vkey().empty() && published.log_vkey() != pinned->log_key)
      return fail(Errc::untrusted_identity, key_changed(pinned->log_key, published.log_vkey()));
    return *pinned;
  }
  if (published.log_vkey().empty())
    return fail(Errc::invalid_message, "the server publishes no disclosure log key");
  if (static_cast<std::size_t>(published.witnesses_size()) > max_disclosure_witnesses ||
      published.quorum() > static_cast<std::uint32_t>(published.witnesses_size()))
    return fail(Errc::invalid_message,
                "the server publishes too many disclosure log witnesses, or a quorum above them");
  PinnedDisclosureLog log{published.log_vkey(),
                          {published.witnesses().begin(), published.witnesses().end()},
                          published.quorum(),
                          now_ms};
  if (auto policy = disclosure_log_policy(log); !policy)
    return fail(
        Errc::invalid_message,
        "the server publishes disclosure log keys that do not parse: " + policy.error().context);
  return log;
}

Result<kt::CheckpointPolicy> disclosure_log_policy(const PinnedDisclosureLog& log) {
  auto key = kt::NoteVerifier::from_vkey(log.log_key);
  if (!key) return fail(Errc::invalid_argument, "the disclosure log key is not a key");
  std::string origin = key->name();
  kt::CheckpointPolicy policy{std::move(origin), std::move(*key), {}, log.quorum};
  for (const std::string& vkey : log.witnesses) {
    auto witness = kt::CosignerKey::from_vkey(vkey);
    if (!witness) return fail(Errc::invalid_argument, "a disclosure log witness key is not a key");
    policy.witnesses.push_back(std::move(*witness));
  }
  return policy;
}

LawfulNoticeView verify_lawful_notice(const kt::CheckpointPolicy& policy,
                                      std::string_view own_phone, const api::LawfulNotice& notice) {
  LawfulNoticeView view = claimed_view(notice);
  if (auto problem = check_entry(own_phone, notice, view)) {
    view.problem = std::move(*problem);
    return view;
  }
  if (auto problem = check_proof(policy, notice, view)) {
    view.problem = std::move(*problem);
    return view;
  }
  view.verified = true;
  return view;
}

Result<std::vector<LawfulNoticeView>> Client::lawful_notices() {
  const std::string phone = BULWARK_TRY(impl_->require_account())->phone;
  api::Request request;
  request.mutable_lawful_notices();
  const api::Response response = BULWARK_TRY(impl_->call(std::move(request)));
  const api::LawfulNoticesResult& result = response.lawful_notices();
  if (static_cast<std::size_t>(result.notices_size()) > max_lawful_notices)
    return fail(Errc::invalid_message, "the server sent more lawful notices than one page holds");
  const std::optional<PinnedDisclosureLog> pinned = BULWARK_TRY(impl_->store->disclosure_log_pin());
  std::vector<LawfulNoticeView> out;
  if (!pinned && result.log_vkey().empty()) {
    // No log to pin: whatever the server claims cannot be checked.
    for (const api::LawfulNotice& notice : result.notices()) {
      out.push_back(claimed_view(notice));
      out.back().problem = "the server publishes no disclosure log to check this notice against";
    }
    return out;
  }
  const PinnedDisclosureLog log =
      BULWARK_TRY(disclosure_log_to_trust(pinned, result, impl_->now_ms()));
  if (!pinned) BULWARK_TRY(impl_->store->pin_disclosure_log(log));
  const kt::CheckpointPolicy policy = BULWARK_TRY(disclosure_log_policy(log));
  for (const api::LawfulNotice& notice : result.notices())
    out.push_back(verify_lawful_notice(policy, phone, notice));
  return out;
}

}  // namespace bulwark::client
