// Detached CMS signatures on documents (crypto/document_signature.h) on hostile input: the
// signature of a court order comes from outside. The whole input is the signature; it is
// checked against a fixed document and an empty trust configuration, so nothing can verify and
// every path up to the chain check (DER strictness, structure, algorithms, the signer's
// certificate) runs. Nothing may crash, and nothing may verify.
#include "fuzz_target.h"

#include <chrono>
#include <cstdlib>

#include "crypto/document_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  static const crypto::DocumentTrust no_trust{};
  static const std::string document = R"({"order_id":"fuzz"})";
  const ByteView signature(reinterpret_cast<const std::byte*>(data), size);
  auto verified = crypto::verify_document_signature(
      as_bytes(document), signature, no_trust,
      std::chrono::system_clock::from_time_t(1'780'272'000));
  if (verified) std::abort();
  return 0;
}
