#pragma once
// The annotated source: one view per function with every per-line figure kprof has side by side,
// like KCachegrind's source view but across profilers — line-timer time and hits (`kprof lines`),
// instructions (`kprof callgrind`), CPU samples (`kprof cpu`) and bytes allocated (`kprof mem`),
// one column per profiled kernel, each with the total of its region so that a cell reads as a
// share of it.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "documents.h"

namespace kprof::html {

// [{function, file, columns: [{label, kind, total, document}], lines: [{line, text, values: [number|null]}],
//   hottest: [{column, line}]}]: the lines are the hottest first, and the functions with the largest
// share of any column come first. Only the program's own files (not system headers or libraries)
// whose text can be read; `notes` gets why a profile could not be read.
nlohmann::json source_views(const Documents& documents, const std::filesystem::path& dir,
                            std::vector<std::string>& notes);

}  // namespace kprof::html
