#include "kt/directory.h"

#include <algorithm>

#include "kt/binary_ladder.h"

namespace bulwark::kt {
namespace {

std::string key_of(ByteView label) {
  return std::string(reinterpret_cast<const char*>(label.data()), label.size());
}

Hash search_key_of(const crypto::VrfOutput& beta) {
  Hash key{};
  std::copy_n(beta.begin(), key.size(), key.begin());
  return key;
}

}  // namespace

Directory::Directory(crypto::VrfSecretKey vrf_key)
    : vrf_key_(std::move(vrf_key)), vrf_public_(vrf_key_.public_key()) {}

std::uint32_t Directory::next_version(ByteView label) const {
  const auto it = labels_.find(key_of(label));
  if (it == labels_.end()) return 0;
  return static_cast<std::uint32_t>(it->second.published.size()) + it->second.pending;
}

Result<PublishedVersion> Directory::prepare(ByteView label, std::uint32_t version, ByteView value,
                                            const Opening& opening) const {
  const Bytes input = BULWARK_TRY(vrf_input(label, version));
  PublishedVersion update{to_bytes(label), version, opening, to_bytes(value), {}};
  update.leaf.commitment = BULWARK_TRY(commitment(opening, label, version, value));
  update.leaf.vrf_output = search_key_of(crypto::vrf_output(vrf_key_, input));
  return update;
}

Result<void> Directory::add(PublishedVersion update) {
  if (update.version != next_version(update.label)) {
    return fail(Errc::conflict, "kt directory: not the label's next version");
  }
  ++labels_[key_of(update.label)].pending;
  pending_.push_back(std::move(update));
  return {};
}

Result<std::uint32_t> Directory::update(ByteView label, ByteView value, Rng& rng) {
  Opening opening{};
  rng.fill(opening);
  const std::uint32_t version = next_version(label);
  PublishedVersion prepared = BULWARK_TRY(prepare(label, version, value, opening));
  BULWARK_TRY(add(std::move(prepared)));
  return version;
}

void Directory::insert_versions(std::span<const PublishedVersion> versions) {
  std::vector<PrefixLeaf> leaves;
  leaves.reserve(versions.size());
  for (const PublishedVersion& version : versions) {
    auto& label = labels_[key_of(version.label)];
    if (version.version != label.published.size()) {
      contract_violation("kt::Directory: versions out of order");
    }
    label.published.push_back(version);
    leaves.push_back(version.leaf);
  }
  // In key order: consecutive inserts then share the top of their paths in cache, which
  // makes a million-update epoch several times faster than arrival order.
  std::sort(leaves.begin(), leaves.end(), [](const PrefixLeaf& a, const PrefixLeaf& b) {
    return a.vrf_output < b.vrf_output;
  });
  for (const PrefixLeaf& leaf : leaves) {
    if (!prefix_.insert(leaf.vrf_output, leaf.commitment)) {
      // Two label-versions with one VRF output: SHA-512 collided, or a caller skipped checks.
      contract_violation("kt::Directory: a version's search key is already in the tree");
    }
  }
}

void Directory::append_entry(const LogEntry& entry) {
  log_.append(log_entry_leaf(entry));
  entries_.push_back(entry);
  entry_leaf_end_.push_back(prefix_.size());
}

Directory::PublishedEntry Directory::publish(std::uint64_t timestamp_ms) {
  if (!entries_.empty() && timestamp_ms < entries_.back().timestamp_ms) {
    contract_violation("kt::Directory::publish: time went backwards");
  }
  PublishedEntry published;
  published.versions = std::move(pending_);
  pending_.clear();
  for (PublishedVersion& update : published.versions) {
    update.entry = entries_.size();
    labels_[key_of(update.label)].pending -= 1;
  }
  insert_versions(published.versions);
  published.entry = LogEntry{timestamp_ms, prefix_.root()};
  append_entry(published.entry);
  return published;
}

Result<void> Directory::check_restorable(const LogEntry& entry,
                                         std::span<const PublishedVersion> versions) const {
  if (!entries_.empty() && entry.timestamp_ms < entries_.back().timestamp_ms) {
    return fail(Errc::invalid_proof, "kt directory: stored entries go back in time");
  }
  std::unordered_map<std::string, std::uint32_t> next;
  std::vector<Hash> keys;
  for (const PublishedVersion& version : versions) {
    if (version.entry != entries_.size()) {
      return fail(Errc::invalid_proof, "kt directory: a version stored under another entry");
    }
    const std::string label = key_of(version.label);
    auto [it, fresh] = next.try_emplace(label, 0);
    if (fresh) {
      const auto known = labels_.find(label);
      it->second = known == labels_.end()
                       ? 0
                       : static_cast<std::uint32_t>(known->second.published.size());
    }
    if (version.version != it->second++) {
      return fail(Errc::invalid_proof, "kt directory: stored versions out of order");
    }
    // The prefix root covers only the commitment: without this a value (or label, version or
    // opening) changed in the store would restore and be served against a valid root.
    const auto committed =
        commitment(version.opening, version.label, version.version, version.value);
    if (!committed || *committed != version.leaf.commitment) {
      return fail(Errc::invalid_proof,
                  "kt directory: a stored value does not match its commitment");
    }
    if (prefix_.find(version.leaf.vrf_output)) {
      return fail(Errc::invalid_proof, "kt directory: a stored search key repeats");
    }
    keys.push_back(version.leaf.vrf_output);
  }
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
    return fail(Errc::invalid_proof, "kt directory: a stored search key repeats");
  }
  return {};
}

