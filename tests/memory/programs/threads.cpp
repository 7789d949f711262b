// 8 threads x 100,000 malloc(32)/free pairs: the trace must count exactly 800,000 allocations of
// 25,600,000 bytes from the worker function.
#include <cstdlib>
#include <thread>
#include <vector>

extern "C" void* volatile sink;
void* volatile sink = nullptr;

__attribute__((noinline)) void worker() {
  for (int i = 0; i < 100000; ++i) {
    void* p = std::malloc(32);
    sink = p;
    std::free(p);
  }
}

int main() {
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  return 0;
}
