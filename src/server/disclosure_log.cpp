#include "server/disclosure_log.h"

#include <algorithm>

#include "kt/checkpoint.h"
#include "kt/checkpoint_policy.h"
#include "kt/log_tree.h"
#include "kt/note.h"

namespace bulwark::server {
namespace {

Result<kt::LogTree> rebuild_tree(store::Store& store) {
  kt::LogTree tree;
  for (const Bytes& leaf : BULWARK_TRY(store.lawful_leaf_hashes()))
    tree.append(BULWARK_TRY(kt::to_hash(leaf)));
  return tree;
}

kt::NoteSigner make_signer(const std::string& origin, const crypto::Ed25519SecretKey& key) {
  auto copy = crypto::Ed25519SecretKey::from_seed(key.seed().view());
  auto signer = kt::NoteSigner::create(origin, std::move(*copy));
  if (!signer) contract_violation("disclosure log: the origin is not a valid key name");
  return std::move(*signer);
}

}  // namespace

DisclosureLog::DisclosureLog(DisclosureLogSettings settings, crypto::Ed25519SecretKey key)
    : settings_(std::move(settings)),
      key_(std::move(key)),
      signer_(make_signer(settings_.origin, key_)) {}

kt::CheckpointPolicy DisclosureLog::policy() const {
  auto verifier = kt::NoteVerifier::create(settings_.origin, key_.public_key());
  return kt::CheckpointPolicy{settings_.origin, std::move(*verifier), settings_.witnesses,
                              settings_.quorum};
}

Result<std::uint64_t> DisclosureLog::append(store::Store& store, const lawful::LogEntry& entry) {
  const Bytes bytes = BULWARK_TRY(lawful::encode_log_entry(entry));
  kt::LogTree tree = BULWARK_TRY(rebuild_tree(store));
  const kt::Hash leaf = kt::leaf_hash(bytes);
  tree.append(leaf);
  const std::string body =
      kt::checkpoint_body(kt::Checkpoint{settings_.origin, tree.size(), tree.root(), {}});
  store::LawfulLogEntry stored;
  stored.index = tree.size() - 1;
  stored.entry = bytes;
  stored.leaf_hash.assign(leaf.begin(), leaf.end());
  stored.checkpoint = kt::format_note(kt::Note{body, {signer_.sign(body)}});
  BULWARK_TRY(store.append_lawful_log(stored));
  return stored.index;
}

Result<std::uint64_t> DisclosureLog::check_stored(store::Store& store) const {
  const kt::CheckpointPolicy unwitnessed{
      settings_.origin, *kt::NoteVerifier::create(settings_.origin, key_.public_key()), {}, 0};
  kt::LogTree tree;
  const std::uint64_t size = BULWARK_TRY(store.lawful_log_size());
  while (tree.size() < size) {
    const auto page = BULWARK_TRY(store.lawful_log(tree.size(), store::max_lawful_page));
    if (page.empty()) break;
    for (const store::LawfulLogEntry& stored : page) {
      const std::string where = "disclosure log entry " + std::to_string(stored.index);
      const kt::Hash leaf = kt::leaf_hash(stored.entry);
      if (stored.index != tree.size() ||
          !std::equal(leaf.begin(), leaf.end(), stored.leaf_hash.begin(), stored.leaf_hash.end()))
        return fail(Errc::invalid_proof, where + " was altered in the store");
      tree.append(leaf);
      auto checkpoint = kt::verify_checkpoint(unwitnessed, stored.checkpoint);
      if (!checkpoint || checkpoint->checkpoint.size != tree.size() ||
          checkpoint->checkpoint.root != tree.root())
        return fail(Errc::invalid_proof,
                    where + "'s checkpoint is not this log key's signature of the tree up to it");
    }
  }
  if (tree.size() != size)
    return fail(Errc::invalid_proof,
                "the disclosure log's entries are not numbered 0.." + std::to_string(size));
  return size;
}

Result<std::string> DisclosureLog::stored_checkpoint(store::Store& store,
                                                     std::uint64_t size) const {
  if (size == 0) return fail(Errc::invalid_argument, "disclosure log: no checkpoint of size 0");
  auto entries = BULWARK_TRY(store.lawful_log(size - 1, 1));
  if (entries.empty() || entries[0].index != size - 1)
    return fail(Errc::invalid_argument, "disclosure log: no checkpoint of that size");
  return std::move(entries[0].checkpoint);
}

Result<std::pair<std::string, std::size_t>> DisclosureLog::cosigned_checkpoint(
    store::Store& store, std::uint64_t size) const {
  const std::string signed_note = BULWARK_TRY(stored_checkpoint(store, size));
  kt::Note note = BULWARK_TRY(kt::parse_note(signed_note));
  std::size_t witnesses = 0;
  for (const store::KtCosignature& stored : BULWARK_TRY(store.lawful_cosignatures(size))) {
    for (const kt::CosignerKey& witness : settings_.witnesses) {
      if (witness.name() != stored.witness) continue;
      auto line = kt::parse_note(note.text + "\n" + stored.signature_line + "\n");
      if (!line || line->signatures.size() != 1 || !kt::verify_cosignature(witness, *line))
        continue;
      note.signatures.push_back(line->signatures[0]);
      ++witnesses;
    }
  }
  return std::pair{kt::format_note(note), witnesses};
}

Result<std::optional<std::string>> DisclosureLog::newest_checkpoint(store::Store& store) const {
  const std::uint64_t size = BULWARK_TRY(store.lawful_log_size());
  if (size == 0) return std::optional<std::string>();
  auto [note, witnesses] = BULWARK_TRY(cosigned_checkpoint(store, size));
  (void)witnesses;
  return std::optional<std::string>(std::move(note));
}

Result<std::size_t> DisclosureLog::newest_cosignature_count(store::Store& store) const {
  const std::uint64_t size = BULWARK_TRY(store.lawful_log_size());
  if (size == 0) return std::size_t{0};
  return BULWARK_TRY(cosigned_checkpoint(store, size)).second;
}

Result<Bytes> DisclosureLog::entry(store::Store& store, std::uint64_t index) const {
  auto entries = BULWARK_TRY(store.lawful_log(index, 1));
  if (entries.empty() || entries[0].index != index)
    return fail(Errc::not_found, "disclosure log: no entry " + std::to_string(index));
  return std::move(entries[0].entry);
}

Result<void> DisclosureLog::add_cosignature(store::Store& store, std::uint64_t size,
                                            const std::string& line, std::int64_t now_ms) const {
  const std::uint64_t stored_size = BULWARK_TRY(store.lawful_log_size());
  if (size == 0 || size > stored_size)
    return fail(Errc::invalid_argument, "disclosure log: no checkpoint of that size");
  const std::string signed_note = BULWARK_TRY(stored_checkpoint(store, size));
  const kt::Note note = BULWARK_TRY(kt::parse_note(signed_note));
  auto cosigned = kt::parse_note(note.text + "\n" + line + "\n");
  if (!cosigned || cosigned->signatures.size() != 1)
    return fail(Errc::invalid_argument, "disclosure log: not one cosignature line");
  for (const kt::CosignerKey& witness : settings_.witnesses) {
    if (!kt::verify_cosignature(witness, *cosigned)) continue;
    return store.add_lawful_cosignature(store::KtCosignature{size, witness.name(), line, now_ms});
  }
  return fail(Errc::auth_failed, "disclosure log: no configured witness made that cosignature");
}

Result<std::optional<DisclosureLog::Proof>> DisclosureLog::prove(store::Store& store,
                                                                 std::uint64_t index) const {
  const kt::LogTree tree = BULWARK_TRY(rebuild_tree(store));
  // Newest first: the newest checkpoint that meets the quorum and holds the entry.
  for (std::uint64_t size = tree.size(); size > index; --size) {
    auto [note, witnesses] = BULWARK_TRY(cosigned_checkpoint(store, size));
    if (witnesses < settings_.quorum) continue;
    return std::optional<Proof>(Proof{std::move(note), tree.inclusion_proof(index, size)});
  }
  return std::optional<Proof>();
}

}  // namespace bulwark::server
