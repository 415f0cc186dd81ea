#include "cli/stdin_body.h"

#include <iostream>

#include "client/content.h"

namespace bulwark::cli {

std::string read_stdin_body() {
  std::string body;
  char buffer[4096];
  while (body.size() <= client::max_body_bytes && std::cin.read(buffer, sizeof buffer))
    body.append(buffer, sizeof buffer);
  body.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
  if (!body.empty() && body.back() == '\n') body.pop_back();
  return body;
}

}  // namespace bulwark::cli
