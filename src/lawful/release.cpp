#include "lawful/release.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/writer.h"
#include "crypto/base64.h"
#include "lawful/approval.h"
#include "lawful/category.h"
#include "lawful/strict_json.h"

namespace bulwark::lawful {

const std::string_view not_held_statement =
    "The operator holds no data in these categories that it can disclose. Bulwark's "
    "lawful-request process can release an account's phone number and the IP addresses it "
    "connected from within the retention window, and nothing else: message content is "
    "end-to-end encrypted between the users' devices and the server never holds the keys to it.";

namespace {

using nlohmann::json;

constexpr std::string_view format_name = "bulwark-lawful-release-v1";
constexpr std::string_view signature_prefix = "-- bulwark-lawful-release-v1 ";
// Packages of max_targets accounts with many addresses each stay well under this.
constexpr std::size_t max_release_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_release_depth = 6;

tl::unexpected<Error> malformed(std::string_view why) {
  return fail(Errc::invalid_encoding, "release package: " + std::string(why));
}

Bytes signed_message(std::string_view text) {
  Writer out(format_name.size() + 1 + text.size());
  out.bytes(as_bytes(format_name));
  out.u8(0);
  out.bytes(as_bytes(text));
  return *std::move(out).finish();  // sized exactly: cannot overflow
}

json target_json(const Target& target) {
  return json{
      {target.kind == Target::Kind::phone_number ? "phone_number" : "username", target.value}};
}

json account_json(const ReleasedAccount& account) {
  json out{{"target", target_json(account.target)}, {"found", account.found}};
  if (!account.found) return out;
  out["salt"] = to_hex(account.salt);
  out["commitment"] = to_hex(account.commitment);
  if (account.phone_number) out["phone_number"] = *account.phone_number;
  if (account.ip_addresses) {
    json ips = json::array();
    for (const ReleasedIp& ip : *account.ip_addresses)
      ips.push_back({{"ip", ip.ip},
                     {"first_seen", format_utc_time(ip.first_seen)},
                     {"last_seen", format_utc_time(ip.last_seen)}});
    out["ip_addresses"] = std::move(ips);
  }
  return out;
}

json package_json(const ReleasePackage& package) {
  json accounts = json::array();
  for (const ReleasedAccount& account : package.accounts) accounts.push_back(account_json(account));
  json proof = json::array();
  for (const kt::Hash& hash : package.log.inclusion_proof)
    proof.push_back(crypto::base64_encode(hash));
  return json{{"format", format_name},
              {"order",
               {{"order_id", package.order_id},
                {"sha256", to_hex(package.order_hash)},
                {"authority", package.authority},
                {"jurisdiction", package.jurisdiction}}},
              {"released_at", format_utc_time(package.released_at)},
              {"released_categories", package.released_categories},
              {"not_held",
               {{"categories", package.not_held},
                {"statement", package.not_held.empty() ? "" : std::string(not_held_statement)}}},
              {"accounts", std::move(accounts)},
              {"disclosure_log",
               {{"index", package.log.index},
                {"entry", crypto::base64_encode(package.log.entry)},
                {"checkpoint", package.log.checkpoint},
                {"inclusion_proof", std::move(proof)}}}};
}

// Reading back: every member as package_json writes it.
Result<std::string> text_at(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object.at(key).is_string())
    return malformed(std::string("\"") + key + "\" must be a string");
  return object.at(key).get<std::string>();
}

template <std::size_t N>
Result<std::array<std::byte, N>> hex_at(const json& object, const char* key) {
  const std::string text = BULWARK_TRY(text_at(object, key));
  auto bytes = from_hex(text);
  if (!bytes || bytes->size() != N)
    return malformed(std::string("\"") + key + "\" must be " + std::to_string(N) + " bytes in hex");
  return BULWARK_TRY(to_array<N>(*bytes));
}

Result<Seconds> time_at(const json& object, const char* key) {
  const std::string text = BULWARK_TRY(text_at(object, key));
  auto time = parse_utc_time(text);
  if (!time) return malformed(std::string("\"") + key + "\": " + time.error().context);
  return *time;
}

Result<std::vector<std::string>> names_at(const json& object, const char* key) {
  if (!object.contains(key) || !object.at(key).is_array())
    return malformed(std::string("\"") + key + "\" must be a list");
  std::vector<std::string> names;
  for (const json& name : object.at(key)) {
    if (!name.is_string() || !is_category_name(name.get<std::string>()))
      return malformed(std::string("\"") + key + "\" must list category names");
    names.push_back(name.get<std::string>());
  }
  return names;
}

Result<Target> target_from(const json& value) {
  if (!value.is_object() || value.size() != 1) return malformed("a target is one name");
  const auto member = value.begin();
  if (!member.value().is_string()) return malformed("a target is one name");
  if (member.key() == "phone_number")
    return Target{Target::Kind::phone_number, member.value().get<std::string>()};
  if (member.key() == "username")
    return Target{Target::Kind::username, member.value().get<std::string>()};
  return malformed("a target is a phone_number or a username");
}

Result<std::vector<ReleasedIp>> ips_from(const json& value) {
  if (!value.is_array()) return malformed("\"ip_addresses\" must be a list");
  std::vector<ReleasedIp> ips;
  for (const json& item : value) {
    ReleasedIp ip;
    ip.ip = BULWARK_TRY(text_at(item, "ip"));
    ip.first_seen = BULWARK_TRY(time_at(item, "first_seen"));
    ip.last_seen = BULWARK_TRY(time_at(item, "last_seen"));
    ips.push_back(std::move(ip));
  }
  return ips;
}

Result<ReleasedAccount> account_from(const json& value) {
  if (!value.is_object() || !value.contains("target") || !value.contains("found") ||
      !value.at("found").is_boolean())
    return malformed("an account names its target and whether it was found");
  ReleasedAccount account;
  account.target = BULWARK_TRY(target_from(value.at("target")));
  account.found = value.at("found").get<bool>();
  if (!account.found) return account;
  const auto salt = BULWARK_TRY(hex_at<account_salt_bytes>(value, "salt"));
  account.salt.assign(salt.begin(), salt.end());
  account.commitment = BULWARK_TRY(hex_at<32>(value, "commitment"));
  if (value.contains("phone_number"))
    account.phone_number = BULWARK_TRY(text_at(value, "phone_number"));
  if (value.contains("ip_addresses"))
    account.ip_addresses = BULWARK_TRY(ips_from(value.at("ip_addresses")));
  return account;
}

Result<LoggedAnswer> logged_from(const json& value) {
  LoggedAnswer log;
  if (!value.is_object() || !value.contains("index") || !value.at("index").is_number_unsigned())
    return malformed("\"disclosure_log\" names the entry's index");
  log.index = value.at("index").get<std::uint64_t>();
  auto entry = crypto::base64_decode(BULWARK_TRY(text_at(value, "entry")));
  if (!entry) return malformed("the log entry must be base64");
  log.entry = std::move(*entry);
  log.checkpoint = BULWARK_TRY(text_at(value, "checkpoint"));
  if (!value.contains("inclusion_proof") || !value.at("inclusion_proof").is_array() ||
      value.at("inclusion_proof").size() > 64)
    return malformed("\"inclusion_proof\" must be a list of hashes");
  for (const json& hash : value.at("inclusion_proof")) {
    if (!hash.is_string()) return malformed("\"inclusion_proof\" must be a list of hashes");
    auto bytes = crypto::base64_decode(hash.get<std::string>());
    if (!bytes || bytes->size() != kt::hash_bytes) return malformed("an inclusion proof hash");
    const kt::Hash node = BULWARK_TRY(kt::to_hash(*bytes));
    log.inclusion_proof.push_back(node);
  }
  return log;
}

Result<ReleasePackage> package_from(std::string_view text) {
  const json value = BULWARK_TRY(parse_strict_json(text, max_release_depth));
  if (BULWARK_TRY(text_at(value, "format")) != format_name) return malformed("unknown format");
  ReleasePackage package;
  if (!value.contains("order")) return malformed("\"order\" is missing");
  const json& order = value.at("order");
  package.order_id = BULWARK_TRY(text_at(order, "order_id"));
  package.order_hash = BULWARK_TRY(hex_at<32>(order, "sha256"));
  package.authority = BULWARK_TRY(text_at(order, "authority"));
  package.jurisdiction = BULWARK_TRY(text_at(order, "jurisdiction"));
  package.released_at = BULWARK_TRY(time_at(value, "released_at"));
  package.released_categories = BULWARK_TRY(names_at(value, "released_categories"));
  if (!value.contains("not_held")) return malformed("\"not_held\" is missing");
  package.not_held = BULWARK_TRY(names_at(value.at("not_held"), "categories"));
  if (!value.contains("accounts") || !value.at("accounts").is_array() ||
      value.at("accounts").size() > max_targets)
    return malformed("\"accounts\" must list at most 1000 accounts");
  for (const json& account : value.at("accounts")) {
    ReleasedAccount released = BULWARK_TRY(account_from(account));
    package.accounts.push_back(std::move(released));
  }
  if (!value.contains("disclosure_log")) return malformed("\"disclosure_log\" is missing");
  package.log = BULWARK_TRY(logged_from(value.at("disclosure_log")));
  return package;
}

tl::unexpected<Error> unproven(std::string_view why) {
  return fail(Errc::invalid_proof, "release package: " + std::string(why));
}

}  // namespace

