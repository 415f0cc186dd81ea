#include "mls_bench_bulwark.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "protocol/mls/group/group.h"
#include "protocol/mls/key_package.h"

namespace bulwark::bench {

void mls_bench_fail(const std::string& what) {
  std::fprintf(stderr, "mls bench: %s\n", what.c_str());
  std::exit(1);
}

namespace {

namespace mls = protocol::mls;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// This process's CPU time (user + system) in milliseconds.
double cpu_ms_now() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

template <class T>
T value_or_fail(Result<T> result, const std::string& what) {
  if (!result) mls_bench_fail(what + ": " + result.error().describe());
  return std::move(*result);
}

void expect(bool holds, const std::string& what) {
  if (!holds) mls_bench_fail(what);
}

Bytes text_bytes(const std::string& text) {
  const ByteView view = as_bytes(text);
  return Bytes(view.begin(), view.end());
}

// Runs `operation` (returning a Result) `repeat` times from the same state, timing each call
// into `samples`, and returns the last value. Results are checked, kept and destroyed off the
// clock.
template <class F>
auto repeated(Samples& samples, std::size_t repeat, const std::string& what, F&& operation) {
  using Value = typename decltype(operation())::value_type;
  std::optional<Value> kept;
  for (std::size_t i = 0; i < repeat; ++i) {
    const double cpu_start = cpu_ms_now();
    const auto start = Clock::now();
    auto result = operation();
    samples.ms.push_back(ms_since(start));
    samples.cpu_ms.push_back(cpu_ms_now() - cpu_start);
    kept.reset();
    kept.emplace(value_or_fail(std::move(result), what));
  }
  std::fprintf(stderr, "mls bench: Bulwark %-36s median %10.2f ms\n", what.c_str(),
               samples.median());
  return std::move(*kept);
}

// One client: its signature key and one KeyPackage (with the private keys).
struct Party {
  crypto::Ed25519SecretKey signer;
  mls::KeyPackageBundle package;
};

Party make_party(const mls::CipherSuite& suite, std::size_t index, Rng& rng) {
  crypto::Ed25519KeyPair keys = crypto::ed25519_keypair(rng);
  mls::KeyPackageParams params;
  params.credential = mls::basic_credential(text_bytes("member-" + std::to_string(index)));
  auto bundle = value_or_fail(
      mls::create_key_package(suite, keys.secret_key, std::move(params), rng), "key package");
  return Party{std::move(keys.secret_key), std::move(bundle)};
}

// Party 0 creates the group, 1..N-1 are added by the first commit (1 joins from its Welcome),
// N is the member added, then removed, one by one.
struct World {
  mls::CipherSuite suite;
  crypto::SystemRng rng;
  std::vector<Party> parties;
};

bool same_authenticator(const mls::Group& a, const mls::Group& b) {
  return std::ranges::equal(a.epoch_authenticator().view(), b.epoch_authenticator().view());
}

mls::Group join_from(World& world, std::size_t party, const mls::Group::CommitOutput& output) {
  expect(output.welcome.has_value(), "the commit has no Welcome");
  Party& joiner = world.parties[party];
  return value_or_fail(mls::Group::join(*output.welcome, ByteView(output.ratchet_tree),
                                        std::span(&joiner.package, 1), joiner.signer, {}),
                       "join");
}

// The commits below follow bench.js: PrivateMessage, no path unless the RFC requires one (a
// Remove), the ratchet tree out of band rather than in the Welcome.
mls::CommitRequest adding(std::span<const Party> parties) {
  mls::CommitRequest request;
  for (const Party& party : parties) request.add.push_back(party.package.key_package);
  request.update_path = false;
  request.ratchet_tree_in_welcome = false;
  return request;
}

mls::Group::CommitOutput bench_create(World& world, const MlsBenchOptions& options,
                                      MlsFigures& figures) {
  const Party& creator = world.parties[0];
  const mls::Member me{*crypto::Ed25519SecretKey::from_seed(creator.signer.seed().view()),
                       mls::basic_credential(text_bytes("member-0"))};
  const mls::Group genesis =
      value_or_fail(mls::Group::create(world.suite, as_bytes("bench"), me, world.rng), "create");
  const mls::CommitRequest request =
      adding(std::span(world.parties).subspan(1, options.members - 1));
  auto created =
      repeated(figures.op(MlsOp::create), options.repeat, "create (N-1 adds in one commit)",
               [&] { return genesis.commit(request, world.rng); });
  expect(created.group.epoch() == 1 && created.welcome, "the first commit");
  figures.sizes.create_commit = created.commit.size();
  figures.sizes.create_welcome = created.welcome->size();
  figures.sizes.ratchet_tree = created.ratchet_tree.size();
  expect(created.group.members().size() == options.members, "the group's size after create");
  return created;
}

mls::Group bench_join(World& world, const MlsBenchOptions& options, MlsFigures& figures,
                      const mls::Group::CommitOutput& created) {
  Party& joiner = world.parties[1];
  auto joined =
      repeated(figures.op(MlsOp::join), options.repeat, "join (Welcome, tree apart)", [&] {
        return mls::Group::join(*created.welcome, ByteView(created.ratchet_tree),
                                std::span(&joiner.package, 1), joiner.signer, {});
      });
  expect(same_authenticator(joined, created.group), "the joiner's epoch authenticator");
  return joined;
}

struct AfterAdd {
  mls::Group::CommitOutput added;
  mls::Group joined;    // the member who joined from the first Welcome, now in epoch 2
  mls::Group newcomer;  // the member added
};

AfterAdd bench_add(World& world, const MlsBenchOptions& options, MlsFigures& figures,
                   const mls::Group& creator, const mls::Group& joined) {
  const mls::CommitRequest request = adding(std::span(world.parties).subspan(options.members, 1));
  auto added = repeated(figures.op(MlsOp::add_one), options.repeat, "add one (commit)",
                        [&] { return creator.commit(request, world.rng); });
  figures.sizes.add_one_commit = added.commit.size();
  expect(added.welcome.has_value(), "the Add commit has no Welcome");
  figures.sizes.add_one_welcome = added.welcome->size();
  auto processed =
      repeated(figures.op(MlsOp::process_add), options.repeat, "process that add (another member)",
               [&] { return joined.process(added.commit); });
  expect(processed.group && same_authenticator(*processed.group, added.group),
         "the epoch authenticator after the add");
  mls::Group newcomer = join_from(world, options.members, added);
  expect(same_authenticator(newcomer, added.group), "the newcomer's epoch authenticator");
  expect(added.group.members().size() == options.members + 1, "the group's size after the add");
  return AfterAdd{std::move(added), std::move(*processed.group), std::move(newcomer)};
}

// Returns the creator's and the joined member's states after the remove.
std::pair<mls::Group, mls::Group> bench_remove(World& world, const MlsBenchOptions& options,
                                               MlsFigures& figures, const AfterAdd& before) {
  mls::CommitRequest request;
  request.remove.push_back(before.newcomer.own_leaf());
  const mls::Group& creator = before.added.group;
  auto removed = repeated(figures.op(MlsOp::remove_one), options.repeat, "remove one (commit)",
                          [&] { return creator.commit(request, world.rng); });
  figures.sizes.remove_one_commit = removed.commit.size();
  auto processed = repeated(figures.op(MlsOp::process_remove), options.repeat,
                            "process that remove (another member)",
                            [&] { return before.joined.process(removed.commit); });
  expect(processed.group && same_authenticator(*processed.group, removed.group),
         "the epoch authenticator after the remove");
  auto gone = value_or_fail(before.newcomer.process(removed.commit), "the removed member");
  expect(gone.removed_me && !gone.group, "the removed member sees its removal");
  expect(removed.group.members().size() == options.members, "the group's size after the remove");
  return {std::move(removed.group), std::move(*processed.group)};
}

// One batch of `count` messages; `sender` and `receiver` advance with it.
void message_batch(World& world, std::size_t count, mls::Group& sender, mls::Group& receiver,
                   MlsFigures& figures) {
  Bytes plaintext(100, std::byte{0x61});
  double encrypt_ms = 0;
  double decrypt_ms = 0;
  double encrypt_cpu_ms = 0;
  double decrypt_cpu_ms = 0;
  for (std::size_t i = 0; i < count; ++i) {
    plaintext[0] = static_cast<std::byte>(i);
    double cpu_start = cpu_ms_now();
    auto start = Clock::now();
    auto sent = sender.encrypt(plaintext, {}, world.rng);
    encrypt_ms += ms_since(start);
    encrypt_cpu_ms += cpu_ms_now() - cpu_start;
    mls::Group::Sent message = value_or_fail(std::move(sent), "encrypt");
    cpu_start = cpu_ms_now();
    start = Clock::now();
    auto opened = receiver.process(message.message);
    decrypt_ms += ms_since(start);
    decrypt_cpu_ms += cpu_ms_now() - cpu_start;
    mls::Group::Processed got = value_or_fail(std::move(opened), "decrypt");
    expect(
        got.kind == mls::ContentKind::application && got.application_data == plaintext && got.group,
        "an application message decrypts to its plaintext");
    figures.sizes.app_message = message.message.size();
    sender = std::move(message.group);
    receiver = std::move(*got.group);
  }
  const auto per_second = [count](double ms) { return static_cast<double>(count) * 1000.0 / ms; };
  figures.throughput.encrypt.push_back(per_second(encrypt_ms));
  figures.throughput.decrypt.push_back(per_second(decrypt_ms));
  figures.throughput.pairs.push_back(per_second(encrypt_ms + decrypt_ms));
  figures.throughput.encrypt_cpu.push_back(per_second(encrypt_cpu_ms));
  figures.throughput.decrypt_cpu.push_back(per_second(decrypt_cpu_ms));
}

}  // namespace

MlsFigures run_bulwark_mls(const MlsBenchOptions& options) {
  World world{value_or_fail(mls::CipherSuite::from_id(options.suite), "cipher suite"), {}, {}};
  MlsFigures figures;
  figures.library = "Bulwark";
  figures.members = options.members;
  const auto keygen = Clock::now();
  for (std::size_t i = 0; i <= options.members; ++i)
    world.parties.push_back(make_party(world.suite, i, world.rng));
  std::fprintf(stderr, "mls bench: Bulwark made %zu KeyPackages in %.0f ms (not timed)\n",
               world.parties.size(), ms_since(keygen));
  const mls::Group::CommitOutput created = bench_create(world, options, figures);
  const mls::Group joined = bench_join(world, options, figures, created);
  const AfterAdd after_add = bench_add(world, options, figures, created.group, joined);
  auto [sender, receiver] = bench_remove(world, options, figures, after_add);
  figures.throughput.messages = options.messages;
  for (std::size_t batch = 0; batch < options.repeat; ++batch)
    message_batch(world, options.messages, sender, receiver, figures);
  expect(same_authenticator(sender, receiver), "the epoch authenticator after the messages");
  return figures;
}

}  // namespace bulwark::bench
