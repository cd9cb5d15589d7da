//! Raw reads and downloads.

mod reads;
