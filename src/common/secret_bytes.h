// SecretBytes: the only container for key material, seeds and shared secrets.
//
// Invariants: move-only (copies are explicit, via clone()); the bytes are wiped with
// explicit_bzero before the memory is released, and a moved-from object is empty, so no
// copy of a secret is left behind by a move; no operator<<, and describe() and gtest's
// PrintTo show the length only. There is no operator==: compare secrets with
// crypto::equal, which runs in constant time.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>

#include "common/bytes.h"

namespace bulwark {

class SecretBytes {
 public:
  SecretBytes() noexcept = default;
  // `size` zero bytes, to be filled through writable().
  explicit SecretBytes(std::size_t size);
  [[nodiscard]] static SecretBytes copy_of(ByteView bytes);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  [[nodiscard]] SecretBytes clone() const;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] ByteView view() const noexcept { return {data_.get(), size_}; }
  [[nodiscard]] MutableByteView writable() noexcept { return {data_.get(), size_}; }

  // "SecretBytes(32 bytes)": the only textual form a secret has.
  [[nodiscard]] std::string describe() const;

  friend std::ostream& operator<<(std::ostream&, const SecretBytes&) = delete;
  friend void PrintTo(const SecretBytes& secret, std::ostream* out);

 private:
  void wipe() noexcept;

  std::unique_ptr<std::byte[]> data_;
  std::size_t size_ = 0;
};

// Wipes memory that held a secret outside SecretBytes (stack arrays, scratch buffers).
void secure_wipe(MutableByteView bytes) noexcept;

}  // namespace bulwark
