// Thread pools found by symbol in the loaded shared objects (threadpoolctl's approach), and the
// scoped limiter. A symbol found through an object's handle can come from one of its dependencies
// (dlsym searches the dependency tree), so a pool is attributed only to the object that defines
// the symbol (dladdr), and each object is reported once.
#include "kprof/thread_pools.h"

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

namespace kprof {
namespace {

// One handle per loaded object: its path ("" for the executable) and a dlopen handle that keeps
// nothing loaded that was not (RTLD_NOLOAD).
struct LoadedObject {
  std::string path;
  void* handle = nullptr;
};

std::vector<LoadedObject> loaded_objects() {
  std::vector<std::string> paths;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        static_cast<std::vector<std::string>*>(data)->emplace_back(info->dlpi_name ? info->dlpi_name : "");
        return 0;
      },
      &paths);
  std::vector<LoadedObject> out;
  for (const std::string& path : paths) {
    void* handle = dlopen(path.empty() ? nullptr : path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
    if (handle) out.push_back({path, handle});
  }
  return out;
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("(executable)");
}

// `name` from `object` itself, not from one of its dependencies.
void* own_symbol(const LoadedObject& object, const char* name) {
  void* symbol = dlsym(object.handle, name);
  if (!symbol) return nullptr;
  Dl_info info{};
  if (!dladdr(symbol, &info) || !info.dli_fname) return nullptr;
  std::string defined_in = info.dli_fname;
  if (object.path.empty()) return defined_in == self_path() || defined_in.empty() ? symbol : nullptr;
  return defined_in == object.path ? symbol : nullptr;
}

template <class F>
F* fn(const LoadedObject& object, const char* name) {
  return reinterpret_cast<F*>(own_symbol(object, name));
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

std::string library_name(const LoadedObject& object) { return object.path.empty() ? self_path() : object.path; }

std::optional<ThreadPool> openblas_pool(const LoadedObject& object) {
  auto get = fn<int()>(object, "openblas_get_num_threads");
  if (!get) return std::nullopt;
  ThreadPool p{.api = "openblas", .library = library_name(object), .threads = get()};
  if (auto config = fn<char*()>(object, "openblas_get_config")) {
    std::string text = trim(config());  // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
    if (text.rfind("OpenBLAS ", 0) == 0) p.version = text.substr(9, text.find(' ', 9) - 9);
    p.config = text;
  }
  if (auto core = fn<char*()>(object, "openblas_get_corename")) p.core = trim(core());
  if (auto parallel = fn<int()>(object, "openblas_get_parallel")) {
    static const char* kModes[] = {"sequential", "pthreads", "openmp"};
    int mode = parallel();
    p.threading = mode >= 0 && mode <= 2 ? kModes[mode] : "unknown";
  }
  return p;
}

std::optional<ThreadPool> blis_pool(const LoadedObject& object) {
  auto get = fn<long()>(object, "bli_thread_get_num_threads");
  if (!get) return std::nullopt;
  ThreadPool p{.api = "blis", .library = library_name(object), .threads = static_cast<int>(get())};
  if (auto version = fn<const char*()>(object, "bli_info_get_version_str")) p.version = version();
  return p;
}

std::optional<ThreadPool> mkl_pool(const LoadedObject& object) {
  auto get = fn<int()>(object, "MKL_Get_Max_Threads");
  if (!get) return std::nullopt;
  ThreadPool p{.api = "mkl", .library = library_name(object), .threads = get()};
  if (auto version = fn<void(char*, int)>(object, "MKL_Get_Version_String")) {
    char buf[256] = {};
    version(buf, sizeof buf);
    p.version = trim(buf);
  }
  return p;
}

std::optional<ThreadPool> openmp_pool(const LoadedObject& object) {
  auto get = fn<int()>(object, "omp_get_max_threads");
  if (!get) return std::nullopt;
  // No OpenMP runtime reports its own version at run time; the library's file name says which one.
  return ThreadPool{.api = "openmp", .library = library_name(object), .threads = get()};
}

void set_threads_of(const LoadedObject& object, const std::string& api, int threads) {
  if (api == "openblas") {
    if (auto set = fn<void(int)>(object, "openblas_set_num_threads")) set(threads);
  } else if (api == "blis") {
    if (auto set = fn<void(long)>(object, "bli_thread_set_num_threads")) set(threads);
  } else if (api == "mkl") {
    if (auto set = fn<void(int)>(object, "MKL_Set_Num_Threads")) set(threads);
  } else if (api == "openmp") {
    if (auto set = fn<void(int)>(object, "omp_set_num_threads")) set(threads);
  }
}

}  // namespace

std::vector<ThreadPool> thread_pools() {
  std::vector<ThreadPool> pools;
  for (const LoadedObject& object : loaded_objects()) {
    for (auto find : {openblas_pool, blis_pool, mkl_pool, openmp_pool})
      if (std::optional<ThreadPool> pool = find(object)) pools.push_back(std::move(*pool));
    dlclose(object.handle);
  }
  return pools;
}

ThreadLimits::ThreadLimits(ThreadCaps caps) {
  for (const LoadedObject& object : loaded_objects()) {
    for (auto find : {openblas_pool, blis_pool, mkl_pool, openmp_pool}) {
      std::optional<ThreadPool> pool = find(object);
      if (!pool) continue;
      std::optional<int> cap = pool->is_blas() ? caps.blas : caps.openmp;
      if (!cap) continue;
      saved_.push_back({pool->api, library_name(object), pool->threads});
      set_threads_of(object, pool->api, *cap);
    }
    dlclose(object.handle);
  }
}

ThreadLimits::~ThreadLimits() {
  for (const LoadedObject& object : loaded_objects()) {
    for (const Saved& s : saved_)
      if (s.library == library_name(object)) set_threads_of(object, s.api, s.threads);
    dlclose(object.handle);
  }
}

}  // namespace kprof
