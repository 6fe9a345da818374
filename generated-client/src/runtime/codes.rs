//! Return codes: what a code means and what to do about it.

/// Documentation of one return code, generated from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeInfo {
    pub code: i64,
    /// Rust name of the code (`ServerBusy`).
    pub name: &'static str,
    pub meaning: &'static str,
    pub fix: &'static str,
    /// The client retries calls that end with this code.
    pub retry: bool,
}

/// What a generated per-action return-code enum tells about its code. The enum itself holds
/// only its variants, the numeric mapping ([`ReturnCodeEnum::code`], `From<i64>`) and the
/// action whose tables describe the codes; the rest comes from here.
///
/// In scope through [`crate::prelude`].
pub trait ReturnCodeEnum: Copy + From<i64> {
    /// The action that documents these codes.
    type Action: super::action::Action;

    /// The numeric code.
    fn code(self) -> i64;

    /// What the spec says about this code, if it knows it.
    fn info(self) -> Option<&'static CodeInfo> {
        <Self::Action as super::action::Action>::code_info(self.code())
    }

    /// What happened.
    fn meaning(self) -> &'static str {
        self.info()
            .map_or("unknown return code", |info| info.meaning)
    }

    /// What the caller should do.
    fn fix(self) -> &'static str {
        self.info().map_or("", |info| info.fix)
    }
}
