#pragma once
// Registering a kernel family: one algorithm, its problem setup, a plain reference implementation,
// its FLOP and byte counts, and the variants to compare. A family is written once as a class
// template over the element type and registered for float and double together:
//
//   template <class T> struct Dot {
//     explicit Dot(const kprof::Size& s) : x(s["n"]), y(s["n"]) { kprof::fill_uniform(x, 1); ... }
//     std::span<const T> output() const { return {&result, 1}; }
//     std::vector<T> x, y; T result{};
//   };
//
//   KPROF_FAMILY(dot, Dot)
//       .describe("x·y, the memory-bound end of BLAS level 1")
//       .param({.name = "n", .default_value = 1 << 20})
//       .flops([](const kprof::Size& s) { return 2.0 * s["n"]; })
//       .bytes([](const kprof::Size& s, std::size_t elem) { return 2.0 * s["n"] * elem; })
//       .reference([](auto& p) { p.result = reference_dot(p.x, p.y); })
//       .variant({.name = "scalar", .kind = kprof::Kind::scalar}, [](auto& p) { ... });
//
// Each variant callable takes the problem by reference and is instantiated for Dot<float> and
// Dot<double>. The runner checks every variant's output against the reference before timing it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kprof/isa.h"
#include "kprof/size.h"

namespace kprof {

enum class DType { f32, f64 };
std::string_view to_string(DType dtype);
DType dtype_from_string(std::string_view name);  // throws UsageError
inline std::size_t element_bytes(DType d) { return d == DType::f32 ? 4 : 8; }

enum class Kind { scalar, simd, blas, eigen, other };
std::string_view to_string(Kind kind);

struct VariantSpec {
  std::string name;
  Kind kind = Kind::scalar;
  Isa isa = Isa::baseline;  // the variant is skipped, with the reason, on a CPU without it
  std::string note;         // one line shown in `kprof list`
  // What really runs, asked at run time ("OpenBLAS 0.3.21 Haswell kernels, 1 thread"). Left empty,
  // the runner describes the path from kind and ISA.
  std::function<std::string()> code_path;
  bool threaded = false;  // uses the --threads setting (TSan runs cover these)
};

// How the code that registers a family was compiled. KPROF_FAMILY records it in the translation
// unit where it expands (the user's own, with the user's compiler and flags): the compiler,
// optimisation and NDEBUG from the compiler's own macros there, the build type and flags from the
// definitions kprof_add_kernels / kprof_kernel_sources add in CMake (empty without them). The
// environment fingerprint describes the measured code with it, not kprof's own build.
struct BuildInfo {
  std::string compiler;    // "g++ 12.2.0", "clang 14.0.6"
  std::string build_type;  // CMake's configuration ("RelWithDebInfo"); "" when not recorded
  std::string cxx_flags;   // CMake's flags for that configuration and the target's options
  bool optimized = false;  // compiled with optimisation (__OPTIMIZE__)
  bool assertions = true;  // NDEBUG was not defined: assert() is on
  bool operator==(const BuildInfo&) const = default;
};

// A type-erased view of a problem's output, compared element by element with the reference.
struct OutputView {
  const void* data = nullptr;
  std::size_t size = 0;
  DType dtype = DType::f64;
};

// One problem instance (inputs and output) for one size and dtype.
class Instance {
 public:
  virtual ~Instance() = default;
  virtual void run_reference() = 0;
  // Runs variant `index` `iterations` times back to back: the loop lives in the typed code, so the
  // variant call inlines into it and the measured loop stays one indirect call per batch.
  virtual void run(std::size_t index, std::int64_t iterations) = 0;
  virtual OutputView output() const = 0;
  // The typed problem object (P<T>*), for profilers that need the family's own data.
  virtual void* problem() = 0;
  // The values of FamilyRecord::figures, read from the problem as the last call left it.
  virtual std::vector<double> figures() const { return {}; }
};

struct Variant {
  VariantSpec spec;
};

struct FamilyRecord {
  std::string name;
  std::string description;
  std::vector<SizeParam> params;
  std::vector<std::string> default_sizes;  // size specs `kprof run` uses when none is given
  // Sizes kprof's correctness suite checks every variant at (odd tails included). Empty: 1, 7, 33,
  // 1000 for every shape parameter, plus non-square mixes of 1, 7 and 33.
  std::vector<std::string> test_sizes;
  std::function<double(const Size&)> flops;
  std::function<double(const Size&, std::size_t elem_bytes)> bytes;
  // Bytes of one chunk's working set (what a chunked kernel keeps hot between its loads): a sweep
  // over the chunk size places it against the caches (the cache knee). Unset: not chunked.
  std::function<double(const Size&, std::size_t elem_bytes)> working_set;
  double tolerance_f32 = 1e-4;  // max normwise relative error accepted
  double tolerance_f64 = 1e-10;
  // When set, the tolerance for a size and dtype (replaces the two constants above).
  std::function<double(const Size&, DType)> tolerance_rule;
  // Names of the figures a problem reports after a variant's call, besides its time (forest_fit's
  // held-out accuracy): Instance::figures() gives their values in this order.
  std::vector<std::string> figures;
  bool has_reference = false;  // .reference() was given; kprof refuses to run a family without one
  BuildInfo build;             // how the translation unit with KPROF_FAMILY was compiled
  std::vector<Variant> variants;
  // Builds an instance whose variant indices match `variants`.
  std::function<std::unique_ptr<Instance>(const Size&, DType)> make_instance;

