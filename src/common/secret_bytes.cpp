#include "common/secret_bytes.h"

#include <cstring>
#include <ostream>
#include <string.h>  // explicit_bzero: a wipe the optimiser may not remove

namespace bulwark {

void secure_wipe(MutableByteView bytes) noexcept {
  if (!bytes.empty()) explicit_bzero(bytes.data(), bytes.size());
}

SecretBytes::SecretBytes(std::size_t size)
    : data_(size == 0 ? nullptr : std::make_unique<std::byte[]>(size)), size_(size) {}

SecretBytes SecretBytes::copy_of(ByteView bytes) {
  SecretBytes out(bytes.size());
  if (!bytes.empty()) std::memcpy(out.data_.get(), bytes.data(), bytes.size());
  return out;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::move(other.data_)), size_(other.size_) {
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::move(other.data_);
    size_ = other.size_;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() { wipe(); }

SecretBytes SecretBytes::clone() const { return copy_of(view()); }

std::string SecretBytes::describe() const {
  return "SecretBytes(" + std::to_string(size_) + " bytes)";
}

void PrintTo(const SecretBytes& secret, std::ostream* out) { *out << secret.describe(); }

void SecretBytes::wipe() noexcept {
  secure_wipe(writable());
  data_.reset();
  size_ = 0;
}

}  // namespace bulwark
