// Conformance: lawful requests' state (store/lawful_store.h): authorities, orders and their
// decisions, the disclosure log with its cosignatures, and the disclosures accounts are told
// of once an order's non-disclosure period ends.
#include <string>
#include <vector>

#include "conformance.h"
#include "store/lawful_store.h"
#include "store/limits.h"

namespace bulwark::store::conformance {
namespace {

constexpr std::int64_t lawful_now_ms = 1'780'000'000'000;

std::string pem_text(std::string_view label, int n) {
  return "-----BEGIN " + std::string(label) + "-----\n" + std::to_string(n) + "\n-----END " +
         std::string(label) + "-----\n";
}

LawfulAuthority lawful_authority(std::string name, std::string jurisdiction) {
  LawfulAuthority authority;
  authority.name = std::move(name);
  authority.jurisdiction = std::move(jurisdiction);
  authority.anchors = {pem_text("CERTIFICATE", 1), pem_text("CERTIFICATE", 2)};
  authority.intermediates = {pem_text("CERTIFICATE", 3)};
  authority.crls = {pem_text("X509 CRL", 4), pem_text("X509 CRL", 5), pem_text("X509 CRL", 6)};
  authority.updated_ms = lawful_now_ms;
  return authority;
}

// Order `n` of `authority`; every field derives from both.
LawfulOrder lawful_order_of(std::string authority, int n) {
  LawfulOrder order;
  order.authority = std::move(authority);
  order.order_id = "ORDER-" + std::to_string(n);
  order.jurisdiction = "DE";
  order.order_hash = filled(32, static_cast<std::uint8_t>(n));
  order.document = filled(300 + n, static_cast<std::uint8_t>(n + 1));
  order.signature = filled(900 + n, static_cast<std::uint8_t>(n + 2));
  order.received_ms = lawful_now_ms + n;
  order.non_disclosure_until_ms = lawful_now_ms + 90 * 86'400'000LL;
  return order;
}

LawfulDecision lawful_decision(std::uint64_t order, std::string operator_name,
                               LawfulDecisionKind kind, std::int64_t time_ms) {
  LawfulDecision decision;
  decision.order = order;
  decision.operator_key = filled(32, static_cast<std::uint8_t>(operator_name.size()));
  decision.operator_name = std::move(operator_name);
  decision.kind = kind;
  decision.signature = filled(64, static_cast<std::uint8_t>(time_ms & 0xff));
  decision.reason = kind == LawfulDecisionKind::refuse ? "overbroad" : "";
  decision.time_ms = time_ms;
  return decision;
}

LawfulLogEntry lawful_entry(std::uint64_t index) {
  LawfulLogEntry entry;
  entry.index = index;
  entry.entry = filled(80 + index, static_cast<std::uint8_t>(index + 1));
  entry.leaf_hash = filled(32, static_cast<std::uint8_t>(0x80 + index));
  entry.checkpoint =
      "example.org/lawful\n" + std::to_string(index + 1) + "\nroot\n\n— example.org/lawful sig\n";
  return entry;
}

KtCosignature lawful_cosignature(std::uint64_t size, std::string witness, std::int64_t at_ms) {
  return KtCosignature{size, witness, "— " + witness + " bGF3ZnVs", at_ms};
}

LawfulDisclosure lawful_disclosure(std::uint64_t order, std::uint8_t account,
                                   std::uint64_t log_index, std::int64_t until_ms) {
  return LawfulDisclosure{order, account_id(account),
                          filled(32, static_cast<std::uint8_t>(account + log_index)), log_index,
                          until_ms};
}

std::vector<std::uint64_t> log_indexes_of(const std::vector<LawfulDisclosure>& disclosures) {
  std::vector<std::uint64_t> indexes;
  for (const LawfulDisclosure& disclosure : disclosures) indexes.push_back(disclosure.log_index);
  return indexes;
}

std::vector<std::uint64_t> order_ids_of(const std::vector<LawfulOrder>& orders) {
  std::vector<std::uint64_t> ids;
  for (const LawfulOrder& order : orders) ids.push_back(order.id);
  return ids;
}

// The order as the store gives it back: with the id it was given.
LawfulOrder stored_as(LawfulOrder order, std::uint64_t id) {
  order.id = id;
  return order;
}

// Adds order n of authority "court.example" and returns its id.
std::uint64_t lawful_added_order(Store& store, int n) {
  return must(store.add_lawful_order(lawful_order_of("court.example", n)));
}

// ---- authorities ----

TEST_P(StoreLawfulTest, AuthoritiesReadBackWholeByName) {
  const LawfulAuthority second = lawful_authority("police.example", "FR");
  LawfulAuthority first = lawful_authority("court.example", "DE");
  LawfulAuthority bare = lawful_authority("agency.example", "NL");
  bare.intermediates.clear();
  bare.crls.clear();
  must(store().put_lawful_authority(second));
  must(store().put_lawful_authority(first));
  must(store().put_lawful_authority(bare));
  EXPECT_EQ(must(store().lawful_authorities()),
            (std::vector<LawfulAuthority>{bare, first, second}));
}

TEST_P(StoreLawfulTest, AuthorityWithoutAnyPemReadsBackEmpty) {
  LawfulAuthority empty;
  empty.name = "court.example";
  empty.jurisdiction = "DE";
  must(store().put_lawful_authority(empty));
  EXPECT_EQ(must(store().lawful_authorities()), std::vector<LawfulAuthority>{empty});
}

TEST_P(StoreLawfulTest, PuttingAnAuthorityAgainReplacesItWhole) {
  must(store().put_lawful_authority(lawful_authority("court.example", "DE")));
  must(store().put_lawful_authority(lawful_authority("police.example", "FR")));
  LawfulAuthority renewed = lawful_authority("court.example", "AT");
  renewed.anchors = {pem_text("CERTIFICATE", 9)};
  renewed.intermediates.clear();
  renewed.crls = {pem_text("X509 CRL", 10)};
  renewed.updated_ms = lawful_now_ms + 1;
  must(store().put_lawful_authority(renewed));
  EXPECT_EQ(must(store().lawful_authorities()),
            (std::vector<LawfulAuthority>{renewed, lawful_authority("police.example", "FR")}));
}

TEST_P(StoreLawfulTest, AuthorityNeedsAName) {
  EXPECT_EQ(error_of(store().put_lawful_authority(lawful_authority("", "DE"))),
            Errc::invalid_argument);
  EXPECT_TRUE(must(store().lawful_authorities()).empty());
}

// Stored in one batch: a thousand separately synced commits would only slow the test.
TEST_P(StoreLawfulTest, AuthorityBeyondTheBoundIsRefusedButOneStoredCanBeReplaced) {
  std::vector<Store::Job> jobs{[](Store& store) -> Result<void> {
    for (std::uint32_t n = 0; n < max_lawful_authorities; ++n) {
      BULWARK_TRY(store.put_lawful_authority(
          LawfulAuthority{"a" + std::to_string(10000 + n), "DE", {}, {}, {}, 0}));
    }
    return {};
  }};
  ASSERT_TRUE(store().run_batch(jobs).at(0));
  EXPECT_EQ(error_of(store().put_lawful_authority(lawful_authority("z", "DE"))), Errc::conflict);
  must(store().put_lawful_authority(lawful_authority("a10000", "FR")));
  const auto stored = must(store().lawful_authorities());
  ASSERT_EQ(stored.size(), max_lawful_authorities);
  EXPECT_EQ(stored.front(), lawful_authority("a10000", "FR"));
}

// ---- orders ----

TEST_P(StoreLawfulTest, OrdersReadBackWholeWithIdsFromOne) {
  const LawfulOrder first = lawful_order_of("court.example", 1);
  LawfulOrder second = lawful_order_of("police.example", 2);
  second.jurisdiction = "FR";
  second.state = LawfulOrderState::answered;
  second.answer_index = 41;
  second.non_disclosure_until_ms = 0;
  EXPECT_EQ(must(store().add_lawful_order(first)), 1u);
  EXPECT_EQ(must(store().add_lawful_order(second)), 2u);
  EXPECT_EQ(must(store().lawful_order(1)), std::optional<LawfulOrder>(stored_as(first, 1)));
  EXPECT_EQ(must(store().lawful_order(2)), std::optional<LawfulOrder>(stored_as(second, 2)));
}

TEST_P(StoreLawfulTest, OrderIdFieldIsIgnoredOnAdd) {
  LawfulOrder order = lawful_order_of("court.example", 1);
  order.id = 77;
  EXPECT_EQ(must(store().add_lawful_order(order)), 1u);
  EXPECT_FALSE(must(store().lawful_order(77)));
}

TEST_P(StoreLawfulTest, ReplayedOrderIsAConflictAndStoresNothing) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  LawfulOrder replay = lawful_order_of("court.example", 1);
  replay.document = filled(10, 0xee);
  EXPECT_EQ(error_of(store().add_lawful_order(replay)), Errc::conflict);
  // Another authority may use the same order id.
  const std::uint64_t other = must(store().add_lawful_order(lawful_order_of("police.example", 1)));
  const auto orders = must(store().lawful_orders(0, 10));
  EXPECT_EQ(order_ids_of(orders), (std::vector<std::uint64_t>{id, other}));
  EXPECT_EQ(orders[0], stored_as(lawful_order_of("court.example", 1), id));
}

TEST_P(StoreLawfulTest, UnknownOrderIsAbsent) {
  lawful_added_order(store(), 1);
  EXPECT_FALSE(must(store().lawful_order(0)));
  EXPECT_FALSE(must(store().lawful_order(2)));
  EXPECT_FALSE(must(store().lawful_order(UINT64_MAX)));
}

TEST_P(StoreLawfulTest, OrdersPageByIdAndLimit) {
  std::vector<std::uint64_t> ids;
  for (int n = 1; n <= 5; ++n) ids.push_back(lawful_added_order(store(), n));
  EXPECT_EQ(order_ids_of(must(store().lawful_orders(0, 2))),
            (std::vector<std::uint64_t>{ids[0], ids[1]}));
  EXPECT_EQ(order_ids_of(must(store().lawful_orders(ids[1], 2))),
            (std::vector<std::uint64_t>{ids[2], ids[3]}));
  EXPECT_EQ(order_ids_of(must(store().lawful_orders(ids[3], 10))),
            std::vector<std::uint64_t>{ids[4]});
  EXPECT_TRUE(must(store().lawful_orders(ids[4], 10)).empty());
  EXPECT_TRUE(must(store().lawful_orders(0, 0)).empty());
  EXPECT_TRUE(must(store().lawful_orders(UINT64_MAX, 10)).empty());
}

TEST_P(StoreLawfulTest, OrderPagesReturnAtMostTheCap) {
  std::vector<Store::Job> jobs{[](Store& store) -> Result<void> {
    for (int n = 0; n < static_cast<int>(max_lawful_page) + 5; ++n) {
      BULWARK_TRY(store.add_lawful_order(lawful_order_of("court.example", n)));
    }
    return {};
  }};
  ASSERT_TRUE(store().run_batch(jobs).at(0));
  const auto page = must(store().lawful_orders(0, UINT32_MAX));
  ASSERT_EQ(page.size(), max_lawful_page);
  EXPECT_EQ(must(store().lawful_orders(page.back().id, UINT32_MAX)).size(), 5u);
}

TEST_P(StoreLawfulTest, StateChangesAndAnAbsentAnswerIndexKeepsTheStoredOne) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  must(store().set_lawful_order_state(id, LawfulOrderState::answered, 7));
  LawfulOrder expected = stored_as(lawful_order_of("court.example", 1), id);
  expected.state = LawfulOrderState::answered;
  expected.answer_index = 7;
  EXPECT_EQ(must(store().lawful_order(id)), std::optional<LawfulOrder>(expected));
  must(store().set_lawful_order_state(id, LawfulOrderState::refused, std::nullopt));
  expected.state = LawfulOrderState::refused;
  EXPECT_EQ(must(store().lawful_order(id)), std::optional<LawfulOrder>(expected));
  must(store().set_lawful_order_state(id, LawfulOrderState::answered, 9));
  expected.state = LawfulOrderState::answered;
  expected.answer_index = 9;
  EXPECT_EQ(must(store().lawful_order(id)), std::optional<LawfulOrder>(expected));
}

