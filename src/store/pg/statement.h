// PgStatement: one execution of a query on PostgreSQL (store/pg/db.h), behind sql::Statement.
//
// Values are bound in binary with explicit types: int8 (network byte order), text and bytea
// (raw bytes); a NULL has no type of its own (the server infers it). The first step() executes
// and keeps every row; each step() then moves to the next row. Integer columns read through
// int64_at may be int2, int4, int8 or bool (a comparison's value), by their type OID; reading
// another type as an integer is a broken query and aborts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "store/pg/db.h"
#include "store/sql/db.h"

namespace bulwark::store::pg {

class PgStatement final : public sql::StatementImpl {
 public:
  PgStatement(PgDb& db, PreparedText& text) noexcept : db_(&db), text_(&text) {}

  // Marks this execution taken for `op` (PgDb::prepare); release() frees it again.
  void acquire(std::string_view op) noexcept;
  [[nodiscard]] bool in_use() const noexcept { return in_use_; }

  void bind(std::int64_t value) override;
  void bind(std::string_view text) override;
  void bind(ByteView blob) override;
  void bind_null() override;
  [[nodiscard]] Result<bool> step() override;
  [[nodiscard]] bool is_null(int column) const override;
  [[nodiscard]] std::int64_t int64_at(int column) const override;
  [[nodiscard]] std::string text_at(int column) const override;
  [[nodiscard]] Bytes blob_at(int column) const override;
  void release() noexcept override;

 private:
  void add(unsigned int type, std::string value, bool null);

  PgDb* db_;
  PreparedText* text_;
  std::string_view op_;
  bool in_use_ = false;
  std::vector<unsigned int> types_;
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  PgResult result_;
  bool executed_ = false;
  int row_ = -1;
  int rows_ = 0;
};

}  // namespace bulwark::store::pg
