// ThreadSanitizer annotations for Debian's uninstrumented Abseil synchronisation library.
//
// ARBITER_TSAN builds link this file into every executable (cmake/ArbiterHelpers.cmake). Debian's
// libabsl_synchronization.so is compiled without TSan, so TSan cannot see absl::Mutex (its fast
// path is an atomic in uninstrumented code, its slow path a futex) and would report every field
// guarded by one as a race. These definitions interpose on the library's exported symbols (an
// executable's definition wins over a shared library's, for the library's own calls too), tell
// TSan what the real function does (__tsan_mutex_* around it, as Abseil's own TSan build does),
// and call the real one (dlsym RTLD_NEXT). Conditions are wrapped so that their evaluation,
// which Abseil does with the lock held (sometimes in the unlocking thread), happens after an
// acquire of the mutex in TSan's eyes.
//
// Covered: Mutex Lock/Unlock/TryLock, reader variants, Await*, LockWhen*, and Notification.
// Not covered (unused by arbiter; add them here if that changes): CondVar, Barrier,
// BlockingCounter, the reader LockWhen variants with timeouts. Notification::HasBeenNotified()
// is inline and cannot be interposed: a thread that sees it true without waiting gets no
// happens-before edge (tests/tsan.supp would be the place for such a report).
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace {

#define ARBITER_STR2(x) #x
#define ARBITER_STR(x) ARBITER_STR2(x)

// "_ZN4absl" + <length><inline namespace> + rest: the Itanium mangling of absl::<ns>::<rest>.
template <typename Fn>
Fn Real(const char* prefix, const char* rest) {
  const char* ns = ARBITER_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  const std::string name =
      std::string(prefix) + "4absl" + std::to_string(std::strlen(ns)) + ns + rest;
  void* symbol = dlsym(RTLD_NEXT, name.c_str());
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan absl annotations: %s not found in Abseil (%s)\n", name.c_str(),
                 dlerror());
    std::abort();
  }
  return reinterpret_cast<Fn>(symbol);
}

// A Condition whose evaluation first acquires (and then releases) the mutex in TSan's model.
struct Annotated {
  const absl::Condition* cond;
  absl::Mutex* mu;
};
bool EvalAnnotated(void* arg) {
  auto* a = static_cast<Annotated*>(arg);
  __tsan_acquire(a->mu);
  const bool result = a->cond->Eval();
  __tsan_release(a->mu);
  return result;
}

constexpr unsigned kRead = __tsan_mutex_read_lock;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

using Plain = void (*)(Mutex*);
using Try = bool (*)(Mutex*);
using Cond = void (*)(Mutex*, const Condition&);
using CondTimeout = bool (*)(Mutex*, const Condition&, Duration);
using CondDeadline = bool (*)(Mutex*, const Condition&, Time);

void Mutex::Lock() {
  static const auto real = Real<Plain>("_ZN", "5Mutex4LockEv");
  __tsan_mutex_pre_lock(this, 0);
  real(this);
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::Unlock() {
  static const auto real = Real<Plain>("_ZN", "5Mutex6UnlockEv");
  __tsan_mutex_pre_unlock(this, 0);
  real(this);
  __tsan_mutex_post_unlock(this, 0);
}

bool Mutex::TryLock() {
  static const auto real = Real<Try>("_ZN", "5Mutex7TryLockEv");
  __tsan_mutex_pre_lock(this, __tsan_mutex_try_lock);
  const bool locked = real(this);
  __tsan_mutex_post_lock(this, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
                         0);
  return locked;
}

void Mutex::ReaderLock() {
  static const auto real = Real<Plain>("_ZN", "5Mutex10ReaderLockEv");
  __tsan_mutex_pre_lock(this, kRead);
  real(this);
  __tsan_mutex_post_lock(this, kRead, 0);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<Plain>("_ZN", "5Mutex12ReaderUnlockEv");
  __tsan_mutex_pre_unlock(this, kRead);
  real(this);
  __tsan_mutex_post_unlock(this, kRead);
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<Try>("_ZN", "5Mutex13ReaderTryLockEv");
  __tsan_mutex_pre_lock(this, kRead | __tsan_mutex_try_lock);
  const bool locked = real(this);
  __tsan_mutex_post_lock(
      this, kRead | __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

// Await* releases the mutex while waiting and holds it again on return.
void Mutex::Await(const Condition& cond) {
  static const auto real = Real<Cond>("_ZN", "5Mutex5AwaitERKNS0_9ConditionE");
  Annotated a{&cond, this};
  __tsan_mutex_pre_unlock(this, 0);
  __tsan_mutex_post_unlock(this, 0);
  real(this, Condition(&EvalAnnotated, &a));
  __tsan_mutex_pre_lock(this, 0);
  __tsan_mutex_post_lock(this, 0, 0);
}

// Debian's Abseil implements the *WithTimeout variants by calling the exported *WithDeadline
// ones, which this file interposes too: wrapping both annotated the unlock twice ("unlock of an
// unlocked mutex"). The timeouts are therefore the deadline wrappers, as in Abseil.
bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  return AwaitWithDeadline(cond, Now() + timeout);
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real =
      Real<CondDeadline>("_ZN", "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Annotated a{&cond, this};
  __tsan_mutex_pre_unlock(this, 0);
  __tsan_mutex_post_unlock(this, 0);
  const bool result = real(this, Condition(&EvalAnnotated, &a), deadline);
  __tsan_mutex_pre_lock(this, 0);
  __tsan_mutex_post_lock(this, 0, 0);
  return result;
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real = Real<Cond>("_ZN", "5Mutex8LockWhenERKNS0_9ConditionE");
  Annotated a{&cond, this};
  __tsan_mutex_pre_lock(this, 0);
  real(this, Condition(&EvalAnnotated, &a));
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<Cond>("_ZN", "5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Annotated a{&cond, this};
  __tsan_mutex_pre_lock(this, kRead);
  real(this, Condition(&EvalAnnotated, &a));
  __tsan_mutex_post_lock(this, kRead, 0);
}

// LockWhenWith*: the mutex is held on return whether or not the condition became true.
bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  return LockWhenWithDeadline(cond, Now() + timeout);
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real =
      Real<CondDeadline>("_ZN", "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  Annotated a{&cond, this};
  __tsan_mutex_pre_lock(this, 0);
  const bool result = real(this, Condition(&EvalAnnotated, &a), deadline);
  __tsan_mutex_post_lock(this, 0, 0);
  return result;
}

// Notification: Notify() releases, a wait that saw the notification acquires.
void Notification::Notify() {
  static const auto real = Real<void (*)(Notification*)>("_ZN", "12Notification6NotifyEv");
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real =
      Real<void (*)(const Notification*)>("_ZNK", "12Notification19WaitForNotificationEv");
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, Duration)>(
      "_ZNK", "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, Time)>(
      "_ZNK", "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
