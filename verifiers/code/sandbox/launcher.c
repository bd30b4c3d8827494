// The first program of every sandbox: puts itself into the session's cgroups, drops to the
// unprivileged host uid (when the server runs as root), then execs bubblewrap. One static
// executable instead of `/bin/sh -c 'echo $$ > cgroup.procs; exec "$@"'` + `setpriv`, which cost
// two dynamic execs (about 4.7 ms per session on the team's VM, against about 1.5 ms for this).
//
// Usage: arbiter-launcher [--procs FILE]... [--rlimit NAME=SOFT:HARD]... [--chdir DIR]
//                         [--uid UID --gid GID] -- PROGRAM [ARG]...
//   --procs FILE  write this process's pid to FILE (a cgroup's cgroup.procs) before anything else
//   --rlimit      set a resource limit (NAME: cpu, as, core, fsize, nproc, nofile), inherited by
//                 PROGRAM and everything it starts (e.g. a compiler's CPU, memory, file size)
//   --chdir DIR   change the working directory (for commands run without a sandbox)
//   --uid/--gid   drop the bounding set, supplementary groups and every capability, then become
//                 UID/GID (real, effective and saved), like `setpriv --reuid --regid
//                 --clear-groups --inh-caps=-all --bounding-set=-all`
// Exits 125 when a step fails (with the reason on stderr), 127 when PROGRAM cannot be executed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static void Fail(const char* what, const char* detail) {
  fprintf(stderr, "arbiter-launcher: %s%s%s: %s\n", what, detail ? " " : "", detail ? detail : "",
          strerror(errno));
  _exit(125);
}

static void JoinCgroup(const char* procs) {
  const int fd = open(procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0) Fail("cannot open", procs);
  char pid[24];
  const int n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
  if (write(fd, pid, (size_t)n) != n) Fail("cannot join cgroup", procs);
  close(fd);
}

static long Number(const char* text, const char* what) {
  char* end = NULL;
  errno = 0;
  const long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 0) {
    errno = EINVAL;
    Fail("bad", what);
  }
  return value;
}

static void SetLimit(const char* spec) {
  static const struct {
    const char* name;
    int resource;
  } kNames[] = {{"cpu", RLIMIT_CPU},     {"as", RLIMIT_AS},       {"core", RLIMIT_CORE},
                {"fsize", RLIMIT_FSIZE}, {"nproc", RLIMIT_NPROC}, {"nofile", RLIMIT_NOFILE}};
  const char* equals = strchr(spec, '=');
  const char* colon = equals ? strchr(equals, ':') : NULL;
  errno = EINVAL;
  if (colon == NULL) Fail("bad --rlimit", spec);
  char number[32];
  const size_t soft_len = (size_t)(colon - equals - 1);
  if (soft_len >= sizeof number) Fail("bad --rlimit", spec);
  memcpy(number, equals + 1, soft_len);
  number[soft_len] = '\0';
  const struct rlimit value = {(rlim_t)Number(number, "--rlimit"),
                               (rlim_t)Number(colon + 1, "--rlimit")};
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; ++i) {
    if (strncmp(spec, kNames[i].name, (size_t)(equals - spec)) == 0 &&
        kNames[i].name[equals - spec] == '\0') {
      if (setrlimit(kNames[i].resource, &value) != 0) Fail("setrlimit", spec);
      return;
    }
  }
  errno = EINVAL;
  Fail("unknown --rlimit", spec);
}

static void DropPrivileges(uid_t uid, gid_t gid) {
  // The bounding set needs CAP_SETPCAP, so it goes first; EINVAL marks the end of the caps this
  // kernel knows.
  for (int cap = 0;; ++cap) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL) break;
    Fail("cannot drop the capability bounding set", NULL);
  }
  if (setgroups(0, NULL) != 0) Fail("setgroups", NULL);
  if (setresgid(gid, gid, gid) != 0) Fail("setresgid", NULL);
  if (setresuid(uid, uid, uid) != 0) Fail("setresuid", NULL);
  // Leaving uid 0 cleared the permitted, effective and ambient sets; the inheritable set stays
  // unless cleared explicitly.
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capset, &header, data) != 0) Fail("capset", NULL);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
    errno = EPERM;
    Fail("the uid/gid did not change", NULL);
  }
}

int main(int argc, char** argv) {
  long uid = -1, gid = -1;
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
    if (i + 1 >= argc) break;
    if (strcmp(argv[i], "--procs") == 0) {
      JoinCgroup(argv[++i]);
    } else if (strcmp(argv[i], "--rlimit") == 0) {
      SetLimit(argv[++i]);
    } else if (strcmp(argv[i], "--chdir") == 0) {
      if (chdir(argv[++i]) != 0) Fail("cannot chdir to", argv[i]);
    } else if (strcmp(argv[i], "--uid") == 0) {
      uid = Number(argv[++i], "--uid");
    } else if (strcmp(argv[i], "--gid") == 0) {
      gid = Number(argv[++i], "--gid");
    } else {
      break;
    }
  }
  if (i + 1 >= argc || strcmp(argv[i], "--") != 0 || (uid < 0) != (gid < 0)) {
    fprintf(stderr,
            "usage: arbiter-launcher [--procs FILE]... [--rlimit NAME=SOFT:HARD]... [--chdir DIR] "
            "[--uid UID --gid GID] -- PROGRAM [ARG]...\n");
    return 125;
  }
  if (uid >= 0) DropPrivileges((uid_t)uid, (gid_t)gid);
  execv(argv[i + 1], argv + i + 1);
  fprintf(stderr, "arbiter-launcher: cannot execute %s: %s\n", argv[i + 1], strerror(errno));
  return 127;
}
