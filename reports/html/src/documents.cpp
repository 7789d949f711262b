#include "documents.h"

#include <algorithm>
#include <system_error>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/reports/run_json.h"

namespace kprof::html {
namespace {

namespace fs = std::filesystem;

// Folders a report folder may hold that never contain kprof documents (and may be large).
bool skipped_folder(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name == "node_modules";
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw UsageError("cannot read the folder '" + dir.string() + "': " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec) && skipped_folder(it->path())) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
  }
  // The folder's own run.json first, then the profilers' documents in path order.
  std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) {
    const bool a_top = a.parent_path() == dir, b_top = b.parent_path() == dir;
    return a_top != b_top ? a_top : a < b;
  });
  return files;
}

bool looks_like_kprof_document(const nlohmann::json& j) {
  return j.is_object() && j.contains("schema_version") && j.contains("kprof_version");
}

// `kprof regress --json` and `kprof history show --json`: version 1 is the one this page can show.
bool is_gate_document(const nlohmann::json& j) {
  const std::string kind = j.is_object() ? j.value("kind", "") : "";
  return kind == "kprof-regress" || kind == "kprof-history";
}

void add_gate_document(const std::string& file, nlohmann::json j, Documents& found) {
  const std::string kind = j.value("kind", "");
  const char* list = kind == "kprof-regress" ? "benchmarks" : "series";
  if (j.value("schema_version", 0) != 1 || !j.contains(list) || !j[list].is_array()) {
    found.notes.push_back(file + ": a " + kind + " document of schema version " +
                          j.value("schema_version", nlohmann::json(nullptr)).dump() +
                          " (this kprof reads 1); left out");
    return;
  }
  (kind == "kprof-regress" ? found.comparisons : found.histories).push_back({file, std::move(j)});
}

}  // namespace

Documents collect_documents(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UsageError("'" + dir.string() + "' is not a folder");
  Documents found;
  for (const fs::path& path : json_files(dir)) {
    const std::string file = fs::relative(path, dir, ec).generic_string();
    nlohmann::json j = nlohmann::json::parse(read_file(path), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      found.notes.push_back(file + ": not valid JSON, left out");
      continue;
    }
    if (is_gate_document(j)) {
      add_gate_document(file, std::move(j), found);
      continue;
    }
    if (!looks_like_kprof_document(j)) continue;  // someone else's JSON file
    try {
      found.runs.push_back({file, run_from_json(j, file)});
    } catch (const UsageError& e) {
      found.notes.push_back(std::string(e.what()) + "; left out");
    }
  }
  return found;
}

}  // namespace kprof::html
