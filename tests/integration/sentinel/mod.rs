//! The fleet on Redis Sentinel (a primary, two replicas, three sentinels of
//! the test's own): sessions shared by the clones, and failovers under
//! reads, after which every clone follows the new primary and no near tier
//! serves what a change acknowledged after the failover replaced. The cache
//! and queue suites run on Sentinel too (`conformance`).

mod failover;
mod sessions;
