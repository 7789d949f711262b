// The `main` that kprof::main provides to binaries without one (like benchmark_main).
#include "kprof/main.h"

int main(int argc, char** argv) { return kprof::main(argc, argv); }
