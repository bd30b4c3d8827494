// What one page fault costs on this machine, against the same work done without a trap:
//   touch     first write to fresh anonymous memory (zero-fill fault)
//   populate  MADV_POPULATE_WRITE on fresh memory (same kernel work, no fault per page)
//   cow       first write, in a forked child, to a page it shares copy-on-write with its parent
// On bare metal a fault costs well under 1 us; on some VMs (nested paging) 10 us or more, which
// is what makes fork-per-test sandboxes slow there. Build and run: bench/vm/probe.sh
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum { kBytes = 64 << 20, kPage = 4096, kPages = kBytes / kPage, kRounds = 5 };

static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static char* Fresh(void) {
  char* p = mmap(NULL, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  madvise(p, kBytes, MADV_NOHUGEPAGE);  // one fault per 4 KiB page, not per 2 MiB
  return p;
}

int main(void) {
  double touch = 1e9, populate = 1e9, cow = 1e9;
  for (int round = 0; round < kRounds; ++round) {  // best of kRounds
    char* p = Fresh();
    double t = Now();
    for (int i = 0; i < kPages; ++i) p[(size_t)i * kPage] = 1;
    const double d_touch = (Now() - t) / kPages;
    int fds[2];
    if (pipe(fds) != 0) return 1;
    const pid_t child = fork();
    if (child == 0) {
      const double start = Now();
      for (int i = 0; i < kPages; ++i) p[(size_t)i * kPage] = 2;
      const double d = (Now() - start) / kPages;
      if (write(fds[1], &d, sizeof d) != sizeof d) _exit(1);
      _exit(0);
    }
    double d_cow = 0;
    if (read(fds[0], &d_cow, sizeof d_cow) != sizeof d_cow) return 1;
    waitpid(child, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    munmap(p, kBytes);
    p = Fresh();
    t = Now();
    if (madvise(p, kBytes, MADV_POPULATE_WRITE) != 0) {
      perror("madvise(MADV_POPULATE_WRITE) (kernel < 5.14?)");
      return 1;
    }
    const double d_populate = (Now() - t) / kPages;
    munmap(p, kBytes);
    if (d_touch < touch) touch = d_touch;
    if (d_cow < cow) cow = d_cow;
    if (d_populate < populate) populate = d_populate;
  }
  printf("page fault cost, best of %d rounds over %d pages:\n", kRounds, kPages);
  printf("  zero-fill fault (touch)        %6.2f us/page\n", touch * 1e6);
  printf("  same work, no trap (populate)  %6.2f us/page\n", populate * 1e6);
  printf("  copy-on-write fault after fork %6.2f us/page\n", cow * 1e6);
  return 0;
}
