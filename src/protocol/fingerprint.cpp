#include "protocol/fingerprint.h"

#include <cstdio>

#include "crypto/compare.h"
#include "crypto/hash.h"
#include "protocol/detail/proto_bytes.h"
#include "protocol/proto/scannable.pb.h"

namespace bulwark::protocol {
namespace {

constexpr std::uint32_t max_fingerprint_iterations = 1'000'000;
constexpr std::size_t digits_bytes = 30;
constexpr std::size_t scannable_bytes = 32;

crypto::Sha512Digest party_digest(std::uint32_t iterations, const FingerprintParty& party) {
  const auto key = party.key.serialize();
  const std::byte fingerprint_format[2] = {};
  auto digest = crypto::sha512({fingerprint_format, key, party.identifier, key});
  for (std::uint32_t i = 1; i < iterations; ++i) digest = crypto::sha512({digest, key});
  return digest;
}

std::string digits(const crypto::Sha512Digest& digest) {
  std::string out;
  for (std::size_t chunk = 0; chunk < digits_bytes; chunk += 5) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 5; ++i) value = (value << 8) | std::to_integer<std::uint64_t>(digest[chunk + i]);
    char text[8];
    std::snprintf(text, sizeof text, "%05u", static_cast<unsigned>(value % 100000));
    out += text;
  }
  return out;
}

std::string first_bytes(const crypto::Sha512Digest& digest) {
  return detail::proto_bytes(ByteView(digest).first(scannable_bytes));
}

}  // namespace

Result<Fingerprint> compute_fingerprint(std::uint32_t version, std::uint32_t iterations,
                                        const FingerprintParty& local,
                                        const FingerprintParty& remote) {
  if (iterations <= 1 || iterations > max_fingerprint_iterations)
    return fail(Errc::invalid_argument, "fingerprint iterations out of range");
  auto local_digest = party_digest(iterations, local);
  auto remote_digest = party_digest(iterations, remote);

  std::string local_digits = digits(local_digest);
  std::string remote_digits = digits(remote_digest);
  std::string displayable = local_digits < remote_digits ? local_digits + remote_digits
                                                         : remote_digits + local_digits;
  fingerprint::CombinedFingerprints combined;
  combined.set_version(version);
  combined.mutable_local_fingerprint()->set_content(first_bytes(local_digest));
  combined.mutable_remote_fingerprint()->set_content(first_bytes(remote_digest));
  std::string scannable = combined.SerializeAsString();
  return Fingerprint{std::move(displayable), to_bytes(as_bytes(scannable))};
}

Result<bool> scannable_fingerprints_match(ByteView ours, ByteView theirs) {
  fingerprint::CombinedFingerprints mine;
  fingerprint::CombinedFingerprints peer;
  if (!mine.ParseFromArray(ours.data(), static_cast<int>(ours.size())) ||
      !peer.ParseFromArray(theirs.data(), static_cast<int>(theirs.size())))
    return fail(Errc::invalid_encoding, "scannable fingerprint does not parse");
  if (mine.version() != peer.version())
    return fail(Errc::invalid_message, "fingerprint version mismatch");
  if (!peer.has_local_fingerprint() || !peer.has_remote_fingerprint() ||
      !mine.has_local_fingerprint() || !mine.has_remote_fingerprint())
    return fail(Errc::invalid_encoding, "scannable fingerprint has no content");
  // Both halves are always compared, so the time does not tell which one differed.
  const bool local_matches = crypto::constant_time_equal(
      as_bytes(peer.local_fingerprint().content()), as_bytes(mine.remote_fingerprint().content()));
  const bool remote_matches = crypto::constant_time_equal(
      as_bytes(peer.remote_fingerprint().content()), as_bytes(mine.local_fingerprint().content()));
  return local_matches && remote_matches;
}

}  // namespace bulwark::protocol
