//! The server secret, kept out of every `Debug`, `Display` and log line.

use std::fmt;

/// The ServerSecret of an app, from the ZEGOCLOUD console.
///
/// It is only ever read by the signer. `Debug` prints `<redacted>` and there is no `Display`,
/// so it cannot end up in an error message or a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerSecret(String);

impl ServerSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for signing.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for ServerSecret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for ServerSecret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = ServerSecret::new("9193cc662a4c0ec135ec71fb57194b38");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret:#?}"), "<redacted>");
    }
}
