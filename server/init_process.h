// Init duty for arbiterd when it runs as PID 1 (a container without an init, as
// deploy/Dockerfile runs it).
//
// The kernel reparents every orphan in a PID namespace to PID 1, and only PID 1 can reap them.
// Sandboxes leave orphans (bwrap's own processes once a session is killed), so a PID-1 server
// that never reaps fills the process table with zombies until the pod's pid limit stops every
// fork. The server cannot simply reap everything itself: a blanket wait would steal the exit
// status of the children it waits for by pid.
//
// RunAsInitIfPid1() therefore splits the process, before any thread exists: the child returns
// and becomes the server; the parent stays PID 1, forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT/
// SIGUSR1/SIGUSR2 to it, reaps every orphan, and when the server exits kills what is left in
// the namespace and exits with the server's status (128+signal when it was killed). Not PID 1,
// or ARBITER_NO_INIT=1: returns at once and does nothing.
#pragma once

namespace arbiter::server {

// Call first thing in main(), before any thread is started. Returns in the server process
// only; the init process never returns.
void RunAsInitIfPid1();

}  // namespace arbiter::server
