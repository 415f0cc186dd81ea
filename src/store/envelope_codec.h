// The byte encoding of a queued envelope, shared by the two places that carry one outside the
// database's rows: the cluster bus (server/bus/bus_message.h) and the SQLite store's journal of
// its in-memory queues (store/hot/journal_block.h). Big-endian; each variable field is a u32
// length and its bytes.
#pragma once

#include <cstddef>

#include "common/reader.h"
#include "common/result.h"
#include "common/writer.h"
#include "store/records.h"

namespace bulwark::store {

void write_device_address(Writer& out, const DeviceAddress& device);
[[nodiscard]] Result<DeviceAddress> read_device_address(Reader& in);

// Every field, the queue position (seq) and the destination included.
void write_envelope(Writer& out, const Envelope& envelope);
// Errc::invalid_message when the content is empty or a variable field is longer than
// `max_field_bytes`; Errc::truncated when the input ends early.
[[nodiscard]] Result<Envelope> read_envelope(Reader& in, std::size_t max_field_bytes);

}  // namespace bulwark::store
