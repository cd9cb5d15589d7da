//! A TCP relay in front of a real server that holds what the client sends
//! from the first chunk carrying a given command on, until `release`: the
//! bytes of a server frozen between two commands, waiting in its socket, run
//! when it resumes (also after the client gave up and closed).

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The relay; it stops taking connections when dropped.
pub struct HeldLink {
    port: u16,
    released: watch::Sender<bool>,
    accepting: JoinHandle<()>,
}

impl HeldLink {
    /// Relays `127.0.0.1:PORT` (a free port) to `to`, holding from `command`.
    pub async fn start(to: u16, command: &'static [u8]) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        let (released, watching) = watch::channel(false);
        let accepting = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, to, command, watching.clone()));
            }
        });
        Self {
            port,
            released,
            accepting,
        }
    }

    /// `redis://127.0.0.1:PORT`, for a Redis behind the relay.
    pub fn redis_url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Lets what was held through, in order, and holds nothing more.
    pub fn release(&self) {
        self.released.send_replace(true);
    }
}

impl Drop for HeldLink {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

async fn relay(client: TcpStream, to: u16, command: &[u8], mut released: watch::Receiver<bool>) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", to)).await else {
        return;
    };
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
    });
    let mut buf = vec![0u8; 64 * 1024];
    let mut holding = false;
    while let Ok(n @ 1..) = from_client.read(&mut buf).await {
        holding |= buf[..n].windows(command.len()).any(|w| w == command);
        if holding && released.wait_for(|r| *r).await.is_err() {
            return;
        }
        if to_server.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
