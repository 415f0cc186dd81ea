// Lawful requests with real processes (issue 8): bulwark-server with two operators and one
// witness of its disclosure log, the bulwark client for the account an order names,
// bulwark-admin for the operators and for an outside auditor, and bulwark-witness. A court's
// signed order is received; releasing it is refused (and logged) until two distinct operators
// approved it, and waits until the witness cosigned the answer; the package verifies and holds
// exactly the account's phone number, the IP address it connected from and the statement that
// message content is not held. The published report matches the verified log. A log entry
// altered behind the server's back stops the server; a removed one is caught by the auditor's
// saved state and by the witness. An order signed under another root is refused and counted.
#include "support/lawful.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "kt/checkpoint_policy.h"
#include "lawful/release.h"
#include "lawful/statistics.h"
#include "lawful/utc_time.h"
#include "support/accounts.h"
#include "support/db_edit.h"
#include "support/https_get.h"
#include "support/lawful_order.h"
#include "support/test_pki.h"
#include "support/witness_process.h"

namespace bulwark::e2e {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

constexpr const char* court_name = "Athens Court of First Instance";  // sample_order's

struct OrderFiles {
  fs::path document;
  fs::path signature;
};

// An order against the real clock (the server's): issued an hour ago, valid for 30 days, for
// data from a day before to a day after now, asking for the phone number and IP addresses the
// server can release and the message content it cannot.
nlohmann::json order_about(const std::string& order_id, const std::string& phone) {
  using std::chrono::days;
  using std::chrono::hours;
  const lawful::Seconds now = std::chrono::floor<std::chrono::seconds>(system_clock::now());
  nlohmann::json order = testing::sample_order(court_name, "GR");
  order["order_id"] = order_id;
  order["targets"] = nlohmann::json::array({{{"phone_number", phone}}});
  order["categories"] = nlohmann::json::array({"phone_number", "ip_addresses", "message_content"});
  order["time_range"] = {{"from", lawful::format_utc_time(now - days(1))},
                         {"to", lawful::format_utc_time(now + days(1))}};
  order["issued_at"] = lawful::format_utc_time(now - hours(1));
  order["expires_at"] = lawful::format_utc_time(now + days(30));
  order["non_disclosure_until"] = lawful::format_utc_time(now + days(90));
  return order;
}

// The package file's JSON: its text before the signature line.
nlohmann::json package_json_of(const std::string& file) {
  const auto at = file.rfind("\n-- bulwark-lawful-release-v1 ");
  require(at != std::string::npos, "the package has no signature line", file);
  return nlohmann::json::parse(file.substr(0, at + 1));
}

std::set<std::string> member_names(const nlohmann::json& object) {
  std::set<std::string> names;
  for (const auto& [name, value] : object.items()) names.insert(name);
  return names;
}

// The report's counts for `jurisdiction`, summed over its quarters: a test running across the
// end of a quarter finds its entries split between two (the server is fresh, so all are its own).
nlohmann::json counts_for(const nlohmann::json& periods, const std::string& jurisdiction) {
  nlohmann::json total{
      {"received", 0}, {"refused", 0}, {"granted", 0}, {"not_held", 0}, {"accounts_affected", 0}};
  for (const auto& period : periods) {
    if (period.at("jurisdiction") != jurisdiction) continue;
    for (auto& [name, count] : total.items()) count = count.get<int>() + period.at(name).get<int>();
  }
  return total;
}

class LawfulRequestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice_ = make_lawful_operator(tmp_, "alice");
    bob_ = make_lawful_operator(tmp_, "bob");
    witness_vkey_ = witness_.keygen();
    server_ = std::make_unique<ServerProcess>(
        tmp_.path() / "srv", ServerOptions{lawful_toml({alice_, bob_}, 2, {witness_vkey_}, 1)});
    log_vkey_ = disclosure_log_vkey_from(server_->log_text());
    write_file(tmp_.path() / "court-root.pem", court_.root_pem());
    write_file(tmp_.path() / "court.crl", court_.crl_pem());
    CliResult added = run_lawful(
        alice_, *server_,
        {"authorities", "add", court_name, "--jurisdiction", "GR", "--anchor",
         (tmp_.path() / "court-root.pem").string(), "--crl", (tmp_.path() / "court.crl").string()});
    require(added.exit_code() == 0, "lawful authorities add failed", added.describe());
  }

  // The order as JSON text and the signer's detached CMS signature, in files named `name`.
  OrderFiles write_order(const nlohmann::json& order, const testing::TestSigner& signer,
                         const std::string& name) const {
    const std::string document = order.dump();
    const Bytes signature = signer.sign(document);
    OrderFiles files{tmp_.path() / (name + ".json"), tmp_.path() / (name + ".sig")};
    write_file(files.document, document);
    write_file(files.signature,
               std::string_view(reinterpret_cast<const char*>(signature.data()), signature.size()));
    return files;
  }

  CliResult submit(const OrderFiles& files) const {
    return run_lawful(alice_, *server_,
                      {"submit", files.document.string(), files.signature.string()});
  }

  CliResult release(const std::string& order, const fs::path& out) const {
    return run_lawful(alice_, *server_, {"release", order, "--out", out.string()});
  }

  ExitStatus witness_round() {
    return witness_.run_once(server_->port(), log_vkey_, server_->ca_file());
  }

  // The whole workflow as setup: the judge's order about `phone` submitted, approved by both
  // operators, its answer logged and witnessed, the package written to `out`. Returns the
  // answer's disclosure log index.
  std::uint64_t release_order(const std::string& phone, const fs::path& out) {
    return release_order(order_about("E2E-GR-1", phone), out);
  }
  std::uint64_t release_order(const nlohmann::json& judges_order, const fs::path& out) {
    CliResult submitted =
        submit(write_order(judges_order, judge_, judges_order.at("order_id").get<std::string>()));
    require(submitted.exit_code() == 0, "submit failed", submitted.describe());
    const std::string order =
        std::to_string(submitted.of_type("lawful_submission").at(0)["order"].get<std::uint64_t>());
    for (const LawfulOperator* by : {&alice_, &bob_}) {
      CliResult approved = run_lawful(*by, *server_, {"approve", order});
      require(approved.exit_code() == 0, "approve failed", approved.describe());
    }
    CliResult pending = release(order, out);
    require(pending.exit_code() == 7, "the release did not wait for the witness",
            pending.describe());
    require(witness_round().code == 0, "the witness did not cosign", witness_.log_text());
    CliResult released = release(order, out);
    require(released.exit_code() == 0, "release failed", released.describe());
    return released.of_type("lawful_release").at(0)["log_index"].get<std::uint64_t>();
  }

  // The pinned log key (and, with `witnessed`, the witness) and the auditor's saved state.
  CliResult audit(bool witnessed) const {
    std::vector<std::string> args{"--log-key", log_vkey_, "--state",
                                  (tmp_.path() / "auditor-seen").string()};
    if (witnessed) args.insert(args.end(), {"--witness", witness_vkey_});
    return transparency_verify(tmp_.path() / "auditor", *server_, args);
  }

  // The package verifies against the pinned log key and witness (with its answer, disclosure
  // log entry 6); it releases about one account its phone number, which is `phone`, and the
  // one address it connected from, which `ip` gets, says that message content is not held, and
  // holds no other member.
  void check_package(const std::string& file, const std::string& phone,
                     lawful::ReleasedIp& ip) const {
    kt::CheckpointPolicy policy{"",
                                kt::NoteVerifier::from_vkey(log_vkey_).value(),
                                {kt::CosignerKey::from_vkey(witness_vkey_).value()},
                                1};
    policy.origin = policy.log_key.name();
    auto package = lawful::verify_release(file, policy);
    ASSERT_TRUE(package) << package.error().describe() << "\n" << file;
    EXPECT_EQ(package->order_id, "E2E-GR-1");
    EXPECT_EQ(package->log.index, 6u);
    EXPECT_EQ(package->released_categories,
              (std::vector<std::string>{"phone_number", "ip_addresses"}));
    EXPECT_EQ(package->not_held, std::vector<std::string>{"message_content"});
    ASSERT_EQ(package->accounts.size(), 1u);
    const lawful::ReleasedAccount& account = package->accounts[0];
    EXPECT_TRUE(account.found);
    EXPECT_EQ(account.phone_number, phone);
    ASSERT_TRUE(account.ip_addresses);
    ASSERT_EQ(account.ip_addresses->size(), 1u);
    ip = account.ip_addresses->at(0);

    const nlohmann::json json = package_json_of(file);
    EXPECT_EQ(json["not_held"]["statement"], std::string(lawful::not_held_statement));
    EXPECT_EQ(member_names(json["accounts"][0]),
              (std::set<std::string>{"target", "found", "salt", "commitment", "phone_number",
                                     "ip_addresses"}));
    EXPECT_EQ(member_names(json["accounts"][0]["ip_addresses"][0]),
              (std::set<std::string>{"ip", "first_seen", "last_seen"}));
  }

  fs::path database() const { return server_->data_dir() / "bulwark.db"; }

  TempDir tmp_;
  const std::string started_quarter_ =
      lawful::quarter_of(std::chrono::floor<std::chrono::seconds>(system_clock::now()));
  const testing::TestAuthority court_{"Athens Court Root", system_clock::now()};
  const testing::TestSigner judge_ = court_.issue();
  LawfulOperator alice_;
  LawfulOperator bob_;
  WitnessProcess witness_{tmp_.path() / "w1", "w1.test", WitnessedLog::disclosure};
  std::string witness_vkey_;
  std::unique_ptr<ServerProcess> server_;
  std::string log_vkey_;
};

