//! Redirects: the ZIM API never answers with one, so the client never follows one.
//!
//! Following a redirect would hand the signed URL to another host (in `Referer`), resend a
//! POST body there (307, 308), and take that host's `{"Code":0}` for the API's answer. The
//! built-in HTTP client is built not to follow (`refuse_redirects`), and every response is
//! checked anyway (`check`): a caller-supplied `reqwest::Client` may follow redirects
//! itself, and its policy cannot be read back.

use reqwest::Url;
use reqwest::header::LOCATION;

use super::error::{Error, TARGET_MAX, bounded};

/// The built-in HTTP client's settings: no redirect is followed, so none sends `Referer`.
pub(crate) fn refuse_redirects(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
}

/// Fails when `response` is a redirect (any 3xx), or when it comes from another URL than
/// `sent` (a caller-supplied client followed a redirect). Reads nothing of the body.
pub(crate) fn check(
    action: &'static str,
    sent: &Url,
    response: &reqwest::Response,
) -> Result<(), Error> {
    let status = response.status();
    if status.is_redirection() {
        let target = response
            .headers()
            .get(LOCATION)
            .and_then(|location| location.to_str().ok())
            .and_then(|location| sent.join(location).ok());
        return Err(Error::Redirect {
            action,
            status: Some(status.as_u16()),
            target: target.as_ref().and_then(origin),
        });
    }
    if response.url() != sent {
        return Err(Error::Redirect {
            action,
            status: None,
            target: origin(response.url()),
        });
    }
    Ok(())
}

/// The error for a redirect a caller-supplied client refused to follow further (reqwest
/// reports its redirect limit as an error), when `error` is one.
pub(crate) fn from_transport(action: &'static str, error: &reqwest::Error) -> Option<Error> {
    error.is_redirect().then(|| Error::Redirect {
        action,
        status: error.status().map(|status| status.as_u16()),
        target: error.url().and_then(origin),
    })
}

/// `scheme://host[:port]` of `url`: never its path or query, which may carry the signature.
fn origin(url: &Url) -> Option<String> {
    let origin = url.origin();
    origin
        .is_tuple()
        .then(|| bounded(origin.ascii_serialization(), TARGET_MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_leaves_out_path_and_query() {
        let url = Url::parse("https://user:pw@evil.example:8443/p/a?Signature=abc#f").unwrap();
        assert_eq!(origin(&url).as_deref(), Some("https://evil.example:8443"));
        let url = Url::parse("http://127.0.0.1/x?y").unwrap();
        assert_eq!(origin(&url).as_deref(), Some("http://127.0.0.1"));
        assert_eq!(origin(&Url::parse("data:text/plain,x").unwrap()), None);
    }
}
