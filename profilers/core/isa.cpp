#include "kprof/isa.h"

#include <cstdlib>
#include <string>

#include "kprof/errors.h"

namespace kprof {
namespace {

// KPROF_DISABLE_ISA=avx512,avx2 masks ISAs, so a user can compare code paths on one machine and
// the skip path is testable on a CPU that has everything.
bool masked(std::string_view name) {
  const char* env = std::getenv("KPROF_DISABLE_ISA");
  if (env == nullptr) return false;
  std::string_view list(env);
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    if (item == name) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool hardware_has(Isa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case Isa::baseline:
      return true;
    case Isa::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
  }
  return false;
}

}  // namespace

std::string_view to_string(Isa isa) {
  switch (isa) {
    case Isa::baseline:
      return "baseline";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
      return "avx512";
  }
  return "?";
}

Isa isa_from_string(std::string_view name) {
  if (name == "baseline") return Isa::baseline;
  if (name == "avx2") return Isa::avx2;
  if (name == "avx512") return Isa::avx512;
  throw UsageError("unknown ISA '" + std::string(name) + "' (expected baseline, avx2 or avx512)");
}

bool cpu_supports(Isa isa) {
  if (isa == Isa::baseline) return true;
  // A masked narrower ISA masks the wider ones too: an AVX-512 path also uses AVX2 instructions.
  if (masked(to_string(isa)) || (isa == Isa::avx512 && masked("avx2"))) return false;
  return hardware_has(isa);
}

std::string isa_skip_reason(Isa isa) {
  if (cpu_supports(isa)) return "";
  if (hardware_has(isa)) return std::string(to_string(isa)) + " masked by KPROF_DISABLE_ISA";
  return "CPU lacks " + std::string(to_string(isa)) +
         (isa == Isa::avx512 ? " (needs avx512f, avx512vl, avx512dq, avx512bw)" : " (needs avx2 and fma)");
}

Isa widest_supported_isa() {
  if (cpu_supports(Isa::avx512)) return Isa::avx512;
  if (cpu_supports(Isa::avx2)) return Isa::avx2;
  return Isa::baseline;
}

}  // namespace kprof
