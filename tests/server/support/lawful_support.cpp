#include "server/support/lawful_support.h"

#include <sqlite3.h>

#include <stdexcept>

#include "kt/checkpoint.h"
#include "kt/cosignature.h"
#include "kt/note.h"
#include "lawful/approval.h"

namespace bulwark::server::lawful_support {
namespace {

constexpr std::string_view witness_name = "witness.example/disclosure";

crypto::Ed25519SecretKey seeded_key(std::uint8_t fill) {
  return *crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{fill}));
}

Operator make_operator(std::string name, std::uint8_t fill) {
  crypto::Ed25519SecretKey key = seeded_key(fill);
  const auto public_key = key.public_key();
  return Operator{ModeratorKey{std::move(name), to_bytes(public_key.bytes())}, std::move(key)};
}

std::unique_ptr<store::Store> own_store(store::Store* external, const std::filesystem::path& dir) {
  if (external) return nullptr;
  return store::open_sqlite_store(dir / "bulwark.db").value();
}

}  // namespace

LawfulFixture::LawfulFixture() : LawfulFixture(nullptr) {}

LawfulFixture::LawfulFixture(store::Store& external) : LawfulFixture(&external) {}

LawfulFixture::LawfulFixture(store::Store* external)
    : clock_(std::chrono::system_clock::from_time_t(june_first_s)),
      store_(own_store(external, dir_.path())),
      target_(external ? external : store_.get()),
      court_("Athens Court Root", clock_.now()),
      judge_(court_.issue()),
      witness_key_(seeded_key(0x77)) {
  for (const auto& [name, fill] :
       {std::pair{"alice", 0x41}, std::pair{"bob", 0x42}, std::pair{"carol", 0x43}})
    operators_.push_back(make_operator(name, static_cast<std::uint8_t>(fill)));
  LawfulSettings settings;
  for (const Operator& person : operators_) settings.operators.push_back(person.config);
  settings.approvals = 2;
  settings.ip_retention = std::chrono::hours(24 * 7);
  DisclosureLogSettings log;
  log.origin = "test.example/bulwark-disclosure";
  log.witnesses = {*kt::CosignerKey::create(std::string(witness_name), witness_key_.public_key())};
  log.quorum = 1;
  service_ = std::make_unique<LawfulService>(
      std::move(settings), DisclosureLog(std::move(log), seeded_key(0x55)), clock_, rng_);
  const lawful::Authority athens{
      "Athens Court of First Instance", "GR",
      crypto::DocumentTrust{{court_.root_pem()}, {}, {court_.crl_pem({}, std::chrono::days(60))}}};
  if (!put_authority(athens)) throw std::runtime_error("put_authority");
}

Result<std::uint64_t> LawfulFixture::put_authority(const lawful::Authority& authority,
                                                   std::size_t by) {
  const auto signature =
      lawful::sign_authority_change(operators_[by].key, authority.name, authority.jurisdiction,
                                    lawful::trust_digest(authority.trust));
  return service_->put_authority(store(), authority, operators_[by].config, signature);
}

int LawfulFixture::edit_database(const char* sql) {
  if (!store_) throw std::logic_error("edit_database needs the fixture's own store");
  store_.reset();
  sqlite3* db = nullptr;
  int result = sqlite3_open((dir_.path() / "bulwark.db").c_str(), &db);
  if (result == SQLITE_OK) result = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  store_ = store::open_sqlite_store(dir_.path() / "bulwark.db").value();
  target_ = store_.get();
  return result;
}

store::AccountId LawfulFixture::account_of(std::uint8_t tag) {
  store::AccountId id;
  id.bytes.fill(std::byte{tag});
  return id;
}

store::AccountId LawfulFixture::add_account(const std::string& phone, std::uint8_t tag) {
  store::NewAccount account;
  account.id = account_of(tag);
  account.phone = phone;
  account.identity_key = Bytes(33, std::byte{0x05});
  store::NewDevice device;
  device.registration_id = RegistrationId{1000u + tag};
  device.auth_key = Bytes(32, std::byte{tag});
  device.name = "phone";
  device.signed_pre_key = {7, Bytes(33, std::byte{tag}), Bytes(64, std::byte{tag})};
  device.last_resort_kyber_pre_key = {99, Bytes(1569, std::byte{tag}), Bytes(64, std::byte{tag})};
  return store().register_account(account, device).value();
}

Result<LawfulOutcome> LawfulFixture::submit_signed(const std::string& document,
                                                   ByteView signature) {
  return service_->submit(store(), as_bytes(document), signature);
}

Result<LawfulOutcome> LawfulFixture::submit(const nlohmann::json& order) {
  const std::string document = order.dump();
  return submit_signed(document, judge_.sign(document));
}

Result<LawfulOutcome> LawfulFixture::approve(std::uint64_t order, std::size_t by) {
  const auto stored = store().lawful_order(order).value();
  lawful::OrderHash hash{};
  std::copy(stored->order_hash.begin(), stored->order_hash.end(), hash.begin());
  const auto signature = lawful::sign_approval(operators_[by].key, hash);
  return service_->approve(store(), order, operators_[by].config, signature);
}

void LawfulFixture::witness_cosigns() {
  const std::string note = service_->log().newest_checkpoint(store()).value().value();
  const kt::Note parsed = kt::parse_note(note).value();
  const kt::Checkpoint checkpoint = kt::parse_checkpoint_body(parsed.text).value();
  const kt::NoteSignature cosignature =
      kt::cosign(witness_key_, std::string(witness_name), parsed.text,
                 static_cast<std::uint64_t>(june_first_s));
  if (!service_->log().add_cosignature(store(), checkpoint.size,
                                       kt::format_signature_line(cosignature), 0))
    throw std::runtime_error("add_cosignature");
}

std::vector<lawful::LogEntry> LawfulFixture::entries() {
  std::vector<lawful::LogEntry> out;
  const std::vector<store::LawfulLogEntry> stored_entries =
      store().lawful_log(0, store::max_lawful_page).value();
  for (const store::LawfulLogEntry& stored : stored_entries) {
    auto entry = lawful::decode_log_entry(stored.entry);
    if (!entry)
      throw std::runtime_error("entry " + std::to_string(stored.index) + ": " +
                               entry.error().describe());
    out.push_back(std::move(*entry));
  }
  return out;
}

}  // namespace bulwark::server::lawful_support
