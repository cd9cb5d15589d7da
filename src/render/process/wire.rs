//! The frames between the server and a render process, over its stdin and
//! stdout: `header length (u32 LE) | header JSON | body length (u32 LE) | body`.
//! A request's header is the paste's language, title and limits, its body the
//! text; an answer's header is the render's facts, its body the HTML. A
//! process says it is ready (its syntax set loaded) with `READY` once.

use serde::{Deserialize, Serialize};

use crate::render::RenderInfo;

/// What a render process writes once it can take requests.
pub(crate) const READY: &[u8; 4] = b"RDY1";

/// The largest header either side accepts (a header is a few hundred bytes).
pub(crate) const MAX_HEADER: usize = 64 * 1024;

/// The largest body either side accepts: far above the largest paste (15
/// MiB) and its HTML, a bound on what a broken peer can make us allocate.
pub(crate) const MAX_BODY: usize = 256 * 1024 * 1024;

/// A request's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Request {
    /// The language named by the author (a catalog token).
    pub(crate) language: Option<String>,
    /// The title, which may name a file.
    pub(crate) title: Option<String>,
    /// `render.max_bytes`.
    pub(crate) max_bytes: usize,
    /// `render.max_millis`: the process stops between lines at this point
    /// and answers plain text; a render that cannot stop is killed.
    pub(crate) max_millis: u64,
}

/// An answer's header.
pub(crate) type Answer = RenderInfo;

/// A frame, encoded.
pub(crate) fn encode(header: &impl Serialize, body: &[u8]) -> Vec<u8> {
    let header = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(8 + header.len() + body.len());
    out.extend_from_slice(
        &u32::try_from(header.len())
            .unwrap_or(u32::MAX)
            .to_le_bytes(),
    );
    out.extend_from_slice(&header);
    out.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// A length read from a frame, checked against its bound.
pub(crate) fn length(bytes: [u8; 4], max: usize) -> std::io::Result<usize> {
    let len = usize::try_from(u32::from_le_bytes(bytes)).unwrap_or(usize::MAX);
    if len > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes, over its bound of {max}"),
        ));
    }
    Ok(len)
}

/// Reads one frame from a blocking reader; `None` at a clean end of input.
pub(crate) fn read_blocking(
    input: &mut impl std::io::Read,
) -> std::io::Result<Option<(Vec<u8>, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut header = vec![0u8; length(len, MAX_HEADER)?];
    input.read_exact(&mut header)?;
    input.read_exact(&mut len)?;
    let mut body = vec![0u8; length(len, MAX_BODY)?];
    input.read_exact(&mut body)?;
    Ok(Some((header, body)))
}

/// Reads one frame from an async reader.
pub(crate) async fn read_async(
    input: &mut (impl tokio::io::AsyncRead + Unpin),
) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let mut len = [0u8; 4];
    input.read_exact(&mut len).await?;
    let mut header = vec![0u8; length(len, MAX_HEADER)?];
    input.read_exact(&mut header).await?;
    input.read_exact(&mut len).await?;
    let mut body = vec![0u8; length(len, MAX_BODY)?];
    input.read_exact(&mut body).await?;
    Ok((header, body))
}

/// A header, parsed.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(header: &[u8]) -> std::io::Result<T> {
    serde_json::from_slice(header)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_and_a_clean_end_is_none() {
        let request = Request {
            language: Some("rust".into()),
            title: None,
            max_bytes: 10,
            max_millis: 20,
        };
        let mut bytes = encode(&request, b"fn main() {}\n");
        bytes.extend(encode(&request, b""));
        let mut input = &bytes[..];
        let (header, body) = read_blocking(&mut input).expect("reads").expect("a frame");
        assert_eq!(parse::<Request>(&header).expect("parses"), request);
        assert_eq!(body, b"fn main() {}\n");
        let (_, body) = read_blocking(&mut input).expect("reads").expect("a frame");
        assert!(body.is_empty());
        assert!(read_blocking(&mut input).expect("reads").is_none());
    }

    #[test]
    fn a_length_past_its_bound_is_refused_before_any_allocation() {
        let mut bytes = u32::MAX.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"{}");
        assert!(read_blocking(&mut &bytes[..]).is_err());
    }
}
