#pragma once
// Text put into markup kprof writes: the JUnit XML of the regression gate, the HTML page.
#include <string>
#include <string_view>

namespace kprof {

// `text` with & < > " ' escaped as entities (valid in XML 1.0 and HTML, in content and in quoted
// attributes); control characters XML 1.0 forbids even escaped become '?' (tab, newline and
// carriage return stay).
std::string escape_markup(std::string_view text);

}  // namespace kprof
