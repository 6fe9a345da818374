//! The client's tracing spans: one `zim.call` per call with the action, the attempt and the
//! request id, and one `zim.attempt` per attempt; nothing in them carries the secret.

mod client_support;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use client_support::*;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span (name and fields) and event text seen.
/// A span's name and its fields, in the order recorded.
type SpanLog = Vec<(String, Vec<(String, String)>)>;

#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<SpanLog>>,
    events: Arc<Mutex<Vec<String>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        span.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let index = span.into_u64() as usize - 1;
        values.record(&mut Fields(&mut spans[index].1));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(format!("{fields:?}"));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn spans_carry_action_attempt_and_request_id() {
    let recorder = Recorder::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(recorder.clone(), || {
        runtime.block_on(async {
            let server = Server::start(|_, index| match index {
                0 => envelope(7, json!({})),
                _ => envelope(0, json!({})),
            })
            .await;
            let client = server.client().build().unwrap();
            client.execute(&PostEcho(Echo::sample())).await.unwrap();
        });
    });
    let spans = recorder.spans.lock().unwrap();
    let calls: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "zim.call")
        .collect();
    assert_eq!(calls.len(), 1);
    let fields = &calls[0].1;
    let value = |name: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("action"), Some("PostEcho"));
    assert_eq!(value("attempt"), Some("2"));
    assert_eq!(value("request_id"), Some("343649807833778782"));
    let attempts = spans
        .iter()
        .filter(|(name, _)| name == "zim.attempt")
        .count();
    assert_eq!(attempts, 2);
    let events = recorder.events.lock().unwrap();
    assert!(events.iter().any(|e| e.contains("retrying")), "{events:?}");
    for text in spans
        .iter()
        .map(|s| format!("{s:?}"))
        .chain(events.iter().cloned())
    {
        assert!(!text.contains(SECRET), "{text}");
    }
}
