//! Workers: the durable queue, jobs done ahead of reads, exactly-once visit
//! statistics, periodic jobs once per interval across the fleet.

mod periodic;
mod queue;
mod visits;
