#include "server/code_sender.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace bulwark::server {
namespace {

class CodeSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bulwark-codes-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path dir_;
};

TEST_F(CodeSenderTest, FileSenderWritesOneJsonObjectPerLine) {
  const auto file = dir_ / "codes";
  auto sender = make_code_sender("file:" + file.string());
  ASSERT_TRUE(sender) << sender.error().describe();
  ASSERT_TRUE((*sender)->send("+12015550123", "123456"));
  ASSERT_TRUE((*sender)->send("+12015550124", "654321"));
  EXPECT_EQ(read(file),
            "{\"phone\":\"+12015550123\",\"code\":\"123456\"}\n"
            "{\"phone\":\"+12015550124\",\"code\":\"654321\"}\n");
}

TEST_F(CodeSenderTest, FileSenderAppendsToAnExistingFile) {
  const auto file = dir_ / "codes";
  std::ofstream(file) << "{\"phone\":\"+12015550100\",\"code\":\"000000\"}\n";
  auto sender = make_code_sender("file:" + file.string());
  ASSERT_TRUE(sender);
  ASSERT_TRUE((*sender)->send("+12015550123", "123456"));
  // A second sender on the same file (a restarted server) appends too.
  auto again = make_code_sender("file:" + file.string());
  ASSERT_TRUE(again);
  ASSERT_TRUE((*again)->send("+12015550123", "777777"));
  EXPECT_EQ(read(file),
            "{\"phone\":\"+12015550100\",\"code\":\"000000\"}\n"
            "{\"phone\":\"+12015550123\",\"code\":\"123456\"}\n"
            "{\"phone\":\"+12015550123\",\"code\":\"777777\"}\n");
}

TEST_F(CodeSenderTest, FileSenderCreatesParentDirectoriesAndAnOwnerOnlyFile) {
  const auto file = dir_ / "a" / "b" / "codes.jsonl";
  auto sender = make_code_sender("file:" + file.string());
  ASSERT_TRUE(sender);
  ASSERT_TRUE((*sender)->send("+12015550123", "123456"));
  ASSERT_TRUE(std::filesystem::is_regular_file(file));
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST_F(CodeSenderTest, FileSenderReportsAnUnwritablePathAsStorage) {
  const auto blocker = dir_ / "not-a-directory";
  std::ofstream(blocker) << "x";
  auto sender = make_code_sender("file:" + (blocker / "codes").string());
  ASSERT_TRUE(sender);
  const auto sent = (*sender)->send("+12015550123", "123456");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::storage);
  EXPECT_EQ(sent.error().context.find("123456"), std::string::npos);
}

TEST_F(CodeSenderTest, FileSenderDescribesItsPath) {
  const auto file = dir_ / "codes";
  auto sender = make_code_sender("file:" + file.string());
  ASSERT_TRUE(sender);
  EXPECT_EQ((*sender)->describe(), "file " + file.string());
}

TEST(LogCodeSenderTest, PrintsTheCodeThroughTheServerLogger) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  auto sender = make_code_sender("log");
  ASSERT_TRUE(sender);
  const auto sent = (*sender)->send("+12015550123", "123456");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(sent);
  EXPECT_NE(out.str().find("verification code for +12015550123: 123456"), std::string::npos)
      << out.str();
  EXPECT_NE((*sender)->describe().find("console"), std::string::npos);
}

TEST(CodeSenderSettingTest, UnknownOrIncompleteSettingsAreInvalidArgument) {
  for (const char* setting :
       {"", "LOG", "log:", "smtp:x", "file:", "file", "webhook:", "webhook:ftp://example.org/x",
        "webhook:example.org", "webhook:http://", "webhook:https://user@example.org/"}) {
    const auto sender = make_code_sender(setting);
    ASSERT_FALSE(sender) << setting;
    EXPECT_EQ(sender.error().code, Errc::invalid_argument) << setting;
  }
}

TEST(CodeSenderSettingTest, WebhookSettingDescribesTheUrlWithoutItsQuery) {
  const auto sender = make_code_sender("webhook:https://sms.example.org/send?api_key=secret");
  ASSERT_TRUE(sender) << sender.error().describe();
  EXPECT_EQ((*sender)->describe(), "webhook https://sms.example.org/send");
}

}  // namespace
}  // namespace bulwark::server
