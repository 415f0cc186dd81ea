// See wire_edit.h.
#include "wire_edit.h"

#include <algorithm>
#include <stdexcept>

namespace bulwark::interop {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  auto at = alphabet.find(c);
  if (at == std::string_view::npos) throw std::invalid_argument("base64: bad character");
  return static_cast<int>(at);
}

std::uint64_t read_varint(std::string_view message, std::size_t& at) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= message.size()) throw std::invalid_argument("protobuf: truncated varint");
    auto byte = static_cast<std::uint8_t>(message[at++]);
    value |= std::uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80u) == 0) return value;
  }
  throw std::invalid_argument("protobuf: varint longer than 10 bytes");
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < n ? static_cast<std::uint8_t>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? alphabet[(group >> (18 - 6 * j)) & 0x3Fu] : '=';
    }
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) throw std::invalid_argument("base64: length not a multiple of 4");
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    bool last = i + 4 == text.size();
    for (std::size_t j = 0; j < 4; ++j) {
      bool pad = last && j >= 4 - padding;
      group = (group << 6) | static_cast<std::uint32_t>(pad ? 0 : sextet(text[i + j]));
    }
    std::size_t n = last ? 3 - padding : 3;
    for (std::size_t j = 0; j < n; ++j) out += static_cast<char>((group >> (16 - 8 * j)) & 0xFFu);
  }
  return out;
}

std::vector<ProtoField> proto_fields(std::string_view message) {
  std::vector<ProtoField> fields;
  std::size_t at = 0;
  while (at < message.size()) {
    ProtoField field;
    field.offset = at;
    std::uint64_t key = read_varint(message, at);
    field.number = static_cast<std::uint32_t>(key >> 3);
    field.wire_type = static_cast<std::uint8_t>(key & 7u);
    if (field.wire_type == 0) {
      field.varint = read_varint(message, at);
    } else if (field.wire_type == 2) {
      std::uint64_t length = read_varint(message, at);
      if (length > message.size() - at) throw std::invalid_argument("protobuf: field overruns");
      field.payload = message.substr(at, static_cast<std::size_t>(length));
      at += static_cast<std::size_t>(length);
    } else {
      throw std::invalid_argument("protobuf: unexpected wire type " +
                                  std::to_string(field.wire_type));
    }
    field.size = at - field.offset;
    fields.push_back(field);
  }
  return fields;
}

std::string drop_proto_fields(std::string_view message, const std::vector<std::uint32_t>& numbers) {
  std::string out;
  for (const auto& field : proto_fields(message)) {
    if (std::find(numbers.begin(), numbers.end(), field.number) == numbers.end()) {
      out += message.substr(field.offset, field.size);
    }
  }
  return out;
}

std::string_view proto_bytes(std::string_view message, std::uint32_t number) {
  for (const auto& field : proto_fields(message)) {
    if (field.number == number && field.wire_type == 2) return field.payload;
  }
  throw std::invalid_argument("protobuf: no bytes field " + std::to_string(number));
}

std::uint64_t proto_varint(std::string_view message, std::uint32_t number) {
  for (const auto& field : proto_fields(message)) {
    if (field.number == number && field.wire_type == 0) return field.varint;
  }
  throw std::invalid_argument("protobuf: no varint field " + std::to_string(number));
}

}  // namespace bulwark::interop