TEST_P(StoreLawfulTest, PendingOrderWithoutAnswerStaysWithoutOne) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  must(store().set_lawful_order_state(id, LawfulOrderState::refused, std::nullopt));
  const auto order = must(store().lawful_order(id));
  ASSERT_TRUE(order);
  EXPECT_EQ(order->state, LawfulOrderState::refused);
  EXPECT_FALSE(order->answer_index);
}

TEST_P(StoreLawfulTest, StateChangeOfAnUnknownOrderIsNotFound) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  EXPECT_EQ(error_of(store().set_lawful_order_state(id + 1, LawfulOrderState::refused, 1)),
            Errc::not_found);
  EXPECT_EQ(error_of(store().set_lawful_order_state(UINT64_MAX, LawfulOrderState::refused, 1)),
            Errc::not_found);
  EXPECT_EQ(must(store().lawful_order(id))->state, LawfulOrderState::pending);
}

// ---- decisions ----

TEST_P(StoreLawfulTest, DecisionsReadBackWholeInTheOrderTheyWereStored) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const std::uint64_t other = lawful_added_order(store(), 2);
  // Stored out of name and time order: listing follows neither.
  const std::vector<LawfulDecision> decisions{
      lawful_decision(id, "carol", LawfulDecisionKind::approve, lawful_now_ms + 30),
      lawful_decision(id, "alice", LawfulDecisionKind::refuse, lawful_now_ms + 10),
      lawful_decision(id, "bob", LawfulDecisionKind::approve, lawful_now_ms + 20)};
  must(store().add_lawful_decision(decisions[0]));
  must(
      store().add_lawful_decision(lawful_decision(other, "alice", LawfulDecisionKind::approve, 1)));
  must(store().add_lawful_decision(decisions[1]));
  must(store().add_lawful_decision(decisions[2]));
  EXPECT_EQ(must(store().lawful_decisions(id)), decisions);
  EXPECT_EQ(must(store().lawful_decisions(other)).size(), 1u);
  EXPECT_TRUE(must(store().lawful_decisions(other + 1)).empty());
  EXPECT_TRUE(must(store().lawful_decisions(UINT64_MAX)).empty());
}

