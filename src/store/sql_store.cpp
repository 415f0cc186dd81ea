#include "store/sql_store.h"

#include <utility>

#include "store/hot/hot_queues.h"
#include "store/sql/accounts.h"
#include "store/sql/channels.h"
#include "store/sql/codes.h"
#include "store/sql/db.h"
#include "store/sql/devices.h"
#include "store/sql/groups.h"
#include "store/sql/ips.h"
#include "store/sql/key_packages.h"
#include "store/sql/kt.h"
#include "store/sql/leases.h"
#include "store/sql/signed_requests.h"
#include "store/sql/lawful.h"
#include "store/sql/moderation.h"
#include "store/sql/prekeys.h"
#include "store/sql/queues.h"

namespace bulwark::store {
namespace {

// The Store interface over the per-concern SQL functions (store/sql/*.h); run_batch is the one
// method with logic of its own.
class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<sql::Db> db, std::function<Result<void>()> sync_commits,
           bool sync_failure_is_final, std::unique_ptr<hot::HotQueues> hot)
      : db_(std::move(db)),
        hot_(std::move(hot)),
        sync_commits_(std::move(sync_commits)),
        sync_failure_is_final_(sync_failure_is_final) {}

  std::vector<Result<void>> run_batch(std::span<Job> jobs) override {
    return run_batch_with(jobs, Commit::synced);
  }
  std::vector<Result<void>> run_batch_unsynced(std::span<Job> jobs) override {
    return run_batch_with(jobs, Commit::unsynced);
  }
  std::vector<Result<void>> run_batch_unsynced(std::span<Job> jobs,
                                               std::span<const JobRerun> reruns) override {
    return run_batch_with(jobs, Commit::unsynced, reruns);
  }
  Result<void> sync_commits() override { return sync_commits_(); }
  bool sync_failure_is_final() const noexcept override { return sync_failure_is_final_; }

  Result<void> put_verification_code(const PendingCode& code) override {
    return sql::put_verification_code(*db_, code);
  }
  Result<std::optional<PendingCode>> verification_code(std::string_view phone) override {
    return sql::verification_code(*db_, phone);
  }
  Result<std::uint32_t> add_failed_attempt(std::string_view phone) override {
    return sql::add_failed_attempt(*db_, phone);
  }
  Result<void> delete_verification_code(std::string_view phone) override {
    return sql::delete_verification_code(*db_, phone);
  }

  Result<AccountId> register_account(const NewAccount& account,
                                     const NewDevice& first_device) override {
    if (!hot_) return sql::register_account(*db_, account, first_device);
    // A re-registration's cascade empties the table's queues of the account; its queues in
    // memory go in the same transaction.
    return sql::in_savepoint(*db_, [&]() -> Result<AccountId> {
      AccountId id = BULWARK_TRY(sql::register_account(*db_, account, first_device));
      hot_->drop_account(id);
      return id;
    });
  }
  Result<std::optional<Account>> account(const AccountId& id) override {
    return sql::account(*db_, id);
  }
  Result<std::optional<Account>> account_by_phone(std::string_view e164) override {
    return sql::account_by_phone(*db_, e164);
  }
  Result<std::optional<Account>> account_by_username(std::string_view username) override {
    return sql::account_by_username(*db_, username);
  }
  Result<void> set_username(const AccountId& id, std::string_view username) override {
    return sql::set_username(*db_, id, username);
  }
  Result<void> set_discoverable(const AccountId& id, bool discoverable) override {
    return sql::set_discoverable(*db_, id, discoverable);
  }

  Result<DeviceId> add_device(const AccountId& id, const NewDevice& device) override {
    return sql::add_device(*db_, id, device);
  }
  Result<std::vector<Device>> devices(const AccountId& id) override {
    return sql::devices(*db_, id);
  }
  Result<std::vector<DeviceRegistration>> device_registrations(const AccountId& id) override {
    return sql::device_registrations(*db_, id);
  }
  Result<std::optional<Device>> device(const AccountId& id, DeviceId device) override {
    return sql::device(*db_, id, device);
  }

