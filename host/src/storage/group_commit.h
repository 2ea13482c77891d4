#pragma once
// Group commit: concurrent callers hand in their items; one of them (the leader) commits every
// item waiting at that moment in one go while the others wait. Each caller returns only after
// the commit that holds its items, with that commit's Status. Pure: the commit is a callback.

#include <chathost/sdk/status.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace chathost::host {

template <typename Item>
class GroupCommitter {
 public:
  /// Commits a group; the pointers stay valid during the call.
  using Commit = std::function<sdk::Status(const std::vector<const Item*>&)>;

  explicit GroupCommitter(Commit commit) : commit_(std::move(commit)) {}

  /// Blocks until `item` is committed; returns the Status of its group. Thread-safe.
  sdk::Status submit(const Item& item) {
    std::unique_lock lock(mutex_);
    if (!waiting_) waiting_ = std::make_shared<Group>();
    std::shared_ptr<Group> mine = waiting_;
    mine->items.push_back(&item);
    for (;;) {
      if (mine->done) return mine->status;
      if (!leading_) {
        // Our group is still the waiting one: a finished group always has done set first.
        leading_ = true;
        std::shared_ptr<Group> group = std::move(waiting_);
        waiting_.reset();
        lock.unlock();
        sdk::Status status = runCommit(group->items);
        lock.lock();
        group->status = status;
        group->done = true;
        leading_ = false;
        ++groupsCommitted_;
        // Wake only who has something to do: the members of this group, and one member of the
        // next group to lead it (waking every waiter costs a context switch each).
        group->wake.notify_all();
        if (waiting_) waiting_->wake.notify_one();
        continue;
      }
      mine->wake.wait(lock);
    }
  }

  /// Items waiting for the next commit (for tests and metrics).
  std::size_t queued() const {
    std::lock_guard lock(mutex_);
    return waiting_ ? waiting_->items.size() : 0;
  }

  /// Number of commits so far (for tests and metrics).
  std::size_t groupsCommitted() const {
    std::lock_guard lock(mutex_);
    return groupsCommitted_;
  }

 private:
  struct Group {
    std::vector<const Item*> items;
    bool done = false;
    sdk::Status status;
    std::condition_variable wake;
  };

  sdk::Status runCommit(const std::vector<const Item*>& items) {
    try {
      return commit_(items);
    } catch (const std::exception& e) {
      return sdk::Status::internal(std::string("group commit failed: ") + e.what());
    } catch (...) {
      return sdk::Status::internal("group commit failed");
    }
  }

  Commit commit_;
  mutable std::mutex mutex_;
  std::shared_ptr<Group> waiting_;
  bool leading_ = false;
  std::size_t groupsCommitted_ = 0;
};

}  // namespace chathost::host
