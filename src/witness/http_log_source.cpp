#include "witness/http_log_source.h"

#include "witness/log_api.h"

namespace bulwark::witness {

Result<std::optional<std::string>> HttpLogSource::latest_checkpoint() {
  const HttpResponse response =
      BULWARK_TRY(client_.get(checkpoint_target(kind_), kt::note_max_bytes));
  return checkpoint_from_response(response);
}

Result<Bytes> HttpLogSource::entry(std::uint64_t index) {
  const HttpResponse response =
      BULWARK_TRY(client_.get(entry_target(kind_, index), max_entry_bytes_));
  return entry_from_response(index, response);
}

Result<void> HttpLogSource::submit_cosignature(std::uint64_t size, std::string_view line) {
  const HttpResponse response =
      BULWARK_TRY(client_.post(cosignature_target(kind_), "text/plain",
                               cosignature_request_body(size, line), max_status_body_bytes));
  return cosignature_submission_result(response);
}

}  // namespace bulwark::witness
