// The witness's state (witness/state.h, witness/state_file.h): its text form round-trips
// exactly, anything else is refused, and the file is replaced atomically with mode 0600.
#include "witness/state.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "witness/support/temp_dir.h"
#include "witness/state_file.h"

namespace bulwark::witness {
namespace {

constexpr std::string_view vkey =
    "bulwark.test/kt+b9c2a1f0+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

WitnessState sample(bool alarm) {
  WitnessState state;
  state.log_vkey = std::string(vkey);
  state.size = 1234;
  for (std::size_t i = 0; i < state.root.size(); ++i) state.root[i] = std::byte(i);
  if (alarm) state.alarm = "log checkpoint 5 is smaller than checkpoint 1234: truncation";
  return state;
}

TEST(WitnessStateTest, TextFormRoundTripsExactly) {
  for (const bool alarm : {false, true}) {
    const WitnessState state = sample(alarm);
    const std::string text = encode_witness_state(state);
    const auto parsed = parse_witness_state(text);
    ASSERT_TRUE(parsed) << parsed.error().describe();
    EXPECT_EQ(*parsed, state);
    EXPECT_EQ(encode_witness_state(*parsed), text);
  }
  EXPECT_EQ(encode_witness_state(sample(false)),
            "bulwark-witness-state v1\nlog " + std::string(vkey) +
                "\nsize 1234\nroot AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
}

TEST(WitnessStateTest, ADisclosureStateNamesItsKindAndAKtStateStaysAsBefore) {
  WitnessState disclosure = sample(true);
  disclosure.kind = LogKind::disclosure;
  const std::string text = encode_witness_state(disclosure);
  EXPECT_EQ(text.substr(0, text.find("size ")),
            "bulwark-witness-state v1\nlog " + std::string(vkey) + "\nkind disclosure\n");
  const auto parsed = parse_witness_state(text);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(*parsed, disclosure);
  EXPECT_EQ(encode_witness_state(*parsed), text);
  EXPECT_EQ(parse_witness_state(encode_witness_state(sample(false))).value().kind, LogKind::kt);
}

TEST(WitnessStateTest, ParserRefusesAnythingElse) {
  const std::string good = encode_witness_state(sample(true));
  const std::string root = "root AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";
  const std::string head = "bulwark-witness-state v1\nlog x\n";
  const std::string bad[] = {
      "",
      good.substr(0, good.size() - 1),                 // unterminated last line
      "bulwark-witness-state v2\n" + good.substr(25),  // another version
      head + "size 01\n" + root,                       // leading zero
      head + "size -1\n" + root,
      head + "size 9223372036854775808\n" + root,                           // above int64
      head + "size 18446744073709551616\n" + root,                          // above uint64
      head + "size 1\nroot AAEC\n",                                         // not 32 bytes
      head + "size 1\nroot AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n",  // unpadded
      head + "size 1\n" + root + "alarm \n",                                // empty reason
      head + "size 1\n" + root + "alarm a\tb\n",                            // a control character
      head + "size 1\n" + root + "extra 1\n",
      head + "size 1\n" + root + "alarm a\nalarm b\n",
      good + "\n",
      "bulwark-witness-state v1\nlog \nsize 1\n" + root,
      "bulwark-witness-state v1\nsize 1\n" + root,
      head + "kind kt\nsize 1\n" + root,  // kt is never written: one encoding
      head + "kind lawful\nsize 1\n" + root,
      head + "kind \nsize 1\n" + root,
      head + "size 1\nkind disclosure\n" + root,  // out of order
      head + "kind disclosure\nkind disclosure\nsize 1\n" + root,
  };
  for (const std::string& text : bad) {
    EXPECT_FALSE(parse_witness_state(text)) << text;
  }
  EXPECT_EQ(parse_witness_state(std::string(state_max_bytes + 1, 'a')).error().code,
            Errc::invalid_length);
}

TEST(WitnessStateFileTest, FirstRunHasNoState) {
  testing::TempDir dir;
  const auto loaded = load_state(dir.path() / "missing");
  ASSERT_TRUE(loaded) << loaded.error().describe();
  EXPECT_FALSE(loaded->has_value());
}

TEST(WitnessStateFileTest, SavedStateLoadsBackAndIsReplacedWholeWithMode0600) {
  testing::TempDir dir;
  const auto state_dir = dir.path() / "state";
  ASSERT_TRUE(save_state(state_dir, sample(false)));
  ASSERT_TRUE(save_state(state_dir, sample(true)));
  const auto loaded = load_state(state_dir);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, sample(true));

  struct stat info {};
  ASSERT_EQ(::stat(state_file_path(state_dir).c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(state_dir.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(state_dir)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST(WitnessStateFileTest, CorruptStateFileIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  std::ofstream(state_file_path(dir.path())) << "bulwark-witness-state v1\nlog x\nsize 1\n";
  const auto loaded = load_state(dir.path());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, Errc::invalid_encoding);
  EXPECT_NE(loaded.error().context.find(state_file_path(dir.path()).string()), std::string::npos);
}

}  // namespace
}  // namespace bulwark::witness
