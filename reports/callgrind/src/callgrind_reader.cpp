// The callgrind-format reader: one pass over the text, string_views only, a hash map from
// (object, file, function) to the model's function so repeated fn= blocks merge.
#include "kprof/reports/callgrind_reader.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string excerpt(std::string_view line) {
  constexpr std::size_t kMax = 60;
  return line.size() > kMax ? std::string(line.substr(0, kMax)) + "..." : std::string(line);
}

// The compressed names of one name space (objects, files or functions).
class Names {
 public:
  const std::string& get(std::int64_t id) const {
    static const std::string kEmpty;
    return id >= 0 && static_cast<std::size_t>(id) < names_.size() && defined_[id] ? names_[id] : kEmpty;
  }
  bool defined(std::int64_t id) const {
    return id >= 0 && static_cast<std::size_t>(id) < names_.size() && defined_[id];
  }
  void set(std::int64_t id, std::string_view name) {
    if (static_cast<std::size_t>(id) >= names_.size()) {
      names_.resize(id + 1);
      defined_.resize(id + 1, false);
    }
    names_[id] = std::string(name);
    defined_[id] = true;
  }

 private:
  std::vector<std::string> names_;
  std::vector<bool> defined_;
};

class Reader {
 public:
  Reader(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  CallgrindProfile run() {
    while (next_line()) {
      std::string_view line = trim(line_);
      if (line.empty() || line.front() == '#') continue;
      if (pending_call_) {
        call_cost_line(line);
        continue;
      }
      char c = line.front();
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*')
        cost_line(line);
      else
        keyed_line(line);
    }
    if (pending_call_) fail("expected the call's cost line after 'calls=', got the end of the file");
    if (!have_events_) fail("expected an 'events:' line, got the end of the file");
    finish_part();
    check_totals();
    return std::move(p_);
  }

 private:
  bool next_line() {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line_ = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_no_;
    return true;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw UsageError(std::string(name_) + ":" + std::to_string(line_no_) + ": " + what);
  }
  [[noreturn]] void expected(const std::string& what, std::string_view got) const {
    fail("expected " + what + ", got '" + excerpt(got) + "'");
  }

  // --- header and name lines ----------------------------------------------------------------
  void keyed_line(std::string_view line) {
    std::size_t eq = line.find('=');
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && (eq == std::string_view::npos || colon < eq)) {
      header_line(line.substr(0, colon), trim(line.substr(colon + 1)), line);
      return;
    }
    if (eq == std::string_view::npos) expected("'key: value', 'key=name' or a cost line", line);
    std::string_view key = line.substr(0, eq);
    std::string_view value = line.substr(eq + 1);
    if (key == "fn") {
      current_name_ = resolve(functions_, value, line);
      enter_function();
    } else if (key == "fl") {
      file_ = resolve(files_, value, line);
      fn_ = nullptr;  // a cost line now needs a new fn=
    } else if (key == "fi" || key == "fe") {
      file_ = resolve(files_, value, line);
      if (fn_ != nullptr) file_index_ = fn_->file_index(file_);
    } else if (key == "ob") {
      object_ = resolve(objects_, value, line);
      fn_ = nullptr;
    } else if (key == "cob") {
      call_object_ = resolve(objects_, value, line);
    } else if (key == "cfi" || key == "cfl") {
      call_file_ = resolve(files_, value, line);
    } else if (key == "cfn") {
      call_name_ = resolve(functions_, value, line);
      have_call_name_ = true;
    } else if (key == "calls") {
      calls_line(value, line);
    } else if (key == "jump" || key == "jcnd") {
      // Jump counts (--collect-jumps) are not part of the model; their syntax is still checked.
      std::string_view rest = value;
      if (!parse_int(rest)) expected("a count after '" + std::string(key) + "='", line);
    } else if (key == "jfi") {
      resolve(files_, value, line);
    } else if (key == "jfn") {
      resolve(functions_, value, line);
    } else {
      expected("a known key (fn=, fl=, fi=, fe=, ob=, cob=, cfi=, cfn=, calls=, jump=, jcnd=)", line);
    }
  }

