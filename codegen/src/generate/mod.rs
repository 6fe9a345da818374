//! Code generation: checked spec -> Rust tokens -> formatted files.
//!
//! [`generate`] returns every file of the client's `generated/` folder; [`generate_tokens`]
//! returns the same items as one token stream (nested inline modules), for the proc macro.
//! Both go through [`Settings`], so the CLI, the macro and build scripts cannot drift apart.
//!
//! Module layout of the output (paths relative to `generated/`):
//! `mod.rs` (module list and `prelude` of client traits), `charsets.rs`, `return_codes.rs`
//! (the global table), `shared.rs` (shared types, reusable enums, encoding helpers),
//! `<category>/mod.rs` (the category's client trait) and `<category>/<action>.rs`.

mod action;
mod catalog;
mod codes;
mod docs;
pub(crate) mod ir;
pub(crate) mod names;
pub mod output;
mod response_ser;
mod rules;
mod shared;
pub mod table;
mod types;
mod validate;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use proc_macro2::TokenStream;
use quote::quote;

use crate::spec::{Api, CheckedAction};

use ir::{SharedNames, Usage};

/// What to generate; shared by the CLI, the proc macro and build scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Only these actions (by name), with the shared types they need; `None` for all.
    pub actions: Option<Vec<String>>,
    /// How file headers name the spec folder (`spec`).
    pub spec_label: String,
    /// The command file headers tell readers to run to regenerate.
    pub command: String,
    /// Request types also implement `Deserialize` when zim-client's `deserialize-requests`
    /// feature is on (the checked-in client); off, they only serialize. Crates expanding the
    /// proc macro have no such feature, so it is off by default. The same setting puts
    /// `Serialize` on response types behind zim-client's `serialize-responses` feature.
    pub deserialize_requests: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            actions: None,
            spec_label: "spec".into(),
            command: REGENERATE.into(),
            deserialize_requests: false,
        }
    }
}

/// Generated files: path relative to the output folder (with `/`) -> text. Ordered, so output
/// is deterministic.
pub type GeneratedFiles = BTreeMap<String, String>;

/// Why code could not be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateError {
    /// The settings name an action the spec does not have.
    UnknownAction { name: String, known: Vec<String> },
    /// The spec holds something the generator cannot express (the checker should have
    /// refused it).
    Spec { context: String, message: String },
    /// Generated tokens did not parse as Rust: a bug of the generator.
    Internal { file: String, message: String },
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::UnknownAction { name, known } => {
                write!(f, "unknown action `{name}`")?;
                let words: Vec<&str> = known.iter().map(String::as_str).collect();
                if let Some(near) = crate::spec::types::nearest(name, &words) {
                    write!(f, "; did you mean `{near}`?")?;
                }
                Ok(())
            }
            GenerateError::Spec { context, message } => write!(f, "{context}: {message}"),
            GenerateError::Internal { file, message } => {
                write!(
                    f,
                    "internal error: generated `{file}` is not valid Rust: {message}"
                )
            }
        }
    }
}

impl std::error::Error for GenerateError {}

/// The file of the action catalogue (zim-client's `catalog` feature); not part of the proc
/// macro's expansion, whose crates have no such feature.
const CATALOG_FILE: &str = "catalog.rs";

/// The command that regenerates the checked-in client.
pub const REGENERATE: &str = "cargo run -p zim-codegen -- generate";

/// One generated module before formatting.
struct Module {
    /// Path relative to the output folder.
    path: String,
    /// Spec file it comes from, for the header.
    source: String,
    tokens: TokenStream,
}

/// The category modules: name -> action modules.
struct Output {
    top: Vec<Module>,
    categories: BTreeMap<String, (Module, Vec<Module>)>,
}

fn selected<'a>(
    api: &'a Api,
    settings: &Settings,
) -> Result<Vec<&'a CheckedAction>, GenerateError> {
    let Some(names) = &settings.actions else {
        return Ok(api.actions.iter().collect());
    };
    let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    for name in &wanted {
        if !api.actions.iter().any(|a| a.spec.name == *name) {
            return Err(GenerateError::UnknownAction {
                name: (*name).to_owned(),
                known: api.actions.iter().map(|a| a.spec.name.clone()).collect(),
            });
        }
    }
    Ok(api
        .actions
        .iter()
        .filter(|a| wanted.contains(a.spec.name.as_str()))
        .collect())
}

/// Which files one call of [`build`] makes: the actions of some categories, and the top-level
/// files or not. Shared types are built in every part (actions refer to them).
struct Part<'a> {
    categories: Option<&'a BTreeSet<String>>,
    top: bool,
}

impl Part<'_> {
    const ALL: Part<'static> = Part {
        categories: None,
        top: true,
    };

    fn has(&self, category: &str) -> bool {
        self.categories.is_none_or(|set| set.contains(category))
    }
}

