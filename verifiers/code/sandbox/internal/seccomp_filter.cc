#include "verifiers/code/sandbox/internal/seccomp_filter.h"

#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace arbiter::code::internal {
namespace {

// Denied outright: kernel-level reconfiguration, debugging other processes, namespace and mount
// games, keyrings, eBPF/perf (large kernel attack surface), io_uring (ditto), and System V IPC
// and POSIX message queues: their objects live in the sandbox's IPC namespace, outlive the
// process that made them, and would carry data from one test to the next.
constexpr const char* kDenied[] = {
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "bpf",
    "perf_event_open",
    "keyctl",
    "add_key",
    "request_key",
    "userfaultfd",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "open_by_handle_at",
    "name_to_handle_at",
    "quotactl",
    "syslog",
    "iopl",
    "ioperm",
    "vhangup",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "fanotify_init",
    "lookup_dcookie",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "memfd_secret",
    "fsopen",
    "fsmount",
    "fsconfig",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "memfd_create",
    "vm86",
    "vm86old",
    "nfsservctl",
    "uselib",
    "sysfs",
    "_sysctl",
    "ustat",
    "shmget",
    "shmat",
    "shmctl",
    "shmdt",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "ipc",  // the multiplexer older ABIs use for all of the above
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
};

constexpr unsigned long kNamespaceFlags[] = {CLONE_NEWUSER,  CLONE_NEWNS,  CLONE_NEWPID,
                                             CLONE_NEWNET,   CLONE_NEWIPC, CLONE_NEWUTS,
                                             CLONE_NEWCGROUP};

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

absl::Status Check(int rc, const char* what) {
  if (rc == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("seccomp ", what, ": ", -rc));
}

}  // namespace

absl::StatusOr<std::string> BuildSeccompBpf() {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (ctx == nullptr) return absl::InternalError("seccomp_init failed");
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (const char* name : kDenied) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    if (nr < 0) continue;                 // pseudo-syscall number: absent on this architecture
    // A failure here means libseccomp cannot filter that call on this kernel; the rest still hold.
    (void)seccomp_rule_add(ctx.get(), eperm, nr, 0);
  }
  // Terminal injection (TIOCSTI) and console keymap games; mask to 32 bits like the kernel does.
  for (unsigned long request : {static_cast<unsigned long>(TIOCSTI), 0x541CUL /*TIOCLINUX*/}) {
    if (auto s = Check(seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(ioctl), 1,
                                        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFUL, request)),
                       "ioctl");
        !s.ok()) {
      return s;
    }
  }
  // Sockets: only AF_UNIX (the network namespace has no route anyway; this also closes netlink,
  // packet and vsock sockets). EQ and NE ignore the second datum; the rules below spell it out as
  // 0 (what a two-argument SCMP_A* leaves it) so that no field is left to zero-initialisation.
  if (auto s = Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                                      SCMP_A0(SCMP_CMP_NE, AF_UNIX, 0)),
                     "socket");
      !s.ok()) {
    return s;
  }
  // New namespaces through clone flags; clone3 hides its flags in memory, so ENOSYS makes libc
  // fall back to clone.
  for (unsigned long flag : kNamespaceFlags) {
    if (auto s = Check(seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(clone), 1,
                                        SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
                       "clone");
        !s.ok()) {
      return s;
    }
  }
  if (auto s =
          Check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3");
      !s.ok()) {
    return s;
  }
  // personality(): no flag that weakens the address space (ASLR off, executable reads, page 0,
  // legacy layouts). One rule per flag: libseccomp cannot AND two tests of one argument.
  for (unsigned long flag : {0x0040000UL /*ADDR_NO_RANDOMIZE*/, 0x0400000UL /*READ_IMPLIES_EXEC*/,
                             0x0100000UL /*MMAP_PAGE_ZERO*/, 0x0200000UL /*ADDR_COMPAT_LAYOUT*/,
                             0x0800000UL /*ADDR_LIMIT_32BIT*/, 0x8000000UL /*ADDR_LIMIT_3GB*/}) {
    if (auto s = Check(seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(personality), 1,
                                        SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
                       "personality");
        !s.ok()) {
      return s;
    }
  }
  // Another process's CPU (or realtime CPU) limit: past its hard value the kernel SIGKILLs even
  // the supervisor (pid 1, immune to signals from its namespace), which the server must be able
  // to tell from the sandbox killed from outside (harness_session.cc). One's own limits
  // (pid 0, which libc's setrlimit passes) and reading anyone's stay allowed.
  for (unsigned long resource :
       {static_cast<unsigned long>(RLIMIT_CPU), static_cast<unsigned long>(RLIMIT_RTTIME)}) {
    if (auto s = Check(
            seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(prlimit64), 3, SCMP_A0(SCMP_CMP_NE, 0, 0),
                             SCMP_A1(SCMP_CMP_EQ, resource, 0), SCMP_A2(SCMP_CMP_NE, 0, 0)),
            "prlimit64");
        !s.ok()) {
      return s;
    }
  }
  const int fd = memfd_create("arbiter-seccomp", MFD_CLOEXEC);
  if (fd < 0) return absl::InternalError("memfd_create for seccomp export failed");
  std::string bpf;
  if (seccomp_export_bpf(ctx.get(), fd) == 0) {
    lseek(fd, 0, SEEK_SET);
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) bpf.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (bpf.empty()) return absl::InternalError("seccomp_export_bpf produced nothing");
  return bpf;
}

}  // namespace arbiter::code::internal
