//! Request signing (`SignatureVersion=2.0`): the lower-case hex MD5 of AppId, nonce, secret
//! and timestamp written one after the other.

use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};

use super::secret::ServerSecret;

/// The signed public parameters of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// 16 lower-case hex characters.
    pub nonce: String,
    /// Unix time in seconds.
    pub timestamp: i64,
    /// 32 lower-case hex characters.
    pub signature: String,
}

/// The signature of `app_id`, `nonce`, `secret` and `timestamp`.
pub fn signature(app_id: u32, nonce: &str, secret: &ServerSecret, timestamp: i64) -> String {
    let mut md5 = Md5::new();
    let mut buf = [0u8; 20];
    md5.update(decimal(i64::from(app_id), &mut buf));
    md5.update(nonce);
    md5.update(secret.expose());
    md5.update(decimal(timestamp, &mut buf));
    hex(&md5.finalize())
}

/// Signs one attempt with a fresh nonce and the current time.
pub fn sign_now(app_id: u32, secret: &ServerSecret) -> Signed {
    let nonce = nonce();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    let signature = signature(app_id, &nonce, secret, timestamp);
    Signed {
        nonce,
        timestamp,
        signature,
    }
}

/// 16 hex characters from 8 bytes of the operating system's CSPRNG.
pub fn nonce() -> String {
    hex(&random_bytes::<8>())
}

/// Bytes from the operating system's CSPRNG. Should the OS refuse (which it does not on any
/// supported platform), the bytes come from the clock and a counter so a call never panics.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if getrandom::fill(&mut bytes).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        let seed = nanos ^ COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
        let digest = Md5::digest(seed.to_le_bytes());
        for (byte, value) in bytes.iter_mut().zip(digest.iter().cycle()) {
            *byte = *value;
        }
    }
    bytes
}

/// The decimal text of `value`, written into `buf` (no allocation, no formatter).
pub(crate) fn decimal(value: i64, buf: &mut [u8; 20]) -> &str {
    let mut rest = value.unsigned_abs();
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        start -= 1;
        buf[start] = b'-';
    }
    std::str::from_utf8(&buf[start..]).unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_vector() {
        let secret = ServerSecret::new("9193cc662a4c0ec135ec71fb57194b38");
        assert_eq!(
            signature(12345, "4fd24687296dd9f3", &secret, 1615186943),
            "43e5cfcca828314675f91b001390566a"
        );
    }

    #[test]
    fn decimal_matches_to_string() {
        let mut buf = [0u8; 20];
        for value in [0, 7, -7, 10, 1_615_186_943, i64::MAX, i64::MIN] {
            assert_eq!(decimal(value, &mut buf), value.to_string());
        }
    }

    #[test]
    fn nonces_are_fresh_hex() {
        let a = nonce();
        let b = nonce();
        assert_eq!(a.len(), 16);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn signed_now_verifies() {
        let secret = ServerSecret::new("s3cret");
        let signed = sign_now(7, &secret);
        assert_eq!(
            signed.signature,
            signature(7, &signed.nonce, &secret, signed.timestamp)
        );
        assert!(signed.timestamp > 1_600_000_000);
    }
}
