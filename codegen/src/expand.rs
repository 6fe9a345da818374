//! From a spec directory to Rust tokens in one call, for the proc macro and build scripts.
//!
//! [`expand`] checks the spec with [`crate::check::load`] and generates with
//! [`crate::generate::generate_tokens`], under the same [`Settings`] the CLI uses, so the
//! macro's items are the CLI's items. It also returns every file it read, so the caller can
//! ask to be re-run when one changes: the macro through [`Expansion::tracking_tokens`], a
//! build script through [`Expansion::rerun_if_changed`].
//!
//! A build script that prefers a generated file to the macro:
//!
//! ```no_run
//! use std::path::Path;
//! use zim_codegen::expand::{Settings, expand};
//!
//! let settings = Settings {
//!     actions: Some(vec!["QueryGroupsInfoOfUser".into()]),
//!     ..Settings::default()
//! };
//! let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
//! let out_dir = std::env::var("OUT_DIR").unwrap();
//! match expand(&Path::new(&manifest_dir).join("spec"), &settings) {
//!     Ok(expansion) => {
//!         print!("{}", expansion.rerun_if_changed());
//!         let text = expansion.to_file().unwrap();
//!         std::fs::write(Path::new(&out_dir).join("zim.rs"), text).unwrap();
//!     }
//!     Err(err) => panic!("{err}"),
//! }
//! // In the crate: `mod zim { include!(concat!(env!("OUT_DIR"), "/zim.rs")); }`
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use crate::check::Diagnostics;
pub use crate::generate::Settings;
use crate::generate::{GenerateError, generate_tokens};

/// What [`expand`] produced.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// The generated items: exactly [`generate_tokens`] for the checked spec and the settings.
    pub tokens: TokenStream,
    /// Every spec file read (service file and action files), as read: absolute when the spec
    /// directory was given as an absolute path.
    pub sources: Vec<PathBuf>,
    /// The spec directory, as given.
    pub spec_dir: PathBuf,
}

impl Expansion {
    /// One `const _: &[u8] = include_bytes!("<file>");` per file read, so the compiler
    /// rebuilds the calling crate when any of them changes.
    pub fn tracking_tokens(&self) -> TokenStream {
        let files = self
            .sources
            .iter()
            .map(|path| path.to_string_lossy().into_owned());
        quote! {
            #(const _: &[u8] = include_bytes!(#files);)*
        }
    }

    /// The generated items, each allowed to go unused, followed by
    /// [`Self::tracking_tokens`]: what the macro emits.
    ///
    /// In the checked-in client every item is reachable from the crate's public API; in a crate
    /// that generates a few actions into a private module, the shared types and re-exports it
    /// does not use would otherwise each raise a `dead_code` or `unused_imports` warning.
    pub fn into_macro_output(self) -> TokenStream {
        let tracking = self.tracking_tokens();
        let tokens = allow_unused(self.tokens);
        quote!(#tokens #tracking)
    }

    /// The generated items as formatted Rust text (each allowed to go unused, as in
    /// [`Self::into_macro_output`]), for a build script to write and the crate to `include!`.
    pub fn to_file(&self) -> Result<String, ExpandError> {
        let file: syn::File = syn::parse2(allow_unused(self.tokens.clone())).map_err(|e| {
            ExpandError::Generate(GenerateError::Internal {
                file: "(expansion)".into(),
                message: e.to_string(),
            })
        })?;
        Ok(prettyplease::unparse(&file))
    }

    /// `cargo::rerun-if-changed=` lines for the spec directory (a file added anywhere in it)
    /// and every file read, for a build script to print.
    pub fn rerun_if_changed(&self) -> String {
        std::iter::once(&self.spec_dir)
            .chain(&self.sources)
            .map(|path| format!("cargo::rerun-if-changed={}\n", path.display()))
            .collect()
    }
}

/// Puts `#[allow(dead_code, unused_imports)]` on every public top-level item of `tokens` (a
/// sequence of items, where `pub` can only start an item).
fn allow_unused(tokens: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for tree in tokens {
        if matches!(&tree, TokenTree::Ident(ident) if ident == "pub") {
            out.extend(quote!(#[allow(dead_code, unused_imports)]));
        }
        out.extend(std::iter::once(tree));
    }
    out
}

/// Why [`expand`] produced nothing.
#[derive(Debug, Clone)]
pub enum ExpandError {
    /// The spec directory does not exist or is not a directory.
    MissingDir { dir: PathBuf },
    /// The checker found errors; rendered like a compiler.
    Check(Diagnostics),
    /// The generator refused (an unknown action in the subset, for one).
    Generate(GenerateError),
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::MissingDir { dir } => {
                write!(f, "the spec directory `{}` does not exist", dir.display())
            }
            ExpandError::Check(diagnostics) => write!(
                f,
                "the spec has {}:\n\n{diagnostics}",
                diagnostics.summary()
            ),
            ExpandError::Generate(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for ExpandError {}

/// Checks the spec directory `spec_dir` and generates the items `settings` ask for.
pub fn expand(spec_dir: &Path, settings: &Settings) -> Result<Expansion, ExpandError> {
    if !spec_dir.is_dir() {
        return Err(ExpandError::MissingDir {
            dir: spec_dir.to_path_buf(),
        });
    }
    let api = crate::check::load(spec_dir).map_err(ExpandError::Check)?;
    let tokens = generate_tokens(&api, settings).map_err(ExpandError::Generate)?;
    Ok(Expansion {
        tokens,
        sources: api.sources,
        spec_dir: spec_dir.to_path_buf(),
    })
}
