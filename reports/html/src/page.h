#pragma once
// One HTML file from the page template: the data blob, the charting libraries and the page's own
// style and script inlined, each escaped so that nothing in them can end its <script> early.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "script_libraries.h"

namespace kprof::html {

std::string render_page(const std::string& title, const nlohmann::json& data,
                        const std::vector<ScriptLibrary>& libraries);

}  // namespace kprof::html
