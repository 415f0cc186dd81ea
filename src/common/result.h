// Result<T> and Error: the one error model of Bulwark.
//
// Every expected failure is a value: Result<T> holds either a T or an Error whose code names
// the failure and whose context is a short, secret-free description for logs and users.
// Broken invariants (programmer errors) are not expected failures: they call
// contract_violation(), which aborts, as sodium_misuse() does.
//
// Invariant: Error::context never holds key material, plaintext, tokens or passwords.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace bulwark {

// Every expected failure, libsignal-style. Authentication failures collapse to auth_failed:
// callers never learn "bad MAC" vs "bad padding".
enum class Errc {
  invalid_argument,   // a caller-supplied value is out of its documented domain
  invalid_length,     // a byte string has the wrong length
  invalid_encoding,   // bytes do not decode (non-canonical, malformed, out of range)
  truncated,          // a reader ran past the end of its input
  trailing_data,      // input has bytes after a complete value
  capacity_exceeded,  // a bounded writer or queue is full
  auth_failed,        // a MAC, tag, signature or padding check failed
  weak_key,           // a key is degenerate (small-order point, all-zero shared secret)
  internal,           // a library below us failed unexpectedly
  // Session-level failures (the protocol module).
  invalid_message,     // a message is well-formed bytes but not acceptable (version, fields)
  duplicate_message,   // a message's keys were already used: it was delivered before
  untrusted_identity,  // the peer's identity key is not the one the identity store trusts
  session_not_found,   // there is no usable session with that address
  invalid_key_id,      // a message names a prekey that the store does not hold
  // Service-level failures (store, server, client).
  not_found,     // no such account, device, username or record
  conflict,      // the value is taken (a username) or the state forbids the change
  storage,       // a database failed; nothing was changed
  rate_limited,  // too many attempts; retry later
  network,       // a connection failed, timed out or was closed
  unavailable,   // the service is shutting down or overloaded
  // Key transparency (the kt module).
  invalid_proof,  // a transparency proof does not prove what it claims
};

[[nodiscard]] std::string_view errc_name(Errc code) noexcept;

struct Error {
  Errc code;
  std::string context;

  // "code: context", safe to log.
  [[nodiscard]] std::string describe() const;
};

template <class T>
using Result = tl::expected<T, Error>;

[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string context) {
  return tl::unexpected<Error>(Error{code, std::move(context)});
}

// Aborts the process after printing `what` (which must not hold secrets). For broken
// invariants only, never for bad input.
[[noreturn]] void contract_violation(std::string_view what) noexcept;

namespace detail {
template <class T>
T take_value(Result<T>&& result) {
  return std::move(*result);
}
inline void take_value(Result<void>&& /*result*/) {}
}  // namespace detail

}  // namespace bulwark

// The one propagation macro: evaluates a Result-returning expression, returns its Error from
// the enclosing function on failure, and otherwise yields its value (or nothing for void).
//   auto key = BULWARK_TRY(parse_key(bytes));
// Use it only as a whole initializer or statement, never inside a braced initializer or an
// argument list: a return from a statement expression there skips the destructors of the
// members or arguments already built (fuzz/message_fuzz found such a leak).
#define BULWARK_TRY(expr)                                                 \
  __extension__({                                                         \
    auto bulwark_try_result_ = (expr);                                    \
    if (!bulwark_try_result_)                                             \
      return ::tl::unexpected(std::move(bulwark_try_result_).error());    \
    ::bulwark::detail::take_value(std::move(bulwark_try_result_));        \
  })
