// Issue 7's franking figures: report verification per second on one core (goal >= 20,000/s),
// and what a sender's tag and the server's stamp cost per message (the stamp is what relaying
// adds to every 1:1 message; its share of relay throughput is measured by the load generator).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "franking/report.h"

namespace bulwark::franking {
namespace {

const Bytes sender(16, std::byte{0x4d});
const Bytes recipient(16, std::byte{0x41});
const Bytes conversation(32, std::byte{0x43});

StampingKeys make_keys() {
  crypto::SystemRng rng;
  StampingKeys keys(crypto::ed25519_keypair(rng).secret_key);
  SecretBytes key(stamp_key_bytes);
  rng.fill(key.writable());
  if (!keys.add_epoch(1, std::move(key))) std::abort();
  return keys;
}

Report make_report(const StampingKeys& keys, std::size_t messages, std::size_t content_bytes) {
  crypto::SystemRng rng;
  Report report;
  FrankingTag previous{};
  for (std::size_t i = 0; i < messages; ++i) {
    ReportedMessage message;
    message.sender = sender;
    message.conversation = conversation;
    message.message_id = to_bytes(as_bytes("m" + std::to_string(i)));
    message.content = Bytes(content_bytes, std::byte{'x'});
    message.key = new_franking_key(rng);
    message.previous = previous;
    message.tag = franking_tag(message.key, Franked{message.sender, message.conversation,
                                                    message.message_id, message.content,
                                                    message.previous})
                      .value();
    message.stamp = keys.stamp(message.tag, sender, recipient, 1'800'000'000'000).value();
    previous = message.tag;
    report.messages.push_back(std::move(message));
  }
  return report;
}

// Decode + verify, as the server does with an uploaded report.
void BM_VerifyReport(benchmark::State& state) {
  const StampingKeys keys = make_keys();
  const Bytes wire =
      encode_report(make_report(keys, static_cast<std::size_t>(state.range(0)), 256)).value();
  for (auto _ : state) {
    auto report = decode_report(wire);
    if (!report || !verify_report(keys, recipient, *report)) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(state.range(0)) + " message(s) of 256 bytes");
}
BENCHMARK(BM_VerifyReport)->Arg(1)->Arg(5)->Arg(11);

void BM_FrankingTag(benchmark::State& state) {
  crypto::SystemRng rng;
  const FrankingKey key = new_franking_key(rng);
  const Bytes content(static_cast<std::size_t>(state.range(0)), std::byte{'x'});
  const Bytes id = to_bytes(as_bytes("message-id"));
  for (auto _ : state)
    benchmark::DoNotOptimize(franking_tag(key, Franked{sender, conversation, id, content, {}}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FrankingTag)->Arg(256)->Arg(4096);

// Stamps per second when the server stamps the pushes of one pass of its event loop together
// (one signature per batch), as the relay does: sign the batch, then write each stamp's wire
// form out of it. The relay's batches hold 1 message at light load and about 200 at peak.
void BM_StampBatch(benchmark::State& state) {
  const StampingKeys keys = make_keys();
  const std::vector<StampRequest> requests(static_cast<std::size_t>(state.range(0)),
                                           StampRequest{FrankingTag{}, sender, recipient});
  Bytes wire(max_stamp_bytes);
  for (auto _ : state) {
    const StampBatch batch = keys.sign_batch(requests, 1).value();
    for (std::size_t i = 0; i < batch.size(); ++i)
      batch.encode_into(i, MutableByteView(wire).first(batch.encoded_bytes()));
    benchmark::DoNotOptimize(wire.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel("batches of " + std::to_string(state.range(0)));
}
BENCHMARK(BM_StampBatch)->Arg(1)->Arg(16)->Arg(128)->Arg(512);

// What a recipient checks on each stamp it receives: the batch signature.
void BM_RecipientChecksStamp(benchmark::State& state) {
  const StampingKeys keys = make_keys();
  const std::vector<StampRequest> requests(128, StampRequest{FrankingTag{}, sender, recipient});
  const Stamp stamp = keys.stamp_batch(requests, 1).value()[5];
  for (auto _ : state) {
    if (!verify_stamp_signature(keys.public_key(), stamp)) std::abort();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecipientChecksStamp);

}  // namespace
}  // namespace bulwark::franking

BENCHMARK_MAIN();
