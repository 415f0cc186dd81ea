// SecretWriter: a TLS-style writer straight into SecretBytes, for encodings that hold
// secrets (the group state). TlsWriter grows a vector and would leave copies of secrets in
// freed memory; SecretWriter runs twice instead: once counting (no output), then writing
// into a buffer of exactly the counted size. A vector's length prefix is found the same way,
// by running its body once counting.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret_bytes.h"

namespace bulwark::protocol::mls {

class SecretWriter {
 public:
  // A counting writer.
  SecretWriter() noexcept = default;
  // A writer into `out`, which must be exactly as large as a counting run found.
  explicit SecretWriter(MutableByteView out) noexcept : out_(out), counting_(false) {}

  void u8(std::uint8_t value) { big_endian(value, 1); }
  void u16(std::uint16_t value) { big_endian(value, 2); }
  void u32(std::uint32_t value) { big_endian(value, 4); }
  void u64(std::uint64_t value) { big_endian(value, 8); }
  void fixed(ByteView value);
  // opaque<V> (RFC 9420 varint length prefix).
  void opaque(ByteView value);
  // T items<V>: `body(SecretWriter&)` is run once to count and once to write.
  template <class Body>
  void vector(Body&& body) {
    SecretWriter counter;
    body(counter);
    if (counter.failed_) {
      failed_ = true;
      return;
    }
    varint(counter.size_);
    body(*this);
  }
  void fail_encoding() noexcept { failed_ = true; }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  void varint(std::size_t value);
  void big_endian(std::uint64_t value, std::size_t width);
  void put(std::byte value);

  MutableByteView out_;
  std::size_t size_ = 0;
  bool counting_ = true;
  bool failed_ = false;
};

// Encodes with `write(SecretWriter&)` into SecretBytes of the exact size; capacity_exceeded
// if a value cannot be written (a vector over the varint's range).
template <class Write>
[[nodiscard]] Result<SecretBytes> write_secret(Write&& write) {
  SecretWriter counter;
  write(counter);
  if (counter.failed()) return fail(Errc::capacity_exceeded, "secret encoding too large");
  SecretBytes out(counter.size());
  SecretWriter writer(out.writable());
  write(writer);
  if (writer.failed() || writer.size() != out.size()) {
    return fail(Errc::internal, "secret encoding changed between its two runs");
  }
  return out;
}

}  // namespace bulwark::protocol::mls
