#pragma once
// The page's own template, style and script (reports/html/page/), compiled in by CMake.
#include <string_view>

namespace kprof::html {

extern const std::string_view kPageHtml;  // with /*KPROF:...*/ slots filled by render_page
extern const std::string_view kPageCss;
extern const std::string_view kPageJs;

}  // namespace kprof::html
