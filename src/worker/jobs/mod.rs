//! One file per job. Every handler is idempotent: running a job twice leaves
//! the same state as running it once.

pub mod assemble;
pub mod sweep;
pub mod visits;
