// Limits of the client-server protocol (proto/api.proto), shared by both ends so that a
// client never builds a frame the server would refuse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::api {

// One WebSocket message (one Frame). A send carries one envelope per recipient device.
inline constexpr std::size_t max_frame_bytes = 1024 * 1024;
inline constexpr std::size_t max_envelope_content_bytes = 256 * 1024;
inline constexpr std::size_t max_devices_per_account = 16;
inline constexpr std::size_t max_pre_keys_per_upload = 200;
inline constexpr std::size_t max_acks_per_frame = 1000;
inline constexpr std::size_t account_id_bytes = 16;
inline constexpr std::size_t envelope_id_bytes = 16;
inline constexpr std::size_t ec_public_key_bytes = 33;
inline constexpr std::size_t kyber_public_key_bytes = 1569;
inline constexpr std::size_t signature_bytes = 64;
inline constexpr std::size_t auth_key_bytes = 32;
inline constexpr std::size_t challenge_nonce_bytes = 32;
inline constexpr std::uint32_t max_registration_id = 16380;
inline constexpr std::size_t max_device_name_bytes = 64;
inline constexpr std::size_t verification_code_digits = 6;

// MLS groups' delivery service (docs/GROUPS.md "Delivery service (server)").
inline constexpr std::size_t max_key_package_bytes = 16 * 1024;
inline constexpr std::size_t max_key_packages_per_upload = 100;
inline constexpr std::size_t max_key_packages_per_device = 100;  // one-time ones stored
inline constexpr std::size_t min_group_id_bytes = 16;
inline constexpr std::size_t max_group_id_bytes = 32;
inline constexpr std::size_t epoch_token_bytes = 32;
inline constexpr std::size_t epoch_token_hash_bytes = 32;  // SHA-256
inline constexpr std::size_t max_group_message_bytes = 256 * 1024;
// A commit and a Welcome each. The server pushes a queued envelope only while less than half of
// a connection's write-queue bound (1 MiB by default) is waiting, so a push of at most 512 KiB
// never pushes a reader over it; 32 KiB is left for the envelope's other fields. The request
// carrying them must also fit one frame (max_frame_bytes) with its recipient lists.
inline constexpr std::size_t max_group_commit_bytes = 480 * 1024;
inline constexpr std::size_t max_group_welcome_bytes = 480 * 1024;
// Devices named by one group send, in each list (about 25 bytes each on the wire).
inline constexpr std::size_t max_group_recipients = 10'000;

// Device authentication (api.proto, Authenticate).
inline constexpr std::string_view auth_signature_context = "bulwark-device-auth-v1";
inline constexpr std::string_view auth_exporter_label = "EXPORTER-bulwark-device-auth";
inline constexpr std::size_t auth_exporter_bytes = 32;
// The same message on a benchmark's plaintext listener (docs/SERVER.md, "plaintext_listen"):
// there is no TLS exporter, so the message starts with its own context string instead. A
// signature made for one kind of connection never verifies on the other.
inline constexpr std::string_view plaintext_auth_signature_context =
    "bulwark-device-auth-plaintext-bench-v1";

// Usernames: 3-32 characters of [a-z0-9_], starting with a letter; compared in lower case.
inline constexpr std::size_t min_username_length = 3;
inline constexpr std::size_t max_username_length = 32;
[[nodiscard]] bool is_valid_username(std::string_view canonical) noexcept;
// The canonical form both ends compare: without a leading '@', in ASCII lower case.
[[nodiscard]] std::string canonical_username(std::string_view name);

}  // namespace bulwark::api
