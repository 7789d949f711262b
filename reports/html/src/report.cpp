#include "kprof/html/report.h"

#include "documents.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "page.h"
#include "page_data.h"
#include "script_libraries.h"
#include "summary_markdown.h"

namespace kprof::html {
namespace {

namespace fs = std::filesystem;

std::string folder_name(const fs::path& dir) {
  const fs::path absolute = fs::absolute(dir).lexically_normal();
  const std::string name = (absolute.has_filename() ? absolute : absolute.parent_path()).filename().string();
  return name.empty() ? absolute.string() : name;
}

[[noreturn]] void nothing_usable(const fs::path& dir, const Documents& documents) {
  std::string why =
      "no kprof document in '" + dir.string() + "' (kprof run --out DIR, or a profiler's --out, writes them)";
  for (const auto& note : documents.notes) why += "\n  " + note;
  throw UsageError(why);
}

}  // namespace

ReportOutcome write_report(const fs::path& dir, const ReportOptions& options) {
  const Documents documents = collect_documents(dir);
  if (documents.runs.empty() && documents.comparisons.empty() && documents.histories.empty())
    nothing_usable(dir, documents);
  const std::vector<ScriptLibrary> libraries = load_script_libraries();
  const std::string folder = folder_name(dir);
  const std::string page = render_page("kprof report: " + folder, page_data(documents, dir, folder), libraries);
  ReportOutcome outcome;
  outcome.page = dir / "index.html";
  write_file_atomically(outcome.page, page);
  if (!options.markdown.empty()) {
    const fs::path relative =
        fs::relative(outcome.page, options.markdown.parent_path().empty() ? "." : options.markdown.parent_path());
    write_file_atomically(options.markdown, summary_markdown(documents, relative.generic_string()));
  }
  outcome.bytes = page.size();
  outcome.documents = documents.runs.size();
  outcome.notes = documents.notes;
  return outcome;
}

}  // namespace kprof::html
