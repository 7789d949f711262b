#pragma once
// JSON laid out for golden files (golden.h): one object member per line; the elements of the
// outermost array of objects (a section's "results") laid out the same way; deeper arrays of
// objects or arrays one compact row per line, so that a pattern line starting with {repeat} can
// stand for however many rows a machine produces. Arrays of numbers and strings stay on one line.
#include <string>

#include <nlohmann/json.hpp>

namespace kprof::test {

std::string golden_json(const nlohmann::json& j);

}  // namespace kprof::test
