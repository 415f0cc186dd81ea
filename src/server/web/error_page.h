// The web preview's error pages. A private channel gets render_not_found_page() exactly like a
// channel that does not exist (status 404, same bytes), so the preview never tells them apart.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::server::web {

// <h1>Channel not found</h1>; serve with status 404.
[[nodiscard]] std::string render_not_found_page();

// <h1> from the status (e.g. 400 "Bad request"), `message` (escaped) below it.
[[nodiscard]] std::string render_error_page(int status, std::string_view message);

}  // namespace bulwark::server::web
