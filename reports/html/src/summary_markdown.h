#pragma once
// The folder's Markdown summary (scripts/run.sh's report.md, fit for a CI step summary): one
// environment table, one comparison per family (variants × size and dtype), and pointers to the
// page and to every document's own report. The page has the rest.
#include <string>

#include "documents.h"

namespace kprof::html {

std::string summary_markdown(const Documents& documents, const std::string& page_file);

}  // namespace kprof::html
