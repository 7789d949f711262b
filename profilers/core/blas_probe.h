#pragma once
// OpenBLAS is optional for kprof's core: it asks OpenBLAS about itself (version, core type, threads)
// and sets its thread count only when the binary links it — a family that calls BLAS does. These
// weak references are null in a binary without OpenBLAS, and the environment then says "none".
extern "C" {
__attribute__((weak)) char* openblas_get_corename(void);
__attribute__((weak)) char* openblas_get_config(void);
__attribute__((weak)) int openblas_get_num_threads(void);
__attribute__((weak)) void openblas_set_num_threads(int);
}

namespace kprof::detail {
inline bool openblas_linked() { return openblas_get_config != nullptr && openblas_get_corename != nullptr; }
}  // namespace kprof::detail
