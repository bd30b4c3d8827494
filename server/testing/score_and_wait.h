// ScoreAndWait: Dispatcher::Score for tests, synchronously. Fails the test (gtest) when the
// request is not admitted or not answered within `timeout`; returns what on_done delivered
// (empty then).
#pragma once

#include <utility>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "gtest/gtest.h"
#include "server/dispatcher.h"

namespace arbiter::server::testing {

inline std::vector<v1::GroupResult> ScoreAndWait(Dispatcher& dispatcher,
                                                 const v1::ScoreRequest& request,
                                                 absl::Duration timeout = absl::Seconds(60)) {
  absl::Notification done;
  std::vector<v1::GroupResult> results;
  ScoreCallbacks callbacks;
  callbacks.on_done = [&](std::vector<v1::GroupResult> r) {
    results = std::move(r);
    done.Notify();
  };
  const absl::Status admitted =
      dispatcher.Score(request, absl::InfiniteFuture(), nullptr, std::move(callbacks));
  EXPECT_TRUE(admitted.ok()) << admitted;
  if (!admitted.ok()) return {};
  // A call never answered would hang a trainer.
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(timeout)) << "no answer within " << timeout;
  return results;
}

}  // namespace arbiter::server::testing
