#include "kt/search.h"

#include <string>

#include "kt/binary_ladder.h"
#include "kt/log_entry.h"

namespace bulwark::kt {
namespace {

Error search_error(const std::string& what) {
  return Error{Errc::invalid_proof, "search proof: " + what};
}

Result<Hash> search_key(const crypto::VrfPublicKey& vrf_key, ByteView label,
                        std::uint32_t version, const crypto::VrfProof& proof) {
  const Bytes input = BULWARK_TRY(vrf_input(label, version));
  const crypto::VrfOutput beta = BULWARK_TRY(crypto::vrf_verify(vrf_key, input, proof));
  // KT_128_SHA256_Ed25519 truncates the VRF output to its first 32 bytes.
  Hash key{};
  std::copy_n(beta.begin(), key.size(), key.begin());
  return key;
}

// The lookups the ladder for `proof.version` makes, each with the commitment it must find:
// the opened value's for the target, the step's for versions below it, none above it.
Result<std::vector<PrefixLookup>> ladder_lookups(const crypto::VrfPublicKey& vrf_key,
                                                 ByteView label, const SearchProof& proof) {
  const auto versions = greatest_version_ladder(proof.version);
  if (proof.ladder.size() != versions.size()) {
    return tl::unexpected(search_error("the ladder does not fit the version"));
  }
  std::vector<PrefixLookup> lookups;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const std::uint32_t v = versions[i];
    const LadderStep& step = proof.ladder[i];
    PrefixLookup lookup{BULWARK_TRY(search_key(vrf_key, label, v, step.proof)), std::nullopt};
    if (v < proof.version) {
      if (!step.commitment) return tl::unexpected(search_error("a lower version's commitment missing"));
      lookup.commitment = step.commitment;
    } else if (step.commitment) {
      return tl::unexpected(search_error("a commitment where none belongs"));
    } else if (v == proof.version) {
      lookup.commitment = BULWARK_TRY(commitment(proof.opening, label, v, proof.value));
    }
    lookups.push_back(lookup);
  }
  return lookups;
}

}  // namespace

Result<void> verify_log_extends(const std::optional<LogView>& previous,
                                const Checkpoint& checkpoint, std::span<const Hash> proof) {
  if (!previous || previous->size == 0) {
    if (!proof.empty()) return tl::unexpected(search_error("consistency proof too long"));
    return {};
  }
  if (previous->size > checkpoint.size) {
    return tl::unexpected(search_error("the checkpoint is older than one already seen"));
  }
  const auto consistent =
      verify_consistency(previous->size, checkpoint.size, previous->root, checkpoint.root, proof);
  if (!consistent) {
    return tl::unexpected(search_error("the log does not extend the one seen before (" +
                                       consistent.error().context + ")"));
  }
  return {};
}

Result<SearchResult> verify_search(const crypto::VrfPublicKey& vrf_key, ByteView label,
                                   const Checkpoint& checkpoint,
                                   const std::optional<LogView>& previous,
                                   const SearchProof& proof) {
  if (proof.tree_size != checkpoint.size || checkpoint.size == 0) {
    return tl::unexpected(search_error("not against this checkpoint"));
  }
  const auto lookups = BULWARK_TRY(ladder_lookups(vrf_key, label, proof));
  const Hash prefix_root = BULWARK_TRY(prefix_root_from_proof(lookups, proof.prefix));
  const Hash leaf = log_entry_leaf(LogEntry{proof.timestamp_ms, prefix_root});
  const auto included =
      verify_inclusion(checkpoint.size - 1, checkpoint.size, leaf, proof.inclusion, checkpoint.root);
  if (!included) {
    return tl::unexpected(search_error("the lookups do not lead to the checkpoint's last entry"));
  }
  BULWARK_TRY(verify_log_extends(previous, checkpoint, proof.consistency));
  return SearchResult{proof.version, proof.value, proof.timestamp_ms};
}

}  // namespace bulwark::kt
