// fork() + _exit() + waitpid() in a loop, in 1 process and then in P processes at once: does
// process creation scale across the machine's CPUs? A sandbox that forks a child per test can
// never go faster than this. Usage: fork_scaling [processes=2] [forks=1000] [heap MiB=16]
// Build and run: bench/vm/probe.sh
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double Now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// One worker: a heap of `heap_mib` touched once, then `forks` fork/_exit/wait rounds.
// Writes {forks per second, child CPU microseconds per fork} to `out`.
static void Worker(int forks, int heap_mib, int out) {
  const size_t bytes = (size_t)heap_mib << 20;
  char* heap = malloc(bytes);
  if (heap == NULL) _exit(1);
  memset(heap, 1, bytes);
  const double start = Now();
  for (int i = 0; i < forks; ++i) {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    if (child < 0) _exit(1);
    waitpid(child, NULL, 0);
  }
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  const double result[2] = {
      forks / (Now() - start),
      (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 / forks +
          (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / (double)forks,
  };
  if (write(out, result, sizeof result) != sizeof result) _exit(1);
  _exit(0);
}

static void Run(int processes, int forks, int heap_mib) {
  int fds[2];
  if (pipe(fds) != 0) exit(1);
  for (int i = 0; i < processes; ++i) {
    if (fork() == 0) Worker(forks, heap_mib, fds[1]);
  }
  double total = 0, child_cpu = 0;
  for (int i = 0; i < processes; ++i) {
    double result[2];
    if (read(fds[0], result, sizeof result) != sizeof result) exit(1);
    total += result[0];
    child_cpu += result[1] / processes;
  }
  while (wait(NULL) > 0) {
  }
  close(fds[0]);
  close(fds[1]);
  printf("  %d process%s: %7.0f forks/s in all (%6.0f each), child CPU %5.0f us per fork\n",
         processes, processes == 1 ? "  " : "es", total, total / processes, child_cpu);
}

int main(int argc, char** argv) {
  const int processes = argc > 1 ? atoi(argv[1]) : 2;
  const int forks = argc > 2 ? atoi(argv[2]) : 1000;
  const int heap_mib = argc > 3 ? atoi(argv[3]) : 16;
  printf("fork + _exit + waitpid, %d forks per process, %d MiB heap each:\n", forks, heap_mib);
  Run(1, forks, heap_mib);
  if (processes > 1) Run(processes, forks, heap_mib);
  return 0;
}
