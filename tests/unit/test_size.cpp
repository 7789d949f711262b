#include <gtest/gtest.h>

#include "kprof/errors.h"
#include "kprof/size.h"

namespace kprof {
namespace {

const std::vector<SizeParam> kParams = {
    {.name = "n", .default_value = 1000},
    {.name = "d", .default_value = 64},
    {.name = "k", .default_value = 256, .max = 4096},
    {.name = "chunk", .default_value = 256, .is_shape = false},
};

TEST(Size, BareNumberSetsEveryShapeParameter) {
  Size s = parse_size(kParams, "128");
  EXPECT_EQ(s.str(), "chunk=256,d=128,k=128,n=128");
}

TEST(Size, PositionalDimensionsFillShapeParametersInOrder) {
  EXPECT_EQ(parse_size(kParams, "100000x64x256").str(), "chunk=256,d=64,k=256,n=100000");
  EXPECT_EQ(parse_size(kParams, "7x3").str(), "chunk=256,d=3,k=256,n=7");
}

TEST(Size, NamedValuesCombineWithPositional) {
  EXPECT_EQ(parse_size(kParams, "10x2x3,chunk=64").str(), "chunk=64,d=2,k=3,n=10");
  EXPECT_EQ(parse_size(kParams, "k=7").str(), "chunk=256,d=64,k=7,n=1000");
}

TEST(Size, OneSpellingWhateverTheOrderOfDeclarationOrInput) {
  // Sorted by name: what a JSON object gives back too, so a size read from a Run document equals
  // (and keys like) the size parsed from the command line.
  const Size typed = parse_size(kParams, "chunk=64,n=10,d=2,k=3");
  const Size declared = Size({{"n", 10}, {"d", 2}, {"k", 3}, {"chunk", 64}});
  const Size sorted = Size({{"chunk", 64}, {"d", 2}, {"k", 3}, {"n", 10}});
  EXPECT_EQ(typed, declared);
  EXPECT_EQ(declared, sorted);
  EXPECT_EQ(declared.str(), "chunk=64,d=2,k=3,n=10");
  EXPECT_EQ(parse_size(kParams, declared.str()), declared);  // str() parses back to the same size
}

TEST(Size, BadInputNamesTheProblemAndTheRule) {
  auto message = [](const char* spec) {
    try {
      parse_size(kParams, spec);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("0").find("n=0 is outside 1.."), std::string::npos);
  EXPECT_NE(message("k=5000").find("k=5000 is outside 1..4096"), std::string::npos);
  EXPECT_NE(message("abc").find("'abc' is not a whole number"), std::string::npos);
  EXPECT_NE(message("q=3").find("no parameter 'q'"), std::string::npos);
  EXPECT_NE(message("1x2x3x4").find("more dimensions"), std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
  EXPECT_NE(message("12,").find("empty item"), std::string::npos);
  EXPECT_NE(message("-5").find("outside"), std::string::npos);
}

TEST(Size, LookupOfUndeclaredNameIsAProgrammingError) {
  Size s = parse_size(kParams, "5");
  EXPECT_EQ(s["d"], 5);
  EXPECT_THROW(s["m"], std::out_of_range);
}

}  // namespace
}  // namespace kprof
