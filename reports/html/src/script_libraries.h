#pragma once
// The charting libraries the page inlines (Vega, Vega-Lite, vega-embed), read from node_modules as
// pinned by package-lock.json; nothing is downloaded when a report is made.
#include <filesystem>
#include <string>
#include <vector>

namespace kprof::html {

struct ScriptLibrary {
  std::string name;     // npm package name
  std::string version;  // from its package.json
  std::string license;  // its LICENSE text (kept with the code it covers)
  std::string code;     // the minified browser build, its source-map comment removed
};

// In load order (vega-embed needs the other two). node_modules is looked for in
// $KPROF_NODE_MODULES, then the source tree kprof was built from, then
// <binary>/../share/kprof/node_modules. Throws UsageError naming the places looked at and the
// command that installs the libraries when none holds them.
std::vector<ScriptLibrary> load_script_libraries();

}  // namespace kprof::html
