// A library loaded with dlopen: its allocation must be attributed to this file and library.
#include <cstdlib>

extern "C" void* plugin_allocate() {
  return std::malloc(77777);  // PLUGIN_LINE
}