TEST_F(LawfulRequestTest, AnOrderIsReleasedOnlyWithTwoApprovalsAndOnceWitnessed) {
  const lawful::Seconds started = std::chrono::floor<std::chrono::seconds>(system_clock::now());
  Account suspect = register_account(tmp_, *server_, "suspect", test_phone(70));
  Account bystander = register_account(tmp_, *server_, "bystander", test_phone(71));
  const fs::path out = tmp_.path() / "package.txt";

  CliResult submitted =
      submit(write_order(order_about("E2E-GR-1", suspect.phone), judge_, "order"));
  ASSERT_EQ(submitted.exit_code(), 0) << submitted.describe();
  const auto receipt = submitted.of_type("lawful_submission").at(0);
  EXPECT_EQ(receipt["log_index"], 1) << "entry 0 is the authority the operators added";
  const std::string order = std::to_string(receipt["order"].get<std::uint64_t>());

  // No approval yet: refused, and the refusal logged.
  CliResult early = release(order, out);
  EXPECT_EQ(early.exit_code(), 6) << early.describe();
  EXPECT_EQ(early.of_type("lawful_release").at(0)["refused"], "too_few_approvals");
  EXPECT_EQ(early.of_type("lawful_release").at(0)["log_index"], 2);
  EXPECT_FALSE(fs::exists(out));

  // One operator's approval counts once.
  CliResult first = run_lawful(alice_, *server_, {"approve", order});
  ASSERT_EQ(first.exit_code(), 0) << first.describe();
  CliResult again = run_lawful(alice_, *server_, {"approve", order});
  EXPECT_EQ(again.exit_code(), 6) << again.describe();
  EXPECT_EQ(again.of_type("lawful_approval").at(0)["refused"], "repeated_approver");
  CliResult second = run_lawful(bob_, *server_, {"approve", order});
  ASSERT_EQ(second.exit_code(), 0) << second.describe();

  // Approved: the answer is logged, but nothing leaves until the witness cosigned it.
  CliResult pending = release(order, out);
  ASSERT_EQ(pending.exit_code(), 7) << pending.describe();
  const auto waiting = pending.of_type("lawful_release").at(0);
  EXPECT_EQ(waiting["log_index"], 6)
      << "authority, received, refused, approved, refused, approved, answered";
  EXPECT_EQ(waiting["cosignatures"], 0);
  EXPECT_EQ(waiting["quorum"], 1);
  EXPECT_FALSE(fs::exists(out));
  ASSERT_EQ(witness_round().code, 0) << witness_.log_text();
  CliResult released = release(order, out);
  ASSERT_EQ(released.exit_code(), 0) << released.describe();
  EXPECT_EQ(released.of_type("lawful_release").at(0)["log_index"], 6);

  // Exactly the account's phone number and the address it connected from; nothing else.
  const std::string file = read_file(out);
  lawful::ReleasedIp ip;
  ASSERT_NO_FATAL_FAILURE(check_package(file, suspect.phone, ip));
  EXPECT_EQ(ip.ip, "127.0.0.1");
  EXPECT_GE(ip.first_seen, started);
  EXPECT_LE(ip.first_seen, ip.last_seen);
  EXPECT_EQ(file.find(bystander.phone), std::string::npos);
  CliResult whoami = suspect.cli.run({"whoami"});
  ASSERT_EQ(whoami.exit_code(), 0) << whoami.describe();
  std::string id = whoami.of_type("account").at(0)["account_id"].get<std::string>();
  EXPECT_EQ(file.find(id), std::string::npos);
  std::erase(id, '-');
  EXPECT_EQ(file.find(id), std::string::npos);

  CliResult shown = run_lawful(bob_, *server_, {"show", order});
  ASSERT_EQ(shown.exit_code(), 0) << shown.describe();
  EXPECT_EQ(shown.of_type("lawful_order").at(0)["state"], "answered");
  EXPECT_EQ(shown.of_type("lawful_order").at(0)["decisions"].size(), 2u);

  // The address released is the one the server recorded for the account.
  ASSERT_EQ(server_->stop().code, 0);
  EXPECT_EQ(query_database(database(),
                           "SELECT group_concat(ip) FROM ip_sightings JOIN accounts ON "
                           "accounts.id = ip_sightings.account_id WHERE phone = '" +
                               suspect.phone + "'"),
            ip.ip);
}