Result<LogEntry> verify_logged_answer(const ReleasePackage& package,
                                      const kt::CheckpointPolicy& log) {
  const kt::TrustedCheckpoint trusted =
      BULWARK_TRY(kt::verify_checkpoint(log, package.log.checkpoint));
  const kt::Checkpoint& checkpoint = trusted.checkpoint;
  if (package.log.index >= checkpoint.size)
    return unproven("the entry is not inside the checkpoint's tree");
  if (!kt::verify_inclusion(package.log.index, checkpoint.size, kt::leaf_hash(package.log.entry),
                            package.log.inclusion_proof, checkpoint.root))
    return unproven("the inclusion proof does not lead to the checkpoint's root");
  auto decoded = decode_log_entry(package.log.entry);
  if (!decoded) return unproven("the logged entry does not decode: " + decoded.error().context);
  const LogEntry& entry = *decoded;
  if (entry.kind != EntryKind::answered || entry.order_hash != package.order_hash ||
      entry.jurisdiction != package.jurisdiction || entry.authority != package.authority)
    return unproven("the logged entry is not this order's answer");
  if (entry.categories != package.released_categories || entry.not_held != package.not_held)
    return unproven("the package releases other categories than the log says");
  for (const OperatorSignature& approval : entry.signatures) {
    auto key = crypto::Ed25519PublicKey::from_bytes(approval.key);
    if (!key || !verify_approval(*key, entry.order_hash, approval.signature))
      return unproven("the answer's approval by " + approval.name + " does not verify");
  }
  std::vector<AccountCommitment> found;
  for (const ReleasedAccount& account : package.accounts) {
    if (!account.found) continue;
    found.push_back(account.commitment);
    if (account.phone_number &&
        account_commitment(account.salt, *account.phone_number) != account.commitment)
      return unproven("a phone number does not open its account's commitment");
    const bool has_phone = account.phone_number.has_value();
    const bool has_ips = account.ip_addresses.has_value();
    const auto released = [&](std::string_view category) {
      return std::find(entry.categories.begin(), entry.categories.end(), category) !=
             entry.categories.end();
    };
    if (has_phone != released(phone_number_category) || has_ips != released(ip_addresses_category))
      return unproven("an account carries data of a category the log does not release");
  }
  std::vector<AccountCommitment> logged = entry.accounts;
  std::sort(found.begin(), found.end());
  std::sort(logged.begin(), logged.end());
  if (found != logged)
    return unproven("the package's accounts are not the ones the log commits to");
  return entry;
}

