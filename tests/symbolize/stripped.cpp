// A library stripped after linking (no .symtab) whose hidden function has no .dynsym entry
// either: its code has no symbol at all, so the symbolizer can only name it by module + offset.
namespace {

__attribute__((noinline)) int hidden_work(int x) { return x * 3 + 1; }

}  // namespace

extern "C" __attribute__((visibility("default"))) void* stripped_hidden_address() {
  return reinterpret_cast<void*>(&hidden_work);
}
