// kprof-mark: writes a copy of a C++ source file with line markers at every statement of the named
// functions (docs/LINES.md, "Without markers"). The build compiles the copy, with KPROF_INSTRUMENT=1,
// into the instrumented flavour; the original is never modified.
//
//   kprof-mark kernels.cpp -o build/marked/kernels.cpp --function nls_scalar -- -Iinclude -std=c++20
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string_view>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "statement_markers.h"

namespace {

void print_summary(const kprof::lines::MarkedSource& marked, const std::string& source) {
  for (const auto& fn : marked.functions) {
    std::fprintf(stderr, "kprof-mark: %s: %s: %d markers (body at line %d)\n", source.c_str(), fn.name.c_str(),
                 fn.markers, fn.body_line);
    for (const auto& u : fn.unmarked)
      std::fprintf(stderr, "kprof-mark:   line %d not instrumented: %s\n", u.line, u.why.c_str());
  }
  for (const auto& s : marked.skipped) std::fprintf(stderr, "kprof-mark: %s: skipped %s\n", source.c_str(), s.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Copies a C++ source with kprof line markers at every statement of the named functions"};
  kprof::lines::MarkRequest request;
  std::string source, output;
  std::vector<int> excluded;
  bool quiet = false;
  app.add_option("source", source, "The C++ source file (never modified)")->required();
  app.add_option("-o,--output", output, "Where the marked copy goes (written atomically)")->required();
  app.add_option("--function", request.functions, "A function to mark (repeat; qualified or not)");
  app.add_flag("--all", request.all_functions, "Mark every function the file defines");
  app.add_option("--exclude-line", excluded, "Leave the statement starting on this line unmarked (repeat)");
  app.add_flag("-q,--quiet", quiet, "No summary on stderr");
  app.footer("After --: the compiler arguments (-I, -D, -std=...) the build compiles the file with.");
  // Everything after "--" is the compiler's, split off before CLI11 reads kprof-mark's own options.
  int own = 1;
  while (own < argc && std::string_view(argv[own]) != "--") ++own;
  for (int i = own + 1; i < argc; ++i)
    if (std::string_view a = argv[i]; a != "-I" && a != "-D") request.compiler_args.emplace_back(a);
  try {
    app.parse(own, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kprof::kExitUsage;
  }
  try {
    if (request.functions.empty() && !request.all_functions)
      throw kprof::UsageError("name the functions to mark (--function NAME, repeated) or give --all");
    request.source = source;
    request.excluded_lines.insert(excluded.begin(), excluded.end());
    const auto marked = kprof::lines::mark_statements(request);
    kprof::write_file_atomically(output, marked.text);
    if (!quiet) print_summary(marked, source);
    return kprof::kExitOk;
  } catch (const kprof::UsageError& e) {
    std::fprintf(stderr, "kprof-mark: %s\n", e.what());
    return kprof::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kprof-mark: internal error: %s\n", e.what());
    return kprof::kExitInternal;
  }
}
