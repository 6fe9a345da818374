//! The hand-written runtime every generated action calls.

pub mod action;
pub mod codes;
pub mod validate;
