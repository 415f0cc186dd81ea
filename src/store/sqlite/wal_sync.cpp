#include "store/sqlite/wal_sync.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bulwark::store::sqlite {
namespace {
Error sync_error(const char* step, int error) {
  return Error{Errc::storage, std::string("sync the write-ahead log: ") + step + ": " +
                                  std::strerror(error)};
}
}  // namespace

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

Result<bool> WalSync::open_if_needed() {
  if (fd_ >= 0) {
    struct stat status {};
    if (::fstat(fd_, &status) != 0) return tl::unexpected(sync_error("stat", errno));
    if (status.st_nlink > 0) return true;
    ::close(fd_);  // unlinked: the commits it held were checkpointed before SQLite removed it
    fd_ = -1;
  }
  fd_ = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ >= 0) return true;
  if (errno == ENOENT) return false;
  return tl::unexpected(sync_error("open", errno));
}

Result<void> WalSync::sync() {
  if (!BULWARK_TRY(open_if_needed())) return {};
  if (::fdatasync(fd_) != 0) return tl::unexpected(sync_error("fdatasync", errno));
  return {};
}

}  // namespace bulwark::store::sqlite
