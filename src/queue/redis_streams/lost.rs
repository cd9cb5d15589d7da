//! A consumer group Redis lost: how it is recognized and reported.

use crate::queue::QueueError;

pub(super) fn failed(e: redis::RedisError) -> QueueError {
    QueueError::Redis(e)
}

/// Whether Redis no longer has the group (or the stream).
pub(super) fn lost_group(e: &redis::RedisError) -> bool {
    e.code() == Some("NOGROUP")
}

/// Why one attempt failed: the group is gone (recreate it and try again), or anything else.
pub(super) enum Lost {
    Group,
    Other(QueueError),
}

impl From<redis::RedisError> for Lost {
    fn from(e: redis::RedisError) -> Self {
        if lost_group(&e) {
            Self::Group
        } else {
            Self::Other(failed(e))
        }
    }
}

impl From<QueueError> for Lost {
    fn from(e: QueueError) -> Self {
        Self::Other(e)
    }
}

impl Lost {
    pub(super) fn into_error(self) -> QueueError {
        match self {
            Self::Group => QueueError::GroupLost,
            Self::Other(e) => e,
        }
    }
}

/// What the queue says when it found the group gone and made it again.
pub(crate) const GROUP_LOST: &str = "the job stream's consumer group was missing (Redis restarted empty or was flushed); it was recreated and jobs carry on";
