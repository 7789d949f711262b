// A mixed allocation pattern for the comparison with massif: vectors that grow, a map, C
// allocations, a realloc chain and two leaks.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

int main() {
  std::vector<double> v;
  for (int i = 0; i < 5000; ++i) v.push_back(i);
  std::map<int, std::string> m;
  for (int i = 0; i < 300; ++i) m[i] = std::string(40 + i % 17, 'x');
  void* p = std::calloc(1000, 8);
  for (int i = 1; i < 20; ++i) p = std::realloc(p, 8000 + 1000 * static_cast<std::size_t>(i));
  asm volatile("" : : "g"(p) : "memory");
  std::free(p);
  auto* big = new double[100000];
  big[7] = 1;
  delete[] big;
  void* leak1 = std::malloc(4321);
  auto* leak2 = new int[99];
  asm volatile("" : : "g"(leak1), "g"(leak2) : "memory");
  return static_cast<int>(m.size() + v.size()) == 5300 ? 0 : 1;
}
