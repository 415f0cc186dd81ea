// Request-field helpers for bulwark-mls-peer. Request errors travel as RequestError inside the
// peer only; MlsPeer::handle turns every one into {"ok":false,"error":TEXT}.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/base64.h"

namespace bulwark::interop::mls_peer {

struct RequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
T take(Result<T> result) {
  if (!result) throw RequestError(result.error().describe());
  return std::move(*result);
}

inline void check(const Result<void>& result) {
  if (!result) throw RequestError(result.error().describe());
}

inline const nlohmann::json& field(const nlohmann::json& request, const char* key) {
  auto found = request.find(key);
  if (found == request.end()) throw RequestError(std::string("missing field \"") + key + "\"");
  return *found;
}

inline Bytes bytes_field(const nlohmann::json& request, const char* key) {
  const auto& value = field(request, key);
  if (!value.is_string()) throw RequestError(std::string("field \"") + key + "\" must be base64");
  auto decoded = crypto::base64_decode(value.get<std::string>());
  if (!decoded) throw RequestError(std::string("field \"") + key + "\" is not standard base64");
  return std::move(*decoded);
}

inline const nlohmann::json& array_field(const nlohmann::json& request, const char* key) {
  const auto& value = field(request, key);
  if (!value.is_array() || value.empty()) {
    throw RequestError(std::string("field \"") + key + "\" must be a non-empty array");
  }
  return value;
}

inline std::uint32_t uint32_of(const nlohmann::json& value, const char* what) {
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() > UINT32_MAX) {
    throw RequestError(std::string(what) + " must be a uint32");
  }
  return static_cast<std::uint32_t>(value.get<std::uint64_t>());
}

inline std::string b64(ByteView bytes) { return crypto::base64_encode(bytes); }

}  // namespace bulwark::interop::mls_peer
