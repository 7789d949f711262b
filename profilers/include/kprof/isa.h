#pragma once
// Instruction sets a kernel variant may require, and the run-time check that decides whether it
// may run here. Variants are compiled for their ISA in their own translation units
// (kprof_isa_sources in CMake); everything else stays at the x86-64 baseline.
#include <string>
#include <string_view>

namespace kprof {

enum class Isa { baseline, avx2, avx512 };

std::string_view to_string(Isa isa);
Isa isa_from_string(std::string_view name);  // throws UsageError on an unknown name

// True when the CPU (and the OS, which must save the wider registers) supports `isa`, and the
// user has not masked it with KPROF_DISABLE_ISA=avx512[,avx2] (to compare code paths, or to test
// the skip path on a machine that has everything).
bool cpu_supports(Isa isa);

// Human-readable reason a variant needing `isa` cannot run here ("" when it can).
std::string isa_skip_reason(Isa isa);

// The widest ISA cpu_supports() accepts.
Isa widest_supported_isa();

}  // namespace kprof

// The ISA the translation unit that expands it is compiled for (its -m flags). Code written
// without intrinsics (Eigen, auto-vectorised loops) is compiled for AVX-512 in kprof's native build
// and for AVX2 in its valgrind-safe flavour (docs/CALLGRIND.md); its variant requires what it was
// compiled for by declaring `.isa = my_kernel_isa()`, a function defined in the kernel's own file
// as `return KPROF_COMPILED_ISA;`. A macro, not a function: it must be read with that file's flags.
#if defined(__AVX512F__) && defined(__AVX512VL__) && defined(__AVX512DQ__) && defined(__AVX512BW__)
#define KPROF_COMPILED_ISA ::kprof::Isa::avx512
#elif defined(__AVX2__) && defined(__FMA__)
#define KPROF_COMPILED_ISA ::kprof::Isa::avx2
#else
#define KPROF_COMPILED_ISA ::kprof::Isa::baseline
#endif