  Result<void> set_signed_pre_key(const DeviceAddress& device, const SignedKey& key) override {
    return sql::set_signed_pre_key(*db_, device, key);
  }
  Result<void> set_last_resort_kyber_pre_key(const DeviceAddress& device,
                                             const SignedKey& key) override {
    return sql::set_last_resort_kyber_pre_key(*db_, device, key);
  }
  Result<void> add_pre_keys(const DeviceAddress& device,
                            std::span<const OneTimeKey> keys) override {
    return sql::add_pre_keys(*db_, device, keys);
  }
  Result<void> add_kyber_pre_keys(const DeviceAddress& device,
                                  std::span<const SignedKey> keys) override {
    return sql::add_kyber_pre_keys(*db_, device, keys);
  }
  Result<PreKeyCounts> pre_key_counts(const DeviceAddress& device) override {
    return sql::pre_key_counts(*db_, device);
  }
  Result<PreKeyBundle> take_pre_key_bundle(const DeviceAddress& device) override {
    return sql::take_pre_key_bundle(*db_, device);
  }

  Result<void> add_key_packages(const DeviceAddress& device,
                                std::span<const KeyPackage> packages) override {
    return sql::add_key_packages(*db_, device, packages);
  }
  Result<void> set_last_resort_key_package(const DeviceAddress& device, ByteView package) override {
    return sql::set_last_resort_key_package(*db_, device, package);
  }
  Result<KeyPackageCounts> key_package_counts(const DeviceAddress& device) override {
    return sql::key_package_counts(*db_, device);
  }
  Result<std::optional<TakenKeyPackage>> take_key_package(const DeviceAddress& device) override {
    return sql::take_key_package(*db_, device);
  }
  Result<void> create_group(const Group& group) override { return sql::create_group(*db_, group); }
  Result<std::optional<Group>> group(ByteView id) override { return sql::group(*db_, id); }
  Result<GroupSendOutcome> commit_to_group(const GroupSend& send,
                                           ByteView next_token_hash) override {
    return sql::commit_to_group(*db_, send, next_token_hash);
  }
  Result<GroupSendOutcome> send_to_group(const GroupSend& send) override {
    return sql::send_to_group(*db_, send);
  }
  Result<OrphanSweep> release_orphaned_contents(std::uint64_t after, std::uint32_t limit) override {
    return sql::release_orphaned_contents(*db_, after, limit);
  }

  // With queues in memory (SQLite: store/hot/hot_queues.h) the queue methods are theirs.
  Result<void> enqueue(std::span<Envelope> envelopes) override {
    return hot_ ? hot_->enqueue(envelopes) : sql::enqueue(*db_, envelopes);
  }
  Result<std::vector<Envelope>> queued(const DeviceAddress& device, std::uint64_t after_seq,
                                       std::uint32_t limit) override {
    return hot_ ? hot_->queued(device, after_seq, limit)
                : sql::queued(*db_, device, after_seq, limit);
  }
  Result<std::uint64_t> queue_length(const DeviceAddress& device) override {
    return hot_ ? hot_->queue_length(device) : sql::queue_length(*db_, device);
  }
  Result<std::uint32_t> delete_envelopes(const DeviceAddress& device,
                                         std::span<const std::uint64_t> seqs) override {
    return hot_ ? hot_->delete_envelopes(device, seqs) : sql::delete_envelopes(*db_, device, seqs);
  }
  Result<std::uint64_t> expire_envelopes(std::int64_t now_ms) override {
    return hot_ ? hot_->expire_envelopes(now_ms) : sql::expire_envelopes(*db_, now_ms);
  }

