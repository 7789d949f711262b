#include "support/golden_json.h"

namespace kprof::test {
namespace {

// `arrays` counts the arrays of objects already expanded above `j`.
void write(const nlohmann::json& j, const std::string& indent, int arrays, std::string& out) {
  if (j.is_object() && !j.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
      out += indent + "  " + nlohmann::json(it.key()).dump() + ": ";
      write(it.value(), indent + "  ", arrays, out);
      out += i + 1 < j.size() ? ",\n" : "\n";
    }
    out += indent + "}";
    return;
  }
  const bool of_containers = j.is_array() && !j.empty() && (j.front().is_object() || j.front().is_array());
  if (!of_containers) {
    out += j.dump();
    return;
  }
  out += "[\n";
  for (std::size_t i = 0; i < j.size(); ++i) {
    out += indent + "  ";
    if (arrays == 0)
      write(j[i], indent + "  ", arrays + 1, out);
    else
      out += j[i].dump();
    out += i + 1 < j.size() ? ",\n" : "\n";
  }
  out += indent + "]";
}

}  // namespace

std::string golden_json(const nlohmann::json& j) {
  std::string out;
  write(j, "", 0, out);
  return out + "\n";
}

}  // namespace kprof::test
