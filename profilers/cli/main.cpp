// kprof::main: the command line as a library. Subcommands live in their own files (commands.h).
#include "kprof/main.h"

#include <cerrno>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "kprof/errors.h"
#include "kprof/interrupt.h"
#include "kprof/runner.h"

namespace kprof {

int main(int argc, char** argv) {
  handle_interrupts();  // SIGINT, SIGTERM, SIGHUP: programs stopped, temporaries removed (kprof/interrupt.h)
  cli::Context ctx;
  // Arguments after "--" belong to a program being profiled or to Google Benchmark; CLI11 never sees them.
  int own = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      own = i;
      for (int j = i + 1; j < argc; ++j) ctx.passthrough.emplace_back(argv[j]);
      break;
    }
  }
  for (int i = 0; i < argc; ++i) ctx.command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"kprof: where a numerical kernel spends its time and memory, and which implementation is best here"};
  app.require_subcommand(1);
  app.set_version_flag("--version", KPROF_VERSION);
  cli::add_run_command(app, ctx);
  cli::add_list_command(app, ctx);
  cli::add_env_command(app, ctx);
  cli::add_bench_command(app, ctx);
  cli::add_callgrind_command(app, ctx);
  cli::add_region_command(app, ctx);
  cli::add_cpu_command(app, ctx);
  cli::add_mem_command(app, ctx);
  cli::add_lines_command(app, ctx);
  cli::add_regress_command(app, ctx);
  cli::add_history_command(app, ctx);
  cli::add_report_command(app, ctx);
  cli::add_annotate_command(app, ctx);

  try {
    set_threads(1);                      // one thread unless --threads says otherwise: per-core figures are comparable
    if (own > 1 && argv[1][0] != '-') {  // CLI11 alone would only say "A subcommand is required"
      std::string names;
      bool known = false;
      for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        known |= sub->get_name() == argv[1];
        if (!sub->get_group().empty()) names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      if (!known) throw UsageError("unknown command '" + std::string(argv[1]) + "'; commands: " + names);
    }
    app.parse(own, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const UsageError& e) {
    std::cerr << "kprof: error: " << e.what() << "\n";
    return kExitUsage;
  } catch (const ToolError& e) {
    std::cerr << "kprof: error: " << e.what() << "\n";
    return kExitToolFailed;
  } catch (const std::exception& e) {
    std::cerr << "kprof: internal error (a bug in kprof; please report it): " << e.what() << "\n";
    return kExitInternal;
  }
  // Standard output is checked like any file kprof writes: `kprof run -f json > run.json` on a full
  // disk must fail, not pass with nothing written (exit 2, as for an unwritable -o folder).
  // The reason is errno as the failed write left it (the stream keeps no error code of its own).
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "kprof: error: could not write to standard output"
              << (errno ? std::string(" (") + std::strerror(errno) + ")" : std::string()) << "\n";
    return kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace kprof
