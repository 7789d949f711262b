// `kprof env`: the environment fingerprint and measured peak, with warnings and their fixes.
#include <iostream>

#include "commands.h"
#include "kprof/environment.h"
#include "kprof/reports/run_json.h"

namespace kprof::cli {
namespace {

// "L1d 48 KiB, L1i 32 KiB, L2 1024 KiB, L3 32768 KiB".
std::string describe_caches(const std::vector<CacheLevel>& caches) {
  if (caches.empty()) return "unknown (not in /sys/devices/system/cpu/cpu0/cache: no 'cache' roofline bound is marked)";
  std::string out;
  for (const auto& c : caches)
    out += (out.empty() ? "" : ", ") + c.name() + " " + std::to_string(c.bytes >> 10) + " KiB";
  return out;
}

}  // namespace

void add_env_command(CLI::App& app, Context& ctx) {
  auto refresh = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("env", "Show the environment fingerprint and this machine's measured peak");
  sub->add_flag("--refresh-peak", *refresh, "measure the peak again instead of using the cache");
  sub->add_flag("--json", *json, "print the Run document's environment and machine_peak as JSON");
  sub->callback([refresh, json, &ctx] {
    Run run = new_run(ctx, 1);
    run.peak = machine_peak(*refresh);
    nlohmann::json j = to_json(run);
    if (*json) {
      std::cout << nlohmann::json{{"environment", j["environment"]}, {"machine_peak", j["machine_peak"]}}.dump(2)
                << "\n";
      return;
    }
    for (const auto& [key, value] : j["environment"].items())
      if (key == "caches")
        std::cout << "caches: " << describe_caches(run.environment.caches) << "\n";
      else if (key != "warnings")
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    for (const auto& [key, value] : j["machine_peak"].items())
      std::cout << "peak." << key << ": " << value.dump() << "\n";
    for (const auto& w : run.environment.warnings) std::cout << "WARNING: " << w << "\n";
  });
}

}  // namespace kprof::cli
