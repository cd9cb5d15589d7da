//! A TCP link whose answers arrive late: a relay in front of a real server
//! that holds every byte the server sends for a fixed delay (what a clone on
//! a loaded host or across a slow network sees). What the client sends goes
//! through at once; order is kept in both directions.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The relay; it stops taking connections when dropped.
pub struct SlowLink {
    port: u16,
    accepting: JoinHandle<()>,
}

impl SlowLink {
    /// Relays `127.0.0.1:PORT` (a free port) to `to`, answers `delay` late.
    pub async fn start(to: u16, delay: Duration) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        let accepting = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, to, delay));
            }
        });
        Self { port, accepting }
    }

    /// `redis://127.0.0.1:PORT`, for a Redis behind the relay.
    pub fn redis_url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for SlowLink {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn relay(client: TcpStream, to: u16, delay: Duration) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", to)).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_client, &mut to_server).await;
    });
    let (held, mut due) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n @ 1..) = from_server.read(&mut buf).await {
            if held
                .send((Instant::now() + delay, buf[..n].to_vec()))
                .is_err()
            {
                return;
            }
        }
    });
    while let Some((at, bytes)) = due.recv().await {
        tokio::time::sleep_until(at).await;
        if to_client.write_all(&bytes).await.is_err() {
            return;
        }
    }
}
