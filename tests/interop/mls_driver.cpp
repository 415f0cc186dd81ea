// See mls_driver.h.
#include "mls_driver.h"

#include <cctype>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "wire_edit.h"

namespace bulwark::interop {
namespace {

constexpr std::string_view ts_mls_kind = "ts-mls";
constexpr std::string_view bulwark_kind = "bulwark";

std::filesystem::path ts_mls_package() {
  return std::filesystem::path(BULWARK_MLS_PEER_DIR) / "node_modules" / "ts-mls";
}

std::string shortened(const nlohmann::json& value) { return value.dump().substr(0, 300); }

}  // namespace

std::string missing_mls_dependency(std::string_view kind) {
  if (kind == ts_mls_kind) {
    if (std::filesystem::exists(ts_mls_package())) return "";
    return "ts-mls is not installed (" + ts_mls_package().string() +
           " is missing): run `make interop-deps` from the repository root";
  }
  if (kind == bulwark_kind) {
#ifdef BULWARK_MLS_PEER_BIN
    return "";
#else
    return "bulwark-mls-peer was not part of this build (no tests/interop/bulwark_mls_peer/)";
#endif
  }
  return "unknown MLS peer kind \"" + std::string(kind) + "\"";
}

std::vector<std::string> mls_peer_command(std::string_view kind,
                                          std::optional<std::uint64_t> seed) {
  if (auto why = missing_mls_dependency(kind); !why.empty()) throw std::runtime_error(why);
#ifdef BULWARK_MLS_PEER_BIN
  if (kind == bulwark_kind) {
    if (!seed) return {BULWARK_MLS_PEER_BIN};
    return {BULWARK_MLS_PEER_BIN, "--seed", std::to_string(*seed)};
  }
#else
  (void)seed;
#endif
  return {BULWARK_NODE, std::string(BULWARK_MLS_PEER_DIR) + "/mls_peer.js"};
}

std::uint64_t mls_peer_seed(std::string_view name) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string mls_kind_test_name(std::string_view kind) {
  std::string name;
  bool upper = true;
  for (char c : kind) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name;
}

void PrintTo(const MlsGroupState& state, std::ostream* out) {
  *out << "{epoch " << state.epoch << ", authenticator " << base64_encode(state.epoch_authenticator)
       << ", members";
  for (const auto& member : state.members) *out << " " << member.leaf << ":" << member.identity;
  *out << "}";
}

std::string mls_bytes_field(const nlohmann::json& response, std::string_view key) {
  auto found = response.find(key);
  if (found == response.end() || !found->is_string()) {
    throw std::runtime_error("response has no string \"" + std::string(key) +
                             "\": " + shortened(response));
  }
  return base64_decode(found->get<std::string>());
}

std::uint64_t mls_uint_field(const nlohmann::json& response, std::string_view key) {
  auto found = response.find(key);
  if (found == response.end() || !found->is_number_unsigned()) {
    throw std::runtime_error("response has no unsigned integer \"" + std::string(key) +
                             "\": " + shortened(response));
  }
  return found->get<std::uint64_t>();
}

MlsPeer::MlsPeer(std::string kind, std::string name, int suite)
    : kind_(std::move(kind)),
      name_(std::move(name)),
      process_(mls_peer_command(kind_, mls_peer_seed(name_))) {
  (void)must({{"op", "identity"}, {"name", name_}, {"suite", suite}});
}

nlohmann::json MlsPeer::must(const nlohmann::json& request) {
  auto response = process_.call(request);
  if (!response["ok"].get<bool>()) {
    throw std::runtime_error(name_ + " (" + kind_ + ") refused " + request.value("op", "?") + ": " +
                             shortened(response));
  }
  return response;
}

MlsCommit MlsPeer::commit_from(const nlohmann::json& response, bool with_welcome) const {
  MlsCommit result;
  result.commit = mls_bytes_field(response, "commit");
  result.epoch = mls_uint_field(response, "epoch");
  if (with_welcome) {
    result.welcome = mls_bytes_field(response, "welcome");
    result.ratchet_tree = mls_bytes_field(response, "ratchet_tree");
  }
  return result;
}

std::string MlsPeer::key_package() {
  return mls_bytes_field(must({{"op", "key_package"}}), "key_package");
}

std::uint64_t MlsPeer::create_group(const std::string& group_id) {
  auto response = must({{"op", "create_group"}, {"group_id", base64_encode(group_id)}});
  return mls_uint_field(response, "epoch");
}

MlsCommit MlsPeer::add(const std::string& group_id, const std::vector<std::string>& key_packages) {
  nlohmann::json encoded = nlohmann::json::array();
  for (const auto& key_package : key_packages) encoded.push_back(base64_encode(key_package));
  auto response =
      must({{"op", "add"}, {"group_id", base64_encode(group_id)}, {"key_packages", encoded}});
  return commit_from(response, /*with_welcome=*/true);
}

MlsCommit MlsPeer::remove(const std::string& group_id, const std::vector<std::uint32_t>& leaves) {
  auto response =
      must({{"op", "remove"}, {"group_id", base64_encode(group_id)}, {"leaves", leaves}});
  return commit_from(response, /*with_welcome=*/false);
}

MlsCommit MlsPeer::update(const std::string& group_id) {
  auto response = must({{"op", "update"}, {"group_id", base64_encode(group_id)}});
  return commit_from(response, /*with_welcome=*/false);
}

std::string MlsPeer::join(const MlsCommit& add) {
  auto response = must({{"op", "join"},
                        {"welcome", base64_encode(add.welcome)},
                        {"ratchet_tree", base64_encode(add.ratchet_tree)}});
  return mls_bytes_field(response, "group_id");
}

std::string MlsPeer::encrypt(const std::string& group_id, const std::string& plaintext) {
  auto response = must({{"op", "encrypt"},
                        {"group_id", base64_encode(group_id)},
                        {"plaintext", base64_encode(plaintext)}});
  return mls_bytes_field(response, "message");
}

nlohmann::json MlsPeer::process(const std::string& group_id, const std::string& message) {
  return process_.call({{"op", "process"},
                        {"group_id", base64_encode(group_id)},
                        {"message", base64_encode(message)}});
}

MlsGroupState MlsPeer::state(const std::string& group_id) {
  auto response = must({{"op", "state"}, {"group_id", base64_encode(group_id)}});
  MlsGroupState result;
  result.epoch = mls_uint_field(response, "epoch");
  result.epoch_authenticator = mls_bytes_field(response, "epoch_authenticator");
  auto members = response.find("members");
  if (members == response.end() || !members->is_array()) {
    throw std::runtime_error(name_ + ": state has no \"members\" array");
  }
  for (const auto& member : *members) {
    auto leaf = mls_uint_field(member, "leaf");
    if (leaf > UINT32_MAX) throw std::runtime_error(name_ + ": leaf index out of range");
    result.members.push_back(
        {static_cast<std::uint32_t>(leaf), mls_bytes_field(member, "identity")});
  }
  return result;
}

}  // namespace bulwark::interop
