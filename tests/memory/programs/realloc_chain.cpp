// A buffer grown by realloc 100 times, 16 bytes at a time, then freed: 101 allocations, peak
// 1616 bytes (realloc frees the old block as it makes the new one), nothing left.
#include <cstdlib>

int main() {
  void* p = std::malloc(16);
  for (int i = 2; i <= 101; ++i) {
    p = std::realloc(p, 16 * static_cast<std::size_t>(i));
    asm volatile("" : : "g"(p) : "memory");
  }
  std::free(p);
  return 0;
}
