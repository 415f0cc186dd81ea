// The MLS wire codec: RFC 9420's TLS presentation language with variable-length vectors.
//
// MLS (RFC 9420 §2.1.2) prefixes every vector with a QUIC-style varint: the top two bits of
// the first byte say whether the length takes 1, 2 or 4 bytes; the prefix 0b11 is invalid.
// We also refuse a length written in more bytes than it needs, as openmls and mlspp do, so
// that every value has exactly one encoding and a re-encoding is byte-for-byte the input.
//
// TlsReader never allocates on a peer's word: each vector is bounded by the caller and can
// only be as long as the bytes actually sent. TlsWriter is a bounded builder whose vectors
// are written by a nested writer and then prefixed, so callers never back-patch lengths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/bytes.h"
#include "common/reader.h"
#include "common/result.h"

namespace bulwark::protocol::mls {

// The largest length a varint can carry: 2^30 - 1.
inline constexpr std::uint32_t max_varint = (1u << 30) - 1;

// Every encoder's default bound: larger than any group state we accept (a 1,000-member
// Welcome with its tree is about 120 KB), small enough that a bug cannot run away.
inline constexpr std::size_t max_encoded_bytes = 64u << 20;

// How many bytes the varint for `value` takes (1, 2 or 4); value must be <= max_varint.
[[nodiscard]] std::size_t varint_size(std::uint32_t value) noexcept;

class TlsReader {
 public:
  explicit TlsReader(ByteView input) noexcept : reader_(input) {}

  [[nodiscard]] Result<std::uint8_t> u8() { return reader_.u8(); }
  [[nodiscard]] Result<std::uint16_t> u16() { return reader_.u16_be(); }
  [[nodiscard]] Result<std::uint32_t> u32() { return reader_.u32_be(); }
  [[nodiscard]] Result<std::uint64_t> u64() { return reader_.u64_be(); }
  // Exactly `count` bytes (a fixed-size opaque field).
  [[nodiscard]] Result<ByteView> fixed(std::size_t count) { return reader_.bytes(count); }

  // A minimally encoded varint.
  [[nodiscard]] Result<std::uint32_t> varint();
  // opaque data<V>: at most `max_bytes` bytes; a longer vector is invalid_encoding.
  [[nodiscard]] Result<ByteView> opaque(std::size_t max_bytes);
  // T items<V>: the vector's body as its own reader, which the caller must read to its end.
  [[nodiscard]] Result<TlsReader> vector(std::size_t max_bytes);
  // optional<T>: the presence byte; anything but 0 or 1 is invalid_encoding.
  [[nodiscard]] Result<bool> present();

  [[nodiscard]] Result<void> expect_end() const { return reader_.expect_end(); }
  [[nodiscard]] bool at_end() const noexcept { return reader_.at_end(); }
  [[nodiscard]] std::size_t remaining() const noexcept { return reader_.remaining(); }
  [[nodiscard]] std::size_t offset() const noexcept { return reader_.offset(); }

 private:
  Reader reader_;
};

// Reads every element of a vector with `read_one(TlsReader&) -> Result<void>`, refusing more
// than `max_items` elements.
template <class ReadOne>
[[nodiscard]] Result<void> read_items(TlsReader& vector, std::size_t max_items,
                                      ReadOne&& read_one) {
  std::size_t count = 0;
  while (!vector.at_end()) {
    if (++count > max_items) return fail(Errc::invalid_encoding, "too many items in a vector");
    BULWARK_TRY(read_one(vector));
  }
  return {};
}

class TlsWriter {
 public:
  explicit TlsWriter(std::size_t max_bytes = max_encoded_bytes) noexcept : max_bytes_(max_bytes) {}

  void u8(std::uint8_t value) { big_endian(value, 1); }
  void u16(std::uint16_t value) { big_endian(value, 2); }
  void u32(std::uint32_t value) { big_endian(value, 4); }
  void u64(std::uint64_t value) { big_endian(value, 8); }
  void fixed(ByteView value);

  // A varint; a value over max_varint makes the writer fail.
  void varint(std::uint64_t value);
  // opaque data<V>.
  void opaque(ByteView value);
  // optional<T>'s presence byte.
  void present(bool value) { u8(value ? 1 : 0); }
  // Fails the encoding because the value cannot be written as given: a field its selector
  // excludes is set, one it requires is missing, or a count is over the decoder's bound.
  // Encoders refuse such values so that whatever they write decodes back to the same value.
  void reject() noexcept {
    failed_ = true;
    rejected_ = true;
  }
  // T items<V>: `body(TlsWriter&)` writes the elements into a nested writer, which is then
  // length-prefixed and appended.
  template <class Body>
  void vector(Body&& body) {
    TlsWriter inner(max_bytes_ - out_.size());
    std::forward<Body>(body)(inner);
    if (inner.failed_) {
      failed_ = true;
      rejected_ = rejected_ || inner.rejected_;
      return;
    }
    opaque(inner.out_);
  }

  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  // The bytes written; capacity_exceeded if a write overflowed, invalid_argument after reject().
  [[nodiscard]] Result<Bytes> finish() &&;

 private:
  bool reserve(std::size_t count) noexcept;
  void big_endian(std::uint64_t value, std::size_t width);

  Bytes out_;
  std::size_t max_bytes_;
  bool failed_ = false;
  bool rejected_ = false;
};

// Encodes with `encode(TlsWriter&)` into a fresh bounded writer.
template <class Encode>
[[nodiscard]] Result<Bytes> encode_with(Encode&& encode,
                                        std::size_t max_bytes = max_encoded_bytes) {
  TlsWriter writer(max_bytes);
  std::forward<Encode>(encode)(writer);
  return std::move(writer).finish();
}

// Decodes a whole input with `decode(TlsReader&) -> Result<T>`, refusing trailing bytes.
template <class Decode>
[[nodiscard]] auto decode_all(ByteView input, Decode&& decode)
    -> decltype(decode(std::declval<TlsReader&>())) {
  TlsReader reader(input);
  auto value = BULWARK_TRY(std::forward<Decode>(decode)(reader));
  BULWARK_TRY(reader.expect_end());
  return value;
}

}  // namespace bulwark::protocol::mls
