#include "witness/support/test_log.h"

#include <gtest/gtest.h>

#include "kt/checkpoint.h"
#include "kt/note.h"
#include "kt/wire.h"

namespace bulwark::witness::testing {

crypto::Ed25519SecretKey test_key(std::uint8_t fill) {
  return crypto::Ed25519SecretKey::from_seed(Bytes(crypto::ed25519_seed_bytes, std::byte{fill}))
      .value();
}

kt::NoteSigner log_signer() {
  return kt::NoteSigner::create(std::string(log_origin), test_key(0x11)).value();
}

std::string sign_checkpoint(const kt::Checkpoint& checkpoint, const kt::NoteSigner& signer) {
  const std::string body = kt::checkpoint_body(checkpoint);
  return kt::format_note(kt::Note{body, {signer.sign(body)}});
}

std::string cosigned_checkpoint(const kt::Checkpoint& checkpoint, const kt::NoteSigner& signer,
                                const SubmittedCosignatures& submitted) {
  const std::string body = kt::checkpoint_body(checkpoint);
  kt::Note note = kt::parse_note(sign_checkpoint(checkpoint, signer)).value();
  for (const auto& [cosigned_size, line] : submitted) {
    if (cosigned_size != checkpoint.size) continue;
    kt::Note cosigned = kt::parse_note(body + "\n" + line + "\n").value();
    note.signatures.push_back(cosigned.signatures.front());
  }
  return kt::format_note(note);
}

TestLog::TestLog()
    : directory_(crypto::VrfSecretKey::from_seed(Bytes(32, std::byte{7})).value()),
      signer_(log_signer()) {}

void TestLog::publish(std::string_view label, std::string_view value) {
  ASSERT_TRUE(directory_.update(as_bytes(label), as_bytes(value), rng_));
  (void)directory_.publish(now_ms_ += 1000);
}

kt::Checkpoint TestLog::checkpoint(std::uint64_t size) const {
  return kt::Checkpoint{std::string(log_origin), size, directory_.log().root(size), {}};
}

std::string TestLog::signed_checkpoint(std::uint64_t size) const {
  return sign_checkpoint(checkpoint(size), signer_);
}

EntryFetcher TestLog::fetcher() {
  return [this](std::uint64_t index) { return entry(index); };
}

Result<std::optional<std::string>> TestLog::latest_checkpoint() {
  if (size() == 0) return std::nullopt;
  return cosigned_checkpoint(checkpoint(size()), signer_, submitted);
}

kt::AuditEntry TestLog::audit_entry(std::uint64_t index) const {
  if (const auto it = rewritten.find(index); it != rewritten.end()) return it->second;
  return directory_.audit_entry(index);
}

Result<Bytes> TestLog::entry(std::uint64_t index) {
  if (entry_error) return tl::unexpected(*entry_error);
  if (index >= size()) return fail(Errc::not_found, "past the end");
  ++entries_fetched;
  return kt::encode_audit_entry(audit_entry(index));
}

Result<void> TestLog::submit_cosignature(std::uint64_t size, std::string_view line) {
  submitted.emplace_back(size, std::string(line));
  return {};
}

}  // namespace bulwark::witness::testing