TEST_P(StoreLawfulTest, SecondDecisionOfAnOperatorIsAConflict) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const LawfulDecision first = lawful_decision(id, "alice", LawfulDecisionKind::approve, 1);
  must(store().add_lawful_decision(first));
  EXPECT_EQ(error_of(store().add_lawful_decision(
                lawful_decision(id, "alice", LawfulDecisionKind::refuse, 2))),
            Errc::conflict);
  EXPECT_EQ(must(store().lawful_decisions(id)), std::vector<LawfulDecision>{first});
}

TEST_P(StoreLawfulTest, DecisionOnAnUnknownOrderIsNotFound) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  EXPECT_EQ(error_of(store().add_lawful_decision(
                lawful_decision(id + 1, "alice", LawfulDecisionKind::approve, 1))),
            Errc::not_found);
  EXPECT_EQ(error_of(store().add_lawful_decision(
                lawful_decision(UINT64_MAX, "alice", LawfulDecisionKind::approve, 1))),
            Errc::not_found);
  EXPECT_TRUE(must(store().lawful_decisions(id + 1)).empty());
}

// ---- the disclosure log ----

TEST_P(StoreLawfulTest, LogEntriesAppendInOrderAndReadBackWhole) {
  EXPECT_EQ(must(store().lawful_log_size()), 0u);
  EXPECT_TRUE(must(store().lawful_leaf_hashes()).empty());
  for (std::uint64_t index = 0; index < 3; ++index) {
    must(store().append_lawful_log(lawful_entry(index)));
  }
  EXPECT_EQ(must(store().lawful_log_size()), 3u);
  EXPECT_EQ(must(store().lawful_log(0, 10)),
            (std::vector<LawfulLogEntry>{lawful_entry(0), lawful_entry(1), lawful_entry(2)}));
  EXPECT_EQ(must(store().lawful_log(1, 1)), std::vector<LawfulLogEntry>{lawful_entry(1)});
  EXPECT_TRUE(must(store().lawful_log(3, 10)).empty());
  EXPECT_TRUE(must(store().lawful_log(0, 0)).empty());
  EXPECT_TRUE(must(store().lawful_log(UINT64_MAX, 10)).empty());
  EXPECT_EQ(must(store().lawful_leaf_hashes()),
            (std::vector<Bytes>{lawful_entry(0).leaf_hash, lawful_entry(1).leaf_hash,
                                lawful_entry(2).leaf_hash}));
}

