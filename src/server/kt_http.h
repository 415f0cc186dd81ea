// The witnesses' HTTP routes of the key-transparency log, parsed (no I/O here, so a fuzz
// target and unit tests can reach it):
//   GET  /v1/kt/checkpoint      the newest signed checkpoint with its cosignatures so far
//   GET  /v1/kt/entry/<index>   kt::encode_audit_entry of log entry <index> (from 0)
//   POST /v1/kt/cosignature     body "<size>\n<cosignature line>\n": a witness's cosignature
//                               of the checkpoint of <size>
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::server {

enum class KtHttpRoute { checkpoint, entry, cosignature, not_found, bad_request };

struct KtHttpRequest {
  KtHttpRoute route = KtHttpRoute::not_found;
  std::uint64_t index = 0;  // entry index, or the cosigned checkpoint's size
  std::string line;         // the cosignature line, without its newline
  std::string error;        // why, for not_found and bad_request
};

[[nodiscard]] KtHttpRequest parse_kt_http_request(bool is_post, std::string_view target,
                                                  std::string_view body);

}  // namespace bulwark::server
