// Loads the plugin given as argv[1], lets it allocate, frees the block and unloads the plugin.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    std::fprintf(stderr, "%s\n", dlerror());
    return 3;
  }
  auto allocate = reinterpret_cast<void* (*)()>(dlsym(lib, "plugin_allocate"));
  void* p = allocate();
  std::free(p);
  dlclose(lib);
  return 0;
}
