#include "kprof/history/history.h"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "kprof/atomic_file.h"
#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/reports/run_json.h"
#include "kprof/sections.h"

namespace kprof::history {
namespace {

// A prepared statement that finalizes itself; errors name the database file.
class Statement {
 public:
  Statement(sqlite3* db, const std::filesystem::path& path, const char* sql) : path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw UsageError(path.string() + ": history database error: " + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, std::optional<double> v) {
    if (v)
      sqlite3_bind_double(stmt_, i, *v);
    else
      sqlite3_bind_null(stmt_, i);
    return *this;
  }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw UsageError(path_.string() + ": history database error: " + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
  }
  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<double> real(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(stmt_, col);
  }

 private:
  std::filesystem::path path_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Per benchmark key: Ir per call (callgrind section) and peak bytes (memory section), the figures
// the history keeps next to the wall time.
std::map<std::string, double> ir_per_call(const Run& run) {
  std::map<std::string, double> out;
  if (auto section = run.section<CallgrindSection>())
    for (const auto& e : section->results)
      if (auto ir = e.per_call_cost("Ir")) out.emplace(e.subject.key, *ir);
  return out;
}

std::map<std::string, double> peak_bytes(const Run& run) {
  std::map<std::string, double> out;
  if (auto section = run.section<MemorySection>())
    for (const auto& e : section->results) out.emplace(e.subject.key, static_cast<double>(e.peak_bytes));
  return out;
}

std::optional<double> value_of(const std::map<std::string, double>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::nullopt : std::optional<double>(it->second);
}

// Benchmarks a profiler section measured that the run's results do not list (a `kprof callgrind` or
// `kprof mem` document has no timed results): they get rows too, so that their instructions and
// bytes have a history. A program (not a kernel) has no benchmark key to file it under.
std::vector<Subject> section_only_subjects(const Run& run) {
  std::set<std::string> known;
  for (const Result& r : run.results) known.insert(r.key());
  std::vector<Subject> out;
  auto add = [&](const Subject& s) {
    if (!s.is_program() && known.insert(s.key).second) out.push_back(s);
  };
  if (auto section = run.section<CallgrindSection>())
    for (const auto& e : section->results) add(e.subject);
  if (auto section = run.section<MemorySection>())
    for (const auto& e : section->results) add(e.subject);
  return out;
}

// Keys of the benchmarks `kprof callgrind --compare` found wrong (their counts are not a history).
std::set<std::string> wrong_under_callgrind(const Run& run) {
  std::set<std::string> out;
  if (auto section = run.section<CallgrindSection>())
    for (const auto& e : section->results)
      if (e.matches_reference == false) out.insert(e.subject.key);
  return out;
}

// The results rows of run `id`: one per timed result, and one per benchmark only a profiler
// section measured; each with the Ir per call and peak bytes its sections recorded.
void insert_results(sqlite3* db, const std::filesystem::path& path, std::int64_t id, const Run& run) {
  const auto ir = ir_per_call(run), peak = peak_bytes(run);
  for (const Result& r : run.results) {
    const std::string key = r.key();
    const bool timed = r.status == Status::ok && !r.time.round_ns.empty();
    Statement one(db, path,
                  "INSERT OR REPLACE INTO results(run_id, key, family, variant, dtype, size, status, median_ns, "
                  "mad_ns, max_rel_error, ir_per_call, peak_bytes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                  "?10, ?11, ?12)");
    one.bind(1, id)
        .bind(2, key)
        .bind(3, r.family)
        .bind(4, r.variant)
        .bind(5, std::string(to_string(r.dtype)))
        .bind(6, r.size.str())
        .bind(7, std::string(to_string(r.status)))
        .bind(8, timed ? std::optional<double>(r.time.median_ns) : std::nullopt)
        .bind(9, timed ? std::optional<double>(r.time.mad_ns) : std::nullopt)
        .bind(10, std::optional<double>(r.max_rel_error))
        .bind(11, value_of(ir, key))
        .bind(12, value_of(peak, key));
    one.step();
  }
  const auto wrong = wrong_under_callgrind(run);
  for (const Subject& subject : section_only_subjects(run)) {
    Statement one(db, path,
                  "INSERT OR REPLACE INTO results(run_id, key, family, variant, dtype, size, status, ir_per_call, "
                  "peak_bytes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    one.bind(1, id)
        .bind(2, subject.key)
        .bind(3, subject.family)
        .bind(4, subject.variant)
        .bind(5, std::string(to_string(subject.dtype)))
        .bind(6, subject.size.str())
        .bind(7, std::string(wrong.count(subject.key) ? "wrong" : "not timed"))
        .bind(8, value_of(ir, subject.key))
        .bind(9, value_of(peak, subject.key));
    one.step();
  }
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  commit_sha TEXT NOT NULL, branch TEXT NOT NULL, created_utc TEXT NOT NULL, recorded_utc TEXT NOT NULL,
  fingerprint TEXT NOT NULL, hostname TEXT NOT NULL, kprof_version TEXT NOT NULL, command TEXT NOT NULL,
  document TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, key TEXT NOT NULL,
  family TEXT NOT NULL, variant TEXT NOT NULL, dtype TEXT NOT NULL, size TEXT NOT NULL, status TEXT NOT NULL,
  median_ns REAL, mad_ns REAL, max_rel_error REAL, ir_per_call REAL, peak_bytes REAL,
  PRIMARY KEY(run_id, key));
CREATE INDEX IF NOT EXISTS results_by_key ON results(key);
CREATE INDEX IF NOT EXISTS runs_by_branch ON runs(branch, created_utc);
)sql";

}  // namespace

std::filesystem::path default_history_path() {
  if (const char* p = std::getenv("KPROF_HISTORY_DB"); p && *p) return p;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::filesystem::path(x) / "kprof/history.sqlite";
  if (const char* h = std::getenv("HOME"); h && *h)
    return std::filesystem::path(h) / ".local/share/kprof/history.sqlite";
  return "kprof-history.sqlite";
}

HistoryDb::HistoryDb(const std::filesystem::path& path) : path_(path) {
  if (path.has_parent_path()) ensure_writable_dir(path.parent_path());
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw UsageError(path.string() + ": cannot open history database: " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);  // CI jobs may record concurrently
  try {
    exec("PRAGMA foreign_keys = ON;");
    refuse_foreign_database();
    // Created in one write transaction, the version row inserted only if absent: two first writers
    // to a new database take turns (busy timeout) instead of failing on meta's primary key.
    exec("BEGIN IMMEDIATE;");
    exec(kSchema);
    Statement put(db_, path_, "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', ?1)");
    put.bind(1, std::to_string(kHistorySchemaVersion)).step();
    exec("COMMIT;");
    Statement get(db_, path_, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (get.step() && get.text(0) != std::to_string(kHistorySchemaVersion))
      throw UsageError(path.string() + ": history schema_version " + get.text(0) +
                       " is not supported (this kprof reads " + std::to_string(kHistorySchemaVersion) + ")");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

// A database that already has tables but not kprof's (meta with a schema_version) belongs to another
// application: kprof refuses it rather than adding its tables to it.
void HistoryDb::refuse_foreign_database() const {
  Statement tables(db_, path_,
                   "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  std::string names;
  bool has_meta = false;
  while (tables.step()) {
    has_meta |= tables.text(0) == "meta";
    names += (names.empty() ? "" : ", ") + tables.text(0);
  }
  if (names.empty()) return;  // a new database
  if (has_meta) {
    Statement marker(db_, path_, "SELECT count(*) FROM meta WHERE key = 'schema_version'");
    if (marker.step() && marker.text(0) != "0") return;
  }
  throw UsageError(path_.string() + " is an SQLite database of another application (tables: " + names +
                   "), not a kprof history: give kprof a database of its own (--db or KPROF_HISTORY_DB)");
}

HistoryDb::~HistoryDb() { sqlite3_close(db_); }

void HistoryDb::exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw UsageError(path_.string() + ": not a usable kprof history database: " + msg);
  }
}

std::int64_t HistoryDb::record(const Run& run, const std::string& branch, const std::string& commit) {
  exec("BEGIN IMMEDIATE");
  try {
    Statement ins(db_, path_,
                  "INSERT INTO runs(commit_sha, branch, created_utc, recorded_utc, fingerprint, hostname, "
                  "kprof_version, command, document) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    ins.bind(1, commit.empty() ? run.git_commit : commit)
        .bind(2, branch)
        .bind(3, run.created_utc)
        .bind(4, utc_now())
        .bind(5, run.environment.fingerprint)
        .bind(6, run.environment.hostname)
        .bind(7, run.kprof_version)
        .bind(8, run.command)
        .bind(9, to_json(run).dump());
    ins.step();
    const std::int64_t id = sqlite3_last_insert_rowid(db_);
    insert_results(db_, path_, id, run);
    exec("COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<RunInfo> HistoryDb::runs(const std::string& branch, const std::string& fingerprint, int limit) const {
  Statement q(db_, path_,
              "SELECT id, commit_sha, branch, created_utc, fingerprint, hostname, command FROM runs "
              "WHERE (?1 = '' OR branch = ?1) AND (?2 = '' OR fingerprint = ?2) "
              "ORDER BY created_utc DESC, id DESC LIMIT ?3");
  q.bind(1, branch).bind(2, fingerprint).bind(3, std::int64_t{limit});
  std::vector<RunInfo> out;
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)});
  return out;
}

Run HistoryDb::load(std::int64_t run_id) const {
  Statement q(db_, path_, "SELECT document FROM runs WHERE id = ?1");
  q.bind(1, run_id);
  if (!q.step()) throw UsageError(path_.string() + ": no recorded run with id " + std::to_string(run_id));
  nlohmann::json j;
  const std::string source = path_.string() + " (run " + std::to_string(run_id) + ")";
  try {
    j = nlohmann::json::parse(q.text(0));
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(source + ": stored document is not valid JSON at byte " + std::to_string(e.byte));
  }
  return run_from_json(j, source);
}

std::vector<std::string> HistoryDb::keys(const std::string& branch) const {
  Statement q(db_, path_,
              "SELECT DISTINCT r.key FROM results r JOIN runs u ON u.id = r.run_id WHERE (?1 = '' OR u.branch = ?1) "
              "ORDER BY r.key");
  q.bind(1, branch);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<Point> HistoryDb::series(const std::string& key, const std::string& branch) const {
  Statement q(db_, path_,
              "SELECT u.id, u.commit_sha, u.created_utc, u.fingerprint, r.status, r.median_ns, r.ir_per_call, "
              "r.peak_bytes FROM results r JOIN runs u ON u.id = r.run_id WHERE r.key = ?1 AND "
              "(?2 = '' OR u.branch = ?2) ORDER BY u.created_utc, u.id");
  q.bind(1, key).bind(2, branch);
  std::vector<Point> out;
  while (q.step())
    out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.real(5), q.real(6), q.real(7)});
  return out;
}

}  // namespace kprof::history
