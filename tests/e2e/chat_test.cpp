// `bulwark chat PEER`: lines typed are sent, messages arriving meanwhile are printed, and end of
// input ends it with exit 0.
#include <gtest/gtest.h>

#include "support/accounts.h"
#include "support/wait.h"

namespace bulwark::e2e {
namespace {

constexpr auto chat_timeout = std::chrono::seconds(20);

// The JSON lines of `out` whose "type" is `type` and "body" is `body`.
bool printed(const std::string& out, const std::string& type, const std::string& body) {
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) break;  // a line still being written
    auto line = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.value("type", "") == type && line.value("body", "") == body)
      return true;
    start = end + 1;
  }
  return false;
}

TEST(ChatTest, TypedLinesAreSentAndArrivingMessagesArePrinted) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(41));
  Account bob = register_account(tmp, server, "bob", test_phone(42));

  auto chat = alice.cli.start({"chat", bob.phone}, /*stdin_pipe=*/true);
  chat->process().write_stdin("hello from the chat\n\nsecond line\n", chat_timeout);
  ASSERT_TRUE(poll_until(chat_timeout, [&] {
    return printed(chat->out(), "sent", "second line") || chat->process().try_wait().has_value();
  })) << chat->out() << chat->err();
  EXPECT_TRUE(printed(chat->out(), "sent", "hello from the chat")) << chat->out();

  auto at_bob = receive_messages(bob, 2);
  ASSERT_EQ(at_bob.size(), 2u);
  EXPECT_EQ(at_bob[0]["body"], "hello from the chat");
  EXPECT_EQ(at_bob[1]["body"], "second line");  // the empty line was not sent

  CliResult reply = send_message(bob, alice.phone, "answer while chatting");
  ASSERT_EQ(reply.exit_code(), 0) << reply.describe();
  EXPECT_TRUE(poll_until(chat_timeout, [&] {
    return printed(chat->out(), "message", "answer while chatting") ||
           chat->process().try_wait().has_value();
  })) << chat->out() << chat->err();
  EXPECT_TRUE(printed(chat->out(), "message", "answer while chatting")) << chat->out();

  chat->process().close_stdin();
  CliResult ended = chat->finish(chat_timeout);
  EXPECT_EQ(ended.exit_code(), 0) << ended.describe();
  // Received in the chat, so acknowledged: nothing is waiting for Alice any more.
  EXPECT_TRUE(receive_messages(alice, 0).empty());
}

}  // namespace
}  // namespace bulwark::e2e
