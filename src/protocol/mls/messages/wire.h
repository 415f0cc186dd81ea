// Shared helpers of the message codecs: bounded opaque fields and bounded lists.
//
// Every list is read with both a byte bound and an item-count bound, and written only if it
// is within the same bounds (otherwise the writer is reject()ed), so that the encoders never
// produce what the decoders would refuse.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/mls/codec.h"

namespace bulwark::protocol::mls {

// opaque value<V> of at most `max_bytes`.
inline void put_opaque(TlsWriter& w, ByteView value, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    w.reject();
    return;
  }
  w.opaque(value);
}

// opaque value<V> of at most `max_bytes`, copied out of the input.
[[nodiscard]] inline Result<Bytes> get_opaque(TlsReader& r, std::size_t max_bytes) {
  const ByteView value = BULWARK_TRY(r.opaque(max_bytes));
  return to_bytes(value);
}

// T items<V>, each read by `decode_one(TlsReader&) -> Result<T>`.
template <class T, class DecodeOne>
[[nodiscard]] Result<std::vector<T>> decode_list(TlsReader& r, std::size_t max_bytes,
                                                 std::size_t max_items, DecodeOne&& decode_one) {
  TlsReader items = BULWARK_TRY(r.vector(max_bytes));
  std::vector<T> out;
  // Defined apart from the BULWARK_TRY below, whose own local it would otherwise shadow.
  auto read_one = [&](TlsReader& item) -> Result<void> {
    T value = BULWARK_TRY(decode_one(item));
    out.push_back(std::move(value));
    return {};
  };
  BULWARK_TRY(read_items(items, max_items, read_one));
  return out;
}

// T items<V>, each written by `encode_one(TlsWriter&, const T&)`.
template <class T, class EncodeOne>
void encode_list(TlsWriter& w, const std::vector<T>& items, std::size_t max_bytes,
                 std::size_t max_items, EncodeOne&& encode_one) {
  if (items.size() > max_items) {
    w.reject();
    return;
  }
  w.vector([&](TlsWriter& inner) {
    for (const T& item : items) encode_one(inner, item);
    if (inner.size() > max_bytes) inner.reject();
  });
}

// T items<V> for types with an `encode(TlsWriter&, const T&)` overload.
template <class T>
void encode_list(TlsWriter& w, const std::vector<T>& items, std::size_t max_bytes,
                 std::size_t max_items) {
  encode_list(w, items, max_bytes, max_items,
              [](TlsWriter& inner, const T& item) { encode(inner, item); });
}

// serialize(value) for any type with an `encode(TlsWriter&, const T&)` overload.
template <class T>
[[nodiscard]] Result<Bytes> serialize_with_encode(const T& value) {
  return encode_with([&](TlsWriter& w) { encode(w, value); });
}

}  // namespace bulwark::protocol::mls
