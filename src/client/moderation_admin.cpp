#include "client/moderation_admin.h"

#include <utility>

#include "client/admin_https.h"
#include "client/detail/file_io.h"
#include "crypto/base64.h"
#include "crypto/random.h"
#include "moderation/request_auth.h"
#include "moderation/signed_action.h"

namespace bulwark::client {
namespace {

constexpr std::size_t seed_bytes = 32;
constexpr std::size_t max_key_file_bytes = 128;

int hex_digit(std::byte c) noexcept {
  const auto v = std::to_integer<int>(c);
  if (v >= '0' && v <= '9') return v - '0';
  if (v >= 'a' && v <= 'f') return v - 'a' + 10;
  if (v >= 'A' && v <= 'F') return v - 'A' + 10;
  return -1;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::array<std::byte, 16>> id16(const nlohmann::json& json, std::string_view key) {
  if (!json.contains(key) || !json[std::string(key)].is_string())
    return fail(Errc::invalid_encoding, "the server's case lacks " + std::string(key));
  auto bytes = BULWARK_TRY(from_hex(json[std::string(key)].get<std::string>()));
  return to_array<16>(bytes);
}

}  // namespace

Result<std::string> create_moderator_key(const std::filesystem::path& file) {
  SecretBytes seed(seed_bytes);
  crypto::random_bytes(seed.writable());
  static constexpr char digits[] = "0123456789abcdef";
  SecretBytes text(seed_bytes * 2 + 1);
  auto out = text.writable();
  for (std::size_t i = 0; i < seed_bytes; ++i) {
    const auto v = std::to_integer<unsigned>(seed.view()[i]);
    out[2 * i] = static_cast<std::byte>(digits[v >> 4]);
    out[2 * i + 1] = static_cast<std::byte>(digits[v & 0x0f]);
  }
  out.back() = std::byte{'\n'};
  const auto key = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(seed.view()));
  BULWARK_TRY(detail::create_private_file(file, text.view()));
  return crypto::base64_encode(key.public_key().bytes());
}

Result<crypto::Ed25519SecretKey> load_moderator_key(const std::filesystem::path& file) {
  auto contents = detail::read_small_file(file, max_key_file_bytes, /*require_private=*/true);
  if (!contents) return fail(contents.error().code, "moderator key file " + contents.error().context);
  ByteView text = contents->view();
  while (!text.empty() && (text.back() == std::byte{'\n'} || text.back() == std::byte{'\r'}))
    text = text.first(text.size() - 1);
  if (text.size() != seed_bytes * 2)
    return fail(Errc::invalid_encoding, "moderator key file " + file.string() + ": expected 64 hex digits");
  SecretBytes seed(seed_bytes);
  for (std::size_t i = 0; i < seed_bytes; ++i) {
    const int high = hex_digit(text[2 * i]);
    const int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0)
      return fail(Errc::invalid_encoding, "moderator key file " + file.string() + ": not hex");
    seed.writable()[i] = static_cast<std::byte>((high << 4) | low);
  }
  return crypto::Ed25519SecretKey::from_seed(seed.view());
}

struct ModerationAdmin::Impl {
  AdminOptions options;
  AdminHttps https;
  crypto::Ed25519SecretKey key;

  Impl(AdminOptions o, AdminHttps h, crypto::Ed25519SecretKey k)
      : options(std::move(o)), https(std::move(h)), key(std::move(k)) {}

  Result<nlohmann::json> send(bool post, const std::string& target, std::string body) {
    auto [status, json] = BULWARK_TRY(https.signed_request(moderation::RequestRole::moderator,
                                                           options.moderator, key, post, target,
                                                           std::move(body)));
    if (status != 200) return tl::unexpected(answer_error(status, json));
    return json;
  }

  Result<nlohmann::json> act_once(std::uint64_t case_id, moderation::Action action, std::string_view reason) {
    const nlohmann::json found = BULWARK_TRY(send(false, "/admin/moderation/cases/" + std::to_string(case_id), ""));
    moderation::ActionRecord record;
    record.case_id = case_id;
    record.action = action;
    const std::string target = found.value("target", "");
    record.target = target == "channel"   ? moderation::TargetKind::channel
                    : target == "message" ? moderation::TargetKind::message
                                          : moderation::TargetKind::post;
    if (record.target != moderation::TargetKind::message) record.channel = BULWARK_TRY(id16(found, "channel_id"));
    record.seq = found.value("seq", std::uint64_t{0});
    record.account = BULWARK_TRY(id16(found, "account"));
    record.time_ms = now_ms();
    record.moderator = options.moderator;
    const crypto::Ed25519PublicKey public_key = key.public_key();
    std::copy(public_key.bytes().begin(), public_key.bytes().end(), record.moderator_key.begin());
    record.reason = std::string(reason);
    const Bytes head = BULWARK_TRY(from_hex(found.value("log_head", "")));
    record.previous = BULWARK_TRY(to_array<32>(head));
    const Bytes bytes = BULWARK_TRY(moderation::encode_action(record));
    const auto signature = moderation::sign_action(key, bytes);
    const nlohmann::json body{{"record", crypto::base64_encode(bytes)},
                              {"signature", crypto::base64_encode(signature)}};
    return send(true, "/admin/moderation/cases/" + std::to_string(case_id) + "/act", body.dump());
  }
};

