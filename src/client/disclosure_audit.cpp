#include "client/disclosure_audit.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/admin_https.h"
#include "client/detail/file_io.h"
#include "crypto/base64.h"
#include "kt/cosignature.h"
#include "kt/note_ed25519.h"

namespace bulwark::client {
namespace {

constexpr std::string_view state_header = "bulwark-disclosure-seen v1";
constexpr std::size_t max_state_bytes = 4096;
// A log far beyond any real one (and a bound on how long a hostile server can keep us busy).
constexpr std::uint64_t max_audited_entries = 10'000'000;

Result<std::string> get_text(AdminHttps& https, const std::string& target) {
  const HttpAnswer answer = BULWARK_TRY(https.exchange(false, target, ""));
  if (answer.status != 200)
    return fail(answer.status == 404 ? Errc::not_found : Errc::network,
                target + ": HTTP " + std::to_string(answer.status));
  return answer.body;
}

Result<nlohmann::json> get_json(AdminHttps& https, const std::string& target) {
  const std::string text = BULWARK_TRY(get_text(https, target));
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return fail(Errc::network, target + " is not JSON");
  return json;
}

Result<kt::CheckpointPolicy> policy_from(const DisclosureAuditOptions& options,
                                         const nlohmann::json& keys, bool& from_server) {
  from_server = !options.log_vkey;
  const std::string vkey = options.log_vkey.value_or(keys.value("log_vkey", std::string()));
  kt::CheckpointPolicy policy{"", BULWARK_TRY(kt::NoteVerifier::from_vkey(vkey)), {}, 0};
  policy.origin = policy.log_key.name();
  std::vector<std::string> witnesses = options.witness_vkeys;
  if (witnesses.empty() && from_server)
    for (const auto& witness : keys.value("witnesses", nlohmann::json::array()))
      if (witness.is_string()) witnesses.push_back(witness.get<std::string>());
  for (const std::string& witness : witnesses)
    policy.witnesses.push_back(BULWARK_TRY(kt::CosignerKey::from_vkey(witness)));
  policy.quorum = options.quorum.value_or(policy.witnesses.size());
  return policy;
}

Result<std::optional<lawful::SeenTree>> read_state(const std::filesystem::path& file) {
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return std::optional<lawful::SeenTree>();
  auto contents = detail::read_small_file(file, max_state_bytes, /*require_private=*/false);
  if (!contents) return tl::unexpected(contents.error());
  const ByteView bytes = contents->view();
  std::istringstream in(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  std::string header, size_word, root_word, root_text;
  std::uint64_t size = 0;
  std::getline(in, header);
  if (header != state_header || !(in >> size_word >> size >> root_word >> root_text) ||
      size_word != "size" || root_word != "root")
    return fail(Errc::invalid_encoding, "state file " + file.string() + " is not one this wrote");
  auto root = crypto::base64_decode(root_text);
  if (!root || root->size() != kt::hash_bytes)
    return fail(Errc::invalid_encoding, "state file " + file.string() + " holds no root");
  return std::optional<lawful::SeenTree>(lawful::SeenTree{size, *kt::to_hash(*root)});
}

Result<void> write_state(const std::filesystem::path& file, const lawful::SeenTree& seen) {
  const std::filesystem::path temporary = file.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << state_header << "\nsize " << seen.size << "\nroot " << crypto::base64_encode(seen.root)
        << "\n";
    if (!out.flush()) return fail(Errc::storage, "cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) return fail(Errc::storage, "cannot replace " + file.string());
  return {};
}

// The operators the server publishes; a name or key that does not decode is left out (its
// signatures then fail the audit).
lawful::OperatorRoster roster_from(const nlohmann::json& keys) {
  lawful::OperatorRoster roster;
  roster.approvals = keys.value("approvals", std::size_t{0});
  for (const auto& person : keys.value("operators", nlohmann::json::array())) {
    if (!person.is_object()) continue;
    auto key = crypto::base64_decode(person.value("key", std::string()));
    if (key) roster.keys[person.value("name", std::string())] = std::move(*key);
  }
  return roster;
}

// The report's periods as the server published them, in count_entries' form.
std::vector<lawful::PeriodCounts> published_counts(const nlohmann::json& report) {
  std::vector<lawful::PeriodCounts> out;
  for (const auto& row : report.value("periods", nlohmann::json::array()))
    out.push_back(lawful::period_from_json(row));
  return out;
}

}  // namespace

Result<DisclosureAuditReport> audit_server_disclosure_log(const DisclosureAuditOptions& options) {
  AdminHttps https =
      BULWARK_TRY(AdminHttps::open(options.server, options.ca_file, options.timeout));
  const nlohmann::json keys = BULWARK_TRY(get_json(https, "/v1/lawful/keys"));
  DisclosureAuditReport report;
  const kt::CheckpointPolicy policy =
      BULWARK_TRY(policy_from(options, keys, report.keys_from_server));
  report.origin = policy.origin;
  std::optional<lawful::SeenTree> seen;
  if (options.state_file) seen = BULWARK_TRY(read_state(*options.state_file));
  if (seen) report.previously_seen = seen->size;

  const HttpAnswer head = BULWARK_TRY(https.exchange(false, "/v1/lawful/checkpoint", ""));
  std::vector<lawful::LogEntry> entries;
  if (head.status == 503) {
    if (seen && seen->size > 0)
      return fail(Errc::invalid_proof, "the log is empty now but had " +
                                           std::to_string(seen->size) +
                                           " entries when verified before: entries were removed");
  } else {
    if (head.status != 200)
      return fail(Errc::network, "/v1/lawful/checkpoint: HTTP " + std::to_string(head.status));
    const kt::TrustedCheckpoint trusted = BULWARK_TRY(kt::verify_checkpoint(policy, head.body));
    if (trusted.checkpoint.size > max_audited_entries)
      return fail(Errc::invalid_proof, "the checkpoint claims an implausibly large log");
    std::vector<Bytes> raw;
    for (std::uint64_t index = 0; index < trusted.checkpoint.size; ++index) {
      const std::string entry =
          BULWARK_TRY(get_text(https, "/v1/lawful/entry/" + std::to_string(index)));
      raw.emplace_back(as_bytes(entry).begin(), as_bytes(entry).end());
    }
    lawful::AuditedLog audited =
        BULWARK_TRY(lawful::audit_disclosure_log(policy, head.body, raw, seen));
    report.size = audited.checkpoint.checkpoint.size;
    report.root = crypto::base64_encode(audited.checkpoint.checkpoint.root);
    report.cosigned_by = audited.checkpoint.cosigned_by;
    entries = std::move(audited.entries);
    if (options.state_file)
      BULWARK_TRY(write_state(*options.state_file,
                              lawful::SeenTree{report.size, audited.checkpoint.checkpoint.root}));
  }
  BULWARK_TRY(lawful::audit_decisions(entries, roster_from(keys)));
  report.counts = lawful::count_entries(entries);
  const nlohmann::json published = BULWARK_TRY(get_json(https, "/lawful.json"));
  if (published.value("log_size", std::uint64_t{0}) != report.size)
    return fail(Errc::unavailable, "the log grew while it was being checked; run again");
  if (published_counts(published) != report.counts)
    return fail(Errc::invalid_proof,
                "the published transparency report (/lawful.json) does not match the counts of "
                "the disclosure log's entries");
  return report;
}

}  // namespace bulwark::client
