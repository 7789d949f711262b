#pragma once
// One frame of a call stack, symbolised after the run: the one frame type of every kprof profiler
// (memory call sites and stacks, CPU samples). The symbolizer (profilers/symbolize) makes them;
// an inlined call is a frame of its own, so one address can give several frames.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kprof {

struct Frame {
  // Demangled. Code without a symbol is named by its module and offset: "libfoo.so+0x1234"
  // ("[unmapped]+0x7f12..." when no module of the recorded map holds the address).
  std::string function;
  std::string file;  // "" when the object has no line information
  int line = 0;
  std::string module;                 // the ELF object: program, shared library, dlopen'ed plugin
  std::uint64_t module_offset = 0;    // of the address looked up, in the ELF's addresses (addr2line -e module)
  std::uint64_t function_offset = 0;  // of the address looked up, from the symbol's start (0 without one)
  std::uint64_t address = 0;          // as recorded (for a caller: its return address)
  bool inlined = false;               // inlined into the next frame outwards, whose line is the call's
  std::string function_file;          // the file that defines the function ("" when unknown)

  bool operator==(const Frame&) const = default;
};

// "libfoo.so+0x1234": the module's file name and the offset looked up ("[unmapped]+0x..." without a
// module). The name of code without a symbol.
std::string module_and_offset(const Frame& frame);

// Where the frame's code is, one way for every report: "file.cpp:42" with line information, else
// "func+0x10 (libfoo.so)" with a symbol, else "libfoo.so+0x1234".
std::string frame_location(const Frame& frame);

// True for frames of the C/C++ runtime, system headers and libraries (/usr/include, /usr/lib,
// /lib...) and kprof's own tracer: code that is not the program's own. An allocation's call site
// is the first frame of its stack that is not one.
bool is_runtime_frame(const Frame& frame);

// True for runtime code inlined into another frame (a std:: template, an intrinsic from the
// compiler's headers, kprof's SIMD wrappers of intrinsics): CPU stacks leave these frames out, so that their samples
// count for the line that inlined them. A function compiled on its own (memcpy, an out-of-line std::sort) stays.
bool is_inlined_runtime_frame(const Frame& frame);

// A stack from its call site outwards (innermost first in, innermost first out): the runtime's
// frames inside the first frame of the program's own code (malloc, kprof's tracer) go, and so does
// runtime code inlined further out, as `kprof cpu` leaves it out. The allocation stacks' rule.
std::vector<Frame> from_call_site(std::vector<Frame> frames);

// A symbolised stack (innermost frame first) and how many samples it got.
struct SampledStack {
  std::vector<Frame> frames;
  std::uint64_t count = 0;
};

// A demangled function name without its namespaces, return type, template arguments and parameters:
// "nls_scalar" for "void kprof::targets::nmf::nls_scalar<double>(NmfProblem<double>&)" and for the
// inlined frame's "nls_scalar<double>"; "operator()" for a lambda. So that the names one function
// gets from different profilers and instantiations compare equal.
std::string bare_function_name(std::string_view function);

// True for the functions of kprof's own driver around a kernel (the runner, the CLI, std::function
// glue, main): every profile of a kernel region has them at its root. Reports hide them so that a
// graph or a table starts at the user's code; the built-in kernels (kprof::targets) are user code.
bool is_driver_frame(std::string_view function);

}  // namespace kprof