TEST_P(StoreLawfulTest, LogEntryOutOfTurnIsAConflictAndStoresNothing) {
  EXPECT_EQ(error_of(store().append_lawful_log(lawful_entry(1))), Errc::conflict);
  must(store().append_lawful_log(lawful_entry(0)));
  LawfulLogEntry again = lawful_entry(0);
  again.entry = filled(5, 0xee);
  EXPECT_EQ(error_of(store().append_lawful_log(again)), Errc::conflict);
  EXPECT_EQ(error_of(store().append_lawful_log(lawful_entry(2))), Errc::conflict);
  EXPECT_EQ(error_of(store().append_lawful_log(lawful_entry(UINT64_MAX))), Errc::conflict);
  EXPECT_EQ(must(store().lawful_log_size()), 1u);
  EXPECT_EQ(must(store().lawful_log(0, 10)), std::vector<LawfulLogEntry>{lawful_entry(0)});
}

TEST_P(StoreLawfulTest, LogPagesReturnAtMostTheCap) {
  std::vector<Store::Job> jobs{[](Store& store) -> Result<void> {
    for (std::uint64_t index = 0; index < max_lawful_page + 5; ++index) {
      BULWARK_TRY(store.append_lawful_log(lawful_entry(index)));
    }
    return {};
  }};
  ASSERT_TRUE(store().run_batch(jobs).at(0));
  EXPECT_EQ(must(store().lawful_log(0, UINT32_MAX)).size(), max_lawful_page);
  EXPECT_EQ(must(store().lawful_log(max_lawful_page, UINT32_MAX)).size(), 5u);
  EXPECT_EQ(must(store().lawful_leaf_hashes()).size(), max_lawful_page + 5);
}

