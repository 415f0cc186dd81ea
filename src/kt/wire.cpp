#include "kt/wire.h"

#include <algorithm>
#include <string>

#include "common/reader.h"
#include "common/writer.h"

namespace bulwark::kt {
namespace {

constexpr std::size_t max_search_proof_bytes =
    8 + 4 + opening_bytes + 4 + max_kt_value_bytes + 1 + max_ladder_steps * (80 + 1 + 32) + 8 +
    1 + max_prefix_proof_keys * (1 + 64 + 2) + 2 + max_prefix_elements * 32 + 2 +
    2 * max_log_proof_hashes * 32;

Error bad(const char* what) { return Error{Errc::invalid_encoding, std::string("kt wire: ") + what}; }

Result<bool> read_flag(Reader& reader) {
  const std::uint8_t flag = BULWARK_TRY(reader.u8());
  if (flag > 1) return tl::unexpected(bad("a flag that is neither 0 nor 1"));
  return flag == 1;
}

void write_hashes_u8(Writer& writer, const std::vector<Hash>& hashes) {
  writer.u8(static_cast<std::uint8_t>(hashes.size()));
  for (const Hash& hash : hashes) writer.bytes(hash);
}

Result<std::vector<Hash>> read_hashes_u8(Reader& reader, std::size_t max) {
  const std::size_t count = BULWARK_TRY(reader.u8());
  if (count > max) return tl::unexpected(bad("too many hashes"));
  std::vector<Hash> hashes;
  for (std::size_t i = 0; i < count; ++i) hashes.push_back(BULWARK_TRY(reader.array<32>()));
  return hashes;
}

void write_prefix_proof(Writer& writer, const PrefixProof& proof) {
  writer.u8(static_cast<std::uint8_t>(proof.results.size()));
  for (const PrefixSearchResult& result : proof.results) {
    writer.u8(static_cast<std::uint8_t>(result.type));
    if (result.type == PrefixResultType::non_inclusion_leaf && result.leaf) {
      writer.bytes(result.leaf->vrf_output);
      writer.bytes(result.leaf->commitment);
    }
    writer.u16_be(result.depth);
  }
  writer.u16_be(static_cast<std::uint16_t>(proof.elements.size()));
  for (const Hash& element : proof.elements) writer.bytes(element);
}

Result<PrefixProof> read_prefix_proof(Reader& reader) {
  PrefixProof proof;
  const std::size_t results = BULWARK_TRY(reader.u8());
  for (std::size_t i = 0; i < results; ++i) {
    PrefixSearchResult result;
    const std::uint8_t type = BULWARK_TRY(reader.u8());
    if (type < 1 || type > 3) return tl::unexpected(bad("unknown prefix result type"));
    result.type = static_cast<PrefixResultType>(type);
    if (result.type == PrefixResultType::non_inclusion_leaf) {
      const Hash key = BULWARK_TRY(reader.array<32>());
      result.leaf = PrefixLeaf{key, BULWARK_TRY(reader.array<32>())};
    }
    result.depth = BULWARK_TRY(reader.u16_be());
    if (result.depth > max_prefix_depth) return tl::unexpected(bad("prefix depth beyond 256"));
    proof.results.push_back(result);
  }
  const std::size_t elements = BULWARK_TRY(reader.u16_be());
  if (elements * 32 > reader.remaining()) return tl::unexpected(Error{Errc::truncated, "kt wire: elements"});
  proof.elements.reserve(elements);
  for (std::size_t i = 0; i < elements; ++i) proof.elements.push_back(BULWARK_TRY(reader.array<32>()));
  return proof;
}

}  // namespace

Result<Bytes> encode_search_proof(const SearchProof& proof) {
  if (proof.value.size() > max_kt_value_bytes || proof.ladder.size() > max_ladder_steps ||
      proof.prefix.results.size() > max_prefix_proof_keys ||
      proof.prefix.elements.size() > max_prefix_elements ||
      proof.inclusion.size() > max_log_proof_hashes ||
      proof.consistency.size() > max_log_proof_hashes) {
    return fail(Errc::invalid_argument, "kt wire: search proof beyond its bounds");
  }
  for (const PrefixSearchResult& result : proof.prefix.results) {
    if ((result.type == PrefixResultType::non_inclusion_leaf) != result.leaf.has_value()) {
      return fail(Errc::invalid_argument, "kt wire: a leaf with the wrong result type");
    }
  }
  Writer writer(max_search_proof_bytes);
  writer.u64_be(proof.tree_size);
  writer.u32_be(proof.version);
  writer.bytes(proof.opening);
  writer.u32_be(static_cast<std::uint32_t>(proof.value.size()));
  writer.bytes(proof.value);
  writer.u8(static_cast<std::uint8_t>(proof.ladder.size()));
  for (const LadderStep& step : proof.ladder) {
    writer.bytes(step.proof);
    writer.u8(step.commitment ? 1 : 0);
    if (step.commitment) writer.bytes(*step.commitment);
  }
  writer.u64_be(proof.timestamp_ms);
  write_prefix_proof(writer, proof.prefix);
  write_hashes_u8(writer, proof.inclusion);
  write_hashes_u8(writer, proof.consistency);
  return std::move(writer).finish();
}

Result<SearchProof> decode_search_proof(ByteView bytes) {
  Reader reader(bytes);
  SearchProof proof;
  proof.tree_size = BULWARK_TRY(reader.u64_be());
  proof.version = BULWARK_TRY(reader.u32_be());
  proof.opening = BULWARK_TRY(reader.array<opening_bytes>());
  const std::uint32_t value_size = BULWARK_TRY(reader.u32_be());
  if (value_size > max_kt_value_bytes) return tl::unexpected(bad("value beyond its bound"));
  proof.value = to_bytes(BULWARK_TRY(reader.bytes(value_size)));
  const std::size_t steps = BULWARK_TRY(reader.u8());
  if (steps > max_ladder_steps) return tl::unexpected(bad("ladder too long"));
  for (std::size_t i = 0; i < steps; ++i) {
    LadderStep step{BULWARK_TRY(reader.array<crypto::vrf_proof_bytes>()), std::nullopt};
    if (BULWARK_TRY(read_flag(reader))) step.commitment = BULWARK_TRY(reader.array<32>());
    proof.ladder.push_back(step);
  }
  proof.timestamp_ms = BULWARK_TRY(reader.u64_be());
  proof.prefix = BULWARK_TRY(read_prefix_proof(reader));
  proof.inclusion = BULWARK_TRY(read_hashes_u8(reader, max_log_proof_hashes));
  proof.consistency = BULWARK_TRY(read_hashes_u8(reader, max_log_proof_hashes));
  BULWARK_TRY(reader.expect_end());
  return proof;
}

Result<Bytes> encode_audit_entry(const AuditEntry& entry) {
  if (entry.added.size() > max_audit_leaves) {
    return fail(Errc::invalid_argument, "kt wire: audit entry beyond its bound");
  }
  Writer writer(8 + 4 + entry.added.size() * 64);
  writer.u64_be(entry.timestamp_ms);
  writer.u32_be(static_cast<std::uint32_t>(entry.added.size()));
  for (const PrefixLeaf& leaf : entry.added) {
    writer.bytes(leaf.vrf_output);
    writer.bytes(leaf.commitment);
  }
  return std::move(writer).finish();
}

Result<AuditEntry> decode_audit_entry(ByteView bytes) {
  Reader reader(bytes);
  AuditEntry entry;
  entry.timestamp_ms = BULWARK_TRY(reader.u64_be());
  const std::uint32_t count = BULWARK_TRY(reader.u32_be());
  if (count > max_audit_leaves) return tl::unexpected(bad("audit entry beyond its bound"));
  if (std::size_t{count} * 64 > reader.remaining()) {
    return tl::unexpected(Error{Errc::truncated, "kt wire: audit entry shorter than its count"});
  }
  entry.added.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const Hash key = BULWARK_TRY(reader.array<32>());
    entry.added.push_back(PrefixLeaf{key, BULWARK_TRY(reader.array<32>())});
  }
  BULWARK_TRY(reader.expect_end());
  return entry;
}

}  // namespace bulwark::kt
