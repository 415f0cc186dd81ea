// LocalStore: the key-transparency state (client/transparency.h).
#include "client/detail/store_impl.h"

namespace bulwark::client {
namespace {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + "\n";
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

}  // namespace

Result<std::optional<KtTrust>> LocalStore::kt_trust() const {
  auto row = BULWARK_TRY(impl_->db.prepare(
      "SELECT origin, log_key, vrf_public_key, witnesses, quorum, size, root, checkpoint "
      "FROM kt_trust WHERE id = 1"));
  if (!BULWARK_TRY(row.step())) return std::optional<KtTrust>();
  KtTrust trust;
  trust.origin = row.text(0);
  trust.log_key = row.text(1);
  trust.vrf_public_key = to_bytes(row.blob(2));
  trust.witnesses = split_lines(row.text(3));
  trust.quorum = static_cast<std::uint32_t>(row.int64(4));
  trust.size = static_cast<std::uint64_t>(row.int64(5));
  trust.root = row.optional_blob(6);
  trust.checkpoint = row.optional_text(7);
  return std::optional<KtTrust>(std::move(trust));
}

Result<void> LocalStore::save_kt_trust(const KtTrust& trust) {
  auto statement = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR REPLACE INTO kt_trust (id, origin, log_key, vrf_public_key, witnesses, quorum, "
      "size, root, checkpoint) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)"));
  statement.bind_text(1, trust.origin)
      .bind_text(2, trust.log_key)
      .bind_blob(3, trust.vrf_public_key)
      .bind_text(4, join_lines(trust.witnesses))
      .bind_int(5, trust.quorum)
      .bind_int(6, static_cast<std::int64_t>(trust.size))
      .bind_optional_blob(7, trust.root)
      .bind_optional_text(8, trust.checkpoint);
  BULWARK_TRY(statement.step());
  return {};
}

Result<std::optional<KtRecord>> LocalStore::kt_record(ByteView account_id) const {
  BULWARK_TRY(detail::check_account_id(account_id));
  auto row = BULWARK_TRY(
      impl_->db.prepare("SELECT version, record FROM kt_records WHERE account_id = ?"));
  row.bind_blob(1, account_id);
  if (!BULWARK_TRY(row.step())) return std::optional<KtRecord>();
  KtRecord record{to_bytes(account_id), std::nullopt, to_bytes(row.blob(1))};
  if (const auto version = row.optional_text(0); version) {
    record.version = static_cast<std::uint32_t>(row.int64(0));
  }
  return std::optional<KtRecord>(std::move(record));
}

Result<void> LocalStore::save_kt_record(const KtRecord& record) {
  BULWARK_TRY(detail::check_account_id(record.account_id));
  auto statement = BULWARK_TRY(impl_->db.prepare(
      "INSERT OR REPLACE INTO kt_records (account_id, version, record) VALUES (?, ?, ?)"));
  statement.bind_blob(1, record.account_id);
  if (record.version) {
    statement.bind_int(2, *record.version);
  } else {
    statement.bind_null(2);
  }
  statement.bind_blob(3, record.record);
  BULWARK_TRY(statement.step());
  return {};
}

}  // namespace bulwark::client
