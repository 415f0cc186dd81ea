#include "api_frames.h"

#include "api/auth.h"
#include "api/limits.h"

namespace bulwark::loadgen {
namespace {

std::string random_string(Rng& rng, std::size_t size, char first) {
  Bytes bytes(size);
  rng.fill(bytes);
  std::string out(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  out[0] = first;
  return out;
}

std::string text_of(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// A device's public keys: random bytes of the shapes the server checks.
void fill_device_keys(api::DeviceKeys& keys, const DeviceCredentials& device, Rng& rng) {
  keys.set_registration_id(device.registration_id);
  keys.set_auth_key(text_of(device.auth->public_key.bytes()));
  auto* signed_key = keys.mutable_signed_pre_key();
  signed_key->set_id(1);
  signed_key->set_public_key(random_string(rng, api::ec_public_key_bytes, 0x05));
  signed_key->set_signature(random_string(rng, api::signature_bytes, 0));
  auto* kyber = keys.mutable_last_resort_kyber_pre_key();
  kyber->set_id(1);
  kyber->set_public_key(random_string(rng, api::kyber_public_key_bytes, 0x08));
  kyber->set_signature(random_string(rng, api::signature_bytes, 0));
  keys.set_name("loadgen");
}

std::string serialised(const api::Frame& frame) {
  std::string out;
  frame.SerializeToString(&out);
  return out;
}

}  // namespace

std::string request_code_frame(std::uint64_t id, std::string_view phone) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(id);
  request->mutable_request_code()->set_phone(std::string(phone));
  return serialised(frame);
}

std::string register_frame(std::uint64_t id, std::string_view code, const DeviceCredentials& device,
                           AccountKeys& keys, Rng& rng) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(id);
  auto* reg = request->mutable_register_();
  reg->set_phone(device.phone);
  reg->set_code(std::string(code));
  reg->set_identity_key(text_of(keys.identity_key()));
  fill_device_keys(*reg->mutable_device(), device, rng);
  reg->set_account_record(text_of(keys.first_record(device, rng)));
  return serialised(frame);
}

std::string add_device_frame(std::uint64_t id, const DeviceCredentials& device,
                             std::uint32_t device_id, AccountKeys& keys, Rng& rng) {
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(id);
  auto* add = request->mutable_add_device();
  fill_device_keys(*add->mutable_device(), device, rng);
  add->set_account_record(text_of(keys.record_adding(device, device_id, rng)));
  return serialised(frame);
}

namespace {

std::string signed_authenticate_frame(std::uint64_t id, const DeviceCredentials& device,
                                      const Bytes& message) {
  const crypto::Ed25519Signature signature = crypto::ed25519_sign(device.auth->secret_key, message);
  api::Frame frame;
  auto* request = frame.mutable_request();
  request->set_id(id);
  auto* auth = request->mutable_authenticate();
  auth->set_account_id(text_of(view_of(device.account)));
  auth->set_device_id(device.device_id);
  auth->set_signature(text_of(view_of(signature)));
  return serialised(frame);
}

}  // namespace

std::string authenticate_frame(std::uint64_t id, const DeviceCredentials& device,
                               std::string_view nonce,
                               const std::array<std::byte, 32>& tls_exporter) {
  return signed_authenticate_frame(
      id, device,
      api::device_auth_message(as_bytes(nonce), view_of(device.account), device.device_id,
                               view_of(tls_exporter)));
}

std::string plaintext_authenticate_frame(std::uint64_t id, const DeviceCredentials& device,
                                         std::string_view nonce) {
  return signed_authenticate_frame(
      id, device,
      api::plaintext_device_auth_message(as_bytes(nonce), view_of(device.account),
                                         device.device_id));
}

std::string ack_frame(const std::vector<std::string>& envelope_ids) {
  api::Frame frame;
  auto* ack = frame.mutable_ack();
  for (const std::string& id : envelope_ids) ack->add_envelope_ids(id);
  return serialised(frame);
}

SendFrameTemplate::SendFrameTemplate(const DeviceCredentials& recipient, std::size_t content_bytes,
                                     Rng& rng) {
  auto* send = frame_.mutable_request()->mutable_send();
  send->set_recipient(text_of(view_of(recipient.account)));
  envelope_ = send->add_envelopes();
  envelope_->set_device_id(recipient.device_id);
  envelope_->set_registration_id(recipient.registration_id);
  envelope_->set_type(api::CIPHERTEXT);
  envelope_->set_content(random_string(rng, content_bytes, 0));
  franking_tag_ = random_string(rng, 32, 0);
  set_franking(true);
}

void SendFrameTemplate::serialise(std::uint64_t id, std::uint64_t client_timestamp_ms,
                                  std::string& out) {
  frame_.mutable_request()->set_id(id);
  frame_.mutable_request()->mutable_send()->set_client_timestamp_ms(client_timestamp_ms);
  out.clear();
  frame_.SerializeToString(&out);
}

}  // namespace bulwark::loadgen
