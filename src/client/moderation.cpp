#include "client/moderation.h"

#include <algorithm>

#include "client/detail/channel_ops.h"
#include "client/detail/client_impl.h"
#include "client/moderator_pins.h"
#include "moderation/category.h"
#include "moderation/signed_action.h"

namespace bulwark::client {
namespace {

constexpr std::size_t max_comment_bytes = 1000;
constexpr std::size_t max_appeal_bytes = 2000;

std::string text_of_bytes(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Checks a logged action's signature against the moderator's pinned key (moderator_pins.h),
// and that its signed record says what the notice says.
void check_signed(std::span<const PinnedModerator> pinned, const api::ModerationNotice& notice,
                  ModerationNoticeView& view) {
  if (notice.record().empty()) {
    if (notice.action() != "hide") view.problem = "the server sent a decision without its signature";
    return;
  }
  auto record = check_pinned_action(pinned, as_bytes(notice.record()), as_bytes(notice.signature()));
  if (!record) {
    view.problem = record.error().context;
    return;
  }
  if (record->case_id != notice.case_id() || record->reason != notice.reason() ||
      record->moderator != notice.moderator() ||
      moderation::action_name(record->action) != notice.action() ||
      !std::ranges::equal(ByteView(record->moderator_key), as_bytes(notice.moderator_key()))) {
    view.problem = "the server's notice differs from the signed action";
    return;
  }
  view.signed_ok = true;
}

}  // namespace

Result<ReportReceipt> Moderation::report(std::string_view handle, std::uint64_t seq,
                                         std::string_view category, std::string_view comment) {
  auto parsed = moderation::category_from_name(category);
  if (!parsed)
    return fail(Errc::invalid_argument, "unknown category '" + std::string(category) +
                                            "': use violence, drugs, csam, hate, terrorism, "
                                            "spam or other");
  BULWARK_TRY(moderation::check_free_text(comment, max_comment_bytes, "the comment"));
  const std::string canonical = BULWARK_TRY(handle_argument(handle));
  LoadedChannel loaded = BULWARK_TRY(load_channel(impl_, canonical, PinMode::check_only));
  api::Request request;
  api::ModerationReport* out = request.mutable_moderation_report();
  out->set_channel_id(text_of_bytes(loaded.id()));
  out->set_seq(seq);
  out->set_category(static_cast<api::ReportCategory>(*parsed));
  out->set_comment(std::string(comment));
  const api::Response response = BULWARK_TRY(impl_.call(std::move(request)));
  return ReportReceipt{response.moderation_report().case_id(), response.moderation_report().counted()};
}

Result<std::vector<ModerationNoticeView>> Moderation::notices() {
  BULWARK_TRY(impl_.require_account());
  api::Request request;
  request.mutable_moderation_notices();
  const api::Response response = BULWARK_TRY(impl_.call(std::move(request)));
  std::vector<std::string> names;
  for (const api::ModerationNotice& notice : response.moderation_notices().notices())
    if (auto name = action_moderator(as_bytes(notice.record()))) names.push_back(std::move(*name));
  const std::vector<PinnedModerator> pinned = BULWARK_TRY(moderators_for(impl_, names));
  std::vector<ModerationNoticeView> out;
  for (const api::ModerationNotice& notice : response.moderation_notices().notices()) {
    ModerationNoticeView view;
    view.case_id = notice.case_id();
    view.action = notice.action();
    view.reason = notice.reason();
    view.moderator = notice.moderator();
    view.time_ms = static_cast<std::int64_t>(notice.time_ms());
    view.category = notice.category();
    view.state = notice.state();
    view.seq = notice.seq();
    view.appealable = notice.appealable();
    if (!notice.channel_id().empty()) {
      if (auto pin = impl_.store->pinned_channel_by_id(as_bytes(notice.channel_id())); pin && *pin)
        view.channel_handle = (*pin)->handle;
    }
    check_signed(pinned, notice, view);
    out.push_back(std::move(view));
  }
  return out;
}

Result<void> Moderation::appeal(std::uint64_t case_id, std::string_view text) {
  if (text.empty()) return fail(Errc::invalid_argument, "an appeal needs a text (-m TEXT)");
  BULWARK_TRY(moderation::check_free_text(text, max_appeal_bytes, "the appeal"));
  BULWARK_TRY(impl_.require_account());
  api::Request request;
  request.mutable_moderation_appeal()->set_case_id(case_id);
  request.mutable_moderation_appeal()->set_text(std::string(text));
  BULWARK_TRY(impl_.call(std::move(request)));
  return {};
}

Moderation Client::moderation() { return Moderation(*impl_); }

}  // namespace bulwark::client
