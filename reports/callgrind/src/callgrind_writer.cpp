// The callgrind-format writer. Follows valgrind's "Callgrind Format Specification" (version 1)
// and stays inside what callgrind_annotate 3.19 also understands: "event:" lines before
// "events:", relative subpositions only between plain cost lines of one function, call targets
// and call sites written absolutely.
#include "kprof/reports/callgrind_writer.h"

#include <charconv>
#include <string>
#include <unordered_map>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof {
namespace {

// One compressed-name space (the format has three: objects, files, functions).
class NameTable {
 public:
  // "(id) name" the first time a name is seen, "(id)" afterwards.
  void append(std::string& out, const std::string& name) {
    if (name.empty()) return;  // "ob=" with no name: "(1) " alone would read back as a reference
    auto [it, fresh] = ids_.try_emplace(name, ids_.size() + 1);
    out += '(';
    out += std::to_string(it->second);
    out += ')';
    if (fresh) {
      out += ' ';
      append_sanitized(out, name);
    }
  }

 private:
  static void append_sanitized(std::string& out, const std::string& name) {
    for (char c : name) out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  std::unordered_map<std::string, std::size_t> ids_;
};

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_hex(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  out += "0x";
  out.append(buf, r.ptr);
}

void append_costs(std::string& out, const std::vector<std::int64_t>& costs) {
  for (std::int64_t c : costs) {
    out += ' ';
    append_int(out, c);
  }
}

class Writer {
 public:
  explicit Writer(const CallgrindProfile& p) : p_(p) {}

  std::string run() {
    validate();
    header();
    for (const auto& f : p_.functions) function(f);
    out_ += "\ntotals:";
    append_costs(out_, p_.totals());
    out_ += '\n';
    return std::move(out_);
  }

 private:
  void validate() const {
    if (p_.events.empty()) throw UsageError("callgrind writer: the profile has no events");
    for (const auto& e : p_.events)
      if (e.empty() || e.find_first_of(" \t\n") != std::string::npos)
        throw UsageError("callgrind writer: event name '" + e + "' is empty or has white space");
    for (const auto& f : p_.functions) {
      if (f.files.empty() || f.name.empty())
        throw UsageError("callgrind writer: function '" + f.name + "' needs a name and a file");
      for (const auto& c : f.costs) {
        if (c.costs.size() > p_.events.size())
          throw UsageError("callgrind writer: a cost line of '" + f.name + "' has " + std::to_string(c.costs.size()) +
                           " costs for " + std::to_string(p_.events.size()) + " events");
        if (c.file >= f.files.size())
          throw UsageError("callgrind writer: a cost line of '" + f.name + "' names file index " +
                           std::to_string(c.file) + " of " + std::to_string(f.files.size()));
      }
      for (const auto& call : f.calls) {
        if (call.callee_name.empty()) throw UsageError("callgrind writer: a call of '" + f.name + "' has no callee");
        if (call.inclusive.size() > p_.events.size() || call.file >= f.files.size())
          throw UsageError("callgrind writer: a call of '" + f.name + "' to '" + call.callee_name +
                           "' has more costs than events or a bad file index");
      }
    }
  }

  void header() {
    out_ += "# callgrind format\nversion: 1\ncreator: ";
    out_ += p_.creator.empty() ? "kprof" : p_.creator;
    out_ += '\n';
    if (p_.pid != 0) {
      out_ += "pid: ";
      append_int(out_, p_.pid);
      out_ += '\n';
    }
    if (!p_.command.empty()) out_ += "cmd: " + p_.command + '\n';
    out_ += "part: 1\n";
    for (const auto& d : p_.descriptions) out_ += "desc: " + d + '\n';
    out_ += p_.instr_positions ? "\npositions: instr line\n" : "\npositions: line\n";
    for (std::size_t i = 0; i < p_.event_names.size() && i < p_.events.size(); ++i)
      if (!p_.event_names[i].empty()) out_ += "event: " + p_.events[i] + " : " + p_.event_names[i] + '\n';
    out_ += "events:";
    for (const auto& e : p_.events) out_ += ' ' + e;
    out_ += "\nsummary:";
    append_costs(out_, p_.stated_totals());
    out_ += "\n\n";
  }

  void function(const CallgrindFunction& f) {
    if (f.object != object_ || !have_object_) {
      out_ += "ob=";
      objects_.append(out_, f.object);
      out_ += '\n';
      object_ = f.object;
      have_object_ = true;
    }
    if (f.file() != file_) {
      out_ += "fl=";
      files_.append(out_, f.file());
      out_ += '\n';
      file_ = f.file();
    }
    out_ += "fn=";
    functions_.append(out_, f.name);
    out_ += '\n';
    relative_ok_ = false;
    for (const auto& c : f.costs) {
      switch_file(f, c.file);
      position(c.address, c.line, relative_ok_);
      append_costs(out_, c.costs);
      out_ += '\n';
      relative_ok_ = true;
    }
    for (const auto& call : f.calls) {
      switch_file(f, call.file);
      if (!call.callee_object.empty() && call.callee_object != f.object) {
        out_ += "cob=";
        objects_.append(out_, call.callee_object);
        out_ += '\n';
      }
      if (!call.callee_file.empty() && call.callee_file != file_) {
        out_ += "cfi=";
        files_.append(out_, call.callee_file);
        out_ += '\n';
      }
      out_ += "cfn=";
      functions_.append(out_, call.callee_name);
      out_ += "\ncalls=";
      append_int(out_, call.count);
      out_ += ' ';
      position(call.target_address, call.target_line, false);
      out_ += '\n';
      position(call.address, call.line, false);
      append_costs(out_, call.inclusive);
      out_ += '\n';
      relative_ok_ = false;
    }
  }

  // fi= for inlined code, fe= back to the function's own file.
  void switch_file(const CallgrindFunction& f, std::uint32_t index) {
    const std::string& wanted = f.files[index];
    if (wanted == file_) return;
    out_ += index == 0 ? "fe=" : "fi=";
    files_.append(out_, wanted);
    out_ += '\n';
    file_ = wanted;
    relative_ok_ = false;
  }

  void position(std::uint64_t address, std::int64_t line, bool relative) {
    if (p_.instr_positions) {
      if (relative && address == last_address_)
        out_ += '*';
      else if (relative && address > last_address_)
        out_ += '+', append_int(out_, static_cast<std::int64_t>(address - last_address_));
      else if (relative)
        out_ += '-', append_int(out_, static_cast<std::int64_t>(last_address_ - address));
      else
        append_hex(out_, address);
      out_ += ' ';
      last_address_ = address;
    }
    if (relative && line == last_line_)
      out_ += '*';
    else if (relative && line > last_line_)
      out_ += '+', append_int(out_, line - last_line_);
    else if (relative)
      out_ += '-', append_int(out_, last_line_ - line);
    else
      append_int(out_, line);
    last_line_ = line;
  }

  const CallgrindProfile& p_;
  std::string out_;
  NameTable objects_, files_, functions_;
  std::string object_, file_;
  bool have_object_ = false;
  bool relative_ok_ = false;
  std::uint64_t last_address_ = 0;
  std::int64_t last_line_ = 0;
};

}  // namespace

std::string write_callgrind(const CallgrindProfile& profile) { return Writer(profile).run(); }

void write_callgrind_file(const std::filesystem::path& path, const CallgrindProfile& profile) {
  write_file_atomically(path, write_callgrind(profile));
}

}  // namespace kprof
