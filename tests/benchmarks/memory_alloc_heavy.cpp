// An allocation-heavy program for the memory tracer's overhead benchmark: millions of small
// allocations from a few realistic call sites (map nodes, strings, vector growth), about 6.4
// million allocations in all with little work between them, the worst case for a tracer.
#include <cstdio>
#include <list>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 4;
  std::size_t checksum = 0;
  for (int r = 0; r < rounds; ++r) {
    std::map<int, int> m;
    for (int i = 0; i < 400000; ++i) m[i * 7 + r] = i;  // 400k nodes
    std::list<std::string> words;
    for (int i = 0; i < 400000; ++i) words.push_back("word number " + std::to_string(i) + " of the list");  // 800k
    std::vector<std::vector<int>> rows;
    for (int i = 0; i < 200000; ++i) rows.emplace_back(3, i);  // 200k + growth
    checksum += m.size() + words.size() + rows.size();
  }
  std::printf("%zu\n", checksum);
  return 0;
}
