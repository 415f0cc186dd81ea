#include "store/pg/statement.h"

#include <libpq-fe.h>

namespace bulwark::store::pg {
namespace {

// Type OIDs (src/include/catalog/pg_type.dat); stable across PostgreSQL versions.
constexpr Oid bool_oid = 16;
constexpr Oid bytea_oid = 17;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid text_oid = 25;

// A big-endian signed integer of `size` bytes.
std::int64_t read_big_endian(const char* data, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  // Sign-extend from the width read.
  const int shift = 64 - 8 * size;
  return static_cast<std::int64_t>(value << shift) >> shift;
}

}  // namespace

void PgStatement::acquire(std::string_view op) noexcept {
  op_ = op;
  in_use_ = true;
}

void PgStatement::add(unsigned int type, std::string value, bool null) {
  types_.push_back(type);
  values_.push_back(std::move(value));
  nulls_.push_back(null);
}

void PgStatement::bind(std::int64_t value) {
  std::string bytes(8, '\0');
  auto bits = static_cast<std::uint64_t>(value);
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
  add(int8_oid, std::move(bytes), false);
}

void PgStatement::bind(std::string_view text) { add(text_oid, std::string(text), false); }

void PgStatement::bind(ByteView blob) {
  add(bytea_oid, std::string(reinterpret_cast<const char*>(blob.data()), blob.size()), false);
}

void PgStatement::bind_null() { add(0, std::string(), true); }

Result<bool> PgStatement::step() {
  if (db_->inject_fault()) return fail(Errc::storage, std::string(op_) + ": injected fault");
  if (!executed_) {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values[i] = nulls_[i] ? nullptr : values_[i].data();
      lengths[i] = static_cast<int>(values_[i].size());
    }
    result_ = BULWARK_TRY(db_->execute_prepared(*text_, op_, types_, values, lengths));
    executed_ = true;
    rows_ = PQresultStatus(result_.get()) == PGRES_TUPLES_OK ? PQntuples(result_.get()) : 0;
    row_ = -1;
  }
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

bool PgStatement::is_null(int column) const {
  return PQgetisnull(result_.get(), row_, column) != 0;
}

std::int64_t PgStatement::int64_at(int column) const {
  if (is_null(column)) return 0;
  const char* data = PQgetvalue(result_.get(), row_, column);
  const int size = PQgetlength(result_.get(), row_, column);
  const Oid type = PQftype(result_.get(), column);
  const bool fits = (type == int8_oid && size == 8) || (type == int4_oid && size == 4) ||
                    (type == int2_oid && size == 2) || (type == bool_oid && size == 1);
  if (!fits) contract_violation("store::pg: an integer read from a column of another type");
  return read_big_endian(data, size);
}

std::string PgStatement::text_at(int column) const {
  if (is_null(column)) return {};
  const char* data = PQgetvalue(result_.get(), row_, column);
  return {data, static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
}

Bytes PgStatement::blob_at(int column) const {
  if (is_null(column)) return {};
  const auto* data = reinterpret_cast<const std::byte*>(PQgetvalue(result_.get(), row_, column));
  return {data, data + PQgetlength(result_.get(), row_, column)};
}

void PgStatement::release() noexcept {
  result_.reset();
  types_.clear();
  values_.clear();
  nulls_.clear();
  executed_ = false;
  row_ = -1;
  rows_ = 0;
  in_use_ = false;
}

}  // namespace bulwark::store::pg