  Result<std::uint64_t> kt_queue_update(ByteView label, ByteView value) override {
    return sql::kt_queue_update(*db_, label, value);
  }
  Result<std::vector<KtPendingUpdate>> kt_pending(std::uint64_t after_seq,
                                                  std::uint32_t limit) override {
    return sql::kt_pending(*db_, after_seq, limit);
  }
  Result<std::optional<Bytes>> kt_latest_value(ByteView label) override {
    return sql::kt_latest_value(*db_, label);
  }
  Result<void> kt_publish(const KtEntry& entry, std::span<const KtVersion> versions,
                          std::uint64_t consumed_through) override {
    return sql::kt_publish(*db_, entry, versions, consumed_through);
  }
  Result<std::vector<KtEntry>> kt_entries(std::uint64_t from, std::uint32_t limit) override {
    return sql::kt_entries(*db_, from, limit);
  }
  Result<std::vector<KtVersion>> kt_versions(std::uint64_t from_entry, std::uint64_t skip,
                                             std::uint32_t limit) override {
    return sql::kt_versions(*db_, from_entry, skip, limit);
  }
  Result<void> kt_add_cosignature(const KtCosignature& cosignature) override {
    return sql::kt_add_cosignature(*db_, cosignature);
  }
  Result<std::vector<KtCosignature>> kt_cosignatures(std::uint64_t size) override {
    return sql::kt_cosignatures(*db_, size);
  }

  Result<ReportOutcome> report_content(const NewReport& report) override {
    return sql::report_content(*db_, report);
  }
  Result<std::uint64_t> open_rule_case(const NewRuleMatch& match) override {
    return sql::open_rule_case(*db_, match);
  }
  Result<ReportOutcome> open_message_case(const NewMessageCase& report) override {
    return sql::open_message_case(*db_, report);
  }
  Result<std::optional<ModerationCase>> moderation_case(std::uint64_t id) override {
    return sql::moderation_case(*db_, id);
  }
  Result<std::vector<ModerationCase>> moderation_queue(ByteView moderator_key,
                                                       std::uint32_t limit) override {
    return sql::moderation_queue(*db_, moderator_key, limit);
  }
  Result<std::vector<ModerationReport>> moderation_reports(std::uint64_t case_id,
                                                           std::uint32_t limit) override {
    return sql::moderation_reports(*db_, case_id, limit);
  }
  Result<Bytes> moderation_log_head() override { return sql::moderation_log_head(*db_); }
  Result<std::uint64_t> append_moderation_action(const ModerationLogEntry& entry) override {
    return sql::append_moderation_action(*db_, entry);
  }
  Result<std::vector<ModerationLogEntry>> moderation_log(std::uint64_t after,
                                                         std::uint32_t limit) override {
    return sql::moderation_log(*db_, after, limit);
  }
  Result<std::vector<ModerationLogEntry>> moderation_log_for_account(const AccountId& account,
                                                                     std::uint32_t limit) override {
    return sql::moderation_log_for_account(*db_, account, limit);
  }
  Result<std::vector<ModerationCase>> rule_hidden_cases(const AccountId& account,
                                                        std::uint32_t limit) override {
    return sql::rule_hidden_cases(*db_, account, limit);
  }
  Result<void> appeal_case(std::uint64_t case_id, const AccountId& appellant, std::string_view text,
                           std::int64_t now_ms) override {
    return sql::appeal_case(*db_, case_id, appellant, text, now_ms);
  }
  Result<std::vector<HiddenPost>> hidden_posts(const ChannelId& channel, std::uint64_t from,
                                               std::uint64_t through) override {
    return sql::hidden_posts(*db_, channel, from, through);
  }
  Result<std::optional<ModerationEffect>> channel_restriction(const ChannelId& channel) override {
    return sql::channel_restriction(*db_, channel);
  }
  Result<std::optional<ModerationEffect>> account_suspension(const AccountId& account) override {
    return sql::account_suspension(*db_, account);
  }
  Result<std::vector<ModerationCount>> moderation_counts() override {
    return sql::moderation_counts(*db_);
  }

