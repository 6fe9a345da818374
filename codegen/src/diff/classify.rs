//! Decides, for users of the generated Rust API, whether a change breaks and why.
//!
//! "Breaking" means code written against the old client can stop compiling, or a call that
//! worked can now be refused by the client. Request fields are built through constructors
//! (required fields) and public `Option` fields (optional ones); response fields are plain
//! values that are only read; generated enums keep values they do not know; limits are
//! checked on requests only.

use super::compare::{Detail, RawChange, Role};
use super::{Change, ChangeKind};

/// Attaches the verdict to a change.
pub fn classify(raw: RawChange) -> Change {
    let (breaking, reason) = verdict(&raw);
    Change {
        kind: raw.kind,
        action: raw.action,
        path: raw.path,
        before: raw.before,
        after: raw.after,
        breaking,
        reason,
    }
}

fn yes(reason: impl Into<String>) -> (bool, String) {
    (true, reason.into())
}

fn no(reason: impl Into<String>) -> (bool, String) {
    (false, reason.into())
}

/// A field-level verdict where the answer depends on the side: for a shared type used in
/// both requests and responses, the breaking side wins.
fn by_role(
    role: Role,
    request: impl Fn() -> (bool, String),
    response: impl Fn() -> (bool, String),
) -> (bool, String) {
    match (role.request, role.response) {
        (true, false) => request(),
        (false, true) => response(),
        _ => {
            let (req, resp) = (request(), response());
            if req.0 || !resp.0 {
                (req.0, format!("Used in requests: {}", lower_first(&req.1)))
            } else {
                (
                    resp.0,
                    format!("Used in responses: {}", lower_first(&resp.1)),
                )
            }
        }
    }
}

