// The valgrind-safe flavour (kprof-valgrind, docs/CALLGRIND.md): on an AVX-512 machine `kprof
// callgrind --compare gemm` profiles every variant valgrind can run, Eigen's in the flavour (its
// code compiled for AVX2), and skips only the variants written with AVX-512 intrinsics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "kprof/isa.h"
#include "support/process.h"

namespace kprof {
namespace {

const std::string kValgrindSafe = "avx2 (valgrind-safe)";

std::string flavour_exe() { return std::string("'") + KPROF_EXE + "-valgrind'"; }

std::map<std::string, nlohmann::json> results_by_variant(const std::string& dir) {
  std::ifstream in(dir + "/callgrind.json");
  std::map<std::string, nlohmann::json> by_variant;
  const nlohmann::json doc = nlohmann::json::parse(in);  // kept: the loop reads into it
  for (const auto& e : doc.at("sections").at("callgrind").at("results"))
    by_variant[e.at("variant").get<std::string>()] = e;
  return by_variant;
}

// What each build compiled gemm/eigen for: AVX-512 natively, AVX2 in the flavour; the intrinsics
// kernel needs AVX-512 in both.
TEST(CallgrindFlavour, EigenIsCompiledForAvx2OnlyInTheFlavour) {
  auto isa = [](const std::string& exe, const std::string& variant) {
    auto r = test::run_command(exe + " region gemm/" + variant + " -s 8 -t f64 --print-isa");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_EQ(isa(test::kprof_exe(), "eigen"), "avx512\n");
  EXPECT_EQ(isa(flavour_exe(), "eigen"), "avx2\n");
  EXPECT_EQ(isa(flavour_exe(), "simd-avx512"), "avx512\n");
  EXPECT_EQ(isa(flavour_exe(), "scalar"), "baseline\n");
}

TEST(CallgrindFlavour, CompareGemmProfilesEveryVariantButTheAvx512Intrinsics) {
  if (!cpu_supports(Isa::avx512)) GTEST_SKIP() << "no AVX-512 here: every gemm variant but simd-avx512* runs natively";
  auto dir = test::fresh_dir("callgrind_flavour_compare");
  auto r = test::run_command(test::kprof_exe() + " callgrind gemm --compare -s 64 -t f64 -q -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto results = results_by_variant(dir);
  for (const char* variant : {"scalar", "simd-avx2", "blas", "eigen"}) {
    ASSERT_TRUE(results.contains(variant)) << variant << " not profiled:\n" << r.out;
    const auto& e = results.at(variant);
    EXPECT_GT(e.at("events").at("Ir").get<std::int64_t>(), 0) << variant;
    EXPECT_EQ(e.at("matches_reference"), true) << variant;
    EXPECT_EQ(e.at("build"), std::string(variant) == "eigen" ? kValgrindSafe : "native") << variant;
  }
  for (const char* variant : {"simd-avx512", "simd-avx512-threads"}) {
    EXPECT_FALSE(results.contains(variant)) << variant;
    EXPECT_NE(r.out.find("gemm/" + std::string(variant) + ": skipped: gemm/" + variant +
                         " needs AVX-512, which valgrind does not emulate"),
              std::string::npos)
        << r.out;
  }
  // The table says which build each variant ran in, and that the comparison spans two builds.
  const std::string table = r.out.substr(0, r.out.find("\n\n"));
  EXPECT_NE(table.find(kValgrindSafe), std::string::npos) << table;
  EXPECT_NE(table.find("note: the variants ran in different builds"), std::string::npos) << table;
  // Eigen's counts are of the flavour's code: its functions are kprof-valgrind's, the others' kprof's.
  auto objects_of = [&](const char* variant) {
    std::set<std::string> objects;
    for (const auto& f : results.at(variant).at("top_functions"))
      objects.insert(std::filesystem::path(f.at("object").get<std::string>()).filename().string());
    return objects;
  };
  EXPECT_TRUE(objects_of("eigen").contains("kprof-valgrind")) << r.out;
  EXPECT_FALSE(objects_of("scalar").contains("kprof-valgrind")) << r.out;
  EXPECT_TRUE(objects_of("scalar").contains("kprof")) << r.out;
}

TEST(CallgrindFlavour, OneEigenKernelSaysItsBuild) {
  if (!cpu_supports(Isa::avx512)) GTEST_SKIP() << "no AVX-512 here: gemm/eigen runs natively";
  auto dir = test::fresh_dir("callgrind_flavour_one");
  auto r = test::run_command(test::kprof_exe() + " callgrind gemm/eigen -s 16 -t f32 -q -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("build: " + kValgrindSafe + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(results_by_variant(dir).at("eigen").at("build"), kValgrindSafe);
}

// A kprof with no flavour next to it says so and exits 2, as before the flavour existed.
TEST(CallgrindFlavour, WithoutTheFlavourEigenIsRefusedNamingIt) {
  if (!cpu_supports(Isa::avx512)) GTEST_SKIP() << "no AVX-512 here: gemm/eigen runs natively";
  auto dir = test::fresh_dir("callgrind_flavour_none");
  const auto alone = std::filesystem::path(dir) / "kprof";
  std::filesystem::copy_file(KPROF_EXE, alone);
  auto r = test::run_command("'" + alone.string() + "' callgrind gemm/eigen -s 16 -q -o " + dir + "/out");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("needs AVX-512, which valgrind does not emulate (and there is no valgrind-safe build next to "
                       "this binary: " +
                       alone.string() + "-valgrind)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace kprof