  Result<void> record_ip(const AccountId& id, std::string_view ip,
                         std::int64_t seen_at_ms) override {
    return sql::record_ip(*db_, id, ip, seen_at_ms);
  }
  Result<void> create_channel(const Channel& channel) override {
    return sql::create_channel(*db_, channel);
  }
  Result<std::optional<Channel>> channel_by_handle(std::string_view handle) override {
    return sql::channel_by_handle(*db_, handle);
  }
  Result<std::optional<Channel>> channel(const ChannelId& id) override {
    return sql::channel_by_id(*db_, id);
  }
  Result<void> append_channel_entry(const ChannelId& id, const ChannelEntry& entry) override {
    return sql::append_channel_entry(*db_, id, entry);
  }
  Result<std::vector<ChannelEntry>> channel_entries(const ChannelId& id, std::uint64_t after,
                                                    std::uint32_t limit) override {
    return sql::channel_entries(*db_, id, after, limit);
  }
  Result<std::optional<ChannelEntry>> channel_entry(const ChannelId& id,
                                                    std::uint64_t seq) override {
    return sql::channel_entry(*db_, id, seq);
  }
  Result<std::vector<ChannelEntry>> channel_posts_before(const ChannelId& id, std::uint64_t before,
                                                         std::uint32_t limit) override {
    return sql::channel_posts_before(*db_, id, before, limit);
  }
  Result<std::vector<std::uint64_t>> channel_post_seqs_from(const ChannelId& id, std::uint64_t from,
                                                            std::uint32_t limit) override {
    return sql::channel_post_seqs_from(*db_, id, from, limit);
  }
  Result<std::vector<ChannelEntry>> channel_admin_entries(const ChannelId& id) override {
    return sql::channel_admin_entries(*db_, id);
  }
  Result<void> set_channel_views(const ChannelId& id, std::uint64_t seq, ByteView sketch) override {
    return sql::set_channel_views(*db_, id, seq, sketch);
  }
  Result<bool> subscribe(const AccountId& account, const ChannelId& id,
                         std::int64_t now_ms) override {
    return sql::subscribe(*db_, account, id, now_ms);
  }
  Result<bool> unsubscribe(const AccountId& account, const ChannelId& id) override {
    return sql::unsubscribe(*db_, account, id);
  }
  Result<bool> is_subscribed(const AccountId& account, const ChannelId& id) override {
    return sql::is_subscribed(*db_, account, id);
  }
  Result<std::vector<Channel>> subscriptions(const AccountId& account,
                                             std::uint32_t limit) override {
    return sql::subscriptions(*db_, account, limit);
  }

  Result<void> admit_signed_request(ByteView signature, std::int64_t expires_at_ms,
                                    std::int64_t now_ms) override {
    return sql::admit_signed_request(*db_, signature, expires_at_ms, now_ms);
  }
  Result<bool> take_lease(std::string_view name, ByteView holder, std::int64_t now_ms,
                          std::int64_t until_ms) override {
    return sql::take_lease(*db_, name, holder, now_ms, until_ms);
  }

  Result<std::vector<IpSighting>> recent_ips(const AccountId& id) override {
    return sql::recent_ips(*db_, id);
  }
  Result<std::uint64_t> prune_ips(std::int64_t before_ms) override {
    return sql::prune_ips(*db_, before_ms);
  }

  Result<void> put_lawful_authority(const LawfulAuthority& authority) override {
    return sql::put_lawful_authority(*db_, authority);
  }
  Result<std::vector<LawfulAuthority>> lawful_authorities() override {
    return sql::lawful_authorities(*db_);
  }
  Result<std::uint64_t> add_lawful_order(const LawfulOrder& order) override {
    return sql::add_lawful_order(*db_, order);
  }
  Result<std::optional<LawfulOrder>> lawful_order(std::uint64_t id) override {
    return sql::lawful_order(*db_, id);
  }
  Result<std::vector<LawfulOrder>> lawful_orders(std::uint64_t after,
                                                 std::uint32_t limit) override {
    return sql::lawful_orders(*db_, after, limit);
  }
  Result<void> set_lawful_order_state(std::uint64_t id, LawfulOrderState state,
                                      std::optional<std::uint64_t> answer_index) override {
    return sql::set_lawful_order_state(*db_, id, state, answer_index);
  }
  Result<void> add_lawful_decision(const LawfulDecision& decision) override {
    return sql::add_lawful_decision(*db_, decision);
  }
  Result<std::vector<LawfulDecision>> lawful_decisions(std::uint64_t order) override {
    return sql::lawful_decisions(*db_, order);
  }
  Result<void> append_lawful_log(const LawfulLogEntry& entry) override {
    return sql::append_lawful_log(*db_, entry);
  }
  Result<std::uint64_t> lawful_log_size() override { return sql::lawful_log_size(*db_); }
  Result<std::vector<LawfulLogEntry>> lawful_log(std::uint64_t from, std::uint32_t limit) override {
    return sql::lawful_log(*db_, from, limit);
  }
  Result<std::vector<Bytes>> lawful_leaf_hashes() override { return sql::lawful_leaf_hashes(*db_); }
  Result<void> add_lawful_cosignature(const KtCosignature& cosignature) override {
    return sql::add_lawful_cosignature(*db_, cosignature);
  }
  Result<std::vector<KtCosignature>> lawful_cosignatures(std::uint64_t size) override {
    return sql::lawful_cosignatures(*db_, size);
  }
  Result<void> add_lawful_disclosures(std::span<const LawfulDisclosure> disclosures) override {
    return sql::add_lawful_disclosures(*db_, disclosures);
  }
  Result<std::vector<LawfulDisclosure>> lawful_disclosures_for(const AccountId& account,
                                                               std::int64_t now_ms,
                                                               std::uint32_t limit) override {
    return sql::lawful_disclosures_for(*db_, account, now_ms, limit);
  }
  Result<std::vector<LawfulDisclosure>> lawful_order_disclosures(std::uint64_t order) override {
    return sql::lawful_order_disclosures(*db_, order);
  }

