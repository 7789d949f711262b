// Calls every allocation entry point once with a distinct size and frees each block; the sizes
// and counts are what tests/memory expects. One block is kept (a leak) and one allocation sits on
// a known line (marked KNOWN_LINE) for the per-line attribution test.
#include <malloc.h>
#include <stdlib.h>

#include <cstdio>
#include <initializer_list>
#include <new>

extern "C" void* volatile sink;
void* volatile sink = nullptr;

int main() {
  void* a = malloc(1001);
  void* b = calloc(10, 101);  // 1010 bytes
  void* c = malloc(10);
  c = realloc(c, 1020);
  void* d = aligned_alloc(64, 1024 + 64);  // 1088
  void* e = nullptr;
  if (posix_memalign(&e, 64, 1040) != 0) return 1;
  void* f = memalign(64, 1050);
  void* g = valloc(1060);
  void* h = pvalloc(100);  // rounded up to one page: 4096
  char* i = new char[1070];
  auto* j = new long(7);  // 8
  auto* k = new (std::nothrow) char[1090];
  auto* l = static_cast<char*>(::operator new (1100, std::align_val_t{128}));
  void* known = malloc(123457);  // KNOWN_LINE
  sink = known;
  for (void* p : {a, b, c, d, e, f, g, h, static_cast<void*>(i), static_cast<void*>(j), static_cast<void*>(k),
                  static_cast<void*>(l)})
    asm volatile("" : : "g"(p) : "memory");  // the blocks escape: no allocation is optimised away
  free(a);
  free(b);
  free(c);
  free(d);
  free(e);
  free(f);
  free(g);
  free(h);
  delete[] i;
  delete j;
  delete[] k;
  ::operator delete (l, std::align_val_t{128});
  return 0;
}
