//! Client-side rate limiting, so that calls stay within each action's QPS: the calls of one
//! process by default, or of every process of an app that shares a Redis.
//!
//! One concern per module: [`local`] keeps the limits in this process (the default); [`redis`]
//! (feature `redis`) keeps them in Redis, so that several replicas of a business server count
//! against one quota, as the ZIM server counts them. This module picks the backend
//! ([`RateLimitBackend`]) and says what one call counts against.
//!
//! Both backends keep one limit per action, keyed by the scope of its limit:
//! - per app: one key for all calls of the action;
//! - per group or room: one key per [`Action::rate_key`] (calls without a key share one);
//! - per message: one key, and each call counts [`Action::rate_cost`] units.
//!
//! Per-call limits release calls evenly (one every `1/QPS` seconds, no burst), so no
//! one-second window seen by the server holds more than QPS calls. Per-message limits allow a
//! burst of up to one second's worth of units, since a single call may carry that many.

pub mod local;
#[cfg(feature = "redis")]
pub mod redis;

use super::action::{Action, QpsScope};
use super::error::Error;
use local::LocalLimits;

/// Where a client keeps its rate limits; chosen with
/// [`ClientBuilder::rate_limit_backend`](crate::ClientBuilder::rate_limit_backend).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum RateLimitBackend {
    /// In this process (the default): the client and its clones share the limits; other
    /// processes, and other clients built separately, each have their own.
    #[default]
    Local,
    /// In Redis, shared by every client of the app that uses the same Redis and key prefix,
    /// in any process; daily caps are shared and enforced too. See [`redis::RedisRateLimit`].
    #[cfg(feature = "redis")]
    Redis(redis::RedisRateLimit),
}

/// What one call counts against within its action's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Charge<'a> {
    /// The group or room id for group and room limits; empty for the others.
    pub key: &'a str,
    /// Units the call uses: its items for per-message limits (at least 1), else 1.
    pub units: u32,
}

impl<'a> Charge<'a> {
    /// The charge of `request` under its action's limit.
    pub fn of<A: Action>(request: &'a A) -> Charge<'a> {
        match A::META.qps.scope {
            QpsScope::App => Charge { key: "", units: 1 },
            QpsScope::Group | QpsScope::Room => Charge {
                key: request.rate_key().unwrap_or_default(),
                units: 1,
            },
            QpsScope::Message => Charge {
                key: "",
                units: request.rate_cost().max(1),
            },
        }
    }
}

/// The rate limits of one client and its clones, in the backend it was built with.
#[derive(Debug)]
pub struct RateLimits {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Local(LocalLimits),
    /// Boxed: its connection state and fallback limiter are several times the local one.
    #[cfg(feature = "redis")]
    Redis(Box<redis::RedisLimits>),
}

impl Default for RateLimits {
    /// Limits kept in this process.
    fn default() -> Self {
        RateLimits {
            backend: Backend::Local(LocalLimits::default()),
        }
    }
}

impl RateLimits {
    /// Limits for the app `app_id` in `backend`. Fails on a backend setting that cannot work
    /// (a Redis URL that does not parse); connects to nothing yet.
    pub fn new(app_id: u32, backend: &RateLimitBackend) -> Result<RateLimits, String> {
        let backend = match backend {
            RateLimitBackend::Local => Backend::Local(LocalLimits::default()),
            #[cfg(feature = "redis")]
            RateLimitBackend::Redis(config) => {
                Backend::Redis(Box::new(redis::RedisLimits::new(app_id, config)?))
            }
        };
        // Only the Redis backend needs the app id: local limits belong to one client.
        let _ = app_id;
        Ok(RateLimits { backend })
    }

    /// Waits until `request` may be sent under its action's limit.
    ///
    /// Fails only with the Redis backend, and then before anything is sent: with
    /// [`Error::DailyCapReached`] when the action's daily cap is used up, and with
    /// [`Error::RateLimiterUnavailable`] when Redis cannot be asked and the client was built
    /// to fail rather than fall back to the limits of this process.
    pub async fn acquire<A: Action>(&self, request: &A) -> Result<(), Error> {
        match &self.backend {
            Backend::Local(local) => {
                local.acquire(request).await;
                Ok(())
            }
            #[cfg(feature = "redis")]
            Backend::Redis(shared) => shared.acquire(request).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::action::{ActionMeta, HostKind, Method, Qps};
    use crate::runtime::codes::CodeInfo;
    use crate::runtime::validate::{Validate, Validator};

    #[derive(serde::Serialize)]
    struct Call<const SCOPE: u8> {
        key: Option<String>,
        items: u32,
    }

    impl<const SCOPE: u8> Validate for Call<SCOPE> {
        fn validate_into(&self, _: &mut Validator) {}
    }

    impl<const SCOPE: u8> Action for Call<SCOPE> {
        type Response = ();
        const META: ActionMeta = ActionMeta {
            name: "Scoped",
            method: Method::Post,
            host: HostKind::Regional,
            qps: Qps {
                limit: 5,
                scope: match SCOPE {
                    0 => QpsScope::App,
                    1 => QpsScope::Room,
                    _ => QpsScope::Message,
                },
                per_day: None,
            },
            retry_safe: true,
            paginated: false,
            response_wrapper: None,
        };
        fn code_info(_: i64) -> Option<&'static CodeInfo> {
            None
        }
        fn rate_key(&self) -> Option<&str> {
            self.key.as_deref()
        }
        fn rate_cost(&self) -> u32 {
            self.items
        }
    }

    #[test]
    fn charges_follow_the_scope() {
        let app = Call::<0> {
            key: Some("r1".into()),
            items: 7,
        };
        assert_eq!(Charge::of(&app), Charge { key: "", units: 1 });
        let room = Call::<1> {
            key: Some("r1".into()),
            items: 7,
        };
        assert_eq!(
            Charge::of(&room),
            Charge {
                key: "r1",
                units: 1
            }
        );
        let keyless = Call::<1> {
            key: None,
            items: 1,
        };
        assert_eq!(Charge::of(&keyless), Charge { key: "", units: 1 });
        let message = Call::<2> {
            key: None,
            items: 7,
        };
        assert_eq!(Charge::of(&message), Charge { key: "", units: 7 });
        let empty = Call::<2> {
            key: None,
            items: 0,
        };
        assert_eq!(Charge::of(&empty).units, 1, "a call counts at least once");
    }
}
