//! Rate limits kept in this process: the default backend, and the fallback of the Redis one.
//!
//! Built on the `governor` crate: it implements GCRA (the generic cell rate algorithm), which
//! keeps one timestamp per key instead of a token counter refilled by a timer, so it needs no
//! background task, is lock-free per check, and tells exactly how long to wait. It is widely
//! used and well kept. Waiting is done here with `tokio::time::sleep`.
//!
//! One limiter per action, keyed as the parent module says. Per-message limits allow a burst of
//! up to one second's worth of units, since a single call may carry that many; larger calls
//! wait for their units in chunks.
//!
//! Daily caps (`Qps::per_day`) are not enforced here: a process restart would forget them,
//! so the server's answer is the only reliable one (the Redis backend shares and keeps them).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::Charge;
use crate::runtime::action::{Action, ActionMeta, QpsScope};

type KeyedLimiter = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

/// Past this many keys in one limiter, keys idle for longer than a period are dropped.
const MAX_KEYS: usize = 10_000;

/// Rate limiters of every action called so far, in this process.
#[derive(Debug, Default)]
pub struct LocalLimits {
    limiters: Mutex<HashMap<&'static str, Arc<KeyedLimiter>>>,
}

impl LocalLimits {
    /// Waits until `request` may be sent under its action's limit.
    pub async fn acquire<A: Action>(&self, request: &A) {
        let meta = &A::META;
        let Some(limiter) = self.limiter(meta) else {
            return;
        };
        let charge = Charge::of(request);
        let (key, cost) = (charge.key.to_owned(), charge.units);
        let chunk = match meta.qps.scope {
            QpsScope::Message => meta.qps.limit.max(1),
            _ => 1,
        };
        let mut left = cost;
        while left > 0 {
            let n = left.min(chunk);
            wait_for(&limiter, &key, n).await;
            left -= n;
        }
        if limiter.len() > MAX_KEYS {
            limiter.retain_recent();
        }
    }

    fn limiter(&self, meta: &ActionMeta) -> Option<Arc<KeyedLimiter>> {
        let limit = NonZeroU32::new(meta.qps.limit)?;
        let mut limiters = self.limiters.lock().unwrap_or_else(PoisonError::into_inner);
        let limiter = limiters
            .entry(meta.name)
            .or_insert_with(|| Arc::new(RateLimiter::keyed(quota(meta.qps.scope, limit))));
        Some(Arc::clone(limiter))
    }
}

/// The quota of a limit of `limit` per second in `scope`.
fn quota(scope: QpsScope, limit: NonZeroU32) -> Quota {
    match scope {
        QpsScope::Message => Quota::per_second(limit),
        _ => Quota::with_period(Duration::from_secs(1) / limit.get())
            .unwrap_or_else(|| Quota::per_second(limit))
            .allow_burst(NonZeroU32::MIN),
    }
}

async fn wait_for(limiter: &KeyedLimiter, key: &String, n: u32) {
    let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    loop {
        match limiter.check_key_n(key, n) {
            Ok(Ok(())) => return,
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(limiter.clock().now());
                tokio::time::sleep(wait.max(Duration::from_micros(100))).await;
            }
            // More units than the burst: cannot happen with chunks of at most the burst size;
            // let the call through rather than wait forever.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::action::{HostKind, Method, Qps};
    use crate::runtime::codes::CodeInfo;
    use crate::runtime::validate::{Validate, Validator};

    /// A call whose key and cost the test picks.
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
            name: match SCOPE {
                0 => "GroupScoped",
                _ => "MessageScoped",
            },
            method: Method::Post,
            host: HostKind::Regional,
            qps: Qps {
                limit: 5,
                scope: match SCOPE {
                    0 => QpsScope::Group,
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

    fn limiter_of<A: Action>(limits: &LocalLimits) -> Arc<KeyedLimiter> {
        limits.limiter(&A::META).unwrap()
    }

    #[tokio::test]
    async fn group_limits_are_kept_per_key() {
        let limits = LocalLimits::default();
        let call = |key: &str| Call::<0> {
            key: Some(key.into()),
            items: 1,
        };
        limits.acquire(&call("g1")).await;
        // Right after, g1 has no room left (one call per 200 ms) but g2 is untouched.
        limits.acquire(&call("g2")).await;
        let limiter = limiter_of::<Call<0>>(&limits);
        assert!(limiter.check_key(&"g1".to_owned()).is_err());
        assert!(limiter.check_key(&"g3".to_owned()).is_ok());
        assert_eq!(limiter.len(), 3);
    }

    #[tokio::test]
    async fn message_limits_count_items() {
        let limits = LocalLimits::default();
        limits
            .acquire(&Call::<1> {
                key: None,
                items: 3,
            })
            .await;
        // 3 of the 5 units of this second are used: 2 fit, 3 do not.
        let limiter = limiter_of::<Call<1>>(&limits);
        let key = String::new();
        assert!(matches!(
            limiter.check_key_n(&key, NonZeroU32::new(3).unwrap()),
            Ok(Err(_))
        ));
        assert!(matches!(
            limiter.check_key_n(&key, NonZeroU32::new(2).unwrap()),
            Ok(Ok(()))
        ));
    }

    #[test]
    fn quotas() {
        let five = NonZeroU32::new(5).unwrap();
        let calls = quota(QpsScope::App, five);
        assert_eq!(calls.burst_size(), NonZeroU32::MIN);
        assert_eq!(calls.replenish_interval(), Duration::from_millis(200));
        let messages = quota(QpsScope::Message, five);
        assert_eq!(messages.burst_size(), five);
    }
}