TEST_F(LawfulRequestTest, TheTransparencyReportMatchesTheVerifiedLog) {
  Account suspect = register_account(tmp_, *server_, "suspect", test_phone(72));
  const std::uint64_t answer = release_order(suspect.phone, tmp_.path() / "package.txt");

  CliResult verified = audit(true);
  ASSERT_EQ(verified.exit_code(), 0) << verified.describe();
  const auto report = verified.of_type("transparency_verified").at(0);
  EXPECT_EQ(report["size"], answer + 1);
  EXPECT_EQ(report["cosigned_by"], nlohmann::json::array({"w1.test"}));
  EXPECT_EQ(report["keys_from_server"], false);
  const nlohmann::json expected{
      {"received", 1}, {"refused", 0}, {"granted", 1}, {"not_held", 1}, {"accounts_affected", 1}};
  EXPECT_EQ(counts_for(report["periods"], "GR"), expected) << verified.out;
  const std::string quarter =
      lawful::quarter_of(std::chrono::floor<std::chrono::seconds>(system_clock::now()));
  for (const auto& period : report["periods"]) {
    EXPECT_TRUE(period["quarter"] == started_quarter_ || period["quarter"] == quarter) << period;
  }

  // The published report says the same, as JSON and as a page.
  const HttpResult published = https_get(server_->port(), server_->ca_file(), "/lawful.json");
  ASSERT_EQ(published.status, 200) << published.error;
  const auto json = nlohmann::json::parse(published.body);
  EXPECT_EQ(json["log_size"], answer + 1);
  EXPECT_EQ(json["log_vkey"], log_vkey_);
  EXPECT_EQ(counts_for(json["periods"], "GR"), expected) << published.body;
  EXPECT_EQ(published.body.find(suspect.phone), std::string::npos);
  const HttpResult page = https_get(server_->port(), server_->ca_file(), "/lawful");
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_NE(page.body.find("Lawful requests"), std::string::npos);
  EXPECT_NE(page.body.find(", " + std::to_string(answer + 1) + " entries"), std::string::npos);
  if (started_quarter_ == quarter) {  // else the counts are split over two rows
    EXPECT_NE(page.body.find("<th scope=\"row\">" + quarter +
                             "</th><td>GR</td><td data-count=\"received\">1</td>"
                             "<td data-count=\"refused\">0</td><td data-count=\"granted\">1</td>"
                             "<td data-count=\"not_held\">1</td>"
                             "<td data-count=\"accounts_affected\">1</td>"),
              std::string::npos)
        << page.body;
  }
  EXPECT_EQ(page.body.find(suspect.phone), std::string::npos);
}