TEST_P(StoreLawfulTest, LogCosignatureOfTheSameSizeAndWitnessIsReplaced) {
  must(store().add_lawful_cosignature(lawful_cosignature(5, "witness.example/a", 1'000)));
  KtCosignature newer = lawful_cosignature(5, "witness.example/a", 2'000);
  newer.signature_line = "— witness.example/a bmV3ZXI=";
  must(store().add_lawful_cosignature(newer));
  EXPECT_EQ(must(store().lawful_cosignatures(5)), std::vector<KtCosignature>{newer});
}

TEST_P(StoreLawfulTest, LogCosignaturesAreListedByWitnessNamePerSize) {
  must(store().add_lawful_cosignature(lawful_cosignature(5, "witness.example/c", 1)));
  must(store().add_lawful_cosignature(lawful_cosignature(5, "witness.example/a", 2)));
  must(store().add_lawful_cosignature(lawful_cosignature(6, "witness.example/b", 3)));
  must(store().add_lawful_cosignature(lawful_cosignature(5, "witness.example/b", 4)));
  EXPECT_EQ(must(store().lawful_cosignatures(5)),
            (std::vector<KtCosignature>{lawful_cosignature(5, "witness.example/a", 2),
                                        lawful_cosignature(5, "witness.example/b", 4),
                                        lawful_cosignature(5, "witness.example/c", 1)}));
  EXPECT_EQ(must(store().lawful_cosignatures(6)).size(), 1u);
  EXPECT_TRUE(must(store().lawful_cosignatures(7)).empty());
  EXPECT_TRUE(must(store().lawful_cosignatures(UINT64_MAX)).empty());
}

TEST_P(StoreLawfulTest, LogCosignaturesAreApartFromKeyTransparencyOnes) {
  must(store().kt_add_cosignature(lawful_cosignature(5, "witness.example/a", 1)));
  EXPECT_TRUE(must(store().lawful_cosignatures(5)).empty());
  must(store().add_lawful_cosignature(lawful_cosignature(5, "witness.example/b", 2)));
  EXPECT_EQ(must(store().kt_cosignatures(5)),
            std::vector<KtCosignature>{lawful_cosignature(5, "witness.example/a", 1)});
}

TEST_P(StoreLawfulTest, LogCosignatureFromOneWitnessTooManyIsRefused) {
  for (std::uint32_t n = 0; n < max_kt_cosignatures; ++n) {
    must(store().add_lawful_cosignature(lawful_cosignature(5, "w" + std::to_string(1000 + n), n)));
  }
  EXPECT_EQ(error_of(store().add_lawful_cosignature(lawful_cosignature(5, "w9999", 0))),
            Errc::conflict);
  // A witness already there may replace its own; another size has room.
  must(store().add_lawful_cosignature(lawful_cosignature(5, "w1000", 77)));
  must(store().add_lawful_cosignature(lawful_cosignature(6, "w9999", 0)));
  const auto stored = must(store().lawful_cosignatures(5));
  ASSERT_EQ(stored.size(), max_kt_cosignatures);
  EXPECT_EQ(stored.front().received_at_ms, 77);
}

TEST_P(StoreLawfulTest, LogCosignatureNeedsAWitnessNameAndARepresentableSize) {
  EXPECT_EQ(error_of(store().add_lawful_cosignature(lawful_cosignature(5, "", 1))),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().add_lawful_cosignature(lawful_cosignature(UINT64_MAX, "w", 1))),
            Errc::invalid_argument);
  EXPECT_TRUE(must(store().lawful_cosignatures(5)).empty());
}

// ---- notifications ----

TEST_P(StoreLawfulTest, DisclosureIsWithheldUntilItsNonDisclosurePeriodEnds) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const std::int64_t until = lawful_now_ms + 1'000;
  const std::vector<LawfulDisclosure> disclosures{lawful_disclosure(id, 1, 4, until),
                                                  lawful_disclosure(id, 2, 4, until)};
  must(store().add_lawful_disclosures(disclosures));
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(1), until - 1, 10)).empty());
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(1), INT64_MIN, 10)).empty());
  EXPECT_EQ(must(store().lawful_disclosures_for(account_id(1), until, 10)),
            std::vector<LawfulDisclosure>{disclosures[0]});
  EXPECT_EQ(must(store().lawful_disclosures_for(account_id(2), until + 1, 10)),
            std::vector<LawfulDisclosure>{disclosures[1]});
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(3), INT64_MAX, 10)).empty());
}

