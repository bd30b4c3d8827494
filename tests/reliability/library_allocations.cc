// See library_allocations.h. Replaces the global operator new of the binary it is linked into.
#include "tests/reliability/library_allocations.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/match.h"

namespace {

// Code whose allocations may fail: sorted, disjoint [begin, end) address ranges, filled before
// anything is armed and read-only afterwards.
struct Range {
  uintptr_t begin, end;
};
std::vector<Range>* g_ranges = nullptr;

bool InFailingCode(const void* caller) {
  if (g_ranges == nullptr) return false;
  const auto pc = reinterpret_cast<uintptr_t>(caller);
  auto it = std::upper_bound(g_ranges->begin(), g_ranges->end(), pc,
                             [](uintptr_t p, const Range& r) { return p < r.begin; });
  return it != g_ranges->begin() && pc < std::prev(it)->end;
}

// -1: disarmed. Otherwise the allocations left before every further one fails.
thread_local int64_t t_allocations_left = -1;
thread_local bool t_counting = false;
thread_local int64_t t_counted = 0;

void* Allocate(std::size_t size, const void* caller) {
  if ((t_allocations_left >= 0 || t_counting) && InFailingCode(caller)) {
    if (t_allocations_left == 0) throw std::bad_alloc();
    if (t_allocations_left > 0) --t_allocations_left;
    if (t_counting) ++t_counted;
  }
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

// The executable segments of libginac and libcln, and each CaDiCaL function in this executable
// (linked from libcadical.a; found in /proc/self/exe's symbol table).
int AddLibrary(dl_phdr_info* info, size_t, void* out) {
  auto* ranges = static_cast<std::vector<Range>*>(out);
  const std::string name = info->dlpi_name == nullptr ? "" : info->dlpi_name;
  if (!absl::StrContains(name, "libginac") && !absl::StrContains(name, "libcln")) {
    return 0;
  }
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) != 0) {
      ranges->push_back({info->dlpi_addr + ph.p_vaddr, info->dlpi_addr + ph.p_vaddr + ph.p_memsz});
    }
  }
  return 0;
}

int ExecutableBase(dl_phdr_info* info, size_t, void* out) {
  *static_cast<uintptr_t*>(out) = info->dlpi_addr;  // the first object is the executable
  return 1;
}

// Number of CaDiCaL functions added.
int AddCadical(std::vector<Range>& ranges) {
  const int fd = open("/proc/self/exe", O_RDONLY);
  if (fd < 0) return 0;
  struct stat st;
  fstat(fd, &st);
  void* map = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return 0;
  uintptr_t load = 0;
  dl_iterate_phdr(ExecutableBase, &load);
  const auto* base = static_cast<const char*>(map);
  const auto* eh = reinterpret_cast<const ElfW(Ehdr)*>(base);
  const auto* sections = reinterpret_cast<const ElfW(Shdr)*>(base + eh->e_shoff);
  int added = 0;
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sections[i].sh_type != SHT_SYMTAB) continue;
    const auto* symbols = reinterpret_cast<const ElfW(Sym)*>(base + sections[i].sh_offset);
    const char* names = base + sections[sections[i].sh_link].sh_offset;
    for (size_t k = 0; k < sections[i].sh_size / sizeof(ElfW(Sym)); ++k) {
      const ElfW(Sym)& sym = symbols[k];
      if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_value == 0) continue;
      if (std::strncmp(names + sym.st_name, "_ZN7CaDiCaL", 11) != 0) continue;
      ranges.push_back({load + sym.st_value, load + sym.st_value + sym.st_size});
      ++added;
    }
  }
  munmap(map, st.st_size);
  return added;
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size, __builtin_return_address(0)); }
void* operator new[](std::size_t size) { return Allocate(size, __builtin_return_address(0)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace arbiter::reliability {

absl::Status FindLibraryCode() {
  if (g_ranges != nullptr) return absl::OkStatus();
  auto ranges = std::make_unique<std::vector<Range>>();
  dl_iterate_phdr(AddLibrary, ranges.get());
  if (ranges->size() < 2) {
    return absl::NotFoundError("libginac and libcln not found among the loaded objects");
  }
  if (AddCadical(*ranges) < 100) {
    return absl::NotFoundError("no CaDiCaL functions in /proc/self/exe's symbol table");
  }
  std::sort(ranges->begin(), ranges->end(),
            [](const Range& a, const Range& b) { return a.begin < b.begin; });
  g_ranges = ranges.release();  // lives as long as the process (operator new reads it)
  return absl::OkStatus();
}

void ArmThisThread(int64_t fail_after) {
  t_counting = fail_after < 0;
  t_counted = 0;
  t_allocations_left = fail_after;
}

int64_t DisarmThisThread() {
  t_allocations_left = -1;
  const bool counted = t_counting;
  t_counting = false;
  return counted ? t_counted : 0;
}

}  // namespace arbiter::reliability
