#include "statement_markers.h"

#include <clang-c/Index.h>

#include <algorithm>
#include <map>
#include <memory>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof::lines {
namespace {

// libclang hands out C strings that must be disposed of.
std::string take(CXString s) {
  const char* c = clang_getCString(s);
  std::string out = c ? c : "";
  clang_disposeString(s);
  return out;
}

std::vector<CXCursor> children_of(CXCursor parent) {
  std::vector<CXCursor> out;
  clang_visitChildren(
      parent,
      [](CXCursor c, CXCursor, CXClientData data) {
        static_cast<std::vector<CXCursor>*>(data)->push_back(c);
        return CXChildVisit_Continue;
      },
      &out);
  return out;
}

struct Position {
  unsigned offset = 0;
  int line = 0;
};

Position start_of(CXCursor c) {
  CXFile file;
  unsigned line = 0, column = 0, offset = 0;
  clang_getFileLocation(clang_getRangeStart(clang_getCursorExtent(c)), &file, &line, &column, &offset);
  return {offset, static_cast<int>(line)};
}

// A statement written by a macro's expansion has no place of its own in the text to take a marker.
bool from_macro(CXCursor c) {
  CXFile file;
  unsigned line = 0, column = 0, offset = 0, expansion_offset = 0;
  const CXSourceLocation at = clang_getRangeStart(clang_getCursorExtent(c));
  clang_getSpellingLocation(at, &file, &line, &column, &offset);
  clang_getExpansionLocation(at, &file, &line, &column, &expansion_offset);
  return offset != expansion_offset;
}

bool is_function(CXCursorKind kind) {
  return kind == CXCursor_FunctionDecl || kind == CXCursor_CXXMethod || kind == CXCursor_Constructor ||
         kind == CXCursor_Destructor || kind == CXCursor_ConversionFunction || kind == CXCursor_FunctionTemplate;
}

bool is_label(CXCursorKind kind) {
  return kind == CXCursor_CaseStmt || kind == CXCursor_DefaultStmt || kind == CXCursor_LabelStmt;
}

// "kprof::targets::nmf::nls_scalar": the semantic parents' names (inline and anonymous
// namespaces, which a user does not write, left out).
std::string qualified_name(CXCursor c) {
  std::string name = take(clang_getCursorSpelling(c));
  for (CXCursor p = clang_getCursorSemanticParent(c);
       !clang_Cursor_isNull(p) && clang_getCursorKind(p) != CXCursor_TranslationUnit;
       p = clang_getCursorSemanticParent(p)) {
    const std::string part = take(clang_getCursorSpelling(p));
    if (part.empty() || clang_Cursor_isInlineNamespace(p)) continue;
    name = part + "::" + name;
  }
  return name;
}

bool names_match(const std::string& qualified, const std::string& wanted) {
  if (qualified == wanted) return true;
  return qualified.size() > wanted.size() && qualified.ends_with("::" + wanted);
}

CXCursor body_of(CXCursor function) {
  for (CXCursor c : children_of(function))
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt) return c;
  return clang_getNullCursor();
}

// The insertions into one source file and the bookkeeping of the function being marked.
class Marker {
 public:
  explicit Marker(const MarkRequest& request) : request_(request) {}

  void function(CXCursor fn, CXCursor body, MarkedSource& out) {
    MarkedFunction marked{qualified_name(fn), start_of(body).line, 0, {}};
    open_function(body, marked);
    out.functions.push_back(std::move(marked));
  }
  std::map<unsigned, std::string, std::greater<>>& insertions() { return insertions_; }

 private:
  // KPROF_FUNCTION right after the body's '{' (same line: no line moves), then every block inside.
  void open_function(CXCursor body, MarkedFunction& fn) {
    insertions_[start_of(body).offset + 1] += " KPROF_AUTO_FUNCTION;";
    std::set<int> marked_lines{start_of(body).line};
    std::swap(marked_lines_, marked_lines);
    block(body, fn);
    std::swap(marked_lines_, marked_lines);
  }

