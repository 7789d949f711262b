// A program that execs: the first image holds 8,000,000 bytes, frees 1,000,000, tries an exec that
// fails (the program goes on: 2,000 more bytes), then execs itself with "second"; the second image
// allocates and frees 3,000,000 bytes and exits 0. A vfork'ed child that execs /bin/true first
// must not end the first image's trace (it shares the parent's memory, not its trace).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern char** environ;

namespace {

void* touched(std::size_t bytes, int value) {
  void* p = std::malloc(bytes);
  std::memset(p, value, bytes);
  asm volatile("" : : "g"(p) : "memory");  // keep the allocation (-fallocation-dce)
  return p;
}

int second_image() {
  std::free(touched(3000000, 3));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "second") == 0) return second_image();
  touched(8000000, 1);  // held at the exec
  std::free(touched(1000000, 2));
  pid_t child = 0;
  char true_name[] = "true";
  char* true_argv[] = {true_name, nullptr};
  if (posix_spawnp(&child, "true", nullptr, nullptr, true_argv, environ) == 0) waitpid(child, nullptr, 0);
  char missing[] = "/nonexistent/kprof-no-such-program";
  char* missing_argv[] = {missing, nullptr};
  execv(missing, missing_argv);  // fails: the image goes on
  std::free(touched(2000, 4));
  char second[] = "second";
  char* self_argv[] = {argv[0], second, nullptr};
  execv(argv[0], self_argv);
  return 1;
}