 private:
  enum class Commit { synced, unsynced };
  std::vector<Result<void>> run_batch_with(std::span<Job> jobs, Commit commit,
                                           std::span<const JobRerun> reruns = {});
  std::vector<Result<void>> run_jobs_in_one_transaction(std::span<Job> jobs, Commit commit,
                                                        std::span<const JobRerun> reruns);
  std::vector<Result<void>> run_jobs_one_transaction_each(std::span<Job> jobs, Commit commit);
  Result<void> run_job(Job& job);
  // Runs re-runnable jobs under one savepoint, appending one result each to `results`.
  void run_group(std::span<Job> group, std::vector<Result<void>>& results);
  // Runs `job` in the transaction just begun and commits it, or rolls it back.
  Result<void> run_job_in_transaction(Job& job);

  std::unique_ptr<sql::Db> db_;
  std::unique_ptr<hot::HotQueues> hot_;  // after db_: it observes db_ until it goes
  std::function<Result<void>()> sync_commits_;  // maybe called on another thread
  bool sync_failure_is_final_;
};

std::vector<Result<void>> every_job_fails(std::size_t count, const Error& error) {
  return std::vector<Result<void>>(count, Result<void>(tl::unexpected(error)));
}

Result<void> SqlStore::run_job(Job& job) {
  if (!job) return fail(Errc::invalid_argument, "run batch: empty job");
  return sql::in_savepoint(*db_, [&] { return job(*this); });
}

// Turns savepoint elision on for a scope, and off again however the scope ends.
class ElidedSavepoints {
 public:
  explicit ElidedSavepoints(sql::Db& db) : db_(db) { db_.set_eliding_savepoints(true); }
  ~ElidedSavepoints() { db_.set_eliding_savepoints(false); }
  ElidedSavepoints(const ElidedSavepoints&) = delete;
  ElidedSavepoints& operator=(const ElidedSavepoints&) = delete;

 private:
  sql::Db& db_;
};

void SqlStore::run_group(std::span<Job> group, std::vector<Result<void>>& results) {
  const std::size_t first = results.size();
  if (db_->begin_savepoint()) {
    bool clean = true;
    {
      ElidedSavepoints elided(*db_);
      for (Job& job : group) {
        if (!job) {
          clean = false;
          break;
        }
        results.push_back(job(*this));
        // A method that failed inside a job that went on regardless may have left partial work.
        if (!results.back() || db_->elided_body_failed()) {
          clean = false;
          break;
        }
      }
    }
    if (clean && !db_->transaction_damaged() && db_->release_savepoint()) return;
    db_->rollback_savepoint();
    results.resize(first);
    if (db_->transaction_damaged()) {
      // The caller fails the whole batch; nothing is worth running again.
      for (std::size_t i = 0; i < group.size(); ++i)
        results.push_back(fail(Errc::storage, "run batch: the transaction was lost"));
      return;
    }
  }
  // The slow path: exactly what run_batch does, one savepoint per job.
  for (Job& job : group) results.push_back(run_job(job));
}

