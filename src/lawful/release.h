// The release package (issue 8 "The disclosure log"): what the operator hands the authority
// for an approved order - and only after the answer is an entry of the disclosure log. The
// package carries that entry with its inclusion proof and the (cosigned) checkpoint, so the
// authority, and anyone the package is shown to, can check that it was logged; and it is
// signed by the log's key, so it cannot be altered.
//
// There is no other way to make a package: encode_release verifies the inclusion proof
// against the checkpoint and the entry against the package before it signs. No entry, no
// release.
//
// File format (docs/LAWFUL.md "Release package"): the package as indented JSON, then one line
//   "-- bulwark-lawful-release-v1 " base64(Ed25519(log key, "bulwark-lawful-release-v1" 0x00
//                                           || the JSON's bytes)) "\n"
// (the NUL keeps these signatures apart from the checkpoints the same key signs: a note's
// text never holds one).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/ed25519.h"
#include "kt/checkpoint_policy.h"
#include "kt/merkle.h"
#include "lawful/log_entry.h"
#include "lawful/order.h"

namespace bulwark::lawful {

// What the package says about categories it does not release.
extern const std::string_view not_held_statement;

struct ReleasedIp {
  std::string ip;
  Seconds first_seen{};
  Seconds last_seen{};
  friend bool operator==(const ReleasedIp&, const ReleasedIp&) = default;
};

struct ReleasedAccount {
  Target target;
  bool found = false;  // false: no account matches the target; nothing else is set
  Bytes salt;          // 32 bytes; the entry commits to account_commitment(salt, phone)
  AccountCommitment commitment{};
  std::optional<std::string> phone_number;              // when phone_number is released
  std::optional<std::vector<ReleasedIp>> ip_addresses;  // when ip_addresses is released
  friend bool operator==(const ReleasedAccount&, const ReleasedAccount&) = default;
};

// The answer's place in the disclosure log.
struct LoggedAnswer {
  std::uint64_t index = 0;
  Bytes entry;
  std::string checkpoint;  // signed note of a tree that includes the entry, with cosignatures
  std::vector<kt::Hash> inclusion_proof;
  friend bool operator==(const LoggedAnswer&, const LoggedAnswer&) = default;
};

struct ReleasePackage {
  std::string order_id;
  OrderHash order_hash{};
  std::string authority;
  std::string jurisdiction;
  Seconds released_at{};
  std::vector<std::string> released_categories;
  std::vector<std::string> not_held;
  std::vector<ReleasedAccount> accounts;
  LoggedAnswer log;
  friend bool operator==(const ReleasePackage&, const ReleasePackage&) = default;
};

// The signed file. Errc::invalid_proof unless the log holds the answer as the package states
// it (verify_logged_answer); Errc::invalid_argument for a malformed package.
[[nodiscard]] Result<std::string> encode_release(const ReleasePackage& package,
                                                 const kt::CheckpointPolicy& log,
                                                 const crypto::Ed25519SecretKey& log_key);

// Reads and checks a release file: the log key's signature, then everything
// verify_logged_answer checks. Errc::auth_failed for a bad signature, Errc::invalid_proof for
// a package the log does not back, Errc::invalid_encoding for a malformed file.
[[nodiscard]] Result<ReleasePackage> verify_release(std::string_view file,
                                                    const kt::CheckpointPolicy& log);

// That `package.log` proves an answered entry, in a checkpoint `log` accepts, for this
// package's order with exactly its categories and its found accounts' commitments (and each
// released phone number opens its commitment).
[[nodiscard]] Result<LogEntry> verify_logged_answer(const ReleasePackage& package,
                                                    const kt::CheckpointPolicy& log);

}  // namespace bulwark::lawful
