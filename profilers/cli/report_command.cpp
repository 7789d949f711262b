// `kprof report DIR`: the kprof documents in DIR as one self-contained page, DIR/index.html.
#include <iostream>

#include "commands.h"
#include "kprof/html/report.h"

namespace kprof::cli {

void add_report_command(CLI::App& app, Context& /*ctx*/) {
  auto dir = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  auto options = std::make_shared<html::ReportOptions>();
  CLI::App* sub =
      app.add_subcommand("report",
                         "Turn the kprof documents in a folder (run.json, lines/, memory/, callgrind/, cpu/) into one "
                         "offline page, DIR/index.html (docs/REPORT.md)");
  sub->add_option("dir", *dir, "the folder kprof wrote its documents in (scripts/run.sh: kprof-report)")->required();
  sub->add_option("--markdown", options->markdown,
                  "also write a Markdown summary there (environment, one comparison per family, pointers)");
  sub->add_flag("-q,--quiet", *quiet, "no notes on stderr; only the page's path on stdout");
  sub->callback([dir, quiet, options] {
    const html::ReportOutcome outcome = html::write_report(*dir, *options);
    if (!*quiet) {
      for (const auto& note : outcome.notes) std::cerr << "kprof report: note: " << note << "\n";
      std::cerr << "kprof report: " << outcome.documents << " documents, " << (outcome.bytes + 1023) / 1024 << " KiB\n";
    }
    std::cout << outcome.page.string() << "\n";
  });
}

}  // namespace kprof::cli