TEST_F(LawfulRequestTest, AServerWhoseDisclosureLogWasAlteredRefusesToStart) {
  Account suspect = register_account(tmp_, *server_, "suspect", test_phone(73));
  const std::uint64_t answer = release_order(suspect.phone, tmp_.path() / "package.txt");
  ASSERT_EQ(server_->stop().code, 0);

  // Whoever holds the disk flips the answer's last byte (past the append-only trigger).
  const std::string where = " WHERE idx = " + std::to_string(answer);
  const std::string before =
      query_database(database(), "SELECT hex(entry) FROM lawful_log" + where);
  edit_database(database(),
                "DROP TRIGGER lawful_log_no_update; UPDATE lawful_log SET entry = "
                "CAST(substr(entry, 1, length(entry) - 1) || CASE WHEN substr(entry, -1) = X'00' "
                "THEN X'01' ELSE X'00' END AS BLOB)" +
                    where);
  const std::string after = query_database(database(), "SELECT hex(entry) FROM lawful_log" + where);
  ASSERT_NE(after, before);
  ASSERT_EQ(after.size(), before.size());

  try {
    server_->restart();
    FAIL() << "the server started on an altered disclosure log\n" << server_->log_text();
  } catch (const std::runtime_error& refused) {
    EXPECT_NE(std::string(refused.what()).find("exited (exit code 2) before listening"),
              std::string::npos)
        << refused.what();
  }
  EXPECT_FALSE(server_->running());
  EXPECT_NE(
      server_->log_text().find("disclosure log entry " + std::to_string(answer) + " was altered"),
      std::string::npos)
      << server_->log_text();
}

