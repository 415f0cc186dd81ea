// The RFC 9420 wire structures against the official messages.json: every field of all 300
// cases decodes with its structure's decoder and re-encodes to exactly the same bytes. Each
// field is then damaged a few ways (truncations, single-byte edits): a damaged input must be
// refused, or decode to a value that re-encodes to the damaged bytes (one encoding per value).
#include "protocol/mls/messages/messages.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

using MessagesRoundTrip = std::function<Result<Bytes>(ByteView)>;

// Decodes the whole input with `decode` and re-encodes it with the matching encode().
template <class Decode>
MessagesRoundTrip messages_via(Decode decode) {
  return [decode](ByteView input) -> Result<Bytes> {
    auto value = BULWARK_TRY(decode_all(input, decode));
    return encode_with([&](TlsWriter& w) { encode(w, value); });
  };
}

// An MLSMessage that must also have the expected wire format (and content type, for the
// public messages).
MessagesRoundTrip messages_mls_message(WireFormat format,
                                       std::optional<ContentType> public_content = {}) {
  return [format, public_content](ByteView input) -> Result<Bytes> {
    auto message = BULWARK_TRY(deserialize_mls_message(input));
    if (wire_format(message) != format) return fail(Errc::invalid_message, "wrong wire format");
    if (public_content) {
      const auto& content = std::get<PublicMessage>(message.body).content.content;
      if (content_type(content) != *public_content) {
        return fail(Errc::invalid_message, "wrong content type");
      }
    }
    return serialize(message);
  };
}

Result<Bytes> messages_group_secrets(ByteView input) {
  auto secrets = BULWARK_TRY(deserialize_group_secrets(input));
  auto encoded = BULWARK_TRY(serialize(secrets));
  return to_bytes(encoded.view());
}

Result<Bytes> messages_ratchet_tree(ByteView input) {
  auto tree = BULWARK_TRY(deserialize_ratchet_tree(input));
  return serialize(tree);
}

const std::map<std::string, MessagesRoundTrip>& messages_fields() {
  static const std::map<std::string, MessagesRoundTrip> fields = {
      {"mls_welcome", messages_mls_message(WireFormat::mls_welcome)},
      {"mls_group_info", messages_mls_message(WireFormat::mls_group_info)},
      {"mls_key_package", messages_mls_message(WireFormat::mls_key_package)},
      {"ratchet_tree", messages_ratchet_tree},
      {"group_secrets", messages_group_secrets},
      {"add_proposal", messages_via(decode_add)},
      {"update_proposal", messages_via(decode_update)},
      {"remove_proposal", messages_via(decode_remove)},
      {"pre_shared_key_proposal", messages_via(decode_pre_shared_key)},
      {"re_init_proposal", messages_via(decode_re_init)},
      {"external_init_proposal", messages_via(decode_external_init)},
      {"group_context_extensions_proposal", messages_via(decode_group_context_extensions)},
      {"commit", messages_via(decode_commit)},
      {"public_message_application",
       messages_mls_message(WireFormat::mls_public_message, ContentType::application)},
      {"public_message_proposal",
       messages_mls_message(WireFormat::mls_public_message, ContentType::proposal)},
      {"public_message_commit",
       messages_mls_message(WireFormat::mls_public_message, ContentType::commit)},
      {"private_message", messages_mls_message(WireFormat::mls_private_message)},
  };
  return fields;
}

const nlohmann::json& messages_cases() {
  static const nlohmann::json cases =
      bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/messages.json"));
  return cases;
}

// "" when a damaged input is handled correctly, otherwise what went wrong.
std::string messages_check_damaged(const MessagesRoundTrip& round_trip, const Bytes& damaged,
                                   bool must_fail) {
  const auto result = round_trip(damaged);
  if (!result) return "";
  if (must_fail) return "an input of the wrong length decoded";
  if (*result != damaged) return "a damaged input decoded to a value with another encoding";
  return "";
}

TEST(MlsMessagesTest, EveryFieldOfEveryCaseRoundTripsByteForByte) {
  const auto& cases = messages_cases();
  ASSERT_EQ(cases.size(), 300u);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_EQ(cases[i].size(), messages_fields().size()) << "case " << i;
    for (const auto& [name, round_trip] : messages_fields()) {
      const Bytes input = bulwark::testing::hex(cases[i].at(name).get<std::string>());
      const auto encoded = round_trip(input);
      ASSERT_TRUE(encoded) << "case " << i << " " << name << ": " << encoded.error().describe();
      ASSERT_EQ(to_hex(*encoded), to_hex(input)) << "case " << i << " " << name;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 300u * 17u);
}

TEST(MlsMessagesTest, TruncatedOrEditedFieldsAreRefusedOrKeepOneEncoding) {
  const auto& cases = messages_cases();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    for (const auto& [name, round_trip] : messages_fields()) {
      const Bytes input = bulwark::testing::hex(cases[i].at(name).get<std::string>());
      for (const std::size_t keep : {input.size() - 1, input.size() / 2, std::size_t{0}}) {
        const Bytes cut(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(keep));
        EXPECT_EQ(messages_check_damaged(round_trip, cut, true), "")
            << "case " << i << " " << name << " cut to " << keep;
      }
      const std::size_t positions[] = {
          0, 1, input.size() / 3, input.size() / 2, input.size() - 1, (i * 7919) % input.size()};
      for (const std::size_t at : positions) {
        if (at >= input.size()) continue;
        for (const std::byte flip : {std::byte{0x01}, std::byte{0x80}, std::byte{0xff}}) {
          Bytes edited = input;
          edited[at] ^= flip;
          EXPECT_EQ(messages_check_damaged(round_trip, edited, false), "")
              << "case " << i << " " << name << " byte " << at;
        }
      }
      Bytes longer = input;
      longer.push_back(std::byte{0});
      EXPECT_EQ(messages_check_damaged(round_trip, longer, true), "")
          << "case " << i << " " << name << " with a trailing byte";
    }
  }
}

}  // namespace
}  // namespace bulwark::protocol::mls
