#include "client/lawful_admin.h"

#include <utility>

#include "client/admin_https.h"
#include "client/moderation_admin.h"
#include "crypto/base64.h"
#include "lawful/approval.h"

namespace bulwark::client {

struct LawfulAdmin::Impl {
  LawfulAdminOptions options;
  AdminHttps https;
  crypto::Ed25519SecretKey key;

  Impl(LawfulAdminOptions o, AdminHttps h, crypto::Ed25519SecretKey k)
      : options(std::move(o)), https(std::move(h)), key(std::move(k)) {}

  Result<LawfulAnswer> step(bool post, const std::string& target, std::string body) {
    auto [status, json] =
        BULWARK_TRY(https.signed_request(moderation::RequestRole::lawful_operator, options.name,
                                         key, post, target, std::move(body)));
    if (status != 200 && status != 202 && status != 422)
      return tl::unexpected(answer_error(status, json));
    return LawfulAnswer{status, std::move(json)};
  }

  Result<nlohmann::json> read(bool post, const std::string& target, std::string body) {
    LawfulAnswer answer = BULWARK_TRY(step(post, target, std::move(body)));
    if (answer.status != 200) return tl::unexpected(answer_error(answer.status, answer.body));
    return std::move(answer.body);
  }

  // The order's hash as this operator computes it from the document the server shows.
  Result<lawful::OrderHash> order_hash(std::uint64_t order) {
    const nlohmann::json found = BULWARK_TRY(read(false, order_target(order), ""));
    auto document = crypto::base64_decode(found.value("document", std::string()));
    if (!document) return fail(Errc::invalid_argument, "the server sent no order document");
    const lawful::OrderHash hash = lawful::order_hash(*document);
    if (to_hex(hash) != found.value("sha256", std::string()))
      return fail(Errc::invalid_proof,
                  "the server's hash of the order is not the hash of the document it showed");
    return hash;
  }

  static std::string order_target(std::uint64_t order) {
    return "/admin/lawful/orders/" + std::to_string(order);
  }
};

Result<LawfulAdmin> LawfulAdmin::open(const LawfulAdminOptions& options) {
  if (options.name.empty())
    return fail(Errc::invalid_argument, "--name (the operator's configured name) is required");
  auto https = BULWARK_TRY(AdminHttps::open(options.server, options.ca_file, options.timeout));
  auto key = BULWARK_TRY(load_moderator_key(options.key_file));
  return LawfulAdmin(std::make_unique<Impl>(options, std::move(https), std::move(key)));
}

LawfulAdmin::LawfulAdmin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LawfulAdmin::LawfulAdmin(LawfulAdmin&&) noexcept = default;
LawfulAdmin& LawfulAdmin::operator=(LawfulAdmin&&) noexcept = default;
LawfulAdmin::~LawfulAdmin() = default;

Result<nlohmann::json> LawfulAdmin::authorities() {
  return impl_->read(false, "/admin/lawful/authorities", "");
}

Result<nlohmann::json> LawfulAdmin::add_authority(const lawful::Authority& authority) {
  BULWARK_TRY(lawful::check_authority(authority));
  // The change is signed, and logged publicly with this signature.
  const auto signature = lawful::sign_authority_change(
      impl_->key, authority.name, authority.jurisdiction, lawful::trust_digest(authority.trust));
  const nlohmann::json body{{"name", authority.name},
                            {"jurisdiction", authority.jurisdiction},
                            {"anchors", authority.trust.anchors},
                            {"intermediates", authority.trust.intermediates},
                            {"crls", authority.trust.crls},
                            {"signature", crypto::base64_encode(signature)}};
  return impl_->read(true, "/admin/lawful/authorities", body.dump());
}

Result<nlohmann::json> LawfulAdmin::orders(std::uint64_t after) {
  return impl_->read(false, "/admin/lawful/orders?after=" + std::to_string(after), "");
}

Result<nlohmann::json> LawfulAdmin::show(std::uint64_t order) {
  return impl_->read(false, Impl::order_target(order), "");
}

Result<LawfulAnswer> LawfulAdmin::submit(ByteView document, ByteView signature) {
  const nlohmann::json body{{"document", crypto::base64_encode(document)},
                            {"signature", crypto::base64_encode(signature)}};
  return impl_->step(true, "/admin/lawful/orders", body.dump());
}

Result<LawfulAnswer> LawfulAdmin::approve(std::uint64_t order) {
  const lawful::OrderHash hash = BULWARK_TRY(impl_->order_hash(order));
  const auto signature = lawful::sign_approval(impl_->key, hash);
  const nlohmann::json body{{"signature", crypto::base64_encode(signature)}};
  return impl_->step(true, Impl::order_target(order) + "/approve", body.dump());
}

Result<LawfulAnswer> LawfulAdmin::refuse(std::uint64_t order, std::string_view reason) {
  const lawful::OrderHash hash = BULWARK_TRY(impl_->order_hash(order));
  const auto signature = BULWARK_TRY(lawful::sign_refusal(impl_->key, hash, reason));
  const nlohmann::json body{{"reason", reason}, {"signature", crypto::base64_encode(signature)}};
  return impl_->step(true, Impl::order_target(order) + "/refuse", body.dump());
}

Result<LawfulAnswer> LawfulAdmin::release(std::uint64_t order) {
  return impl_->step(true, Impl::order_target(order) + "/release", "");
}

}  // namespace bulwark::client
