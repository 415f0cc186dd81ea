// The frames the load generator sends (api.proto), serialised and ready for WsClient::send.
// Prekeys are random bytes of the right size and type byte: the server checks only their
// sizes, type bytes and signature lengths, and the generator does no Signal crypto (envelope
// contents are opaque to the server). What the server does verify is real: the device's
// Ed25519 auth key and the account's signed key-transparency records (account_keys.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "account_keys.h"
#include "api/proto/api.pb.h"
#include "common/rng.h"
#include "device.h"

namespace bulwark::loadgen {

[[nodiscard]] std::string request_code_frame(std::uint64_t id, std::string_view phone);

// Register: a new account with `device` as its first device (random prekeys), under the
// identity key of `keys`, with the account's first key-transparency record.
[[nodiscard]] std::string register_frame(std::uint64_t id, std::string_view code,
                                         const DeviceCredentials& device, AccountKeys& keys,
                                         Rng& rng);

// AddDevice from an authenticated device of the same account: `device` as `device_id`, with the
// successor of the last record `keys` made.
[[nodiscard]] std::string add_device_frame(std::uint64_t id, const DeviceCredentials& device,
                                           std::uint32_t device_id, AccountKeys& keys, Rng& rng);

// Authenticate: the Ed25519 signature over api::device_auth_message.
[[nodiscard]] std::string authenticate_frame(std::uint64_t id, const DeviceCredentials& device,
                                             std::string_view nonce,
                                             const std::array<std::byte, 32>& tls_exporter);

// The same on a plaintext connection: the signature over api::plaintext_device_auth_message.
[[nodiscard]] std::string plaintext_authenticate_frame(std::uint64_t id,
                                                       const DeviceCredentials& device,
                                                       std::string_view nonce);

[[nodiscard]] std::string ack_frame(const std::vector<std::string>& envelope_ids);

// A SendMessage to a one-device account, reused for every message of one sender: only the
// request id, the timestamp and the content change between messages.
class SendFrameTemplate {
 public:
  SendFrameTemplate(const DeviceCredentials& recipient, std::size_t content_bytes, Rng& rng);
  // The content's first bytes are overwritten by the caller (see traffic.h) through `content`.
  [[nodiscard]] std::string* content() { return envelope_->mutable_content(); }
  // A franking tag (32 bytes, the default) on every send, as Bulwark clients send (docs/FRANKING.md), or
  // none. The server's cost does not depend on the tag's value, so one per sender does.
  void set_franking(bool on) {
    frame_.mutable_request()->mutable_send()->set_franking_tag(on ? franking_tag_ : std::string());
  }
  void serialise(std::uint64_t id, std::uint64_t client_timestamp_ms, std::string& out);

 private:
  api::Frame frame_;
  api::OutgoingEnvelope* envelope_;
  std::string franking_tag_;  // 32 random bytes
};

}  // namespace bulwark::loadgen
