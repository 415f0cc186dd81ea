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

// Device authentication (api.proto, Authenticate).
inline constexpr std::string_view auth_signature_context = "bulwark-device-auth-v1";
inline constexpr std::string_view auth_exporter_label = "EXPORTER-bulwark-device-auth";
inline constexpr std::size_t auth_exporter_bytes = 32;

// Usernames: 3-32 characters of [a-z0-9_], starting with a letter; compared in lower case.
inline constexpr std::size_t min_username_length = 3;
inline constexpr std::size_t max_username_length = 32;
[[nodiscard]] bool is_valid_username(std::string_view canonical) noexcept;
// The canonical form both ends compare: without a leading '@', in ASCII lower case.
[[nodiscard]] std::string canonical_username(std::string_view name);

}  // namespace bulwark::api