Result<void> Directory::restore(const LogEntry& entry, std::span<const PublishedVersion> versions) {
  if (!pending_.empty()) contract_violation("kt::Directory::restore: updates pending");
  BULWARK_TRY(check_restorable(entry, versions));
  insert_versions(versions);
  if (prefix_.root() != entry.prefix_root) {
    // The tree now holds the altered versions: the directory is unusable, and the server
    // refuses to start on it.
    return fail(Errc::invalid_proof, "kt directory: stored versions do not give the entry's root");
  }
  append_entry(entry);
  return {};
}

const LogEntry& Directory::entry(std::uint64_t index) const {
  if (index >= entries_.size()) contract_violation("kt::Directory::entry: index beyond size");
  return entries_[index];
}

void Directory::serve_up_to(std::uint64_t new_size) {
  if (new_size < served_size_ || new_size > size()) {
    contract_violation("kt::Directory::serve_up_to: size outside served_size()..size()");
  }
  const std::size_t begin = served_size_ == 0 ? 0 : entry_leaf_end_[served_size_ - 1];
  const std::size_t end = new_size == 0 ? 0 : entry_leaf_end_[new_size - 1];
  for (std::size_t i = begin; i < end; ++i) {
    const PrefixLeaf& leaf = prefix_.leaf_at(i);
    if (!served_.insert(leaf.vrf_output, leaf.commitment)) {
      contract_violation("kt::Directory::serve_up_to: a published leaf refused");
    }
  }
  served_size_ = new_size;
  if (new_size > 0 && served_.root() != entries_[new_size - 1].prefix_root) {
    contract_violation("kt::Directory::serve_up_to: served tree diverged from the log");
  }
}

Result<SearchProof> Directory::search(ByteView label, std::optional<std::uint64_t> from_size) {
  const auto it = labels_.find(key_of(label));
  const std::uint64_t served = served_size_;
  // Versions are published in order, so those in served entries are a prefix.
  std::uint32_t visible = 0;
  if (it != labels_.end()) {
    const auto& all = it->second.published;
    visible = static_cast<std::uint32_t>(
        std::partition_point(all.begin(), all.end(),
                             [served](const PublishedVersion& v) { return v.entry < served; }) -
        all.begin());
  }
  if (visible == 0) {
    return fail(Errc::not_found, "kt directory: no published version of that label");
  }
  if (from_size && (*from_size == 0 || *from_size > served)) {
    return fail(Errc::invalid_argument, "kt directory: consistency from a size outside the log");
  }
  const auto& published = it->second.published;
  const std::uint32_t n = visible - 1;
  SearchProof proof;
  proof.tree_size = served;
  proof.version = n;
  proof.opening = published[n].opening;
  proof.value = published[n].value;
  proof.timestamp_ms = entries_[served - 1].timestamp_ms;
  std::vector<Hash> keys;
  for (const std::uint32_t v : greatest_version_ladder(n)) {
    const Bytes input = BULWARK_TRY(vrf_input(label, v));
    LadderStep step{crypto::vrf_prove(vrf_key_, input), std::nullopt};
    if (v < n) step.commitment = published[v].leaf.commitment;
    keys.push_back(v <= n ? published[v].leaf.vrf_output
                          : search_key_of(crypto::vrf_output(vrf_key_, input)));
    proof.ladder.push_back(step);
  }
  proof.prefix = served_.prove(keys);
  proof.inclusion = log_.inclusion_proof(served - 1, served);
  if (from_size && *from_size < served) {
    proof.consistency = log_.consistency_proof(*from_size, served);
  }
  return proof;
}

AuditEntry Directory::audit_entry(std::uint64_t index) const {
  if (index >= entries_.size()) contract_violation("kt::Directory::audit_entry: index beyond size");
  AuditEntry audit{entries_[index].timestamp_ms, {}};
  const std::size_t begin = index == 0 ? 0 : entry_leaf_end_[index - 1];
  for (std::size_t i = begin; i < entry_leaf_end_[index]; ++i) audit.added.push_back(prefix_.leaf_at(i));
  return audit;
}

}  // namespace bulwark::kt
