// The parent allocates 3000 bytes; a forked child allocates 5,000,000 bytes and exits. The
// parent's trace must hold the parent's 3000 and none of the child's.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

int main() {
  void* parent_block = std::malloc(3000);
  std::memset(parent_block, 1, 3000);
  asm volatile("" : : "g"(parent_block) : "memory");  // keep the allocation (-fallocation-dce)
  pid_t pid = fork();
  if (pid == 0) {
    void* child_block = std::malloc(5000000);
    std::memset(child_block, 2, 5000000);
    asm volatile("" : : "g"(child_block) : "memory");
    std::free(child_block);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  std::free(parent_block);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