  void header_line(std::string_view key, std::string_view value, std::string_view line) {
    if (key == "version") {
      if (value != "1" && !starts_with(value, "1.")) expected("format version 1", line);
    } else if (key == "creator") {
      p_.creator = std::string(value);
    } else if (key == "cmd") {
      p_.command = std::string(value);
    } else if (key == "pid") {
      std::string_view v = value;
      auto n = parse_int(v);
      p_.pid = n ? *n : 0;
    } else if (key == "desc") {
      p_.descriptions.emplace_back(value);
    } else if (key == "part") {
      if (seen_body_) finish_part();
      ++parts_;
    } else if (key == "positions") {
      positions(value, line);
    } else if (key == "events") {
      events(value, line);
    } else if (key == "event") {
      std::size_t sep = value.find(':');
      if (sep != std::string_view::npos)
        event_names_.emplace_back(trim(value.substr(0, sep)), trim(value.substr(sep + 1)));
    } else if (key == "summary" || key == "totals") {
      if (!have_events_) expected("'events:' before '" + std::string(key) + ":'", line);
      auto costs = parse_costs(value, line);
      (key == "totals" ? part_totals_ : part_summary_) = costs;
      declared_line_ = line_no_;
    } else if (key == "thread" || key == "trigger" || key == "timeframe (BB)") {
      // Known header lines without meaning for the model.
    } else {
      // The format lets producers add their own header lines; kcachegrind ignores unknown ones.
    }
  }

  void positions(std::string_view value, std::string_view line) {
    if (seen_body_) expected("'positions:' before the first cost line", line);
    has_instr_ = has_line_ = false;
    std::size_t n = 0;
    while (!(value = trim(value)).empty()) {
      std::size_t end = value.find_first_of(" \t");
      std::string_view word = value.substr(0, end);
      if (word == "instr" || word == "addr")
        has_instr_ = true;
      else if (word == "line")
        has_line_ = true;
      else
        expected("positions made of 'instr' and 'line'", line);
      ++n;
      value = end == std::string_view::npos ? std::string_view{} : value.substr(end);
    }
    if (n == 0) expected("at least one position", line);
    p_.instr_positions = has_instr_;
  }

  void events(std::string_view value, std::string_view line) {
    std::vector<std::string> names;
    while (!(value = trim(value)).empty()) {
      std::size_t end = value.find_first_of(" \t");
      names.emplace_back(value.substr(0, end));
      value = end == std::string_view::npos ? std::string_view{} : value.substr(end);
    }
    if (names.empty()) expected("at least one event name after 'events:'", line);
    if (have_events_ && names != p_.events) expected("the same events in every part ('" + join(p_.events) + "')", line);
    p_.events = std::move(names);
    have_events_ = true;
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
  }

  // "(id) name", "(id)" or "name".
  std::string resolve(Names& names, std::string_view value, std::string_view line) {
    value = trim(value);
    if (value.empty() || value.front() != '(') return std::string(value);
    std::size_t close = value.find(')');
    // "(below main)" is a name, not a compressed one: an id is digits only.
    if (close == std::string_view::npos || close == 1 ||
        value.substr(1, close - 1).find_first_not_of("0123456789") != std::string_view::npos)
      return std::string(value);
    std::int64_t id = -1;
    if (close == std::string_view::npos ||
        std::from_chars(value.data() + 1, value.data() + close, id).ptr != value.data() + close || id < 0)
      expected("a compressed name '(number) name' or '(number)'", line);
    if (id > 100'000'000) expected("a compressed-name id below 100000000", line);
    std::string_view rest = trim(value.substr(close + 1));
    if (rest.empty()) {
      if (!names.defined(id)) fail("compressed name (" + std::to_string(id) + ") is used before it is defined");
      return names.get(id);
    }
    names.set(id, rest);
    return std::string(rest);
  }

  // --- functions and costs ------------------------------------------------------------------
  void enter_function() {
    std::string key;
    key.reserve(object_.size() + file_.size() + current_name_.size() + 2);
    key.append(object_).append(1, '\0').append(file_).append(1, '\0').append(current_name_);
    auto [it, fresh] = index_.try_emplace(std::move(key), p_.functions.size());
    if (fresh) {
      CallgrindFunction f;
      f.object = object_;
      f.files.push_back(file_);
      f.name = current_name_;
      p_.functions.push_back(std::move(f));
    }
    fn_index_ = it->second;
    fn_ = &p_.functions[fn_index_];
    file_index_ = 0;
  }

  CallgrindFunction& need_function(std::string_view line) {
    if (!have_events_) expected("'events:' before the first cost line", line);
    if (fn_ == nullptr) expected("'fn=' before this cost line", line);
    // p_.functions may have grown since fn_ was taken.
    fn_ = &p_.functions[fn_index_];
    return *fn_;
  }