  double tolerance(const Size& size, DType d) const {
    if (tolerance_rule) return tolerance_rule(size, d);
    return d == DType::f32 ? tolerance_f32 : tolerance_f64;
  }
  const Variant* find_variant(std::string_view name) const;
};

// Adds a family to the process-wide registry (kprof::registry()); returns the stored record.
FamilyRecord& register_family(std::string name);

namespace detail {

template <template <class> class P, class T>
struct TypedOps {
  std::function<void(P<T>&)> reference;
  std::vector<std::function<void(P<T>&, std::int64_t)>> batches;
  std::vector<std::function<double(const P<T>&)>> figures;
};

template <template <class> class P, class T>
class TypedInstance final : public Instance {
 public:
  TypedInstance(const Size& size, std::shared_ptr<const TypedOps<P, T>> ops) : problem_(size), ops_(std::move(ops)) {}
  void run_reference() override { ops_->reference(problem_); }
  void run(std::size_t index, std::int64_t iterations) override { ops_->batches.at(index)(problem_, iterations); }
  OutputView output() const override {
    std::span<const T> out = problem_.output();
    return {out.data(), out.size(), std::is_same_v<T, float> ? DType::f32 : DType::f64};
  }
  void* problem() override { return &problem_; }
  std::vector<double> figures() const override {
    std::vector<double> values;
    for (const auto& figure : ops_->figures) values.push_back(figure(problem_));
    return values;
  }

 private:
  P<T> problem_;
  std::shared_ptr<const TypedOps<P, T>> ops_;
};

// Keeps the optimiser from merging or dropping repeated calls whose results go to memory.
inline void clobber_memory() { asm volatile("" : : : "memory"); }

}  // namespace detail

// The fluent builder behind KPROF_FAMILY. Copies share one registered record.
template <template <class> class P>
class Family {
 public:
  explicit Family(std::string name, BuildInfo build = {})
      : record_(&register_family(std::move(name))),
        f32_(std::make_shared<detail::TypedOps<P, float>>()),
        f64_(std::make_shared<detail::TypedOps<P, double>>()) {
    record_->build = std::move(build);
    auto f32 = f32_;
    auto f64 = f64_;
    record_->make_instance = [f32, f64](const Size& size, DType dtype) -> std::unique_ptr<Instance> {
      if (dtype == DType::f32) return std::make_unique<detail::TypedInstance<P, float>>(size, f32);
      return std::make_unique<detail::TypedInstance<P, double>>(size, f64);
    };
  }

  Family& describe(std::string text) {
    record_->description = std::move(text);
    return *this;
  }
  Family& param(SizeParam p) {
    record_->params.push_back(std::move(p));
    return *this;
  }
  Family& test_sizes(std::vector<std::string> specs) {
    record_->test_sizes = std::move(specs);
    return *this;
  }
  Family& default_sizes(std::vector<std::string> specs) {
    record_->default_sizes = std::move(specs);
    return *this;
  }
  Family& flops(std::function<double(const Size&)> f) {
    record_->flops = std::move(f);
    return *this;
  }
  Family& bytes(std::function<double(const Size&, std::size_t)> f) {
    record_->bytes = std::move(f);
    return *this;
  }
  // Bytes one chunk works on, for a family whose kernels walk the data in chunks: `kprof run -s
  // chunk=16..8192:*2` then reports where this working set leaves each cache level.
  Family& working_set(std::function<double(const Size&, std::size_t)> f) {
    record_->working_set = std::move(f);
    return *this;
  }
  // The largest normwise relative error, max|out - ref| / max|ref|, a correct variant may have.
  Family& tolerance(double f32, double f64) {
    record_->tolerance_f32 = f32;
    record_->tolerance_f64 = f64;
    return *this;
  }
  // The same as a function of the size: rounding errors grow with the length of a sum.
  Family& tolerance(std::function<double(const Size&, DType)> rule) {
    record_->tolerance_rule = std::move(rule);
    return *this;
  }

