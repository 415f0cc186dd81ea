// Court orders (lawful/order.h) on hostile input: an order arrives from outside, and is parsed
// before its signature can be checked (the authority it names picks the anchors). Nothing may
// crash, and whatever parses must hold the invariants the rest of the workflow relies on.
#include <chrono>
#include <cstdlib>

#include "fuzz_target.h"
#include "lawful/order_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  const ByteView document(reinterpret_cast<const std::byte*>(data), size);
  auto order = lawful::parse_order(document);
  if (order) {
    if (order->targets.empty() || order->targets.size() > lawful::max_targets ||
        order->categories.empty() || order->from > order->to ||
        order->expires_at <= order->issued_at || !lawful::is_jurisdiction_code(order->jurisdiction))
      std::abort();
  }
  // With no authority configured, nothing may verify.
  const Bytes no_signature;
  if (lawful::verify_order(document, no_signature, {},
                           std::chrono::system_clock::from_time_t(1'780'272'000)))
    std::abort();
  return 0;
}
