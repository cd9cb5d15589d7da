//! A paste's life across time, concurrency, restarts and crashes.

mod bodies;
mod burn;
mod durability;
mod expiry;
mod migrate;
mod operations;
mod robustness;
mod shutdown;
