// Moderator action records (moderation/signed_action.h) on hostile input: the server decodes
// the record bulwark-admin sends before it checks anything else. The first byte picks one of:
//  0: decode_action; what decodes encodes back to the same bytes, and verifying it under a
//     fixed key never crashes;
//  1: a genuine signed record with the input XORed into its bytes; oracle: unchanged it
//     verifies, changed it does not;
//  2: policy rules matching the input as post text never crash, and the keyword automaton
//     agrees with the one-keyword definition (keyword_matches).
#include "fuzz_target.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "moderation/rules.h"
#include "moderation/signed_action.h"

namespace {

using namespace bulwark;
using namespace bulwark::moderation;

void check(bool condition) {
  if (!condition) std::abort();
}

const crypto::Ed25519SecretKey& key() {
  static const auto secret = crypto::Ed25519SecretKey::from_seed(Bytes(32, std::byte{0x61})).value();
  return secret;
}

void decode(ByteView input) {
  auto record = decode_action(input);
  if (!record) return;
  auto encoded = encode_action(*record);
  check(encoded.has_value() && *encoded == Bytes(input.begin(), input.end()));
  (void)verify_action(key().public_key(), input, Bytes(64, std::byte{0}));
}

void tamper(ByteView input) {
  static const Bytes original = [] {
    ActionRecord record;
    record.case_id = 3;
    record.action = Action::restrict_channel;
    record.target = TargetKind::channel;
    record.moderator = "mod";
    record.reason = "spam network";
    record.time_ms = 1'800'000'000'000;
    return encode_action(record).value();
  }();
  static const auto signature = sign_action(key(), original);
  Bytes bytes = original;
  bool changed = false;
  for (std::size_t i = 0; i < input.size() && i < bytes.size(); ++i) {
    if (input[i] == std::byte{0}) continue;
    bytes[i] ^= input[i];
    changed = true;
  }
  const bool verifies = decode_action(bytes).has_value() &&
                        verify_action(key().public_key(), bytes, signature).has_value();
  check(verifies == !changed);
}

void rules(ByteView input) {
  static const RuleSet set = RuleSet::compile({
      RuleSpec{"words", RuleKind::keywords, {"buy now", "cheap"}, Category::spam, RuleEffect::queue},
      RuleSpec{"urls", RuleKind::regex, {R"(https?://[a-z]+\.example)"}, Category::other,
               RuleEffect::hide},
  }).value();
  // Keywords alone, against the one-keyword definition the automaton implements.
  static const std::vector<std::string> keywords = {"he", "she", "hers", "buy now", "$$", "a_b"};
  static const RuleSet words = RuleSet::compile({
      RuleSpec{"words", RuleKind::keywords, keywords, Category::spam, RuleEffect::queue},
  }).value();
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  (void)set.match(text);
  const std::string_view seen = text.substr(0, max_match_input_bytes);
  const bool expected = std::any_of(keywords.begin(), keywords.end(), [&](const std::string& k) {
    return keyword_matches(seen, k);
  });
  check(words.match(text).has_value() == expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: decode(input); break;
    case 1: tamper(input); break;
    default: rules(input); break;
  }
  return 0;
}
