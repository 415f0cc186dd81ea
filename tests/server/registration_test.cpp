#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "crypto/x25519.h"
#include "kt/account_record.h"
#include "server/support/harness.h"

namespace bulwark::server {
namespace {

using harness::ServerHarness;

std::string last_code(ServerHarness& h) {
  std::ifstream in(h.dir_ / "codes.jsonl");
  std::string line, last;
  while (std::getline(in, line)) last = line;
  return nlohmann::json::parse(last).at("code");
}

api::Request request_code(const std::string& phone) {
  api::Request request;
  request.mutable_request_code()->set_phone(phone);
  return request;
}

std::string text_of(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A registration whose account record is `tamper`ed before (true) or after (false) signing.
using Tamper = std::function<void(kt::AccountRecord&)>;

api::Request register_request(const std::string& phone, const std::string& code, Rng& rng,
                              const Tamper& before_signing = {},
                              const Tamper& after_signing = {}) {
  api::Request request;
  api::Register* reg = request.mutable_register_();
  reg->set_phone(phone);
  reg->set_code(code);
  const auto identity = crypto::x25519_keypair(rng);
  kt::AccountRecord record;
  record.identity_key[0] = std::byte{0x05};
  std::copy(identity.public_key.bytes().begin(), identity.public_key.bytes().end(),
            record.identity_key.begin() + 1);
  reg->set_identity_key(text_of(record.identity_key));
  api::DeviceKeys* keys = reg->mutable_device();
  keys->set_registration_id(11);
  auto auth = crypto::ed25519_keypair(rng);
  keys->set_auth_key(text_of(auth.public_key.bytes()));
  kt::DeviceEntry device{1, 11, {}};
  std::copy(auth.public_key.bytes().begin(), auth.public_key.bytes().end(), device.auth_key.begin());
  record.devices.push_back(device);
  if (before_signing) before_signing(record);
  kt::sign_account_record(record, identity.secret_key, rng);
  if (after_signing) after_signing(record);
  reg->set_account_record(text_of(kt::encode_account_record(record)));
  keys->mutable_signed_pre_key()->set_id(1);
  keys->mutable_signed_pre_key()->set_public_key(std::string(1, '\x05') + std::string(32, 's'));
  keys->mutable_signed_pre_key()->set_signature(std::string(64, 'g'));
  keys->mutable_last_resort_kyber_pre_key()->set_id(1);
  keys->mutable_last_resort_kyber_pre_key()->set_public_key(std::string(1, '\x08') + std::string(1568, 'k'));
  keys->mutable_last_resort_kyber_pre_key()->set_signature(std::string(64, 'g'));
  return request;
}

TEST(RegistrationTest, CodeIsNormalisedDeliveredAndRegistersDeviceOne) {
  ServerHarness h;
  auto connection = h.connect();
  api::Response asked = h.call(*connection, request_code("+1 (201) 555-0123"));
  ASSERT_EQ(asked.status(), api::OK) << asked.message();
  EXPECT_EQ(asked.request_code().phone(), "+12015550123");
  std::string code = last_code(h);
  EXPECT_EQ(code.size(), 6u);
  api::Response registered = h.call(*connection, register_request("+12015550123", code, h.rng_));
  ASSERT_EQ(registered.status(), api::OK) << registered.message();
  EXPECT_EQ(registered.register_().device_id(), 1u);
  const std::string& id = registered.register_().account_id();
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(static_cast<unsigned char>(id[6]) >> 4, 4u);  // a version-4 UUID
  EXPECT_TRUE(connection->session().device().has_value());
}

// The first record of the account's signed device list must describe this registration
// exactly (kt/account_record.h); nothing is registered otherwise, and the code stays usable.
TEST(RegistrationTest, ARegistrationWithoutItsSignedDeviceListIsRefused) {
  ServerHarness h;
  auto connection = h.connect();
  ASSERT_EQ(h.call(*connection, request_code("+12015550123")).status(), api::OK);
  const std::string code = last_code(h);
  // Four refusals and the good one: the five attempts the per-phone limit allows.
  const Tamper extra_device = [](kt::AccountRecord& r) {
    r.devices.push_back(kt::DeviceEntry{2, 5, {}});
  };
  std::vector<api::Request> bad{
      register_request("+12015550123", code, h.rng_, extra_device),      // another device list
      register_request("+12015550123", code, h.rng_, {}, extra_device),  // signature broken
  };
  api::Request missing = register_request("+12015550123", code, h.rng_);
  missing.mutable_register_()->clear_account_record();
  bad.push_back(missing);
  api::Request other_identity = register_request("+12015550123", code, h.rng_);
  other_identity.mutable_register_()->set_identity_key(std::string(1, '\x05') + std::string(32, 'o'));
  bad.push_back(other_identity);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const api::Response response = h.call(*connection, bad[i]);
    EXPECT_EQ(response.status(), api::BAD_REQUEST) << i << ": " << response.message();
    EXPECT_NE(response.message().find("account record"), std::string::npos) << response.message();
  }
  EXPECT_EQ(h.call(*connection, register_request("+12015550123", code, h.rng_)).status(), api::OK);
}

TEST(RegistrationTest, TheCodeIsSingleUse) {
  ServerHarness h;
  auto first = h.connect();
  ASSERT_EQ(h.call(*first, request_code("+12015550123")).status(), api::OK);
  std::string code = last_code(h);
  ASSERT_EQ(h.call(*first, register_request("+12015550123", code, h.rng_)).status(), api::OK);
  auto second = h.connect();
  EXPECT_EQ(h.call(*second, register_request("+12015550123", code, h.rng_)).status(), api::INVALID_CODE);
}

TEST(RegistrationTest, AnExpiredCodeIsRefused) {
  ServerHarness h;
  auto connection = h.connect();
  ASSERT_EQ(h.call(*connection, request_code("+12015550123")).status(), api::OK);
  std::string code = last_code(h);
  h.clock_.advance(std::chrono::minutes(11));
  api::Response response = h.call(*connection, register_request("+12015550123", code, h.rng_));
  EXPECT_EQ(response.status(), api::INVALID_CODE);
  EXPECT_NE(response.message().find("expired"), std::string::npos);
}

TEST(RegistrationTest, WrongCodesAreCountedAndExhaustTheCode) {
  ServerConfig config;
  config.code_max_attempts = 2;
  ServerHarness h(config);
  auto connection = h.connect();
  ASSERT_EQ(h.call(*connection, request_code("+12015550123")).status(), api::OK);
  std::string code = last_code(h);
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(h.call(*connection, register_request("+12015550123", wrong, h.rng_)).message(), "wrong code");
  EXPECT_EQ(h.call(*connection, register_request("+12015550123", wrong, h.rng_)).message(), "wrong code");
  auto again = h.connect();
  api::Response exhausted = h.call(*again, register_request("+12015550123", code, h.rng_));
  EXPECT_EQ(exhausted.status(), api::INVALID_CODE);
  EXPECT_NE(exhausted.message().find("too many"), std::string::npos);
}

TEST(RegistrationTest, CodesPerPhoneAreRateLimited) {
  ServerConfig config;
  config.code_per_phone = {1, std::chrono::hours(1)};
  ServerHarness h(config);
  auto connection = h.connect();
  EXPECT_EQ(h.call(*connection, request_code("+12015550123")).status(), api::OK);
  api::Response limited = h.call(*connection, request_code("+12015550123"));
  EXPECT_EQ(limited.status(), api::RATE_LIMITED);
  EXPECT_GT(limited.retry_after_ms(), 0u);
}

TEST(RegistrationTest, AnInvalidNumberIsRefusedWithAReason) {
  ServerHarness h;
  auto connection = h.connect();
  api::Response response = h.call(*connection, request_code("+1555"));
  EXPECT_EQ(response.status(), api::BAD_REQUEST);
  EXPECT_FALSE(response.message().empty());
}

TEST(RegistrationTest, ReRegistrationKeepsTheIdAndDisconnectsOldDevices) {
  ServerHarness h;
  auto bob = h.add_account("+12015550124");
  auto bob2 = h.add_device(bob);
  auto old_connection = h.authenticated(bob2);
  auto connection = h.connect();
  ASSERT_EQ(h.call(*connection, request_code("+12015550124")).status(), api::OK);
  api::Response response = h.call(*connection, register_request("+12015550124", last_code(h), h.rng_));
  ASSERT_EQ(response.status(), api::OK);
  EXPECT_EQ(response.register_().account_id(),
            std::string(reinterpret_cast<const char*>(bob.account.bytes.data()), 16));
  h.settle();
  EXPECT_TRUE(old_connection->closed_);
  std::size_t devices = 0;
  h.with_store([&](store::Store& store) { devices = store.devices(bob.account)->size(); });
  EXPECT_EQ(devices, 1u);
}

TEST(RegistrationTest, PhoneLookupOnlyFindsDiscoverableAccounts) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  h.add_account("+12015550124", /*discoverable=*/false);
  auto a = h.authenticated(alice);
  api::Request lookup;
  lookup.mutable_lookup()->set_phone("+12015550124");
  api::Response hidden = h.call(*a, lookup);
  lookup.mutable_lookup()->set_phone("+12015550199");
  api::Response absent = h.call(*a, lookup);
  EXPECT_EQ(hidden.status(), api::NOT_FOUND);
  EXPECT_EQ(absent.status(), api::NOT_FOUND);
  EXPECT_EQ(hidden.message(), absent.message());
  lookup.mutable_lookup()->set_phone("+12015550123");
  EXPECT_EQ(h.call(*a, lookup).status(), api::OK);
}

TEST(RegistrationTest, UsernamesAreUniqueAndCaseInsensitive) {
  ServerHarness h;
  auto alice = h.add_account("+12015550123");
  auto bob = h.add_account("+12015550124");
  auto a = h.authenticated(alice);
  auto b = h.authenticated(bob);
  api::Request set;
  set.mutable_set_username()->set_username("Alice_1");
  ASSERT_EQ(h.call(*a, set).status(), api::OK);
  set.mutable_set_username()->set_username("alice_1");
  EXPECT_EQ(h.call(*b, set).status(), api::CONFLICT);
  set.mutable_set_username()->set_username("1bad");
  EXPECT_EQ(h.call(*b, set).status(), api::BAD_REQUEST);
  api::Request lookup;
  lookup.mutable_lookup()->set_username("@ALICE_1");
  api::Response found = h.call(*b, lookup);
  ASSERT_EQ(found.status(), api::OK);
  EXPECT_EQ(found.lookup().username(), "alice_1");
}

}  // namespace
}  // namespace bulwark::server
