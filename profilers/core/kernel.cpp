#include "kprof/kernel.h"

#include <random>
#include <string>

#include "kprof/errors.h"
#include "kprof/job.h"
#include "kprof/registry.h"
#include "kprof/run.h"

namespace kprof {

std::string_view to_string(DType dtype) { return dtype == DType::f32 ? "f32" : "f64"; }

DType dtype_from_string(std::string_view name) {
  if (name == "f32" || name == "float") return DType::f32;
  if (name == "f64" || name == "double") return DType::f64;
  throw UsageError("unknown dtype '" + std::string(name) + "' (expected f32 or f64)");
}

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::scalar:
      return "scalar";
    case Kind::simd:
      return "simd";
    case Kind::blas:
      return "blas";
    case Kind::eigen:
      return "eigen";
    case Kind::other:
      return "other";
  }
  return "?";
}

std::string_view to_string(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::wrong:
      return "wrong";
    case Status::skipped:
      return "skipped";
    case Status::failed:
      return "failed";
  }
  return "?";
}

Status status_from_string(std::string_view s) {
  if (s == "ok") return Status::ok;
  if (s == "wrong") return Status::wrong;
  if (s == "skipped") return Status::skipped;
  if (s == "failed") return Status::failed;
  throw UsageError("unknown status '" + std::string(s) + "'");
}

std::string Result::key() const { return job_key(family, variant, dtype, size, threads, blas_threads); }

const Variant* FamilyRecord::find_variant(std::string_view name) const {
  for (const auto& v : variants)
    if (v.spec.name == name) return &v;
  return nullptr;
}

FamilyRecord& register_family(std::string name) { return registry().add(std::move(name)); }

namespace {
template <class T>
void fill(std::span<T> out, std::uint64_t seed, double lo, double hi) {
  // mt19937_64 + our own scaling: std::uniform_real_distribution is not specified bit-for-bit
  // across standard libraries, and runs must be comparable between builds.
  std::mt19937_64 rng(seed);
  const double scale = (hi - lo) / 18446744073709551616.0;
  for (auto& x : out) x = static_cast<T>(lo + static_cast<double>(rng()) * scale);
}
}  // namespace

void fill_uniform(std::span<float> out, std::uint64_t seed, double lo, double hi) { fill(out, seed, lo, hi); }
void fill_uniform(std::span<double> out, std::uint64_t seed, double lo, double hi) { fill(out, seed, lo, hi); }

}  // namespace kprof