std::vector<Result<void>> SqlStore::run_batch_with(std::span<Job> jobs, Commit commit,
                                                   std::span<const JobRerun> reruns) {
  std::vector<Result<void>> results;
  if (jobs.empty()) return results;
  // A batch run by a job of another batch joins that transaction: its savepoints nest.
  if (db_->in_transaction()) {
    results.reserve(jobs.size());
    for (Job& job : jobs) results.push_back(run_job(job));
    return results;
  }
  return db_->transaction_per_job() ? run_jobs_one_transaction_each(jobs, commit)
                                    : run_jobs_in_one_transaction(jobs, commit, reruns);
}

Result<void> SqlStore::run_job_in_transaction(Job& job) {
  auto result = job(*this);
  if (result && db_->transaction_damaged()) {
    result = fail(Errc::storage, "run batch: the transaction was lost");
  }
  if (result) result = db_->commit_transaction();
  if (!result) db_->rollback_transaction();
  return result;
}

std::vector<Result<void>> SqlStore::run_jobs_one_transaction_each(std::span<Job> jobs,
                                                                  Commit commit) {
  std::vector<Result<void>> results;
  results.reserve(jobs.size());
  for (Job& job : jobs) {
    if (!job) {
      results.push_back(fail(Errc::invalid_argument, "run batch: empty job"));
      continue;
    }
    auto begun =
        commit == Commit::synced ? db_->begin_transaction() : db_->begin_transaction_unsynced();
    if (!begun && begun.error().code == Errc::unavailable) {
      // A database that cannot be reached (BEGIN reconnects first) fails the rest at once:
      // each job would otherwise wait out a reconnection attempt of its own.
      while (results.size() < jobs.size()) results.push_back(tl::unexpected(begun.error()));
      return results;
    }
    results.push_back(begun ? run_job_in_transaction(job) : std::move(begun));
  }
  return results;
}

std::vector<Result<void>> SqlStore::run_jobs_in_one_transaction(
    std::span<Job> jobs, Commit commit, std::span<const JobRerun> reruns) {
  std::vector<Result<void>> results;
  results.reserve(jobs.size());
  auto begun =
      commit == Commit::synced ? db_->begin_transaction() : db_->begin_transaction_unsynced();
  if (!begun) {
    return every_job_fails(jobs.size(), begun.error());
  }
  const auto rerunnable = [&](std::size_t i) {
    return reruns.size() == jobs.size() && reruns[i] == JobRerun::allowed;
  };
  for (std::size_t i = 0; i < jobs.size();) {
    std::size_t end = i;
    while (end < jobs.size() && rerunnable(end)) ++end;
    if (end - i >= 2) {
      run_group(jobs.subspan(i, end - i), results);
      i = end;
    } else {
      results.push_back(run_job(jobs[i]));
      ++i;
    }
    if (db_->transaction_damaged()) {
      db_->rollback_transaction();
      // A lost connection (PostgreSQL) stays Errc::unavailable: the database failed, not a job.
      const bool unavailable = !results.back() && results.back().error().code == Errc::unavailable;
      return every_job_fails(jobs.size(), Error{unavailable ? Errc::unavailable : Errc::storage,
                                                "run batch: the transaction was lost"});
    }
  }
  if (auto committed = db_->commit_transaction(); !committed) {
    db_->rollback_transaction();
    return every_job_fails(jobs.size(), committed.error());
  }
  return results;
}

}  // namespace

std::unique_ptr<Store> make_sql_store(std::unique_ptr<sql::Db> db,
                                      std::function<Result<void>()> sync_commits,
                                      bool sync_failure_is_final,
                                      std::unique_ptr<hot::HotQueues> hot_queues) {
  return std::make_unique<SqlStore>(std::move(db), std::move(sync_commits), sync_failure_is_final,
                                    std::move(hot_queues));
}

}  // namespace bulwark::store
