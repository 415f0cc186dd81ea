#include "client/group_leaf_acceptor.h"

#include <map>
#include <memory>
#include <string>

#include "client/group_credential.h"
#include "client/uuid.h"

namespace bulwark::client {
namespace {

namespace mls = protocol::mls;

struct RecordCache {
  AccountRecordLookup lookup;
  int refreshes = 0;
  std::map<Bytes, kt::AccountRecord> records;

  Result<const kt::AccountRecord*> fetch(ByteView account_id, bool refresh) {
    const Bytes key = to_bytes(account_id);
    auto found = records.find(key);
    if (found != records.end() && !refresh) return &found->second;
    kt::AccountRecord record = BULWARK_TRY(lookup(account_id, refresh));
    records[key] = std::move(record);
    return &records[key];
  }

  Result<void> check(const mls::LeafNode& leaf, const MlsCredential& credential) {
    const ByteView account(credential.account_id);
    const kt::AccountRecord* record = BULWARK_TRY(fetch(account, false));
    for (int attempt = 0; record->device(credential.device_id) == nullptr && attempt < refreshes;
         ++attempt) {
      record = BULWARK_TRY(fetch(account, true));
    }
    return check_mls_credential(credential, leaf.signature_key, account, *record);
  }
};

}  // namespace

mls::LeafAcceptor kt_leaf_acceptor(AccountRecordLookup lookup, int refreshes) {
  auto cache = std::make_shared<RecordCache>(RecordCache{std::move(lookup), refreshes, {}});
  return [cache](const mls::LeafNode& leaf, mls::LeafIndex index) -> Result<void> {
    (void)index;  // the core names the leaf ("leaf N refused: ..."); this names the device
    if (leaf.credential.credential_type != mls::CredentialType::basic)
      return fail(Errc::untrusted_identity, "not a basic credential");
    auto credential = parse_mls_credential(leaf.credential.identity);
    if (!credential)
      return fail(Errc::untrusted_identity,
                  "not a Bulwark credential (" + credential.error().context + ")");
    const std::string account =
        format_uuid(credential->account_id).value_or(to_hex(credential->account_id));
    auto checked = cache->check(leaf, *credential);
    if (checked) return {};
    return fail(checked.error().code == Errc::untrusted_identity ? Errc::untrusted_identity
                                                                 : checked.error().code,
                "device " + std::to_string(credential->device_id) + " of " + account + ": " +
                    checked.error().context);
  };
}

}  // namespace bulwark::client
