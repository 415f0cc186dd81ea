// The witness's own parsers of untrusted input (src/witness) on hostile bytes. The first byte
// picks one of:
//  0: parse_witness_state (the state file); what parses encodes back to the same bytes;
//  1: the server's HTTP responses: two bytes of status, then the body, through
//     checkpoint_from_response, entry_from_response and cosignature_submission_result; error
//     contexts stay short and printable;
//  2: parse_server_url; what parses has a valid port and a host without '/' or '@';
//  3: the replicas' apply (an entry's raw bytes, the body of GET <prefix>/entry/<i>): the KT
//     replica takes the entry or changes nothing, and a malformed one is never an alarm's
//     invalid_proof; the disclosure replica takes any bytes, as the leaf hash of them.
#include "fuzz_target.h"

#include <cstdlib>
#include <string>
#include <string_view>

#include "kt/merkle.h"
#include "kt/wire.h"
#include "witness/log_api.h"
#include "witness/replica.h"
#include "witness/server_url.h"
#include "witness/state.h"

namespace {

using namespace bulwark;
using namespace bulwark::witness;

void check(bool condition) {
  if (!condition) std::abort();
}

void parse_any_state(std::string_view input) {
  if (auto state = parse_witness_state(input)) check(encode_witness_state(*state) == input);
}

void check_context(const Error& error) {
  check(error.context.size() < 512);
  for (const char c : error.context) check(c != '\n');
}

void handle_any_response(std::string_view input) {
  if (input.size() < 2) return;
  const auto status = static_cast<unsigned>(static_cast<unsigned char>(input[0])) * 4 +
                      static_cast<unsigned char>(input[1]) % 4;
  const HttpResponse response{status, std::string(input.substr(2))};
  if (auto note = checkpoint_from_response(response); !note) check_context(note.error());
  if (auto entry = entry_from_response(7, response); !entry) check_context(entry.error());
  if (auto accepted = cosignature_submission_result(response); !accepted)
    check_context(accepted.error());
}

void parse_any_url(std::string_view input) {
  auto url = parse_server_url(input);
  if (!url) return;
  check(!url->host.empty() && url->host.find_first_of("/@[] ") == std::string::npos);
  check(!url->port.empty() && url->port.size() <= 5);
}

void apply_any_entry(std::string_view input) {
  const ByteView entry = as_bytes(input);
  const auto kt_replica = make_replica(LogKind::kt);
  const kt::Hash empty = kt_replica->root(0);
  if (auto applied = kt_replica->apply(entry); applied) {
    check(kt_replica->size() == 1);
  } else {
    check(kt_replica->size() == 0 && kt_replica->root(0) == empty);
    check_context(applied.error());
    if (!kt::decode_audit_entry(entry)) check(applied.error().code != Errc::invalid_proof);
  }
  const auto plain_replica = make_replica(LogKind::disclosure);
  check(static_cast<bool>(plain_replica->apply(entry)));
  check(plain_replica->size() == 1 && plain_replica->root(1) == kt::leaf_hash(entry));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: parse_any_state(input); break;
    case 1: handle_any_response(input); break;
    case 2: parse_any_url(input); break;
    default: apply_any_entry(input); break;
  }
  return 0;
}
