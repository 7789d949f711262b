#pragma once
// The Run document as JSON (schema: docs/run.schema.json, schema_version kRunSchemaVersion).
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/run.h"

namespace kprof {

nlohmann::json to_json(const Run& run);

// Throws UsageError naming `source` (a file name) and the field when the document is not a kprof
// run, is of another schema_version, or lacks a required field.
Run run_from_json(const nlohmann::json& j, std::string_view source);

// Parse errors name the file and the byte offset. Google Benchmark's JSON output is read too
// (kprof/reports/gbench_json.h), recognised by its content.
Run read_run(const std::filesystem::path& path);
void write_run(const std::filesystem::path& path, const Run& run);  // atomic

}  // namespace kprof
