#include "channel/view_sketch.h"

#include <bit>
#include <cmath>

#include "common/writer.h"
#include "crypto/mac.h"

namespace bulwark::channel {
namespace {

constexpr int index_bits = 8;  // 2^8 = 256 registers
constexpr std::uint8_t max_rank = 64 - index_bits + 1;

}  // namespace

Result<ViewSketch> ViewSketch::from_bytes(ByteView bytes) {
  if (bytes.size() != view_sketch_bytes)
    return fail(Errc::invalid_length, "a view sketch is 256 bytes");
  ViewSketch sketch;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto value = static_cast<std::uint8_t>(bytes[i]);
    if (value > max_rank) return fail(Errc::invalid_encoding, "view sketch register out of range");
    sketch.registers_[i] = value;
  }
  return sketch;
}

bool ViewSketch::add(std::uint64_t viewer_hash) noexcept {
  const auto index = static_cast<std::size_t>(viewer_hash >> (64 - index_bits));
  const std::uint64_t rest = viewer_hash << index_bits;
  const auto rank = static_cast<std::uint8_t>(
      rest == 0 ? max_rank : std::countl_zero(rest) + 1);
  if (rank <= registers_[index]) return false;
  registers_[index] = rank;
  return true;
}

std::uint64_t ViewSketch::estimate() const noexcept {
  constexpr double m = view_sketch_bytes;
  const double alpha = 0.7213 / (1.0 + 1.079 / m);
  double sum = 0;
  std::size_t zeros = 0;
  for (std::uint8_t r : registers_) {
    sum += std::ldexp(1.0, -static_cast<int>(r));
    if (r == 0) ++zeros;
  }
  double estimate = alpha * m * m / sum;
  // Small counts: linear counting on the empty registers is far more accurate.
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / static_cast<double>(zeros));
  return static_cast<std::uint64_t>(std::llround(estimate));
}

std::uint64_t viewer_hash(ByteView view_key, ByteView channel, std::uint64_t seq,
                          ByteView account) {
  Writer writer(64);
  writer.bytes(channel);
  writer.u64_be(seq);
  writer.bytes(account);
  const Bytes message = std::move(writer).finish().value_or(Bytes{});
  const auto mac = crypto::hmac_sha256(view_key, message);
  std::uint64_t out = 0;
  for (int i = 0; i < 8; ++i) out = (out << 8) | static_cast<std::uint8_t>(mac[i]);
  return out;
}

}  // namespace bulwark::channel
