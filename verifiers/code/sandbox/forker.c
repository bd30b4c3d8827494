// The forker's loop, in C: loaded by harness.py (ctypes.PyDLL) into the warm interpreter that
// clones one fresh child per test. Written in C because every page the forker writes between
// two clones costs it a copy-on-write fault on the next one: a Python loop rewrites about sixty
// pages per test (frames, refcounts of shared objects, allocator pools), this loop about five.
//
// Also here: arbiter_fork (the supervisor starting the forker) and arbiter_spawn_test (the
// supervisor forking a test itself, for one-test sessions).
//
// Protocol on `sock` (a stream socket from the supervisor), per test:
//   in:  four native-endian uint32: the lengths of fn_name, args_json and a prefetch list, and
//        flags (passed to the child), carrying SCM_RIGHTS with exactly four fds (the child's
//        stdin, stdout, stderr and result pipe ends); then the three byte strings;
//   out: one native-endian int32: the child's pid, or -errno if clone failed.
// The child is cloned with CLONE_PARENT, so it is the supervisor's child (a sibling of the
// forker): the supervisor reaps it and reads its rusage. In the child this function returns 0
// after setting up the test's process state; Python then runs the candidate.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum { kFds = 4, kLimits = 6, kMaxPrefetch = 256 };

// The request of the current test, read by Python in the child.
static char* g_body;
static size_t g_body_cap;

// Pages a test child of this program writes, learnt from an earlier child (harness.py): each new
// child breaks their copy-on-write sharing in one madvise per range instead of taking one fault
// per page, which costs 3-4x less where faults are slow (VMs). {address, length} pairs; a
// non-empty prefetch list in a request replaces the stored one.
static struct { uint64_t address, length; } g_prefetch[kMaxPrefetch];
static size_t g_prefetch_count;

// clone(2) without libc's or Python's at-fork handlers: the caller is single-threaded and holds
// the GIL (ctypes.PyDLL), so the child resumes in a consistent interpreter.
static long RawClone(unsigned long flags) {
#if defined(__s390__) || defined(__CRIS__)
  return syscall(SYS_clone, 0, flags | SIGCHLD, 0, 0, 0);  // stack first on these
#else
  return syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
#endif
}

// fork() for the supervisor starting the forker: os.fork() would also run Python's at-fork
// hooks (reseeding `random`, re-initialising locks), which cost the new process ~100
// copy-on-write faults for nothing. Returns the pid, 0 in the child, -errno on failure.
long arbiter_fork(void) {
  const long pid = RawClone(0);
  return pid < 0 ? -errno : pid;
}

