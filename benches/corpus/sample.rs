//! A small key-value store with a write-ahead log, for the render benchmark.
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Put { key: String, value: Vec<u8> },
    Delete(String),
}

pub struct Store {
    map: HashMap<String, Vec<u8>>,
    log: File,
}

impl Store {
    /// Opens the store, replaying its log.
    pub fn open(path: &str) -> io::Result<Self> {
        let mut map = HashMap::new();
        if let Ok(file) = File::open(path) {
            for line in BufReader::new(file).lines() {
                let line = line?;
                match line.split_once('\t') {
                    Some(("+", rest)) => {
                        let (k, v) = rest.split_once('=').unwrap_or((rest, ""));
                        map.insert(k.to_owned(), v.as_bytes().to_vec());
                    }
                    Some(("-", key)) => {
                        map.remove(key);
                    }
                    _ => eprintln!("skipping a torn line: {line:?}"),
                }
            }
        }
        let log = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self { map, log })
    }

    pub fn apply(&mut self, entry: Entry) -> io::Result<()> {
        match entry {
            Entry::Put { key, value } => {
                writeln!(self.log, "+\t{key}={}", String::from_utf8_lossy(&value))?;
                self.map.insert(key, value);
            }
            Entry::Delete(key) => {
                writeln!(self.log, "-\t{key}")?;
                self.map.remove(&key);
            }
        }
        self.log.sync_data()
    }

    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.map.get(key).map(Vec::as_slice)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut store = Store::open("/tmp/kv.log")?;
    store.apply(Entry::Put { key: "answer".into(), value: b"42".to_vec() })?;
    let total: u64 = (1..=10u64).filter(|n| n % 2 == 0).map(|n| n * n).sum();
    println!("{:?} {}", store.get("answer"), total);
    Ok(())
}
