// The MLS codec: the official deserialization vectors, and the edges RFC 9420 §2.1.2 and our
// own bounds define (reserved prefix, non-minimal lengths, oversized vectors, bad optionals).
#include "protocol/mls/codec.h"

#include <gtest/gtest.h>

#include "support/vectors.h"

namespace bulwark::protocol::mls {
namespace {

Bytes mls_codec_hex(std::string_view text) { return bulwark::testing::hex(text); }

TEST(MlsCodecTest, OfficialDeserializationVectorsDecodeAndReencode) {
  const auto cases =
      bulwark::testing::load_json(bulwark::testing::shared_vector_path("mls/deserialization.json"));
  ASSERT_EQ(cases.size(), 14u);
  for (const auto& item : cases) {
    const Bytes header = mls_codec_hex(item.at("vlbytes_header").get<std::string>());
    const auto length = item.at("length").get<std::uint32_t>();
    TlsReader reader(header);
    const auto decoded = reader.varint();
    ASSERT_TRUE(decoded) << decoded.error().describe();
    EXPECT_EQ(*decoded, length);
    EXPECT_TRUE(reader.at_end());
    const auto encoded = encode_with([&](TlsWriter& w) { w.varint(length); });
    ASSERT_TRUE(encoded);
    EXPECT_EQ(*encoded, header) << "length " << length;
  }
}

TEST(MlsCodecTest, ReservedPrefixIsRefused) {
  const Bytes input = mls_codec_hex("c000000000000000");
  TlsReader reader(input);
  const auto decoded = reader.varint();
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, Errc::invalid_encoding);
}

TEST(MlsCodecTest, NonMinimalLengthsAreRefused) {
  for (const char* text : {"4000", "4025", "403f", "80000001", "80003fff"}) {
    const Bytes input = mls_codec_hex(text);
    TlsReader reader(input);
    const auto decoded = reader.varint();
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error().code, Errc::invalid_encoding) << text;
  }
}

TEST(MlsCodecTest, LargestVarintRoundTripsAndOneMoreFailsToEncode) {
  const auto encoded = encode_with([](TlsWriter& w) { w.varint(max_varint); });
  ASSERT_TRUE(encoded);
  EXPECT_EQ(*encoded, mls_codec_hex("bfffffff"));
  const auto too_big = encode_with([](TlsWriter& w) { w.varint(max_varint + 1ull); });
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, Errc::capacity_exceeded);
}

TEST(MlsCodecTest, OpaqueRespectsItsBoundAndTheInputLength) {
  const Bytes five = mls_codec_hex("050102030405");
  TlsReader ok(five);
  const auto body = ok.opaque(5);
  ASSERT_TRUE(body);
  EXPECT_EQ(Bytes(body->begin(), body->end()), mls_codec_hex("0102030405"));

  TlsReader bounded(five);
  const auto over = bounded.opaque(4);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::invalid_encoding);

  // A length claiming more bytes than were sent is truncated, never an allocation.
  const Bytes lying = mls_codec_hex("bfffffff00");
  TlsReader short_input(lying);
  const auto missing = short_input.opaque(max_varint);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::truncated);
}

TEST(MlsCodecTest, NestedVectorsRoundTrip) {
  const auto encoded = encode_with([](TlsWriter& w) {
    w.vector([](TlsWriter& items) {
      items.u16(1);
      items.opaque(mls_codec_hex("aabb"));
      items.present(true);
      items.u32(7);
    });
  });
  ASSERT_TRUE(encoded);
  EXPECT_EQ(*encoded, mls_codec_hex("0a"
                                    "0001"
                                    "02aabb"
                                    "01"
                                    "00000007"));

  const auto decoded = decode_all(*encoded, [](TlsReader& r) -> Result<std::uint32_t> {
    TlsReader items = BULWARK_TRY(r.vector(64));
    BULWARK_TRY(items.u16());
    BULWARK_TRY(items.opaque(8));
    const bool has = BULWARK_TRY(items.present());
    if (!has) return fail(Errc::invalid_encoding, "missing");
    const std::uint32_t value = BULWARK_TRY(items.u32());
    BULWARK_TRY(items.expect_end());
    return value;
  });
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(*decoded, 7u);
}

TEST(MlsCodecTest, PresenceByteMustBeZeroOrOne) {
  const Bytes input = mls_codec_hex("02");
  TlsReader reader(input);
  const auto flag = reader.present();
  ASSERT_FALSE(flag);
  EXPECT_EQ(flag.error().code, Errc::invalid_encoding);
}

TEST(MlsCodecTest, TrailingBytesAfterAWholeValueAreRefused) {
  const Bytes input = mls_codec_hex("0100ff");
  const auto decoded = decode_all(input, [](TlsReader& r) { return r.opaque(8); });
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, Errc::trailing_data);
}

TEST(MlsCodecTest, ReadItemsBoundsTheCount) {
  const Bytes input = mls_codec_hex("03010203");
  TlsReader reader(input);
  auto items = reader.vector(16);
  ASSERT_TRUE(items);
  const auto result = read_items(*items, 2, [](TlsReader& r) -> Result<void> {
    BULWARK_TRY(r.u8());
    return {};
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_encoding);
}

TEST(MlsCodecTest, WriterBoundFailsTheWholeEncoding) {
  const auto encoded = encode_with([](TlsWriter& w) { w.opaque(Bytes(10)); }, 8);
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.error().code, Errc::capacity_exceeded);
}

}  // namespace
}  // namespace bulwark::protocol::mls
