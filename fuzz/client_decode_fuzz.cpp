// The client's decoders of untrusted text and bytes: message content after decryption (what a
// peer controls), a server's lawful notice, and the strings a user or script passes (server
// URLs, peers, account ids).
//
// Oracles: decoded content re-encodes and decodes to the same fields; encoding any UTF-8 body
// round-trips; a lawful notice never verifies (its log key is one the input cannot sign with, and
// no input opens the account's commitment without a SHA-256 preimage) and always says why; a
// parsed URL's url() parses back to the same address; a parsed account id formats back to the
// same (lower-case) text.
#include "fuzz_target.h"

#include <cstdlib>
#include <google/protobuf/stubs/logging.h>
#include <string>

#include "client/content.h"
#include "client/detail/client_impl.h"
#include "client/lawful_notices.h"
#include "client/server_connection.h"
#include "client/uuid.h"
#include "crypto/ed25519.h"

namespace {

using namespace bulwark;

void must(bool condition) {
  if (!condition) std::abort();
}

void check_content(ByteView input) {
  auto decoded = client::decode_content(input);
  if (decoded) {
    auto again = client::encode_content(*decoded);
    must(again.has_value());
    auto round = client::decode_content(*again);
    must(round && round->body == decoded->body && round->sent_at_ms == decoded->sent_at_ms &&
         round->sender_phone == decoded->sender_phone && round->sender_username == decoded->sender_username &&
         round->franking_key == decoded->franking_key && round->message_id == decoded->message_id &&
         round->franking_previous == decoded->franking_previous);
  }
  std::string body(reinterpret_cast<const char*>(input.data()), input.size());
  auto encoded = client::encode_content({body, 1, "+12015550123", "name", {}, {}, {}});
  must(encoded.has_value() == (client::is_valid_utf8(body) && body.size() <= client::max_body_bytes));
  if (encoded) {
    must(encoded->size() % client::content_padding_block == 0);
    auto round = client::decode_content(*encoded);
    must(round && round->body == body);
  }
}

const kt::CheckpointPolicy& notice_policy() {
  static const kt::CheckpointPolicy policy = [] {
    const auto key = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{7})).value();
    return kt::CheckpointPolicy{
        "fuzz.example/log", kt::NoteVerifier::create("fuzz.example/log", key.public_key()).value(),
        {}, 0};
  }();
  return policy;
}

void check_lawful_notice(ByteView input) {
  // proto3 parsing logs every string field that is not UTF-8, which most inputs hold.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  constexpr std::string_view phone = "+302101234567";
  api::LawfulNotice notice;
  if (notice.ParseFromArray(input.data(), static_cast<int>(input.size()))) {
    const auto view = client::verify_lawful_notice(notice_policy(), phone, notice);
    must(!view.verified && !view.problem.empty());
  }
  // The input as the entry and the checkpoint of an otherwise well-formed notice.
  const std::string text(reinterpret_cast<const char*>(input.data()), input.size());
  api::LawfulNotice carried;
  carried.set_entry(text);
  carried.set_salt(std::string(32, 'x'));
  carried.set_checkpoint(text);
  must(!client::verify_lawful_notice(notice_policy(), phone, carried).verified);
}

void check_text(std::string_view text) {
  if (auto address = client::parse_server_url(text)) {
    auto again = client::parse_server_url(address->url());
    must(again && again->host == address->host && again->port == address->port && again->path == address->path);
  }
  if (auto id = client::parse_uuid(text)) {
    auto formatted = client::format_uuid(*id);
    must(formatted.has_value());
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    must(*formatted == lower);
  }
  (void)client::parse_peer(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(reinterpret_cast<const std::byte*>(data), size);
  check_content(input);
  check_lawful_notice(input);
  check_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
