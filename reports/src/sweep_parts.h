#pragma once
// The parts of the sweep report each axis adds (private to kprof_reports): thread_sweeps.cpp the
// scaling table and the job x BLAS grid, chunk_sweeps.cpp the chunk table and its knees.
#include "kprof/reports/sweep_tables.h"

namespace kprof {

void add_thread_parts(const Run& run, SweepReport& report);
void add_chunk_parts(const Run& run, SweepReport& report);

// " (threads=2)" after a sweep's label when it ran on more than one thread; "" otherwise.
std::string threads_suffix(int threads, int blas_threads);

}  // namespace kprof