  static std::optional<std::int64_t> parse_int(std::string_view& s) {
    s = trim(s);
    std::int64_t v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    std::from_chars_result r;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      std::uint64_t u = 0;
      r = std::from_chars(b + 2, e, u, 16);
      v = static_cast<std::int64_t>(u);
      if (r.ptr == b + 2) return std::nullopt;
    } else {
      r = std::from_chars(b, e, v);
      if (r.ptr == b) return std::nullopt;
    }
    if (r.ec != std::errc{}) return std::nullopt;
    if (r.ptr != e && *r.ptr != ' ' && *r.ptr != '\t') return std::nullopt;
    s.remove_prefix(r.ptr - b);
    return v;
  }

  // One subposition: absolute, "+n", "-n" or "*", relative to `last`.
  std::int64_t subposition(std::string_view& s, std::int64_t last, const char* what, std::string_view line) {
    s = trim(s);
    if (s.empty()) expected(std::string("a subposition (") + what + ")", line);
    if (s.front() == '*') {
      if (s.size() > 1 && s[1] != ' ' && s[1] != '\t') expected(std::string("'*' alone as ") + what, line);
      s.remove_prefix(1);
      return last;
    }
    if (s.front() == '+' || s.front() == '-') {
      bool minus = s.front() == '-';
      s.remove_prefix(1);
      auto d = parse_int(s);
      if (!d) expected(std::string("a number after '+'/'-' in the ") + what + " subposition", line);
      return minus ? last - *d : last + *d;
    }
    auto v = parse_int(s);
    if (!v) expected(std::string("a number, '+n', '-n' or '*' as the ") + what + " subposition", line);
    return *v;
  }

  // Reads the subpositions at the front of `s` relative to the last position.
  void position(std::string_view& s, std::uint64_t& address, std::int64_t& line_number, std::string_view line) {
    if (has_instr_)
      address = static_cast<std::uint64_t>(subposition(s, static_cast<std::int64_t>(last_address_), "instr", line));
    if (has_line_) line_number = subposition(s, last_line_, "line", line);
  }

  std::vector<std::int64_t> parse_costs(std::string_view s, std::string_view line) {
    std::vector<std::int64_t> costs;
    costs.reserve(p_.events.size());
    while (!(s = trim(s)).empty()) {
      auto v = parse_int(s);
      if (!v) expected("a cost (a number)", s);
      if (costs.size() == p_.events.size())
        expected("at most " + std::to_string(p_.events.size()) + " costs (events: " + join(p_.events) + ")", line);
      costs.push_back(*v);
    }
    costs.resize(p_.events.size(), 0);
    return costs;
  }

  void cost_line(std::string_view line) {
    CallgrindFunction& f = need_function(line);
    seen_body_ = true;
    std::string_view s = line;
    CallgrindCost c;
    c.file = file_index_;
    position(s, c.address, c.line, line);
    c.costs = parse_costs(s, line);
    last_address_ = c.address;
    last_line_ = c.line;
    f.costs.push_back(std::move(c));
  }

  void calls_line(std::string_view value, std::string_view line) {
    need_function(line);
    if (!have_call_name_) expected("'cfn=' before 'calls='", line);
    std::string_view s = value;
    auto count = parse_int(s);
    if (!count) expected("a call count after 'calls='", line);
    CallgrindCall call;
    call.count = *count;
    // The target position follows; relative forms refer to the last cost line.
    if (!trim(s).empty()) {
      std::uint64_t a = last_address_;
      std::int64_t l = last_line_;
      if (has_instr_)
        a = static_cast<std::uint64_t>(subposition(s, static_cast<std::int64_t>(last_address_), "instr", line));
      if (has_line_ && !trim(s).empty()) l = subposition(s, last_line_, "line", line);
      call.target_address = a;
      call.target_line = l;
    }
    call.callee_object = call_object_.value_or(object_);
    call.callee_file = call_file_.value_or(file_);
    call.callee_name = call_name_;
    call_object_.reset();
    call_file_.reset();
    have_call_name_ = false;
    pending_call_ = std::move(call);
  }

  void call_cost_line(std::string_view line) {
    char c = line.front();
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '*'))
      expected("the call's cost line (position and inclusive costs) after 'calls='", line);
    CallgrindFunction& f = need_function(line);
    seen_body_ = true;
    CallgrindCall call = std::move(*pending_call_);
    pending_call_.reset();
    std::string_view s = line;
    position(s, call.address, call.line, line);
    call.file = file_index_;
    call.inclusive = parse_costs(s, line);
    last_address_ = call.address;
    last_line_ = call.line;
    f.calls.push_back(std::move(call));
  }

  // --- parts and totals ---------------------------------------------------------------------
  // A part's stated totals: callgrind's "totals:" line sums the cost lines exactly; its header
  // "summary:" may differ by a few events (valgrind counts some instructions outside any function).
  void finish_part() {
    auto accumulate = [&](std::vector<std::int64_t>& sum, const std::vector<std::int64_t>& part) {
      if (sum.empty()) sum.assign(p_.events.size(), 0);
      for (std::size_t i = 0; i < part.size() && i < sum.size(); ++i) sum[i] += part[i];
    };
    if (!part_totals_.empty()) {
      accumulate(declared_totals_, part_totals_);
      ++parts_with_totals_;
    }
    // As callgrind_annotate: a zero summary (callgrind writes one with --instr-atstart=no) yields
    // to the totals line.
    bool zero_summary = std::all_of(part_summary_.begin(), part_summary_.end(), [](std::int64_t v) { return v == 0; });
    if (!part_summary_.empty() || !part_totals_.empty()) {
      accumulate(summary_, zero_summary && !part_totals_.empty() ? part_totals_ : part_summary_);
      ++parts_with_summary_;
    }
    ++finished_parts_;
    part_totals_.clear();
    part_summary_.clear();
  }

  void check_totals() {
    p_.parts = std::max(parts_, 1);
    for (auto& [short_name, long_name] : event_names_) {
      std::size_t i = p_.event_index(short_name);
      if (i < p_.events.size()) {
        p_.event_names.resize(p_.events.size());
        p_.event_names[i] = long_name;
      }
    }
    if (parts_with_summary_ == finished_parts_) p_.summary = summary_;
    auto sum = p_.totals();
    bool corrupt = false;
    if (parts_with_totals_ == finished_parts_) {
      corrupt = sum != declared_totals_;
    } else if (parts_with_summary_ == finished_parts_) {
      for (std::size_t i = 0; i < sum.size(); ++i)
        corrupt |= sum[i] > summary_[i] || summary_[i] - sum[i] > summary_[i] / 1000;
    } else {
      return;
    }
    if (corrupt) {
      line_no_ = declared_line_;
      fail("the file's totals (" + join_costs(parts_with_totals_ == finished_parts_ ? declared_totals_ : summary_) +
           ") differ from the sum of its cost lines (" + join_costs(sum) + "): the file is truncated or corrupt");
    }
  }

  static std::string join_costs(const std::vector<std::int64_t>& v) {
    std::string s;
    for (auto x : v) {
      if (!s.empty()) s += ' ';
      s += std::to_string(x);
    }
    return s;
  }

  std::string_view text_;
  std::string_view name_;
  std::size_t pos_ = 0;
  std::string_view line_;
  std::size_t line_no_ = 0;

  CallgrindProfile p_;
  bool have_events_ = false;
  bool has_instr_ = false;
  bool has_line_ = true;  // default positions: line
  bool seen_body_ = false;
  int parts_ = 0;
  int finished_parts_ = 0;
  int parts_with_totals_ = 0;
  int parts_with_summary_ = 0;
  std::vector<std::int64_t> part_totals_, part_summary_, declared_totals_, summary_;
  std::size_t declared_line_ = 0;
  std::vector<std::pair<std::string, std::string>> event_names_;

  Names objects_, files_, functions_;
  std::string object_, file_, current_name_;
  std::unordered_map<std::string, std::size_t> index_;
  CallgrindFunction* fn_ = nullptr;
  std::size_t fn_index_ = 0;
  std::uint32_t file_index_ = 0;
  std::uint64_t last_address_ = 0;
  std::int64_t last_line_ = 0;

  std::optional<std::string> call_object_, call_file_;
  std::string call_name_;
  bool have_call_name_ = false;
  std::optional<CallgrindCall> pending_call_;
};

}  // namespace

CallgrindProfile read_callgrind(std::string_view text, std::string_view name) { return Reader(text, name).run(); }

CallgrindProfile read_callgrind_file(const std::filesystem::path& path) {
  std::string text = read_file(path);
  return read_callgrind(text, path.string());
}

}  // namespace kprof
