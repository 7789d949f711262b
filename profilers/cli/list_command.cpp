// `kprof list`: the registered families, their parameters and variants, and what runs here.
#include <iostream>

#include "commands.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof::cli {

void add_list_command(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("list", "List kernel families, their size parameters and variants");
  sub->callback([] {
    for (const FamilyRecord* f : registry().families()) {
      std::cout << f->name << ": " << f->description << "\n  size:";
      for (const auto& p : f->params)
        std::cout << " " << p.name << "=" << p.default_value << (p.help.empty() ? "" : " (" + p.help + ")");
      std::cout << "\n";
      for (std::size_t v = 0; v < f->variants.size(); ++v) {
        const VariantSpec& s = f->variants[v].spec;
        std::string skip = isa_skip_reason(s.isa);
        std::cout << "  " << f->name << "/" << s.name << "  [" << to_string(s.kind) << ", " << to_string(s.isa) << "]  "
                  << (skip.empty() ? describe_code_path(*f, v) : "skipped here: " + skip)
                  << (s.note.empty() ? "" : "  — " + s.note) << "\n";
      }
    }
  });
}

}  // namespace kprof::cli