Result<ModerationAdmin> ModerationAdmin::open(const AdminOptions& options) {
  if (options.moderator.empty()) return fail(Errc::invalid_argument, "--name (the moderator's configured name) is required");
  auto https = BULWARK_TRY(AdminHttps::open(options.server, options.ca_file, options.timeout));
  auto key = BULWARK_TRY(load_moderator_key(options.key_file));
  return ModerationAdmin(std::make_unique<Impl>(options, std::move(https), std::move(key)));
}

ModerationAdmin::ModerationAdmin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModerationAdmin::ModerationAdmin(ModerationAdmin&&) noexcept = default;
ModerationAdmin& ModerationAdmin::operator=(ModerationAdmin&&) noexcept = default;
ModerationAdmin::~ModerationAdmin() = default;

Result<nlohmann::json> ModerationAdmin::queue() { return impl_->send(false, "/admin/moderation/queue", ""); }

Result<nlohmann::json> ModerationAdmin::show(std::uint64_t case_id) {
  return impl_->send(false, "/admin/moderation/cases/" + std::to_string(case_id), "");
}

Result<nlohmann::json> ModerationAdmin::log(std::uint64_t after) {
  return impl_->send(false, "/admin/moderation/log?after=" + std::to_string(after), "");
}

namespace {

Result<moderation::LogHash> hash_field(const nlohmann::json& entry, const char* name) {
  const auto bytes = from_hex(entry.value(name, std::string()));
  if (!bytes || bytes->size() != moderation::log_hash_bytes)
    return fail(Errc::invalid_proof, std::string("a log entry's ") + name + " is not a 32-byte hash");
  moderation::LogHash out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<moderation::LogEntryToAudit> entry_to_audit(const nlohmann::json& entry) {
  moderation::LogEntryToAudit out;
  if (!entry.is_object() || !entry.contains("seq") || !entry["seq"].is_number_unsigned())
    return fail(Errc::invalid_proof, "a log entry without a seq");
  out.seq = entry["seq"].get<std::uint64_t>();
  auto record = crypto::base64_decode(entry.value("record", std::string()));
  auto signature = crypto::base64_decode(entry.value("signature", std::string()));
  if (!record || !signature) return fail(Errc::invalid_proof, "a log entry's record or signature is not base64");
  out.record = std::move(*record);
  out.signature = std::move(*signature);
  out.prev_hash = BULWARK_TRY(hash_field(entry, "prev_hash"));
  out.hash = BULWARK_TRY(hash_field(entry, "hash"));
  return out;
}

}  // namespace

Result<moderation::LogAudit> ModerationAdmin::verify_log(std::map<std::string, Bytes> trusted) {
  moderation::LogAudit audit(std::move(trusted));
  // Page by page from the start, until a page comes back empty. The count bound stops a server
  // that never ends its log (a million pages).
  for (int page = 0; page < 1'000'000; ++page) {
    auto answer = BULWARK_TRY(log(audit.entries()));
    const auto& entries = answer.value("entries", nlohmann::json::array());
    if (!entries.is_array()) return fail(Errc::invalid_proof, "the server's log page is not a list");
    for (const auto& entry : entries) {
      const moderation::LogEntryToAudit parsed = BULWARK_TRY(entry_to_audit(entry));
      BULWARK_TRY(audit.next(parsed));
    }
    if (entries.empty()) return audit;
  }
  return fail(Errc::invalid_proof, "the server's log does not end");
}

Result<nlohmann::json> ModerationAdmin::act(std::uint64_t case_id, moderation::Action action,
                                            std::string_view reason) {
  BULWARK_TRY(moderation::check_reason(reason));
  auto done = impl_->act_once(case_id, action, reason);
  // Another moderator's action moved the log head between our read and our write: once more.
  if (!done && done.error().code == Errc::conflict &&
      done.error().context.find("moved on") != std::string::npos)
    return impl_->act_once(case_id, action, reason);
  return done;
}

}  // namespace bulwark::client