  void block(CXCursor compound, MarkedFunction& fn) {
    for (CXCursor statement : children_of(compound)) {
      CXCursor target = statement;  // a labelled statement's marker goes after its label
      while (is_label(clang_getCursorKind(target))) {
        const auto inner = children_of(target);
        if (inner.empty()) break;
        target = inner.back();
      }
      statement_marker(target, fn);
      nested(statement, fn);
    }
  }

  void statement_marker(CXCursor statement, MarkedFunction& fn) {
    if (clang_getCursorKind(statement) == CXCursor_NullStmt) return;
    const Position at = start_of(statement);
    if (marked_lines_.contains(at.line)) return;  // its time already goes to this line's marker
    if (request_.excluded_lines.contains(at.line)) {
      fn.unmarked.push_back({at.line, "excluded"});
      return;
    }
    if (from_macro(statement)) {
      fn.unmarked.push_back({at.line, "written by a macro"});
      return;
    }
    insertions_[at.offset] += "KPROF_AUTO_LINE; ";
    marked_lines_.insert(at.line);
    ++fn.markers;
  }

  // The blocks and lambdas inside a statement: a block is marked as part of this function; a
  // lambda is a function of its own (its own KPROF_FUNCTION). A local class's member functions are
  // left alone (they cannot see the enclosing function's scope).
  void nested(CXCursor statement, MarkedFunction& fn) {
    for (CXCursor c : children_of(statement)) {
      switch (clang_getCursorKind(c)) {
        case CXCursor_CompoundStmt:
          block(c, fn);
          break;
        case CXCursor_LambdaExpr: {
          const CXCursor body = body_of(c);
          if (!clang_Cursor_isNull(body)) open_function(body, fn);
          break;
        }
        case CXCursor_ClassDecl:
        case CXCursor_StructDecl:
        case CXCursor_UnionDecl:
          break;
        default:
          nested(c, fn);
      }
    }
  }

  const MarkRequest& request_;
  std::set<int> marked_lines_;
  std::map<unsigned, std::string, std::greater<>> insertions_;  // by offset, last first
};

// constexpr and consteval functions cannot hold a marker's static variables (before C++23).
bool is_constant_evaluated(CXTranslationUnit tu, CXCursor fn, CXCursor body) {
  CXSourceRange head =
      clang_getRange(clang_getRangeStart(clang_getCursorExtent(fn)), clang_getRangeStart(clang_getCursorExtent(body)));
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, head, &tokens, &count);
  bool found = false;
  for (unsigned i = 0; i < count && !found; ++i) {
    const std::string word = take(clang_getTokenSpelling(tu, tokens[i]));
    found = word == "constexpr" || word == "consteval";
  }
  clang_disposeTokens(tu, tokens, count);
  return found;
}

struct Walk {
  CXTranslationUnit tu;
  CXFile main_file;
  const MarkRequest& request;
  Marker& marker;
  MarkedSource& out;
  std::vector<std::string> defined;  // every function defined in the file, for the error message
};

CXChildVisitResult visit_declaration(CXCursor c, CXCursor, CXClientData data) {
  auto& walk = *static_cast<Walk*>(data);
  // Where the text is, not where a macro was defined: `namespace KPROF_NMF_FLAVOUR {` is the file's.
  CXFile file = nullptr;
  clang_getExpansionLocation(clang_getCursorLocation(c), &file, nullptr, nullptr, nullptr);
  if (!file || !clang_File_isEqual(file, walk.main_file)) return CXChildVisit_Continue;
  if (!is_function(clang_getCursorKind(c))) return CXChildVisit_Recurse;
  const CXCursor body = body_of(c);
  if (!clang_isCursorDefinition(c) || clang_Cursor_isNull(body)) return CXChildVisit_Continue;
  const std::string name = qualified_name(c);
  walk.defined.push_back(name);
  const bool wanted =
      walk.request.all_functions || std::any_of(walk.request.functions.begin(), walk.request.functions.end(),
                                                [&](const std::string& w) { return names_match(name, w); });
  if (!wanted) return CXChildVisit_Continue;
  if (is_constant_evaluated(walk.tu, c, body))
    walk.out.skipped.push_back(name + ": constexpr (a marker's static variables are not allowed there)");
  else
    walk.marker.function(c, body, walk.out);
  return CXChildVisit_Continue;
}

