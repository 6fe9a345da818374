//! Exit codes by kind of failure, and how each failure is told on stderr.

use std::fmt::Write as _;

use zim_client::Error;
use zim_client::runtime::catalog::CallError;

/// The process exit codes (also listed in `zim --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Other = 1,
    /// Usage error or invalid input; nothing was sent.
    Invalid = 2,
    /// The API answered with a non-zero code.
    Api = 3,
    /// The server could not be reached, or did not answer in time.
    Transport = 4,
    /// The response was not what the action returns.
    Decode = 5,
}

/// A failure to report: its exit code and its text (without a trailing newline).
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
        }
    }

    /// Invalid input: every problem, one per line.
    pub fn invalid(action: &str, problems: &[String]) -> Failure {
        let mut text = format!("invalid {action} request; nothing was sent:");
        for problem in problems {
            let _ = write!(text, "\n  {problem}");
        }
        Failure::new(Exit::Invalid, text)
    }
}

impl From<CallError> for Failure {
    fn from(error: CallError) -> Failure {
        match error {
            CallError::Request(reason) => Failure::new(
                Exit::Invalid,
                format!("the request does not fit the action; nothing was sent:\n  {reason}"),
            ),
            CallError::Response(reason) => Failure::new(Exit::Other, reason),
            CallError::Client(error) => from_client(error),
        }
    }
}

fn from_client(error: Error) -> Failure {
    match error {
        Error::InvalidRequest { action, violations } => {
            let problems: Vec<String> = violations.iter().map(ToString::to_string).collect();
            Failure::invalid(action, &problems)
        }
        Error::Api(api) => {
            let mut text = format!("{} failed with code {}", api.action, api.code);
            match api.info {
                Some(info) => {
                    let _ = write!(text, " {}\n  meaning: {}", info.name, info.meaning);
                    if !info.fix.is_empty() {
                        let _ = write!(text, "\n  fix: {}", info.fix);
                    }
                }
                None => text.push_str(" (not documented)"),
            }
            if !api.message.is_empty() {
                let _ = write!(text, "\n  server message: {}", api.message);
            }
            if !api.request_id.is_empty() {
                let _ = write!(text, "\n  request id: {}", api.request_id);
            }
            Failure::new(Exit::Api, text)
        }
        error @ (Error::Transport { .. } | Error::Timeout { .. }) => {
            // The transport error's source chain says why (refused, DNS, TLS); the URL, which
            // carries the signature, was stripped by the client.
            let mut text = error.to_string();
            // The message already holds the first source; the causes below it follow.
            let mut source = std::error::Error::source(&error).and_then(|s| s.source());
            while let Some(cause) = source {
                let _ = write!(text, ": {cause}");
                source = cause.source();
            }
            Failure::new(Exit::Transport, text)
        }
        error @ Error::Decode { .. } => {
            let excerpt = match &error {
                Error::Decode { excerpt, .. } if !excerpt.is_empty() => {
                    format!("\n  body: {excerpt}")
                }
                _ => String::new(),
            };
            Failure::new(Exit::Decode, format!("{error}{excerpt}"))
        }
        other => Failure::new(Exit::Other, other.to_string()),
    }
}
