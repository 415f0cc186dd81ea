#include "cli/output.h"

#include <iostream>

namespace bulwark::cli {

int exit_code_for(const Error& error) {
  switch (error.code) {
    case Errc::network:
    case Errc::unavailable: return exit_network;
    case Errc::untrusted_identity:
    case Errc::invalid_proof: return exit_untrusted;  // a transparency proof that fails
    case Errc::rate_limited: return exit_rate_limited;
    case Errc::invalid_argument:
    case Errc::not_found:
    case Errc::conflict:
    case Errc::auth_failed: return exit_usage;
    default: return exit_unexpected;
  }
}

void Output::emit(const nlohmann::json& object, const std::string& text) const {
  if (json_) {
    std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << text << "\n";
  }
  std::cout.flush();
}

int Output::error(const Error& error) const {
  std::cerr << "bulwark: " << error.context << "\n";
  if (json_) {
    emit({{"type", "error"}, {"code", std::string(errc_name(error.code))}, {"message", error.context},
          {"exit_code", exit_code_for(error)}},
         "");
  }
  return exit_code_for(error);
}

void Output::log(const std::string& line) const { std::cerr << line << "\n"; }

}  // namespace bulwark::cli
