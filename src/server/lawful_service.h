// Lawful requests on the server (issue 8, docs/LAWFUL.md): the workflow from a signed order to
// a release package, every step of it on the public disclosure log (server/disclosure_log.h).
//
//   submit   the order is verified (lawful::verify_order against the authorities in the
//            store, at the server's time) and its id checked against replays; a verified
//            order is stored and logged as received, any other is logged as refused.
//   approve  an operator's Ed25519 approval of the order hash; logged. The same operator
//            approving twice is refused and logged.
//   refuse   an operator's signed refusal with a reason; logged; the order is refused for good.
//   release  with at least `approvals` distinct configured operators' approvals (a content-only
//            order needs none: it releases nothing), the answer - categories released, the
//            rest "not held", a salted hash of each account found - is logged first; only
//            once a checkpoint that includes it is cosigned by the witnesses' quorum is the
//            package built, from the data as it is then: the phone number and the IP
//            addresses seen within both the retention window and the order's period. Too few
//            approvals is refused and logged; the order stays pending.
//
// Refusals are outcomes, not errors: the store job that logs them must commit. Every method
// runs inside one store job on the store thread (the server's StoreExecutor), so each step and
// its log entry are stored together or not at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/rng.h"
#include "lawful/authority.h"
#include "lawful/order_check.h"
#include "server/config.h"
#include "server/disclosure_log.h"
#include "store/store.h"

namespace bulwark::server {

struct LawfulSettings {
  std::vector<ModeratorKey> operators;  // [[lawful.operator]]: name and Ed25519 key
  std::size_t approvals = 2;
  std::chrono::hours ip_retention{24 * 7};
};

// What happened to a step that the workflow may refuse.
struct LawfulOutcome {
  bool accepted = false;
  std::uint64_t log_index = 0;  // the entry that records it
  std::string detail;           // why, when refused
  std::uint64_t order = 0;      // submit: the new order's id
  std::string reason;           // refused: the logged reason's name
};

struct ReleaseOutcome {
  enum class Kind { released, awaiting_witnesses, refused } kind = Kind::refused;
  std::string package;  // released: the signed file (lawful/release.h)
  std::uint64_t log_index = 0;
  std::size_t cosignatures = 0;  // awaiting_witnesses: of the newest checkpoint
  std::size_t quorum = 0;
  std::string detail;
  std::string refused;  // refused: the logged reason's name
};

// What an account's owner is told once the order's non-disclosure period has ended.
struct LawfulNotice {
  std::string order_id;
  std::string authority;
  std::string jurisdiction;
  std::string legal_basis;
  std::vector<std::string> categories;  // released about the account
  std::int64_t disclosed_at_ms = 0;
  Bytes salt;
  std::uint64_t log_index = 0;
  Bytes entry;
  std::optional<DisclosureLog::Proof> proof;  // nullopt until the quorum cosigned a checkpoint
};

class LawfulService {
 public:
  LawfulService(LawfulSettings settings, DisclosureLog log, const Clock& clock, Rng& rng);

  [[nodiscard]] const LawfulSettings& settings() const noexcept { return settings_; }
  [[nodiscard]] const DisclosureLog& log() const noexcept { return log_; }
  // The configured operator of that name, or nullptr.
  [[nodiscard]] const ModeratorKey* find_operator(std::string_view name) const;

  // Adds or replaces an authority on an operator's signed change (lawful/approval.h), logged as
  // an `authority` entry so that anyone sees whose anchors and CRLs orders are checked against,
  // and who changed them. Returns the entry's index; Errc::auth_failed for a bad signature.
  [[nodiscard]] Result<std::uint64_t> put_authority(store::Store& store,
                                                    const lawful::Authority& authority,
                                                    const ModeratorKey& by, ByteView signature);
  [[nodiscard]] Result<std::vector<lawful::Authority>> authorities(store::Store& store) const;

  [[nodiscard]] Result<LawfulOutcome> submit(store::Store& store, ByteView document,
                                             ByteView signature);
  [[nodiscard]] Result<LawfulOutcome> approve(store::Store& store, std::uint64_t order,
                                              const ModeratorKey& by, ByteView signature);
  [[nodiscard]] Result<LawfulOutcome> refuse(store::Store& store, std::uint64_t order,
                                             const ModeratorKey& by, std::string_view reason,
                                             ByteView signature);
  [[nodiscard]] Result<ReleaseOutcome> release(store::Store& store, std::uint64_t order);

  // The account's notices whose non-disclosure period has ended at the clock's time.
  [[nodiscard]] Result<std::vector<LawfulNotice>> notices(store::Store& store,
                                                          const store::AccountId& account);

 private:
  struct Resolved;
  [[nodiscard]] Result<std::vector<Resolved>> resolve_targets(store::Store& store,
                                                              const lawful::Order& order);
  [[nodiscard]] Result<std::vector<lawful::OperatorSignature>> valid_approvals(
      store::Store& store, const store::LawfulOrder& order) const;
  [[nodiscard]] Result<ReleaseOutcome> log_answer(store::Store& store,
                                                  const store::LawfulOrder& stored,
                                                  const lawful::Order& order);
  [[nodiscard]] Result<ReleaseOutcome> build_package(store::Store& store,
                                                     const store::LawfulOrder& stored,
                                                     const lawful::Order& order);
  [[nodiscard]] lawful::Seconds now() const;
  [[nodiscard]] std::int64_t now_ms() const;

  LawfulSettings settings_;
  DisclosureLog log_;
  const Clock& clock_;
  Rng& rng_;
};

}  // namespace bulwark::server