Result<std::string> encode_release(const ReleasePackage& package, const kt::CheckpointPolicy& log,
                                   const crypto::Ed25519SecretKey& log_key) {
  const crypto::Ed25519PublicKey signer_key = log_key.public_key();
  const ByteView signer = signer_key.bytes();
  const ByteView expected = log.log_key.public_key().bytes();
  if (!std::equal(signer.begin(), signer.end(), expected.begin(), expected.end()))
    return fail(Errc::invalid_argument, "release package: signed by another key than the log's");
  BULWARK_TRY(verify_logged_answer(package, log));
  const std::string text = package_json(package).dump(2) + "\n";
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(log_key, signed_message(text));
  return text + std::string(signature_prefix) + crypto::base64_encode(signature) + "\n";
}

Result<ReleasePackage> verify_release(std::string_view file, const kt::CheckpointPolicy& log) {
  if (file.size() > max_release_bytes) return malformed("over 16 MiB");
  const std::size_t line = file.rfind(signature_prefix);
  if (line == std::string_view::npos || (line > 0 && file[line - 1] != '\n') || file.back() != '\n')
    return malformed("no signature line at the end");
  const std::string_view text = file.substr(0, line);
  const std::string_view encoded =
      file.substr(line + signature_prefix.size(), file.size() - line - signature_prefix.size() - 1);
  auto signature = crypto::base64_decode(encoded);
  if (!signature) return malformed("the signature is not base64");
  if (!crypto::ed25519_verify(log.log_key.public_key(), signed_message(text), *signature))
    return fail(Errc::auth_failed, "release package: the log key's signature does not verify");
  ReleasePackage package = BULWARK_TRY(package_from(text));
  BULWARK_TRY(verify_logged_answer(package, log));
  return package;
}

}  // namespace bulwark::lawful