fn build(api: &Api, settings: &Settings, part: &Part<'_>) -> Result<Output, GenerateError> {
    let service = &api.service;
    let shared_names = SharedNames::new(service);
    let actions = selected(api, settings)?;
    // Every category, also those another part makes (`mod.rs` lists them all).
    let all_categories: BTreeSet<String> = actions
        .iter()
        .map(|a| names::module_name(&a.spec.category))
        .collect();

    // Shared types first: actions look into them (partial-failure items).
    let mut roots: BTreeMap<String, Usage> = BTreeMap::new();
    for checked in &actions {
        let spec = &checked.spec;
        for (fields, usage) in [
            (&spec.request, Usage::REQUEST),
            (&spec.response, Usage::RESPONSE),
        ] {
            let mut found = BTreeSet::new();
            for field in fields {
                ir::collect_refs(service, field, &mut found);
            }
            for name in found {
                let entry = roots.entry(name).or_insert(Usage {
                    request: false,
                    response: false,
                });
                *entry = entry.union(usage);
            }
        }
    }
    let used = ir::shared_closure(service, &roots);
    let (shared_tokens, shared_defs, shared_validated) =
        shared::shared(service, &shared_names, &used, settings.deserialize_requests)?;

    let mut by_category: BTreeMap<String, Vec<action::ActionOutput>> = BTreeMap::new();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for checked in &actions {
        let spec = &checked.spec;
        if !part.has(&names::module_name(&spec.category)) {
            continue;
        }
        let out = action::generate(
            service,
            &shared_names,
            &shared_defs,
            &shared_validated,
            checked,
            settings.deserialize_requests,
        )?;
        sources.insert(
            format!("{}/{}.rs", names::module_name(&spec.category), out.module),
            format!("{}/{}", settings.spec_label, checked.file.display()),
        );
        by_category
            .entry(names::module_name(&spec.category))
            .or_default()
            .push(out);
    }

    let mut top = if !part.top {
        Vec::new()
    } else {
        vec![
            Module {
                path: "charsets.rs".into(),
                source: format!("{}/service.yaml", settings.spec_label),
                tokens: shared::charsets(service),
            },
            Module {
                path: "return_codes.rs".into(),
                source: format!("{}/service.yaml", settings.spec_label),
                tokens: codes::global(service),
            },
            Module {
                path: "shared.rs".into(),
                source: format!("{}/service.yaml", settings.spec_label),
                tokens: shared_tokens,
            },
        ]
    };
    // zim-client's `catalog` feature; only zim-client declares it (as for request decoding).
    let catalog_decl = (part.top && settings.deserialize_requests).then(|| {
        top.push(Module {
            path: CATALOG_FILE.into(),
            source: format!("{}/", settings.spec_label),
            tokens: catalog::catalog(service, &actions),
        });
        quote! {
            #[cfg(feature = "catalog")]
            pub mod catalog;
        }
    });

    let mut categories = BTreeMap::new();
    for (category, mut outputs) in by_category {
        let modules: Vec<Module> = outputs
            .iter_mut()
            .map(|out| {
                let path = format!("{category}/{}.rs", out.module);
                Module {
                    source: sources.remove(&path).unwrap_or_default(),
                    path,
                    tokens: std::mem::take(&mut out.tokens),
                }
            })
            .collect();
        let mod_decls = outputs.iter().map(|o| {
            let m = names::module_ident(&o.module);
            // An action named like its category (`user::user`) is fine, if not to clippy.
            let lint = (o.module == category).then(|| quote!(#[allow(clippy::module_inception)]));
            quote!(#lint pub mod #m;)
        });
        let reexports = outputs.iter().map(|o| {
            let m = names::module_ident(&o.module);
            let req = names::ident(&o.request);
            let resp = names::ident(&o.response);
            let code = names::ident(&o.code_enum);
            quote!(pub use #m::{#code, #req, #resp};)
        });
        let client_trait = action::category_trait(&category, &outputs);
        let doc = format!(" The `{category}` actions.");
        let tokens = quote! {
            #![doc = #doc]
            #(#mod_decls)*
            #(#reexports)*
            #client_trait
        };
        categories.insert(
            category.clone(),
            (
                Module {
                    path: format!("{category}/mod.rs"),
                    source: format!("{}/actions/{category}/", settings.spec_label),
                    tokens,
                },
                modules,
            ),
        );
    }

    if !part.top {
        return Ok(Output { top, categories });
    }
    let category_idents: Vec<_> = all_categories
        .iter()
        .map(|c| names::module_ident(c))
        .collect();
    let traits = all_categories.iter().map(|c| {
        let m = names::module_ident(c);
        let t = names::ident(&format!("{}Actions", names::type_name(c)));
        quote!(pub use super::#m::#t;)
    });
    top.insert(
        0,
        Module {
            path: "mod.rs".into(),
            source: format!("{}/", settings.spec_label),
            tokens: quote! {
                //! The client generated from the spec: one module per category, one per action.
                #catalog_decl
                pub mod charsets;
                pub mod return_codes;
                pub mod shared;
                #(pub mod #category_idents;)*
                /// The client traits of every category, so `client.<action>(&request)` works.
                pub mod prelude {
                    #(#traits)*
                }
            },
        },
    );
    Ok(Output { top, categories })
}

fn header(source: &str, command: &str) -> String {
    format!(
        "// Generated by zim-codegen from {}. Do not edit; run `{}`.\n\n",
        comment_text(source),
        comment_text(command)
    )
}

/// `text` fit for a `//` comment: line breaks and other control characters (which would end
/// the comment and make the rest code), bidirectional controls (which rustc refuses) and
/// invisible marks are written as escapes (`\u{a}`). Paths reach headers as given on the
/// command line.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || crate::check::text::forbidden(c).is_some() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn format(module: Module, settings: &Settings) -> Result<(String, String), GenerateError> {
    let file: syn::File = syn::parse2(module.tokens).map_err(|e| GenerateError::Internal {
        file: module.path.clone(),
        message: e.to_string(),
    })?;
    let text = format!(
        "{}{}",
        header(&module.source, &settings.command),
        prettyplease::unparse(&file)
    );
    Ok((module.path, text))
}

/// Builds and formats the files of one part.
fn generate_part(
    api: &Api,
    settings: &Settings,
    part: &Part<'_>,
) -> Result<Vec<(String, String)>, GenerateError> {
    let output = build(api, settings, part)?;
    let modules = output.top.into_iter().chain(
        output
            .categories
            .into_values()
            .flat_map(|(m, actions)| std::iter::once(m).chain(actions)),
    );
    modules.map(|module| format(module, settings)).collect()
}

/// Below this many actions one thread does all the work.
const PARALLEL_MIN_ACTIONS: usize = 16;

/// Every file of the generated folder, formatted, with its header.
///
/// With more than one core, the categories are split between two threads by their number of
/// actions; each builds and formats its own files (token streams cannot cross threads), and
/// both build the shared types. The files are the same, byte for byte, as one thread makes.
pub fn generate(api: &Api, settings: &Settings) -> Result<GeneratedFiles, GenerateError> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let actions = selected(api, settings)?;
    if threads < 2 || actions.len() < PARALLEL_MIN_ACTIONS {
        return Ok(generate_part(api, settings, &Part::ALL)?
            .into_iter()
            .collect());
    }
    // Two shares of categories, largest first onto the lighter share; the top-level files
    // (shared types above all) count as a few actions' work on the first.
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for checked in &actions {
        *sizes
            .entry(names::module_name(&checked.spec.category))
            .or_default() += 1;
    }
    let mut by_size: Vec<(String, usize)> = sizes.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut shares = [(BTreeSet::new(), 4usize), (BTreeSet::new(), 0usize)];
    for (category, size) in by_size {
        let lighter = usize::from(shares[1].1 < shares[0].1);
        shares[lighter].0.insert(category);
        shares[lighter].1 += size;
    }
    let first = Part {
        categories: Some(&shares[0].0),
        top: true,
    };
    let second = Part {
        categories: Some(&shares[1].0),
        top: false,
    };
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(|| generate_part(api, settings, &second));
        let first = generate_part(api, settings, &first);
        (first, other.join())
    });
    match (first, second) {
        (Ok(first), Ok(Ok(second))) => Ok(first.into_iter().chain(second).collect()),
        // Report the error one thread would have met first.
        _ => Ok(generate_part(api, settings, &Part::ALL)?
            .into_iter()
            .collect()),
    }
}

/// The same items as [`generate`], as one token stream of inline modules (the layout of the
/// files, so relative paths between modules are the same).
pub fn generate_tokens(api: &Api, settings: &Settings) -> Result<TokenStream, GenerateError> {
    let output = build(api, settings, &Part::ALL)?;
    let mut items = Vec::new();
    for module in &output.top {
        if module.path == "mod.rs" || module.path == CATALOG_FILE {
            continue;
        }
        let name = names::module_ident(module.path.trim_end_matches(".rs"));
        let tokens = &module.tokens;
        items.push(quote!(pub mod #name { #tokens }));
    }
    let mut traits = Vec::new();
    for (category, (category_module, actions)) in &output.categories {
        let name = names::module_ident(category);
        let inner = actions.iter().map(|m| {
            let file = m.path.rsplit('/').next().unwrap_or_default();
            let ident = names::module_ident(file.trim_end_matches(".rs"));
            let tokens = &m.tokens;
            quote!(pub mod #ident { #tokens })
        });
        // The category module's own `pub mod x;` lines become the inline modules above.
        let body = strip_mod_decls(&category_module.tokens);
        items.push(quote!(pub mod #name { #body #(#inner)* }));
        let t = names::ident(&format!("{}Actions", names::type_name(category)));
        traits.push(quote!(pub use super::#name::#t;));
    }
    items.push(quote!(pub mod prelude { #(#traits)* }));
    Ok(quote!(#(#items)*))
}

/// Removes `pub mod name;` declarations from a module's items.
fn strip_mod_decls(tokens: &TokenStream) -> TokenStream {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(mut file) => {
            file.items
                .retain(|item| !matches!(item, syn::Item::Mod(m) if m.content.is_none()));
            let attrs = &file.attrs;
            let items = &file.items;
            quote!(#(#attrs)* #(#items)*)
        }
        Err(_) => tokens.clone(),
    }
}