// read(2) or write(2) of exactly n bytes, retrying on EINTR; 0 on success, -1 on error or EOF.
static int Transfer(int fd, char* data, size_t n, int writing) {
  while (n > 0) {
    const ssize_t k = writing ? write(fd, data, n) : read(fd, data, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    data += k;
    n -= (size_t)k;
  }
  return 0;
}

// The child's process state before any candidate code: own process group, pipes on 0-3, nothing
// else open, its work directory, the kernel's preferred OOM victim, and the test's rlimits.
// limits = {cpu soft, cpu hard, address space, processes, open files, file size} (core is 0).
static void SetUpChild(const int fds[kFds], const char* work, const long long limits[kLimits]) {
  // First, before this function writes anything: errors (a range not mapped here, a kernel
  // before 5.14) only mean the page faults later as it would have.
  for (size_t i = 0; i < g_prefetch_count; ++i) {
    madvise((void*)(uintptr_t)g_prefetch[i].address, g_prefetch[i].length, MADV_POPULATE_WRITE);
  }
  if (setpgid(0, 0) != 0) _exit(127);
  // Out of the way first: one of the ends may itself be 0-3 (in the supervisor, say).
  int high[kFds];
  for (int i = 0; i < kFds; ++i) {
    high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 16);
    if (high[i] < 0) _exit(127);
  }
  for (int i = 0; i < kFds; ++i) {
    if (dup2(high[i], i) < 0) _exit(127);
  }
  if (syscall(SYS_close_range, kFds, ~0U, 0) != 0) {
    for (int fd = kFds; fd < 65536; ++fd) close(fd);
  }
  if (chdir(work) != 0) _exit(127);
  const int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (oom >= 0) {
    if (write(oom, "1000", 4) != 4) {
      // Best effort: without it a cgroup OOM may pick a test process other than the largest.
    }
    close(oom);
  }
  signal(SIGPIPE, SIG_DFL);
  const struct {
    int resource;
    rlim_t soft, hard;
  } rl[] = {
      {RLIMIT_CPU, (rlim_t)limits[0], (rlim_t)limits[1]},
      {RLIMIT_AS, (rlim_t)limits[2], (rlim_t)limits[2]},
      {RLIMIT_NPROC, (rlim_t)limits[3], (rlim_t)limits[3]},
      {RLIMIT_NOFILE, (rlim_t)limits[4], (rlim_t)limits[4]},
      {RLIMIT_FSIZE, (rlim_t)limits[5], (rlim_t)limits[5]},
      {RLIMIT_CORE, 0, 0},
  };
  for (size_t i = 0; i < sizeof rl / sizeof rl[0]; ++i) {
    const struct rlimit value = {rl[i].soft, rl[i].hard};
    if (setrlimit(rl[i].resource, &value) != 0) _exit(127);
  }
}

// One test child forked straight from the caller (the supervisor, for a session of one test,
// where starting a forker would cost more than it saves). Returns the pid, 0 in the child (set
// up as in the loop), -errno on failure.
long arbiter_spawn_test(const int* fds, const char* work, const long long* limits) {
  const long pid = RawClone(0);
  if (pid == 0) SetUpChild(fds, work, limits);
  return pid < 0 ? -errno : pid;
}

// Serves clone requests until the supervisor goes away (returns -1 in the forker) or a child is
// made (returns 0 in the child, with the request's fn_name and args_json lengths and its flags
// in lens[0..2] and *body at its bytes).
int arbiter_forker_loop(int sock, const char* work, const long long* limits, uint32_t* lens,
                        char** body) {
  for (;;) {
    uint32_t header[4];
    struct iovec iov = {header, sizeof header};
    union {
      char buf[CMSG_SPACE(kFds * sizeof(int))];
      struct cmsghdr align;
    } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n;
    do {
      n = recvmsg(sock, &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof header) return -1;
    struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN(kFds * sizeof(int)) || (msg.msg_flags & MSG_CTRUNC)) {
      return -1;
    }
    int fds[kFds];
    memcpy(fds, CMSG_DATA(c), sizeof fds);
    if (header[2] % sizeof g_prefetch[0] != 0 || header[2] > sizeof g_prefetch) return -1;
    const size_t total = (size_t)header[0] + header[1] + header[2];
    if (total + 1 > g_body_cap) {
      char* grown = realloc(g_body, total + 1);
      if (grown == NULL) return -1;
      g_body = grown;
      g_body_cap = total + 1;
    }
    if (Transfer(sock, g_body, total, 0) != 0) return -1;
    if (header[2] > 0) {
      memcpy(g_prefetch, g_body + header[0] + header[1], header[2]);
      g_prefetch_count = header[2] / sizeof g_prefetch[0];
    }
    const long pid = RawClone(CLONE_PARENT);
    if (pid == 0) {
      SetUpChild(fds, work, limits);
      lens[0] = header[0];
      lens[1] = header[1];
      lens[2] = header[3];
      *body = g_body;
      return 0;
    }
    int32_t reply = pid < 0 ? -errno : (int32_t)pid;
    for (int i = 0; i < kFds; ++i) close(fds[i]);
    if (Transfer(sock, (char*)&reply, sizeof reply, 1) != 0) return -1;
  }
}
