// `kprof env`: the environment fingerprint and measured peak, with warnings and their fixes.
#include <iostream>

#include "commands.h"
#include "kprof/environment.h"
#include "kprof/reports/run_json.h"

namespace kprof::cli {
namespace {

// "L1d 48 KiB, L1i 32 KiB, L2 1024 KiB, L3 32768 KiB (from sysfs)".
std::string describe_caches(const Environment& e) {
  if (e.caches.empty())
    return "unknown (neither /sys/devices/system/cpu/cpu0/cache nor CPUID describes them: no 'cache' roofline "
           "bound is marked, no cache knee is placed)";
  std::string out;
  for (const auto& c : e.caches)
    out += (out.empty() ? "" : ", ") + c.name() + " " + std::to_string(c.bytes >> 10) + " KiB";
  return out + " (from " + e.cache_source + ")";
}

// "openblas 0.3.21 (pthreads, core Haswell, 2 threads) in /usr/lib/.../libopenblas.so.0; openmp ...".
std::string describe_pools(const std::vector<ThreadPool>& pools) {
  if (pools.empty()) return "none loaded";
  std::string out;
  for (const ThreadPool& p : pools) {
    std::string details = p.threading;
    if (!p.core.empty()) details += (details.empty() ? "" : ", ") + std::string("core ") + p.core;
    details += (details.empty() ? "" : ", ") + std::to_string(p.threads) + " thread(s)";
    out += (out.empty() ? "" : "; ") + p.api + (p.version.empty() ? "" : " " + p.version) + " (" + details + ") in " +
           p.library;
  }
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
        std::cout << "caches: " << describe_caches(run.environment) << "\n";
      else if (key == "thread_pools")
        std::cout << "thread_pools: " << describe_pools(run.environment.thread_pools) << "\n";
      else if (key != "warnings" && key != "cache_source")
        std::cout << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    for (const auto& [key, value] : j["machine_peak"].items())
      std::cout << "peak." << key << ": " << value.dump() << "\n";
    for (const auto& w : run.environment.warnings) std::cout << "WARNING: " << w << "\n";
  });
}

}  // namespace kprof::cli