TEST_F(LawfulRequestTest, ARemovedEntryIsCaughtByTheAuditorAndTheWitness) {
  Account suspect = register_account(tmp_, *server_, "suspect", test_phone(74));
  const std::uint64_t answer = release_order(suspect.phone, tmp_.path() / "package.txt");
  CliResult seen = audit(true);
  ASSERT_EQ(seen.exit_code(), 0) << seen.describe();
  ASSERT_EQ(server_->stop().code, 0);

  // The answer removed, and everything that pointed at it undone: the remaining log is the
  // consistent log of an order approved but never answered.
  const std::string index = std::to_string(answer);
  for (const std::string& sql : std::vector<std::string>{
           "DROP TRIGGER lawful_log_no_delete", "DELETE FROM lawful_log WHERE idx = " + index,
           "DELETE FROM lawful_cosignatures WHERE size = " + std::to_string(answer + 1),
           "DELETE FROM lawful_disclosures WHERE log_index = " + index,
           "UPDATE lawful_orders SET state = 1, answer_index = NULL WHERE answer_index = " + index})
    edit_database(database(), sql);
  server_->restart();
  EXPECT_NE(server_->log_text().find("(" + index + " entries) signed by " + log_vkey_),
            std::string::npos)
      << server_->log_text();

  // The log alone still verifies; against what the auditor saw before, entries are missing.
  CliResult shortened = audit(false);
  EXPECT_EQ(shortened.exit_code(), 4) << shortened.describe();
  EXPECT_NE(shortened.describe().find("entries were removed"), std::string::npos)
      << shortened.describe();
  // The shortened log's checkpoint is one the witness never cosigned.
  CliResult unwitnessed = audit(true);
  EXPECT_EQ(unwitnessed.exit_code(), 4) << unwitnessed.describe();
  EXPECT_NE(unwitnessed.describe().find("0 of the 1 witness cosignatures required"),
            std::string::npos)
      << unwitnessed.describe();
  // The witness, which cosigned the longer log, raises its alarm.
  EXPECT_EQ(witness_round().code, 5) << witness_.log_text();
  EXPECT_NE(witness_.state_text().find("alarm"), std::string::npos) << witness_.state_text();
  EXPECT_NE(witness_.log_text().find("truncation or rollback"), std::string::npos)
      << witness_.log_text();
}

