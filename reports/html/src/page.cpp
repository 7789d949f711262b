#include "page.h"

#include <map>
#include <stdexcept>
#include <string_view>

#include "kprof/reports/markup.h"
#include "page_assets.h"

namespace kprof::html {
namespace {

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Inside <script>, only "</script" ends the element; "<\/script" means the same to JavaScript in a
// string, a regular expression or a comment, the only places it can appear.
std::string script_text(std::string code) {
  replace_all(code, "</script", "<\\/script");
  replace_all(code, "</SCRIPT", "<\\/SCRIPT");
  return code;
}

// JSON for a <script type="application/json">: '<' written as \u003c (only strings can hold it),
// so that no value (a function name like operator<, a path) can close the element or open a comment.
std::string data_text(const nlohmann::json& data) {
  std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  replace_all(text, "<", "\\u003c");
  return text;
}

std::string library_scripts(const std::vector<ScriptLibrary>& libraries) {
  std::string out;
  for (const auto& lib : libraries) {
    std::string license = lib.license;
    replace_all(license, "*/", "* /");
    out += "<script>/*! " + lib.name + " " + lib.version + " (inlined by kprof report)\n" + license + "*/\n" +
           script_text(lib.code) + "\n</script>\n";
  }
  return out;
}

// Fills each /*KPROF:NAME*/ slot of the template once, in one pass: text put into a slot is never
// searched again, so a library that happens to contain a slot's marker cannot be altered.
std::string fill_slots(std::string_view page, const std::map<std::string, std::string>& slots) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t open = page.find("/*KPROF:", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("*/", open);
    if (close == std::string_view::npos) throw std::logic_error("page template: a slot without its */");
    const std::string name(page.substr(open + 8, close - open - 8));
    const auto slot = slots.find(name);
    if (slot == slots.end()) throw std::logic_error("page template: unknown slot /*KPROF:" + name + "*/");
    out.append(page.substr(at, open - at));
    out += slot->second;
    at = close + 2;
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace

std::string render_page(const std::string& title, const nlohmann::json& data,
                        const std::vector<ScriptLibrary>& libraries) {
  return fill_slots(kPageHtml, {{"TITLE", escape_markup(title)},
                                {"STYLE", std::string(kPageCss)},
                                {"DATA", data_text(data)},
                                {"LIBRARIES", library_scripts(libraries)},
                                {"APP", script_text(std::string(kPageJs))}});
}

}  // namespace kprof::html
