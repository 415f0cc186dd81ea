#include "lawful/support/test_log.h"

#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note.h"

namespace bulwark::testing {

using namespace lawful;
namespace {

constexpr std::string_view origin = "test.example/bulwark-disclosure";
constexpr std::string_view witness_name = "witness.example/w1";

crypto::Ed25519SecretKey key_from(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

}  // namespace

TestLog::TestLog()
    : log_key_(key_from(0x11)),
      log_signer_(*kt::NoteSigner::create(std::string(origin), key_from(0x11))),
      witness_key_(key_from(0x22)) {}

std::uint64_t TestLog::append(const LogEntry& entry) {
  append_bytes(*encode_log_entry(entry));
  return entries_.size() - 1;
}

void TestLog::append_bytes(Bytes entry) {
  tree_.append(kt::leaf_hash(entry));
  entries_.push_back(std::move(entry));
}

std::string TestLog::checkpoint(std::optional<std::uint64_t> size, bool cosigned) const {
  const std::uint64_t tree_size = size.value_or(entries_.size());
  const std::string body = kt::checkpoint_body(
      kt::Checkpoint{std::string(origin), tree_size, tree_.root(tree_size), {}});
  kt::Note note{body, {}};
  note.signatures.push_back(log_signer_.sign(body));
  if (cosigned)
    note.signatures.push_back(
        kt::cosign(witness_key_, std::string(witness_name), body, 1'780'272'000));
  return kt::format_note(note);
}

std::vector<kt::Hash> TestLog::inclusion_proof(std::uint64_t index, std::uint64_t size) const {
  return tree_.inclusion_proof(index, size);
}

kt::CheckpointPolicy TestLog::policy(std::size_t quorum) const {
  return kt::CheckpointPolicy{
      std::string(origin),
      *kt::NoteVerifier::create(std::string(origin), log_key_.public_key()),
      {*kt::CosignerKey::create(std::string(witness_name), witness_key_.public_key())},
      quorum};
}

LogEntry received_entry(std::uint8_t order_byte, std::string jurisdiction) {
  LogEntry entry;
  entry.kind = EntryKind::received;
  entry.time = *parse_utc_time("2026-06-01T00:00:00Z");
  entry.order_hash.fill(std::byte{order_byte});
  entry.jurisdiction = std::move(jurisdiction);
  entry.authority = "Athens Court of First Instance";
  entry.categories = {"phone_number", "ip_addresses"};
  entry.account_count = 1;
  entry.non_disclosure_until = *parse_utc_time("2026-09-01T00:00:00Z");
  return entry;
}

}  // namespace bulwark::testing