TEST_F(LawfulRequestTest, AnOrderSignedUnderAnotherRootIsRefusedAndCounted) {
  // Same court name, a key the operator never configured.
  const testing::TestAuthority impostor("Athens Court Root", system_clock::now(), 200);
  const OrderFiles forged =
      write_order(order_about("E2E-GR-2", test_phone(75)), impostor.issue(), "forged");
  CliResult refused = submit(forged);
  EXPECT_EQ(refused.exit_code(), 6) << refused.describe();
  const auto answer = refused.of_type("lawful_submission").at(0);
  EXPECT_EQ(answer["refused"], "invalid_signature") << answer;
  EXPECT_EQ(answer["log_index"], 1);
  CliResult listed = run_lawful(bob_, *server_, {"list"});
  ASSERT_EQ(listed.exit_code(), 0) << listed.describe();
  EXPECT_TRUE(listed.of_type("lawful_order").empty()) << "a refused order is not kept";

  const HttpResult published = https_get(server_->port(), server_->ca_file(), "/lawful.json");
  ASSERT_EQ(published.status, 200) << published.error;
  const auto json = nlohmann::json::parse(published.body);
  EXPECT_EQ(json["log_size"], 2);
  const nlohmann::json expected{
      {"received", 0}, {"refused", 1}, {"granted", 0}, {"not_held", 0}, {"accounts_affected", 0}};
  EXPECT_EQ(counts_for(json["periods"], "GR"), expected) << published.body;
}

TEST_F(LawfulRequestTest, TheOwnersClientShowsTheDisclosureOnceTheGagHasEndedAndNotBefore) {
  Account suspect = register_account(tmp_, *server_, "suspect", test_phone(76));
  // Gagged for 90 days: released, but the owner is not told.
  release_order(order_about("E2E-GR-5", suspect.phone), tmp_.path() / "gagged.txt");
  const CliResult before = suspect.cli.run({"notices", "lawful"});
  ASSERT_EQ(before.exit_code(), 0) << before.describe();
  EXPECT_TRUE(before.of_type("lawful_notice").empty()) << before.describe();

  // A second order whose non-disclosure period ended when it was issued: told at once, and the
  // client has checked the notice against the witnessed log before showing it.
  nlohmann::json open = order_about("E2E-GR-6", suspect.phone);
  open["non_disclosure_until"] = open["issued_at"];
  const std::uint64_t answer = release_order(open, tmp_.path() / "open.txt");
  const CliResult after = suspect.cli.run({"notices", "lawful"});
  ASSERT_EQ(after.exit_code(), 0) << after.describe();
  const auto notices = after.of_type("lawful_notice");
  ASSERT_EQ(notices.size(), 1u) << after.describe();
  EXPECT_EQ(notices[0]["order"], "E2E-GR-6");
  EXPECT_EQ(notices[0]["authority"], court_name);
  EXPECT_EQ(notices[0]["log_index"], answer);
  EXPECT_EQ(notices[0]["categories"], nlohmann::json::array({"phone_number", "ip_addresses"}));
  EXPECT_EQ(notices[0]["verified"], true) << notices[0];
  EXPECT_EQ(notices[0]["proved"], true) << notices[0];
}

}  // namespace
}  // namespace bulwark::e2e