fn verdict(raw: &RawChange) -> (bool, String) {
    use ChangeKind as K;
    let role = raw.role;
    match raw.kind {
        K::ActionAdded => no("A new request type and client method; existing code is untouched."),
        K::ActionRemoved => yes("Its request type and client method disappear."),
        K::CategoryChanged => yes(
            "The action moves to another module and extension trait; paths naming the old ones stop compiling.",
        ),
        K::MethodChanged => no(
            "The runtime places the fields where the new method wants them; the Rust API is the same.",
        ),
        K::HostChanged if raw.action.is_some() => {
            no("Only where requests are sent changes; the Rust API is the same.")
        }
        K::HostChanged => no(
            "Only where requests are sent changes (the runtime's host table must follow); the Rust API is the same.",
        ),
        K::QpsChanged => no(
            "Not breaking, but notable: the client's rate limiter follows the new limit, so calls may be spaced differently.",
        ),
        K::RetrySafeChanged => match raw.detail {
            Detail::RetrySafe { now: true } => {
                no("The client may now resend the call after a transport failure.")
            }
            _ => no("The client no longer resends the call after a transport failure."),
        },
        K::PaginationAdded => no("The action gains paging helpers; existing calls are unchanged."),
        K::PaginationRemoved => {
            yes("Its paging helpers (the `Paginated` impl and the page stream) disappear.")
        }
        K::PaginationChanged => no(
            "The paging helpers keep their shape and follow the new cursor rules; field changes are listed on their own.",
        ),
        K::PartialFailureAdded => no(
            "The response gains a `PartialFailure` impl listing failed items; existing code is unchanged.",
        ),
        K::PartialFailureRemoved => yes("Its `PartialFailure` impl disappears."),
        K::PartialFailureChanged => {
            no("The `PartialFailure` impl reads other fields; its signature is the same.")
        }
        K::ResponseWrapperChanged => no(
            "Only where decoding finds the response fields changes; the response type is the same.",
        ),
        K::ReturnCodeAdded => no(
            "Code enums keep codes they do not know (`Unknown`), so matching code keeps compiling; the code gets its own variant.",
        ),
        K::ReturnCodeRemoved => yes(
            "The code's variant leaves the generated code enum; code naming it stops compiling.",
        ),
        K::ReturnCodeChanged => match raw.detail {
            Detail::CodeRenamed => yes(
                "The code's variant in the generated code enum is renamed; code naming the old one stops compiling.",
            ),
            Detail::CodeRetry => no(
                "Not breaking, but notable: whether the client retries calls ending with this code changes.",
            ),
            _ => no("Only the code's documentation changes."),
        },

        K::FieldAdded => {
            let required = matches!(raw.detail, Detail::Field { required: true });
            by_role(
                role,
                || {
                    if required {
                        yes(
                            "A new required request field becomes a constructor parameter; existing calls of the constructor stop compiling.",
                        )
                    } else {
                        no(
                            "A new optional request field is an `Option` that the constructor leaves `None`; existing calls keep compiling.",
                        )
                    }
                },
                || no("A new response field is only read; existing code ignores it."),
            )
        }
        K::FieldRemoved => by_role(
            role,
            || {
                yes(
                    "The field leaves the request type (and its constructor, if it was required); code setting it stops compiling.",
                )
            },
            || yes("The response field disappears; code reading it stops compiling."),
        ),
        K::FieldRenamed => match &raw.detail {
            Detail::Rename {
                by_alias,
                rust_before,
                rust_after,
            } => {
                let how = if *by_alias {
                    "detected because the new field lists the old wire name in `aliases`"
                } else {
                    "detected because the field keeps its position, type, requiredness and limits"
                };
                if rust_before == rust_after {
                    no(format!(
                        "Only the wire name changes; the Rust field keeps the name `{rust_after}` ({how})."
                    ))
                } else {
                    yes(format!(
                        "The Rust field `{rust_before}` becomes `{rust_after}`; code naming it stops compiling ({how})."
                    ))
                }
            }
            _ => yes("The Rust name of the field changes."),
        },
        K::RustNameChanged if raw.path == "rust_name" => yes(
            "The action's module, client method and types are renamed; code naming them stops compiling.",
        ),
        K::RustNameChanged => {
            yes("The Rust name of the field changes; code naming it stops compiling.")
        }
        K::AliasesChanged => {
            no("Aliases only change which wire names decoding accepts; the Rust API is the same.")
        }
        K::TypeChanged => {
            let text_or = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| crate::spec::TypeExpr::parse(t).ok())
                    .is_some_and(|t| matches!(t, crate::spec::TypeExpr::TextOr(_)))
            };
            if text_or(&raw.after) && !text_or(&raw.before) {
                yes(
                    "The field becomes a `TextOrObject` (text or an object); code that reads or sets it as one form must handle both.",
                )
            } else {
                yes("The field's Rust type changes; code that builds or reads it must change.")
            }
        }
        K::TypeNameChanged => {
            yes("The generated Rust type is renamed; code naming the old type stops compiling.")
        }
        K::RequiredChanged => {
            let now = matches!(raw.detail, Detail::Required { now: true });
            by_role(
                role,
                || {
                    if now {
                        yes(
                            "The field becomes a constructor parameter; existing calls of the constructor stop compiling.",
                        )
                    } else {
                        yes(
                            "The field leaves the constructor and becomes an `Option`; existing calls of the constructor stop compiling.",
                        )
                    }
                },
                || {
                    no(
                        "Response fields are plain values either way (a missing one decodes to its default); only the documented guarantee changes.",
                    )
                },
            )
        }
        K::DefaultChanged => no(
            "The Rust API is the same, but a request that leaves the field unset now gets another server-side value.",
        ),
        K::SelectorChanged => {
            no("Another sibling field now chooses the shape; the Rust types are the same.")
        }
        K::LimitTightened => {
            let name = limit_name(&raw.detail);
            by_role(
                role,
                || {
                    yes(format!(
                        "A tighter `{name}` can make the client reject requests that passed before."
                    ))
                },
                || {
                    no(
                        "Limits of response fields are documentation; decoding does not enforce them.",
                    )
                },
            )
        }
        K::LimitLoosened => {
            let name = limit_name(&raw.detail);
            by_role(
                role,
                || {
                    no(format!(
                        "A looser `{name}` accepts every request that passed before."
                    ))
                },
                || {
                    no(
                        "Limits of response fields are documentation; decoding does not enforce them.",
                    )
                },
            )
        }
        K::ValueAdded => no(
            "Generated enums keep values they do not know, so matching code keeps compiling; the new value gets its own name.",
        ),
        K::ValueRemoved => yes(
            "Code naming the value's variant or constant stops compiling; the client may refuse to send it.",
        ),
        K::ValueRenamed => yes(
            "The value's Rust variant or constant is renamed; code naming the old one stops compiling.",
        ),
        K::ValuesKindChanged => yes(
            "The field's generated Rust type changes between a plain value, a closed enum, an open set and a flag set.",
        ),
        K::CapDefaultChanged => no(
            "Only the documented default cap changes; the client checks the highest cap (`max_items`), which is the same.",
        ),
        K::RuleAdded => yes(
            "A new rule across request fields can make the client reject requests that passed before.",
        ),
        K::RuleRemoved => no("Requests that kept the rule keep passing without it."),
        K::SharedTypeAdded => no("A new type; existing code is untouched."),
        K::SharedTypeRemoved => yes("The type disappears; code naming it stops compiling."),
        K::VariantAdded => no(
            "Variant types keep shapes they do not know, so matching code keeps compiling; the new shape gets its own variant.",
        ),
        K::VariantRemoved => yes("The variant disappears; code naming it stops compiling."),
        K::VariantChanged => no(
            "Only which selector values choose the shape, or how it is carried, changes; the Rust type is the same.",
        ),
        K::RegionAdded => no(
            "A new region to choose from (add it to the runtime's `Region` enum, which is `#[non_exhaustive]`); existing code is untouched.",
        ),
        K::RegionRemoved => yes(
            "Code choosing the region (`Region::...` in the runtime) stops compiling once it goes, or reaches no host until then.",
        ),
        K::ServiceChanged => no("Handled inside the runtime; the generated Rust API is the same."),
    }
}

fn limit_name(detail: &Detail) -> &'static str {
    match detail {
        Detail::Limit { name } => name,
        _ => "limit",
    }
}

/// `A new field` -> `a new field`; leaves `ABC` and code spans alone.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_ascii_uppercase() && !second.is_uppercase() => {
            let mut out = first.to_ascii_lowercase().to_string();
            out.push_str(&text[1..]);
            out
        }
        _ => text.to_owned(),
    }
}
