// Allocates 424242 bytes and then aborts: kprof mem must pass the status through (134) and
// still report the allocation.
#include <cstdlib>
#include <cstring>

int main() {
  void* p = std::malloc(424242);
  std::memset(p, 3, 424242);
  asm volatile("" : : "g"(p) : "memory");  // keep the allocation (-fallocation-dce)
  std::abort();
}
