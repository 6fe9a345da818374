//! Reading a response body within the client's size limit.
//!
//! A body larger than the limit is refused: before reading, when its `Content-Length` says
//! so, and otherwise as soon as the bytes read would pass the limit. The body is read chunk
//! by chunk into a buffer that never grows past the limit, so an endless or lying body costs
//! at most the limit in memory, plus one chunk.

use bytes::Bytes;

use super::error::Error;

/// The default limit of a response body: 16 MiB.
///
/// The largest responses of the API are pages of message history: 100 messages (the
/// `Limit` maximum of `QueryPeerMsg` and `QueryGroupMsg`), each with a body of up to 32 KB
/// stored as URL-encoded JSON text (up to three bytes per byte) plus up to 1 KB of extension
/// data, about 10 MB in all. Other pages stay far below: 10,000 group ids and names of
/// `QueryAppGroupList` are under 3 MB, 1,000 members of `QueryGroupMemberList` under 1 MB.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// First buffer size of a body without `Content-Length`; most responses are smaller.
const INITIAL_CAPACITY: usize = 8 * 1024;

/// The whole body of `response` (HTTP status `status`, for `action`), or
/// [`Error::BodyTooLarge`] as soon as it is known to exceed `limit` bytes.
pub(crate) async fn read_limited(
    action: &'static str,
    status: u16,
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Bytes, Error> {
    let declared = response.content_length();
    let too_large = |read: Option<usize>| Error::BodyTooLarge {
        action,
        status,
        limit,
        content_length: declared,
        read,
    };
    let declared_len = match declared.map(usize::try_from) {
        Some(Ok(len)) if len <= limit => Some(len),
        Some(_) => return Err(too_large(None)),
        None => None,
    };
    // Usually the whole body arrives as one chunk: keep it as it is, without copying.
    let first = match response.chunk().await {
        Ok(Some(chunk)) => chunk,
        Ok(None) => return Ok(Bytes::new()),
        Err(err) => return Err(Error::transport(action, err)),
    };
    if first.len() > limit {
        return Err(too_large(Some(first.len())));
    }
    let second = match response.chunk().await {
        Ok(Some(chunk)) => chunk,
        Ok(None) => return Ok(first),
        Err(err) => return Err(Error::transport(action, err)),
    };
    let mut body = Vec::with_capacity(
        declared_len
            .unwrap_or(INITIAL_CAPACITY)
            .max(first.len())
            .min(limit),
    );
    body.extend_from_slice(&first);
    let mut chunk = second;
    loop {
        if chunk.len() > limit - body.len() {
            return Err(too_large(Some(body.len().saturating_add(chunk.len()))));
        }
        reserve_within(&mut body, chunk.len(), limit);
        body.extend_from_slice(&chunk);
        chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(Bytes::from(body)),
            Err(err) => return Err(Error::transport(action, err)),
        };
    }
}

/// Makes room for `extra` more bytes, doubling as a `Vec` does but never past `limit`
/// (`body.len() + extra <= limit`), so the buffer itself stays within the limit.
fn reserve_within(body: &mut Vec<u8>, extra: usize, limit: usize) {
    let needed = body.len() + extra;
    if needed > body.capacity() {
        let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
        body.reserve_exact(target - body.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_stops_at_the_limit() {
        let mut body = Vec::with_capacity(8);
        body.extend_from_slice(&[0; 8]);
        reserve_within(&mut body, 1, 12);
        assert!(
            body.capacity() >= 9 && body.capacity() <= 16,
            "{}",
            body.capacity()
        );
        body.extend_from_slice(&[0; 4]);
        reserve_within(&mut body, 0, 12);
        assert_eq!(body.len(), 12);
    }
}