TEST_P(StoreLawfulTest, AnOrdersDisclosuresAreAllReadableWhateverTheirPeriod) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const std::uint64_t other = lawful_added_order(store(), 2);
  const std::int64_t until = lawful_now_ms + 1'000'000;
  const std::vector<LawfulDisclosure> disclosures{lawful_disclosure(id, 2, 4, until),
                                                  lawful_disclosure(id, 1, 4, until),
                                                  lawful_disclosure(other, 3, 5, until)};
  must(store().add_lawful_disclosures(disclosures));
  EXPECT_EQ(must(store().lawful_order_disclosures(id)),
            (std::vector<LawfulDisclosure>{disclosures[1], disclosures[0]}));
  EXPECT_EQ(must(store().lawful_order_disclosures(other)),
            std::vector<LawfulDisclosure>{disclosures[2]});
  EXPECT_TRUE(must(store().lawful_order_disclosures(999)).empty());
}

TEST_P(StoreLawfulTest, DisclosuresComeNewestLogEntryFirstWithinTheLimit) {
  std::vector<std::uint64_t> ids;
  for (int n = 1; n <= 4; ++n) ids.push_back(lawful_added_order(store(), n));
  // Stored out of log order; the one of log index 9 is still withheld.
  const std::vector<LawfulDisclosure> disclosures{
      lawful_disclosure(ids[0], 1, 5, lawful_now_ms), lawful_disclosure(ids[1], 1, 2, 0),
      lawful_disclosure(ids[2], 1, 7, lawful_now_ms - 1),
      lawful_disclosure(ids[3], 1, 9, lawful_now_ms + 1)};
  must(store().add_lawful_disclosures(disclosures));
  EXPECT_EQ(log_indexes_of(must(store().lawful_disclosures_for(account_id(1), lawful_now_ms, 10))),
            (std::vector<std::uint64_t>{7, 5, 2}));
  EXPECT_EQ(log_indexes_of(must(store().lawful_disclosures_for(account_id(1), lawful_now_ms, 2))),
            (std::vector<std::uint64_t>{7, 5}));
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(1), lawful_now_ms, 0)).empty());
  EXPECT_EQ(log_indexes_of(must(store().lawful_disclosures_for(account_id(1), INT64_MAX, 10))),
            (std::vector<std::uint64_t>{9, 7, 5, 2}));
}

// One account named by more than a page of orders, stored in one batch.
TEST_P(StoreLawfulTest, DisclosurePagesReturnAtMostTheCap) {
  std::vector<Store::Job> jobs{[](Store& store) -> Result<void> {
    for (std::uint64_t n = 0; n < max_lawful_page + 5; ++n) {
      const std::uint64_t order =
          BULWARK_TRY(store.add_lawful_order(lawful_order_of("bulk.example", static_cast<int>(n))));
      const std::vector<LawfulDisclosure> one{lawful_disclosure(order, 7, n, 0)};
      BULWARK_TRY(store.add_lawful_disclosures(one));
    }
    return {};
  }};
  ASSERT_TRUE(store().run_batch(jobs).at(0));
  const auto page = must(store().lawful_disclosures_for(account_id(7), lawful_now_ms, UINT32_MAX));
  ASSERT_EQ(page.size(), max_lawful_page);
  EXPECT_EQ(page.front().log_index, max_lawful_page + 4);
  EXPECT_EQ(page.back().log_index, 5u);
}

