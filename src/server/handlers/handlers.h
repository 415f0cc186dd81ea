// Request handlers, one per api.proto request, grouped by concern: registration.cpp (codes,
// registration, authentication), accounts.cpp (usernames, discovery, devices), prekeys.cpp and
// messages.cpp, channel_writes.cpp and channel_reads.cpp. Each answers on the session's strand with exactly one Response.
#pragma once

namespace bulwark::api {
class Request;
}

namespace bulwark::server {

class DeviceSession;

void handle_request_code(DeviceSession& session, const api::Request& request);
void handle_register(DeviceSession& session, const api::Request& request);
void handle_authenticate(DeviceSession& session, const api::Request& request);

void handle_set_username(DeviceSession& session, const api::Request& request);
void handle_set_discoverable(DeviceSession& session, const api::Request& request);
void handle_lookup(DeviceSession& session, const api::Request& request);
void handle_whoami(DeviceSession& session, const api::Request& request);
void handle_add_device(DeviceSession& session, const api::Request& request);

void handle_upload_pre_keys(DeviceSession& session, const api::Request& request);
void handle_get_pre_key_counts(DeviceSession& session, const api::Request& request);
void handle_get_pre_key_bundles(DeviceSession& session, const api::Request& request);

void handle_send(DeviceSession& session, const api::Request& request);
// Abuse reports from encrypted chats (reports.cpp).
void handle_report_message(DeviceSession& session, const api::Request& request);
void handle_kt_config(DeviceSession& session, const api::Request& request);
void handle_kt_search(DeviceSession& session, const api::Request& request);
void handle_kt_checkpoint(DeviceSession& session, const api::Request& request);

void handle_channel_create(DeviceSession& session, const api::Request& request);
void handle_channel_append(DeviceSession& session, const api::Request& request);
void handle_channel_info(DeviceSession& session, const api::Request& request);
void handle_channel_subscribe(DeviceSession& session, const api::Request& request);
void handle_channel_unsubscribe(DeviceSession& session, const api::Request& request);
void handle_channel_read(DeviceSession& session, const api::Request& request);
void handle_channel_viewed(DeviceSession& session, const api::Request& request);
void handle_channel_list(DeviceSession& session, const api::Request& request);
void handle_moderation_report(DeviceSession& session, const api::Request& request);
void handle_moderation_notices(DeviceSession& session, const api::Request& request);
void handle_moderation_appeal(DeviceSession& session, const api::Request& request);
// A user's notices of lawful disclosures of their data (lawful.cpp).
void handle_lawful_notices(DeviceSession& session, const api::Request& request);
// MLS groups' delivery service (key_packages.cpp, groups.cpp; docs/GROUPS.md).
void handle_upload_key_packages(DeviceSession& session, const api::Request& request);
void handle_get_key_package_counts(DeviceSession& session, const api::Request& request);
void handle_take_key_packages(DeviceSession& session, const api::Request& request);
void handle_create_group(DeviceSession& session, const api::Request& request);
void handle_send_group_commit(DeviceSession& session, const api::Request& request);
void handle_send_group_message(DeviceSession& session, const api::Request& request);
// The device authenticated: joins the pushes of its account's channels.
void join_channel_subscriptions(DeviceSession& session);

}  // namespace bulwark::server
