#include "store/sql/codes.h"

namespace bulwark::store::sql {
namespace {

constexpr Sql upsert_code{
    "put verification code",
    "INSERT INTO verification_codes "
    "(phone, code_hash, salt, created_at_ms, expires_at_ms, failed_attempts) "
    "VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, salt = excluded.salt, "
    "created_at_ms = excluded.created_at_ms, expires_at_ms = excluded.expires_at_ms, "
    "failed_attempts = excluded.failed_attempts"};
constexpr Sql select_code{"read verification code",
                          "SELECT code_hash, salt, created_at_ms, expires_at_ms, failed_attempts "
                          "FROM verification_codes WHERE phone = ?"};
// Saturates rather than leaving the 32-bit range the record type can hold.
constexpr Sql count_attempt{
    "count failed attempt",
    "UPDATE verification_codes SET failed_attempts = CASE WHEN failed_attempts < 4294967295 "
    "THEN failed_attempts + 1 ELSE failed_attempts END WHERE phone = ? RETURNING failed_attempts"};
constexpr Sql delete_code{"delete verification code",
                          "DELETE FROM verification_codes WHERE phone = ?"};

}  // namespace

Result<void> put_verification_code(Db& db, const PendingCode& code) {
  if (code.phone.empty()) return fail(Errc::invalid_argument, "put verification code: no phone");
  auto statement = BULWARK_TRY(db.prepare(upsert_code));
  statement.bind(code.phone)
      .bind(code.code_hash)
      .bind(code.salt)
      .bind(code.created_at_ms)
      .bind(code.expires_at_ms)
      .bind(static_cast<std::int64_t>(code.failed_attempts));
  return statement.finish();
}

Result<std::optional<PendingCode>> verification_code(Db& db, std::string_view phone) {
  auto query = BULWARK_TRY(db.prepare(select_code));
  query.bind(phone);
  const bool found = BULWARK_TRY(query.step());
  if (!found) return std::optional<PendingCode>{};
  PendingCode code;
  code.phone = std::string(phone);
  code.code_hash = query.blob_at(0);
  code.salt = query.blob_at(1);
  code.created_at_ms = query.int64_at(2);
  code.expires_at_ms = query.int64_at(3);
  const std::uint32_t attempts = BULWARK_TRY(query.u32_at(4));
  code.failed_attempts = attempts;
  return std::optional<PendingCode>(std::move(code));
}

Result<std::uint32_t> add_failed_attempt(Db& db, std::string_view phone) {
  auto statement = BULWARK_TRY(db.prepare(count_attempt));
  statement.bind(phone);
  const bool found = BULWARK_TRY(statement.step());
  if (!found) return fail(Errc::not_found, "count failed attempt: no pending code");
  const std::uint32_t attempts = BULWARK_TRY(statement.u32_at(0));
  BULWARK_TRY(statement.finish());
  return attempts;
}

Result<void> delete_verification_code(Db& db, std::string_view phone) {
  auto statement = BULWARK_TRY(db.prepare(delete_code));
  statement.bind(phone);
  return statement.finish();
}

}  // namespace bulwark::store::sql