TEST_P(StoreLawfulTest, DuplicateDisclosureIsAConflictAndStoresNone) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const LawfulDisclosure first = lawful_disclosure(id, 1, 3, 0);
  must(store().add_lawful_disclosures(std::vector<LawfulDisclosure>{first}));
  // A new one before the duplicate is not kept either.
  LawfulDisclosure again = first;
  again.salt = filled(32, 0xee);
  EXPECT_EQ(error_of(store().add_lawful_disclosures(
                std::vector<LawfulDisclosure>{lawful_disclosure(id, 2, 3, 0), again})),
            Errc::conflict);
  // Repeated within one call.
  EXPECT_EQ(error_of(store().add_lawful_disclosures(std::vector<LawfulDisclosure>{
                lawful_disclosure(id, 3, 3, 0), lawful_disclosure(id, 3, 3, 0)})),
            Errc::conflict);
  EXPECT_EQ(must(store().lawful_disclosures_for(account_id(1), lawful_now_ms, 10)),
            std::vector<LawfulDisclosure>{first});
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(2), lawful_now_ms, 10)).empty());
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(3), lawful_now_ms, 10)).empty());
}

TEST_P(StoreLawfulTest, DisclosureOfAnUnknownOrderIsNotFoundAndStoresNone) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  EXPECT_EQ(error_of(store().add_lawful_disclosures(std::vector<LawfulDisclosure>{
                lawful_disclosure(id, 1, 3, 0), lawful_disclosure(id + 1, 2, 3, 0)})),
            Errc::not_found);
  EXPECT_EQ(error_of(store().add_lawful_disclosures(
                std::vector<LawfulDisclosure>{lawful_disclosure(UINT64_MAX, 2, 3, 0)})),
            Errc::not_found);
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(1), lawful_now_ms, 10)).empty());
}

TEST_P(StoreLawfulTest, NoDisclosuresIsNothingToStore) {
  must(store().add_lawful_disclosures({}));
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(1), INT64_MAX, 10)).empty());
}

// ---- checks ----

TEST_P(StoreLawfulTest, WritesCheckTheSizesTheirTablesRelyOn) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  LawfulOrder order = lawful_order_of("court.example", 2);
  order.order_hash = filled(31, 1);
  EXPECT_EQ(error_of(store().add_lawful_order(order)), Errc::invalid_argument);
  order = lawful_order_of("court.example", 2);
  order.answer_index = UINT64_MAX;
  EXPECT_EQ(error_of(store().add_lawful_order(order)), Errc::invalid_argument);
  order = lawful_order_of("court.example", 2);
  order.state = static_cast<LawfulOrderState>(9);
  EXPECT_EQ(error_of(store().add_lawful_order(order)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().set_lawful_order_state(id, LawfulOrderState::answered, UINT64_MAX)),
            Errc::invalid_argument);
  EXPECT_EQ(error_of(store().set_lawful_order_state(id, static_cast<LawfulOrderState>(0), 1)),
            Errc::invalid_argument);

  LawfulDecision decision = lawful_decision(id, "alice", LawfulDecisionKind::approve, 1);
  decision.operator_key = filled(31, 1);
  EXPECT_EQ(error_of(store().add_lawful_decision(decision)), Errc::invalid_argument);
  decision = lawful_decision(id, "alice", LawfulDecisionKind::approve, 1);
  decision.signature = filled(65, 1);
  EXPECT_EQ(error_of(store().add_lawful_decision(decision)), Errc::invalid_argument);
  decision = lawful_decision(id, "alice", LawfulDecisionKind::approve, 1);
  decision.kind = static_cast<LawfulDecisionKind>(3);
  EXPECT_EQ(error_of(store().add_lawful_decision(decision)), Errc::invalid_argument);
  EXPECT_EQ(error_of(store().add_lawful_decision(
                lawful_decision(id, "", LawfulDecisionKind::approve, 1))),
            Errc::invalid_argument);

  LawfulLogEntry entry = lawful_entry(0);
  entry.leaf_hash = filled(33, 1);
  EXPECT_EQ(error_of(store().append_lawful_log(entry)), Errc::invalid_argument);

  LawfulDisclosure disclosure = lawful_disclosure(id, 1, 3, 0);
  disclosure.salt = filled(16, 1);
  EXPECT_EQ(error_of(store().add_lawful_disclosures(
                std::vector<LawfulDisclosure>{lawful_disclosure(id, 2, 3, 0), disclosure})),
            Errc::invalid_argument);
  disclosure = lawful_disclosure(id, 1, UINT64_MAX, 0);
  EXPECT_EQ(error_of(store().add_lawful_disclosures(std::vector<LawfulDisclosure>{disclosure})),
            Errc::invalid_argument);

  EXPECT_EQ(order_ids_of(must(store().lawful_orders(0, 10))), std::vector<std::uint64_t>{id});
  EXPECT_EQ(must(store().lawful_order(id))->state, LawfulOrderState::pending);
  EXPECT_TRUE(must(store().lawful_decisions(id)).empty());
  EXPECT_EQ(must(store().lawful_log_size()), 0u);
  EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(2), INT64_MAX, 10)).empty());
}