  template <class F>
  Family& reference(F f) {
    record_->has_reference = true;
    f32_->reference = [f](P<float>& p) { f(p); };
    f64_->reference = [f](P<double>& p) { f(p); };
    return *this;
  }

  // A figure a call leaves in the problem besides its time (a model's accuracy, iterations taken),
  // reported next to the variant's time: `f` reads it from the problem after the checked call.
  template <class F>
  Family& figure(std::string name, F f) {
    record_->figures.push_back(std::move(name));
    f32_->figures.push_back([f](const P<float>& p) { return static_cast<double>(f(p)); });
    f64_->figures.push_back([f](const P<double>& p) { return static_cast<double>(f(p)); });
    return *this;
  }

  template <class F>
  Family& variant(VariantSpec spec, F f) {
    record_->variants.push_back(Variant{std::move(spec)});
    f32_->batches.push_back(batch<float>(f));
    f64_->batches.push_back(batch<double>(f));
    return *this;
  }

  FamilyRecord& record() const { return *record_; }

 private:
  template <class T, class F>
  static std::function<void(P<T>&, std::int64_t)> batch(F f) {
    return [f](P<T>& p, std::int64_t iterations) {
      for (std::int64_t i = 0; i < iterations; ++i) {
        f(p);
        detail::clobber_memory();
      }
    };
  }

  FamilyRecord* record_;
  std::shared_ptr<detail::TypedOps<P, float>> f32_;
  std::shared_ptr<detail::TypedOps<P, double>> f64_;
};

// Deterministic inputs: the same seed gives the same data in every process, so a reference run and
// a variant run (or two builds in a regression check) see identical problems.
void fill_uniform(std::span<float> out, std::uint64_t seed, double lo = -1.0, double hi = 1.0);
void fill_uniform(std::span<double> out, std::uint64_t seed, double lo = -1.0, double hi = 1.0);

}  // namespace kprof

#define KPROF_CONCAT_IMPL(a, b) a##b
#define KPROF_CONCAT(a, b) KPROF_CONCAT_IMPL(a, b)

// The build of the translation unit that includes this header, for KPROF_FAMILY (kprof::BuildInfo).
// Macros, not functions: they must be evaluated with the flags of the user's file, and an inline
// function compiled two ways would be one function to the linker.
#if defined(__clang__)
#define KPROF_DETAIL_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define KPROF_DETAIL_COMPILER "g++ " __VERSION__
#else
#define KPROF_DETAIL_COMPILER "unknown compiler"
#endif
#ifdef __OPTIMIZE__
#define KPROF_DETAIL_OPTIMIZED true
#else
#define KPROF_DETAIL_OPTIMIZED false
#endif
#ifdef NDEBUG
#define KPROF_DETAIL_ASSERTIONS false
#else
#define KPROF_DETAIL_ASSERTIONS true
#endif
#ifdef KPROF_KERNEL_BUILD_TYPE  // defined by kprof_add_kernels / kprof_kernel_sources (CMake)
#define KPROF_DETAIL_BUILD_TYPE KPROF_KERNEL_BUILD_TYPE
#define KPROF_DETAIL_CXX_FLAGS KPROF_KERNEL_CXX_FLAGS
#else
#define KPROF_DETAIL_BUILD_TYPE ""
#define KPROF_DETAIL_CXX_FLAGS ""
#endif
#define KPROF_DETAIL_BUILD_INFO                                                                     \
  ::kprof::BuildInfo {                                                                              \
    KPROF_DETAIL_COMPILER, KPROF_DETAIL_BUILD_TYPE, KPROF_DETAIL_CXX_FLAGS, KPROF_DETAIL_OPTIMIZED, \
        KPROF_DETAIL_ASSERTIONS                                                                     \
  }

// KPROF_FAMILY(name, ProblemTemplate).variant(...)...; registers a family at static-init time.
#define KPROF_FAMILY(name, ProblemTemplate)                                                          \
  [[maybe_unused]] static const ::kprof::Family<ProblemTemplate> KPROF_CONCAT(kprof_family_, name) = \
      ::kprof::Family<ProblemTemplate>(#name, KPROF_DETAIL_BUILD_INFO)
