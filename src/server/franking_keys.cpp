#include "server/franking_keys.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/secret_file.h"

namespace bulwark::server {
namespace {

constexpr std::string_view epoch_prefix = "epoch-";
constexpr std::string_view key_suffix = ".key";

// The epoch a file name holds ("epoch-42.key"), or nothing for any other file.
std::optional<std::uint32_t> epoch_of(const std::string& name) {
  if (!name.starts_with(epoch_prefix) || !name.ends_with(key_suffix)) return std::nullopt;
  const std::string_view digits(name.data() + epoch_prefix.size(),
                                name.size() - epoch_prefix.size() - key_suffix.size());
  std::uint32_t epoch = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), epoch);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  return epoch;
}

}  // namespace

std::filesystem::path FrankingKeys::epoch_file(std::uint32_t epoch) const {
  return dir_ / (std::string(epoch_prefix) + std::to_string(epoch) + std::string(key_suffix));
}

std::uint32_t FrankingKeys::epoch_at(std::int64_t time_ms) const {
  const std::int64_t length = settings_.epoch_length.count();
  return static_cast<std::uint32_t>(std::max<std::int64_t>(time_ms, 0) / length);
}

Result<std::unique_ptr<FrankingKeys>> FrankingKeys::open(std::filesystem::path dir,
                                                         FrankingSettings settings, Rng& rng,
                                                         std::int64_t now_ms) {
  if (settings.epoch_length.count() <= 0 || settings.retention.count() < 0)
    return fail(Errc::invalid_argument, "franking: the epoch length must be positive");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return fail(Errc::storage, "cannot create " + dir.string());
  ::chmod(dir.c_str(), 0700);
  SecretBytes seed = BULWARK_TRY(load_or_create_secret_file(dir / "signing.key", rng));
  auto signing = BULWARK_TRY(crypto::Ed25519SecretKey::from_seed(seed.view()));
  std::unique_ptr<FrankingKeys> keys(
      new FrankingKeys(std::move(dir), settings, franking::StampingKeys(std::move(signing))));
  std::vector<std::uint32_t> found;
  for (const auto& entry : std::filesystem::directory_iterator(keys->dir_, error)) {
    if (auto epoch = epoch_of(entry.path().filename().string())) found.push_back(*epoch);
  }
  if (error) return fail(Errc::storage, "cannot list " + keys->dir_.string());
  std::sort(found.begin(), found.end());
  for (std::uint32_t epoch : found) {
    SecretBytes key = BULWARK_TRY(read_secret_file(keys->epoch_file(epoch)));
    BULWARK_TRY(keys->keys_.add_epoch(epoch, std::move(key)));
    keys->epochs_.push_back(epoch);
  }
  BULWARK_TRY(keys->rotate(now_ms, rng));
  return keys;
}

Result<void> FrankingKeys::rotate(std::int64_t now_ms, Rng& rng) {
  // Files are written and destroyed outside the lock, so stamping never waits for an fsync.
  const std::uint32_t current = epoch_at(now_ms);
  bool missing = false;
  {
    std::shared_lock lock(mutex_);
    missing = epochs_.empty() || epochs_.back() < current;
  }
  if (missing) {
    // Nodes of a cluster share the directory: whichever rotates first makes the epoch's key,
    // and the others load that one rather than stamp with a key of their own.
    static_assert(franking::stamp_key_bytes == secret_file_bytes);
    SecretBytes key = BULWARK_TRY(load_or_create_secret_file(epoch_file(current), rng));
    std::unique_lock lock(mutex_);
    BULWARK_TRY(keys_.add_epoch(current, std::move(key)));
    epochs_.push_back(current);
  }
  // Epoch e's last message was stamped just before (e + 1) x length; it stays provable for the
  // retention window after that.
  const std::int64_t length = settings_.epoch_length.count();
  const std::int64_t retention = settings_.retention.count();
  std::vector<std::uint32_t> expired;
  {
    std::unique_lock lock(mutex_);
    while (!epochs_.empty() &&
           (static_cast<std::int64_t>(epochs_.front()) + 1) * length + retention <= now_ms) {
      expired.push_back(epochs_.front());
      epochs_.erase(epochs_.begin());
    }
    if (expired.empty()) return {};
    // In memory first: no stamp verifies against them from now on.
    keys_.destroy_before(epochs_.empty() ? current + 1 : epochs_.front());
  }
  // A file that fails to go is retried by the next rotation, which finds it on disk again only
  // after a restart; it is reported either way.
  for (std::uint32_t epoch : expired) BULWARK_TRY(destroy_secret_file(epoch_file(epoch)));
  return {};
}

Result<franking::StampBatch> FrankingKeys::sign_batch(
    std::span<const franking::StampRequest> requests, std::int64_t now_ms) const {
  std::shared_lock lock(mutex_);
  return keys_.sign_batch(requests, now_ms);
}

Result<void> FrankingKeys::verify(const franking::Stamp& stamp, const franking::FrankingTag& tag,
                                  ByteView sender, ByteView recipient) const {
  std::shared_lock lock(mutex_);
  return keys_.verify(stamp, tag, sender, recipient);
}

Result<void> FrankingKeys::verify_report(ByteView reporter, const franking::Report& report) const {
  std::shared_lock lock(mutex_);
  return franking::verify_report(keys_, reporter, report);
}

crypto::Ed25519PublicKey FrankingKeys::public_key() const {
  std::shared_lock lock(mutex_);
  return keys_.public_key();
}

std::vector<std::uint32_t> FrankingKeys::epochs() const {
  std::shared_lock lock(mutex_);
  return epochs_;
}

}  // namespace bulwark::server