// ---- durability and atomicity ----

TEST_P(StoreLawfulTest, LawfulStateSurvivesReopening) {
  must(store().put_lawful_authority(lawful_authority("court.example", "DE")));
  const std::uint64_t id = lawful_added_order(store(), 1);
  must(store().add_lawful_decision(lawful_decision(id, "alice", LawfulDecisionKind::approve, 1)));
  must(store().append_lawful_log(lawful_entry(0)));
  must(store().add_lawful_cosignature(lawful_cosignature(1, "witness.example/a", 1)));
  must(store().add_lawful_disclosures(
      std::vector<LawfulDisclosure>{lawful_disclosure(id, 1, 0, 0)}));
  backend().reopen();
  EXPECT_EQ(must(store().lawful_authorities()).size(), 1u);
  EXPECT_TRUE(must(store().lawful_order(id)));
  EXPECT_EQ(must(store().lawful_decisions(id)).size(), 1u);
  EXPECT_EQ(must(store().lawful_log_size()), 1u);
  EXPECT_EQ(must(store().lawful_cosignatures(1)).size(), 1u);
  EXPECT_EQ(must(store().lawful_disclosures_for(account_id(1), 0, 10)).size(), 1u);
  // Ids go on where they were.
  EXPECT_EQ(lawful_added_order(store(), 2), id + 1);
}

TEST_P(StoreLawfulTest, FailedAuthorityReplacementKeepsTheOldOneWhole) {
  const LawfulAuthority old = lawful_authority("court.example", "DE");
  must(store().put_lawful_authority(old));
  LawfulAuthority renewed = lawful_authority("court.example", "AT");
  renewed.anchors.push_back(pem_text("CERTIFICATE", 7));
  const int failed = fail_each_statement(
      [&] { return store().put_lawful_authority(renewed); },
      [&] { EXPECT_EQ(must(store().lawful_authorities()), std::vector<LawfulAuthority>{old}); });
  EXPECT_GT(failed, 3);
  EXPECT_EQ(must(store().lawful_authorities()), std::vector<LawfulAuthority>{renewed});
}

TEST_P(StoreLawfulTest, FailedDisclosuresStoreNone) {
  const std::uint64_t id = lawful_added_order(store(), 1);
  const std::vector<LawfulDisclosure> disclosures{lawful_disclosure(id, 1, 0, 0),
                                                  lawful_disclosure(id, 2, 0, 0),
                                                  lawful_disclosure(id, 3, 0, 0)};
  const int failed = fail_each_statement(
      [&] { return store().add_lawful_disclosures(disclosures); },
      [&] {
        for (std::uint8_t account = 1; account <= 3; ++account) {
          EXPECT_TRUE(must(store().lawful_disclosures_for(account_id(account), 0, 10)).empty());
        }
      });
  EXPECT_GT(failed, 3);
  EXPECT_EQ(must(store().lawful_disclosures_for(account_id(3), 0, 10)).size(), 1u);
}

TEST_P(StoreLawfulTest, FailedLogAppendStoresNothing) {
  must(store().append_lawful_log(lawful_entry(0)));
  const int failed = fail_each_statement([&] { return store().append_lawful_log(lawful_entry(1)); },
                                         [&] { EXPECT_EQ(must(store().lawful_log_size()), 1u); });
  EXPECT_GT(failed, 1);
  EXPECT_EQ(must(store().lawful_log_size()), 2u);
}

}  // namespace

}  // namespace bulwark::store::conformance
