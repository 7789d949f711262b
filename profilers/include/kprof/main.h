#pragma once
// kprof's command line as a library, like benchmark_main: a user's kernel binary registers its
// families with KPROF_FAMILY and links kprof::main, and gets `run`, `list`, `env` and every
// profiler subcommand. Without a main of its own, linking kprof::main provides one.
namespace kprof {

// Runs the command line; returns the process exit code (0 ok, 1 regression found, 2 bad input).
int main(int argc, char** argv);

}  // namespace kprof
