//! Build-time generation of ZIM API client code from a spec directory.
//!
//! ```ignore
//! pub mod zim {
//!     zim_api_derive::generate!(
//!         spec = "spec",
//!         actions = [QueryGroupsInfoOfUser, UserRegister],
//!     );
//! }
//! ```
//!
//! `spec` is the spec directory (holding `service.yaml` and `actions/`), relative to the
//! directory of the calling crate's `Cargo.toml`. `actions` picks the actions to generate
//! (with the shared types they need); without it every action is generated. The expansion is
//! what `zim-codegen generate` writes, as inline modules (`user`, `shared`, `return_codes`,
//! `charsets`, `prelude`, ...), and uses the runtime of `zim-client` (which can be used with
//! its default features off, so the checked-in client is not compiled). The calling crate
//! also needs `serde` and `serde_json`, which the generated types derive from and name.
//!
//! Every spec file the expansion read is included with `include_bytes!`, so editing one
//! rebuilds the crate. Any problem (a missing directory, a spec error, an unknown action, bad
//! arguments) is one compile error on the offending argument, with the checker's
//! `file:line:column` report.
//!
//! This crate only parses the arguments; the work is done by `zim_codegen::expand`, the path
//! build scripts use too.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token, bracketed};
use zim_codegen::expand::{ExpandError, Settings, expand};
use zim_codegen::generate::GenerateError;

/// Generates the typed requests, responses, return codes, validators and client traits of a
/// spec's actions. See the crate documentation for the arguments.
#[proc_macro]
pub fn generate(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    match syn::parse::<Args>(input).and_then(|args| run(&args)) {
        Ok(tokens) => tokens,
        Err(err) => err.to_compile_error(),
    }
    .into()
}

/// The macro's arguments.
struct Args {
    spec: LitStr,
    actions: Option<Vec<Ident>>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut spec: Option<LitStr> = None;
        let mut actions: Option<Vec<Ident>> = None;
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "spec" => {
                    if spec.is_some() {
                        return Err(syn::Error::new(key.span(), "`spec` is given twice"));
                    }
                    spec = Some(input.parse()?);
                }
                "actions" => {
                    if actions.is_some() {
                        return Err(syn::Error::new(key.span(), "`actions` is given twice"));
                    }
                    actions = Some(parse_actions(input)?);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{other}`; expected `spec` or `actions`"),
                    ));
                }
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        let Some(spec) = spec else {
            return Err(syn::Error::new(
                Span::call_site(),
                "missing `spec = \"<dir>\"`: the spec directory, relative to the crate's Cargo.toml",
            ));
        };
        Ok(Args { spec, actions })
    }
}

/// `[Name, Name, ...]`: at least one name, none twice.
fn parse_actions(input: ParseStream) -> syn::Result<Vec<Ident>> {
    let content;
    let brackets = bracketed!(content in input);
    let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
    if names.is_empty() {
        return Err(syn::Error::new(
            brackets.span.join(),
            "no actions listed; leave `actions` out to generate every action",
        ));
    }
    let mut seen = BTreeSet::new();
    for name in &names {
        if !seen.insert(name.to_string()) {
            return Err(syn::Error::new(
                name.span(),
                format!("action `{name}` is listed twice"),
            ));
        }
    }
    Ok(names.into_iter().collect())
}

fn run(args: &Args) -> syn::Result<TokenStream> {
    let spec_span = args.spec.span();
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return Err(syn::Error::new(
            spec_span,
            "CARGO_MANIFEST_DIR is not set; build the crate with cargo",
        ));
    };
    let given = args.spec.value();
    let dir = PathBuf::from(manifest_dir).join(&given);
    let settings = Settings {
        actions: args
            .actions
            .as_ref()
            .map(|names| names.iter().map(Ident::to_string).collect()),
        ..Settings::default()
    };
    let start = std::time::Instant::now();
    let result = expand(&dir, &settings);
    if std::env::var_os("ZIM_API_DERIVE_TIMING").is_some() {
        // Opt-in, for scripts/measure-expansion.
        let actions = args
            .actions
            .as_ref()
            .map_or_else(|| "all".to_owned(), |list| list.len().to_string());
        eprintln!(
            "zim_api_derive::generate!(spec = {given:?}, {actions} actions): {:.1} ms",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    match result {
        Ok(expansion) => Ok(expansion.into_macro_output()),
        Err(ExpandError::MissingDir { .. }) => Err(syn::Error::new(
            spec_span,
            format!(
                "cannot find the spec directory `{given}` (paths are relative to the directory \
                 of the crate's Cargo.toml)"
            ),
        )),
        Err(ExpandError::Generate(err)) => {
            // An unknown action is reported on its name in the list.
            let span = match &err {
                GenerateError::UnknownAction { name, .. } => args
                    .actions
                    .iter()
                    .flatten()
                    .find(|ident| ident.to_string() == *name)
                    .map_or(spec_span, Ident::span),
                _ => spec_span,
            };
            Err(syn::Error::new(span, err.to_string()))
        }
        Err(err) => Err(syn::Error::new(spec_span, err.to_string())),
    }
}
