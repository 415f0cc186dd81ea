#include "witness/replica.h"

#include "kt/audit.h"
#include "kt/log_tree.h"
#include "kt/wire.h"

namespace bulwark::witness {
namespace {

class KtReplica final : public Replica {
 public:
  [[nodiscard]] std::uint64_t size() const noexcept override { return auditor_.size(); }

  [[nodiscard]] kt::Hash root(std::uint64_t tree_size) const override {
    if (tree_size > size()) contract_violation("witness::KtReplica::root: beyond the replica");
    return auditor_.log().root(tree_size);
  }

  [[nodiscard]] Result<void> apply(ByteView entry) override {
    // kt::decode_audit_entry never answers invalid_proof, so a malformed entry cannot pass
    // for a contradiction (an alarm).
    const kt::AuditEntry decoded = BULWARK_TRY(kt::decode_audit_entry(entry));
    return auditor_.apply(decoded);
  }

 private:
  kt::Auditor auditor_;
};

class PlainReplica final : public Replica {
 public:
  [[nodiscard]] std::uint64_t size() const noexcept override { return tree_.size(); }

  [[nodiscard]] kt::Hash root(std::uint64_t tree_size) const override {
    if (tree_size > size()) contract_violation("witness::PlainReplica::root: beyond the replica");
    return tree_.root(tree_size);
  }

  [[nodiscard]] Result<void> apply(ByteView entry) override {
    tree_.append(kt::leaf_hash(entry));
    return {};
  }

 private:
  kt::LogTree tree_;
};

}  // namespace

std::unique_ptr<Replica> make_replica(LogKind kind) {
  switch (kind) {
    case LogKind::kt:
      return std::make_unique<KtReplica>();
    case LogKind::disclosure:
      return std::make_unique<PlainReplica>();
  }
  contract_violation("witness::make_replica: not a LogKind");
}

}  // namespace bulwark::witness