void throw_on_errors(CXTranslationUnit tu, const std::filesystem::path& source) {
  std::string errors;
  for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
      errors += "\n  " + take(clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions()));
    clang_disposeDiagnostic(d);
  }
  if (!errors.empty())
    throw UsageError("cannot mark " + source.string() + ": libclang cannot parse it:" + errors +
                     "\n(the compiler arguments come from the target's include directories, definitions and "
                     "C++ standard)");
}

void check_every_function_found(const MarkRequest& request, const Walk& walk) {
  for (const std::string& wanted : request.functions) {
    const bool found = std::any_of(walk.out.functions.begin(), walk.out.functions.end(),
                                   [&](const MarkedFunction& f) { return names_match(f.name, wanted); }) ||
                       std::any_of(walk.out.skipped.begin(), walk.out.skipped.end(),
                                   [&](const std::string& s) { return names_match(s.substr(0, s.find(':')), wanted); });
    if (found) continue;
    std::string defined;
    for (const auto& d : walk.defined) defined += (defined.empty() ? "" : ", ") + d;
    throw UsageError("cannot mark '" + wanted + "': " + request.source.string() + " defines no function of that name" +
                     (defined.empty() ? " (it defines no function)" : " (it defines: " + defined + ")"));
  }
}

std::string quoted(const std::filesystem::path& source) {
  std::string escaped;
  for (char c : source.string()) escaped += (c == '\\' || c == '"') ? std::string{'\\', c} : std::string{c};
  return "\"" + escaped + "\"";
}

// After the original's last line: the lines left without a marker, registered for the report
// (kprof/lines/unmarked.h), so that its reader knows where their time went.
std::string unmarked_registration(const std::vector<MarkedFunction>& functions, const std::filesystem::path& source) {
  std::string sites;
  for (const MarkedFunction& fn : functions)
    for (const UnmarkedLine& u : fn.unmarked)
      sites += (sites.empty() ? "{" : ", {") + std::to_string(u.line) + ", \"" + u.why + "\"}";
  if (sites.empty()) return "";
  return "#include \"kprof/lines/unmarked.h\"\n"
         "[[maybe_unused]] static const bool kprof_unmarked_lines_ = ::kprof::lines::note_unmarked_lines(" +
         quoted(source) + ", {" + sites + "});\n";
}

std::string apply(std::string text, const std::map<unsigned, std::string, std::greater<>>& insertions,
                  const std::filesystem::path& source) {
  for (const auto& [offset, what] : insertions) text.insert(offset, what);
  return "#include \"kprof/lines.h\"\n#line 1 " + quoted(source) + "\n" + text;
}

}  // namespace

MarkedSource mark_statements(const MarkRequest& request) {
  const std::filesystem::path source = std::filesystem::absolute(request.source).lexically_normal();
  const std::string text = read_file(source);
  std::vector<const char*> args;
  for (const auto& a : request.compiler_args) args.push_back(a.c_str());
  std::unique_ptr<void, decltype(&clang_disposeIndex)> index(clang_createIndex(0, 0), clang_disposeIndex);
  CXTranslationUnit raw = nullptr;
  const CXErrorCode code =
      clang_parseTranslationUnit2(index.get(), source.c_str(), args.data(), static_cast<int>(args.size()), nullptr, 0,
                                  CXTranslationUnit_None, &raw);
  if (code != CXError_Success || !raw)
    throw UsageError("cannot mark " + source.string() + ": libclang could not parse it (error " +
                     std::to_string(static_cast<int>(code)) + ")");
  std::unique_ptr<CXTranslationUnitImpl, decltype(&clang_disposeTranslationUnit)> tu(raw, clang_disposeTranslationUnit);
  throw_on_errors(raw, source);
  MarkedSource out;
  Marker marker(request);
  Walk walk{raw, clang_getFile(raw, source.c_str()), request, marker, out, {}};
  clang_visitChildren(clang_getTranslationUnitCursor(raw), visit_declaration, &walk);
  check_every_function_found(request, walk);
  out.text = apply(text, marker.insertions(), source);
  if (const std::string registration = unmarked_registration(out.functions, source); !registration.empty())
    out.text += (out.text.ends_with('\n') ? "" : "\n") + registration;
  return out;
}

}  // namespace kprof::lines
