#include "witness/replica.h"

#include "kt/audit.h"
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

}  // namespace

std::unique_ptr<Replica> make_kt_replica() { return std::make_unique<KtReplica>(); }

}  // namespace bulwark::witness
