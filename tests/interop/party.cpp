// See party.h.
#include "party.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "wire_edit.h"

namespace bulwark::interop {
namespace {

std::filesystem::path libsignal_package() {
  return std::filesystem::path(BULWARK_PEER_JS).parent_path() / "node_modules" / "@signalapp" /
         "libsignal-client" / "package.json";
}

// Printable form of raw bytes for failure messages: short ones in full, long ones trimmed.
std::string show(std::string_view bytes) {
  std::string shown = base64_encode(bytes.substr(0, 48));
  return "b64:" + shown + (bytes.size() > 48 ? "... (" + std::to_string(bytes.size()) + " B)" : "");
}

}  // namespace

std::string_view to_string(PeerKind kind) {
  return kind == PeerKind::libsignal ? "libsignal" : "bulwark";
}

std::string missing_dependency(PeerKind kind) {
  if (kind == PeerKind::libsignal && !std::filesystem::exists(libsignal_package())) {
    return "@signalapp/libsignal-client is not installed (" + libsignal_package().string() +
           " is missing): run `make interop-deps` from the repository root";
  }
#ifndef BULWARK_HAVE_PEER_BIN
  if (kind == PeerKind::bulwark) return "bulwark-peer was not part of this build";
#endif
  return "";
}

void PrintTo(PeerKind kind, std::ostream* out) { *out << to_string(kind); }

std::vector<std::string> peer_command(PeerKind kind) {
  if (auto why = missing_dependency(kind); !why.empty()) throw std::runtime_error(why);
#ifdef BULWARK_HAVE_PEER_BIN
  if (kind == PeerKind::bulwark) return {BULWARK_PEER_BIN};
#endif
  return {BULWARK_NODE, BULWARK_PEER_JS};
}

std::string text_field(const nlohmann::json& response, std::string_view key) {
  auto found = response.find(key);
  if (found == response.end() || !found->is_string()) {
    throw std::runtime_error("response has no string \"" + std::string(key) +
                             "\": " + response.dump().substr(0, 300));
  }
  return found->get<std::string>();
}

Party::Party(PeerKind kind, std::string name, int device)
    : kind_(kind), name_(std::move(name)), device_(device), process_(peer_command(kind)) {
  auto response = must({{"op", "identity"}, {"name", name_}, {"device", device_}});
  identity_key_ = base64_decode(text_field(response, "identity_key"));
}

nlohmann::json Party::bundle(bool one_time) {
  auto response = must({{"op", "bundle"}, {"one_time", one_time}});
  if (!response.contains("bundle") || !response["bundle"].is_object()) {
    throw std::runtime_error(name_ + ": bundle response has no \"bundle\" object");
  }
  return response["bundle"];
}

void Party::process_bundle(const Party& owner, const nlohmann::json& bundle) {
  (void)must({{"op", "process_bundle"},
              {"peer", owner.name()},
              {"device", owner.device()},
              {"bundle", bundle}});
}

Envelope Party::encrypt(const Party& to, std::string plaintext, std::string label) {
  auto response = must({{"op", "encrypt"},
                        {"peer", to.name()},
                        {"device", to.device()},
                        {"plaintext", base64_encode(plaintext)}});
  return {std::move(label), text_field(response, "type"),
          base64_decode(text_field(response, "body")), std::move(plaintext)};
}

nlohmann::json Party::decrypt(const Party& from, const Envelope& message) {
  return process_.call({{"op", "decrypt"},
                        {"peer", from.name()},
                        {"device", from.device()},
                        {"type", message.type},
                        {"body", base64_encode(message.body)}});
}

nlohmann::json Party::fingerprint(const Party& peer) {
  return must({{"op", "fingerprint"}, {"peer", peer.name()}});
}

nlohmann::json Party::must(const nlohmann::json& request) {
  auto response = process_.call(request);
  if (!response["ok"].get<bool>()) {
    throw std::runtime_error(std::string(to_string(kind_)) + " peer " + name_ + ": op \"" +
                             request.value("op", "?") + "\" failed: " + response.dump());
  }
  return response;
}

::testing::AssertionResult delivered(Party& to, const Party& from, const Envelope& message) {
  auto response = to.decrypt(from, message);
  auto who = std::string(to_string(to.kind())) + " " + to.name() + " <- " +
             std::string(to_string(from.kind())) + " " + from.name() + ", " + message.label + " (" +
             message.type + ")";
  if (!response["ok"].get<bool>()) {
    return ::testing::AssertionFailure()
           << who << ": rejected a genuine message: " << response.value("error", "(no error text)");
  }
  auto plaintext = base64_decode(text_field(response, "plaintext"));
  if (plaintext != message.plaintext) {
    auto [got, sent] = std::mismatch(plaintext.begin(), plaintext.end(), message.plaintext.begin(),
                                     message.plaintext.end());
    return ::testing::AssertionFailure()
           << who << ": plaintext differs from byte " << (got - plaintext.begin()) << " on (got "
           << plaintext.size() << " B, sent " << message.plaintext.size()
           << " B): " << show(plaintext) << " != " << show(message.plaintext);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult rejected(Party& to, const Party& from, const Envelope& message) {
  auto response = to.decrypt(from, message);
  if (response["ok"].get<bool>()) {
    return ::testing::AssertionFailure()
           << to.name() << " accepted a forged/replayed " << message.label << " (" << message.type
           << "), plaintext " << show(base64_decode(text_field(response, "plaintext")));
  }
  return ::testing::AssertionSuccess() << response.value("error", "");
}

}  // namespace bulwark::interop
