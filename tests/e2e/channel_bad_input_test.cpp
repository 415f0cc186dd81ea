// Bad channel input with real processes: each is refused with a clear error and a non-zero
// exit, and nothing reaches the server's store.
#include <gtest/gtest.h>

#include "support/channels.h"

namespace bulwark::e2e {
namespace {

struct Refusal {
  std::vector<std::string> args;
  std::string says;  // part of the error message
};

TEST(ChannelBadInputTest, BadInputIsRefusedClearlyAndNothingIsStored) {
  TempDir tmp;
  ServerProcess server(tmp.path() / "srv");
  Account alice = register_account(tmp, server, "alice", test_phone(70));
  Account bob = register_account(tmp, server, "bob", test_phone(71));
  create_channel(alice, "town_hall");
  EXPECT_EQ(post_to(alice, "town_hall", "agenda"), 2u);

  const std::vector<Refusal> refusals{
      {{"create", "abc"}, "5-32 characters"},
      {{"create", std::string(33, 'a')}, "5-32 characters"},
      {{"create", "support"}, "reserved"},
      {{"create", "bulwark_news"}, "reserved"},
      {{"create", "caf\xc3\xa9_news"}, "only ASCII letters, digits and underscores"},
      {{"create", "1st_news"}, "starts with a letter"},
      {{"create", "good_news", "--title", std::string(129, 't')}, "title is longer than 128"},
      {{"post", "town_hall", "-m", std::string(4097, 'x')}, "longer than 4096 characters"},
      {{"post", "town_hall", "-m", ""}, "is empty"},
      {{"post", "no_such_channel", "-m", "hello"}, "no channel @no_such_channel"},
      {{"read", "no_such_channel"}, "no channel @no_such_channel"},
      {{"read", "town_hall", "--after", "99"}, "no entry #99 in @town_hall"},
      {{"read", "town_hall", "--limit", "0"}, "limit is 1 to 1000"},
      {{"read", "town_hall", "--limit", "1001"}, "limit is 1 to 1000"},
      {{"edit", "town_hall", "99", "-m", "x"}, "no post #99 of @town_hall"},
      {{"edit", "town_hall", "1", "-m", "x"}, "is not a post"},
      {{"delete", "town_hall", "7"}, "no post #7 of @town_hall"},
      {{"subscribe", "town_hall", "--invite", "not-an-invite"}, "not a channel invite"},
      {{"admins", "town_hall", "--add", "nobody"}, "a peer is +PHONE"},
  };
  for (const Refusal& refusal : refusals) {
    CliResult refused = channel(alice, refusal.args);
    EXPECT_EQ(refused.exit_code(), 1) << refused.describe();
    EXPECT_NE(error_message(refused).find(refusal.says), std::string::npos) << refused.describe();
    EXPECT_NE(refused.err.find(refusal.says), std::string::npos) << refused.describe();
  }
  // A handle that is taken is refused by the server, and Bob keeps nothing of his attempt: it
  // is still Alice's channel, and Bob may not post to it.
  CliResult taken = channel(bob, {"create", "town_hall"});
  EXPECT_EQ(taken.exit_code(), 1) << taken.describe();
  EXPECT_NE(error_message(taken).find("@town_hall is taken"), std::string::npos) << taken.describe();
  CliResult not_his = channel(bob, {"post", "town_hall", "-m", "mine now"});
  EXPECT_EQ(not_his.exit_code(), 1) << not_his.describe();

  // The server's store holds the CREATE entry and the one post, nothing else.
  ASSERT_EQ(server.stop().code, 0);
  EXPECT_EQ(stored_channel_entries(server), 2);
  server.restart();
  CliResult read = channel(bob, {"read", "town_hall", "--after", "0"});
  ASSERT_EQ(read.exit_code(), 0) << read.describe();
  EXPECT_EQ(entries_of(read).size(), 2u) << read.describe();
}

}  // namespace
}  // namespace bulwark::e2e
