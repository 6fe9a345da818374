//! One action's module: request, response, nested types, codes, metadata, paging.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::spec::{
    ActionSpec, CheckedAction, Method, PaginationSpec, PartialFailureSpec, QpsScope, ServiceSpec,
};

use super::GenerateError;
use super::codes;
use super::docs::{doc_attrs, inner_doc_attrs, spec_text};
use super::ir::{
    FieldIr, Home, ModuleDefs, NamedKind, ObjectDef, Prim, Resolver, SharedNames, Ty, Usage,
};
use super::names::{self, NameSet};
use super::types::{self, is_optional, value_tokens};
use super::validate;

/// An action's generated module and what its category's client trait needs.
pub struct ActionOutput {
    pub module: String,
    pub tokens: TokenStream,
    /// Trait method, with its default body.
    pub method_decl: TokenStream,
    pub request: String,
    pub response: String,
    pub code_enum: String,
}

pub fn generate(
    service: &ServiceSpec,
    shared: &SharedNames,
    shared_defs: &ModuleDefs,
    shared_validated: &BTreeSet<String>,
    checked: &CheckedAction,
    request_de: bool,
) -> Result<ActionOutput, GenerateError> {
    let action = &checked.spec;
    let base = names::action_type_base(action);
    let request_name = format!("{base}Request");
    let response_name = format!("{base}Response");
    let code_name = format!("{base}Code");
    let context = format!("spec/{}", checked.file.display());
    let mut resolver = Resolver::new(
        service,
        shared,
        Home::Local,
        NameSet::with(&[&request_name, &response_name, &code_name]),
        context.clone(),
    );
    resolver.reserve_stated(service, &action.request);
    resolver.reserve_stated(service, &action.response);
    let mut request_fields = resolver.fields(&base, &action.request, Usage::REQUEST)?;
    super::rules::annotate(&mut request_fields, &action.rules);
    let response_fields = resolver.fields(&base, &action.response, Usage::RESPONSE)?;
    let mut defs = std::mem::take(&mut resolver.defs);
    super::rules::with_item_fields(&mut request_fields, service);
    for object in &mut defs.objects {
        super::rules::with_item_fields(&mut object.fields, service);
    }

    let action_codes = codes::action_codes(service, action);
    let request_ident = names::ident(&request_name);
    let response_ident = names::ident(&response_name);

    let request_def = ObjectDef {
        name: request_name.clone(),
        docs: request_docs(action, &action_codes, Some(&code_name)),
        fields: request_fields,
        usage: Usage::REQUEST,
        rules: action.rules.clone(),
    };
    let response_def = ObjectDef {
        name: response_name.clone(),
        docs: format!("What `{}` returns (without the envelope).", action.name),
        fields: response_fields,
        usage: Usage::RESPONSE,
        rules: Vec::new(),
    };
    let mut local = validate::analyze(&defs, false, shared_validated);
    // The request always implements `Validate` (an `Action` must).
    local.insert(request_name.clone());
    let ctx = validate::Ctx {
        in_shared: false,
        shared: shared_validated,
        local: &local,
        request_de,
    };
    let request_tokens = types::object(&request_def, false, &ctx);
    let response_tokens = types::object(&response_def, false, &ctx);
    let nested = module_defs(&defs, &ctx);
    let code_tokens = codes::action(action, &action_codes, &request_ident);
    let meta = action_impl(
        service,
        action,
        &request_def,
        &request_ident,
        &response_ident,
    )
    .map_err(|message| GenerateError::Spec {
        context: context.clone(),
        message,
    })?;
    let paginated = match &action.pagination {
        Some(p) => paginated_impl(
            p,
            &request_def,
            &response_def,
            &request_ident,
            &response_ident,
        )
        .map_err(|message| GenerateError::Spec {
            context: context.clone(),
            message,
        })?,
        None => quote!(),
    };
    let partial = match &action.partial_failure {
        Some(p) => partial_impl(p, &response_def, &defs, shared_defs, &response_ident).map_err(
            |message| GenerateError::Spec {
                context: context.clone(),
                message,
            },
        )?,
        None => quote!(),
    };

    let module_doc = inner_doc_attrs(&format!("`{}`: {}", action.name, action.purpose.trim()));
    let body = quote! {
        #request_tokens
        #response_tokens
        #nested
        #code_tokens
        #meta
        #paginated
        #partial
    };
    // Types as deep as the checker allows are clippy's taste, not a problem of the code.
    let lint = defs
        .has_deep_types(request_def.fields.iter().chain(&response_def.fields))
        .then(|| quote!(#![allow(clippy::type_complexity)]));
    let tokens = quote! {
        #module_doc
        #lint
        #body
    };

    let method = names::action_method(action);
    let module = names::action_module(action);
    let method_docs = doc_attrs(&request_docs(action, &action_codes, None));
    let method_decl = quote! {
        #method_docs
        fn #method(
            &self,
            request: &#request_ident,
        ) -> impl ::std::future::Future<Output = Result<#response_ident, ::zim_client::Error>> + Send {
            ::zim_client::Execute::execute(self, request)
        }
    };
    Ok(ActionOutput {
        module,
        tokens,
        method_decl,
        request: request_name,
        response: response_name,
        code_enum: code_name,
    })
}

/// Nested objects, enums and variant types of a module.
pub fn module_defs(defs: &ModuleDefs, ctx: &validate::Ctx<'_>) -> TokenStream {
    let objects = defs.objects.iter().map(|o| types::object(o, true, ctx));
    let enums = defs.enums.iter().map(|e| types::enumeration(e, ctx));
    let variants = defs.variants.iter().map(|v| types::variant_type(v, ctx));
    quote!(#(#objects)* #(#enums)* #(#variants)*)
}

fn qps_text(action: &ActionSpec) -> String {
    let qps = &action.qps;
    let scope = match qps.scope {
        QpsScope::App => "per app".to_owned(),
        QpsScope::Group => format!("per group (`{}`)", qps.key.as_deref().unwrap_or("")),
        QpsScope::Room => format!("per room (`{}`)", qps.key.as_deref().unwrap_or("")),
        QpsScope::Message => format!("items of `{}` per app", qps.count.as_deref().unwrap_or("")),
    };
    let calls = if qps.limit == 1 { "call" } else { "calls" };
    let mut text = format!("{} {calls} per second {scope}", qps.limit);
    if qps.scope == QpsScope::Message {
        text = format!("{} {scope} per second", qps.limit);
    }
    if let Some(day) = qps.per_day {
        text.push_str(&format!(", at most {day} per day"));
    }
    if let Some(docs) = &qps.docs {
        text.push_str(&format!(". {}", spec_text(docs)));
    }
    text
}

fn request_docs(
    action: &ActionSpec,
    codes: &[(String, crate::spec::ReturnCodeSpec, bool)],
    code_enum: Option<&str>,
) -> String {
    let mut text = spec_text(&action.purpose);
    if let Some(docs) = &action.docs {
        text.push_str(&format!("\n\n{}", spec_text(docs)));
    }
    text.push_str(&format!(
        "\n\n`{}` `{}`; QPS: {}; {}.",
        match action.method {
            Method::Get => "GET",
            Method::Post => "POST",
        },
        action.name,
        qps_text(action),
        if action.retry_safe {
            "safe to retry"
        } else {
            "not retried after transport failures"
        }
    ));
    if let Some(code_enum) = code_enum {
        text.push_str(&format!(" Return codes: [`{code_enum}`]."));
    } else if !codes.is_empty() {
        text.push_str("\n\nReturn codes:");
        for (_, code, _) in codes {
            let fix = code.fix.trim();
            let meaning = code.meaning.trim().replace('\n', " ");
            if fix.is_empty() {
                text.push_str(&format!("\n- `{}` {}", code.code, meaning));
            } else {
                text.push_str(&format!(
                    "\n- `{}` {} Fix: {}",
                    code.code,
                    meaning,
                    fix.replace('\n', " ")
                ));
            }
        }
    }
    text
}

fn find<'a>(fields: &'a [FieldIr], wire: &str) -> Option<&'a FieldIr> {
    fields.iter().find(|f| f.wire == wire)
}

fn action_impl(
    service: &ServiceSpec,
    action: &ActionSpec,
    request: &ObjectDef,
    request_ident: &Ident,
    response_ident: &Ident,
) -> Result<TokenStream, String> {
    let name = &action.name;
    let method = match action.method {
        Method::Get => quote!(Get),
        Method::Post => quote!(Post),
    };
    let host = match &action.host {
        Some(id) => {
            let host = service
                .hosts
                .services
                .iter()
                .find(|h| &h.id == id)
                .map(|h| h.host.clone())
                .ok_or_else(|| format!("host `{id}` is not a service host"))?;
            quote!(::zim_client::HostKind::Service(#host))
        }
        None => quote!(::zim_client::HostKind::Regional),
    };
    let limit = proc_macro2::Literal::u32_unsuffixed(action.qps.limit);
    let scope = match action.qps.scope {
        QpsScope::App => quote!(App),
        QpsScope::Group => quote!(Group),
        QpsScope::Room => quote!(Room),
        QpsScope::Message => quote!(Message),
    };
    let per_day = match action.qps.per_day {
        Some(n) => {
            let n = proc_macro2::Literal::u32_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let retry_safe = action.retry_safe;
    let paginated = action.pagination.is_some();
    let wrapper = match &action.response_wrapper {
        Some(w) => quote!(Some(#w)),
        None => quote!(None),
    };
    let has_own = codes::action_codes(service, action).iter().any(|c| c.2);
    let code_info = if has_own {
        quote! {
            CODES
                .iter()
                .find(|info| info.code == code)
                .or_else(|| super::super::return_codes::code_info(code))
        }
    } else {
        quote!(super::super::return_codes::code_info(code))
    };
    let mut extra = Vec::new();
    match action.qps.scope {
        QpsScope::Group | QpsScope::Room => {
            let key = action.qps.key.as_deref().unwrap_or("");
            let field = find(&request.fields, key)
                .ok_or_else(|| format!("qps key `{key}` is not a request field"))?;
            let ident = &field.ident;
            let string_enum = matches!(
                field.ty,
                Ty::Named {
                    kind: NamedKind::Enum(Prim::String, _),
                    ..
                }
            );
            let body = match (&field.ty, is_optional(field, Usage::REQUEST)) {
                (Ty::Prim(Prim::String), false) => Some(quote!(Some(self.#ident.as_str()))),
                (Ty::Prim(Prim::String), true) => Some(quote!(self.#ident.as_deref())),
                (_, false) if string_enum => Some(quote!(Some(self.#ident.as_str()))),
                (_, true) if string_enum => {
                    Some(quote!(self.#ident.as_ref().map(|key| key.as_str())))
                }
                // `rate_key` borrows a `&str`; an integer key cannot be lent, so such calls share
                // one bucket (stricter than the server, never looser).
                _ => None,
            };
            if let Some(body) = body {
                extra.push(quote! {
                    fn rate_key(&self) -> Option<&str> {
                        #body
                    }
                });
            }
        }
        QpsScope::Message => {
            let count = action.qps.count.as_deref().unwrap_or("");
            let field = find(&request.fields, count)
                .ok_or_else(|| format!("qps count `{count}` is not a request field"))?;
            let ident = &field.ident;
            let len = if is_optional(field, Usage::REQUEST) {
                quote!(self.#ident.as_ref().map_or(0, |items| items.len()))
            } else {
                quote!(self.#ident.len())
            };
            extra.push(quote! {
                fn rate_cost(&self) -> u32 {
                    u32::try_from(#len).unwrap_or(u32::MAX).max(1)
                }
            });
        }
        QpsScope::App => {}
    }
    Ok(quote! {
        impl ::zim_client::Action for #request_ident {
            type Response = #response_ident;
            const META: ::zim_client::ActionMeta = ::zim_client::ActionMeta {
                name: #name,
                method: ::zim_client::Method::#method,
                host: #host,
                qps: ::zim_client::Qps::new(#limit, ::zim_client::QpsScope::#scope, #per_day),
                retry_safe: #retry_safe,
                paginated: #paginated,
                response_wrapper: #wrapper,
            };
            fn code_info(code: i64) -> Option<&'static ::zim_client::CodeInfo> {
                #code_info
            }
            #(#extra)*
        }
    })
}

/// Fields of a local or shared object, by its type.
fn object_fields<'a>(
    ty: &Ty,
    defs: &'a ModuleDefs,
    shared_defs: &'a ModuleDefs,
) -> Option<&'a [FieldIr]> {
    match ty {
        Ty::Named {
            name,
            home: Home::Shared,
            kind: NamedKind::Object,
        } => shared_defs
            .objects
            .iter()
            .find(|o| &o.name == name)
            .map(|o| o.fields.as_slice()),
        Ty::Named {
            name,
            home: Home::Local,
            kind: NamedKind::Object,
        } => defs
            .objects
            .iter()
            .find(|o| &o.name == name)
            .map(|o| o.fields.as_slice()),
        _ => None,
    }
}

fn paginated_impl(
    spec: &PaginationSpec,
    request: &ObjectDef,
    response: &ObjectDef,
    request_ident: &Ident,
    response_ident: &Ident,
) -> Result<TokenStream, String> {
    let cursor = find(&request.fields, &spec.cursor)
        .ok_or_else(|| format!("pagination cursor `{}` is not a request field", spec.cursor))?;
    let next = find(&response.fields, &spec.next)
        .ok_or_else(|| format!("pagination next `{}` is not a response field", spec.next))?;
    let items = find(&response.fields, &spec.items)
        .ok_or_else(|| format!("pagination items `{}` is not a response field", spec.items))?;
    let done = find(&response.fields, &spec.done_when.field).ok_or_else(|| {
        format!(
            "pagination end field `{}` is not a response field",
            spec.done_when.field
        )
    })?;
    let Ty::Prim(cursor_prim) = cursor.ty else {
        return Err(format!(
            "pagination cursor `{}` must be a string or an integer",
            spec.cursor
        ));
    };
    let Ty::Prim(next_prim) = next.ty else {
        return Err(format!(
            "pagination next `{}` must be a string or an integer",
            spec.next
        ));
    };
    let Ty::Vec(item_ty) = &items.ty else {
        return Err(format!(
            "pagination items `{}` must be an array",
            spec.items
        ));
    };
    let item_tokens = value_tokens(item_ty, Usage::RESPONSE);
    let cursor_ty = types::prim_tokens(cursor_prim);
    let cursor_ident = &cursor.ident;
    let set = if is_optional(cursor, Usage::REQUEST) {
        quote!(self.#cursor_ident = Some(cursor);)
    } else {
        quote!(self.#cursor_ident = cursor;)
    };
    let next_ident = &next.ident;
    let next_value = match (cursor_prim, next_prim) {
        // An empty string cursor would ask for the first page again: it ends the stream.
        (a, b) if a == b && a == Prim::String => quote! {
            Some(page.#next_ident.clone()).filter(|next| !next.trim().is_empty())
        },
        (a, b) if a == b => quote!(Some(page.#next_ident)),
        (Prim::String, _) => quote!(Some(page.#next_ident.to_string())),
        (_, Prim::String) => quote!(page.#next_ident.trim().parse().ok()),
        _ => quote!(#cursor_ty::try_from(page.#next_ident).ok()),
    };
    let done_ident = &done.ident;
    let patterns = types::patterns(&spec.done_when.values);
    let done_expr = match &done.ty {
        Ty::Prim(Prim::String) => quote!(page.#done_ident.as_str()),
        Ty::Named {
            kind: NamedKind::Enum(Prim::String, _),
            ..
        } => quote!(page.#done_ident.as_str()),
        Ty::Named {
            kind: NamedKind::Enum(_, crate::spec::ValuesKind::Flags),
            ..
        } => quote!(page.#done_ident.0),
        Ty::Named {
            kind: NamedKind::Enum(_, _),
            ..
        } => quote!(page.#done_ident.value()),
        Ty::Prim(_) => quote!(page.#done_ident),
        _ => {
            return Err(format!(
                "pagination end field `{}` must be a scalar",
                spec.done_when.field
            ));
        }
    };
    let items_ident = &items.ident;
    Ok(quote! {
        impl ::zim_client::runtime::action::Paginated for #request_ident {
            type Item = #item_tokens;
            type Cursor = #cursor_ty;
            fn set_cursor(&mut self, cursor: #cursor_ty) {
                #set
            }
            fn next_cursor(page: &#response_ident) -> Option<#cursor_ty> {
                if matches!(#done_expr, #(#patterns)|*) {
                    return None;
                }
                #next_value
            }
            fn into_items(page: #response_ident) -> Vec<#item_tokens> {
                page.#items_ident
            }
        }
    })
}

fn partial_impl(
    spec: &PartialFailureSpec,
    response: &ObjectDef,
    defs: &ModuleDefs,
    shared_defs: &ModuleDefs,
    response_ident: &Ident,
) -> Result<TokenStream, String> {
    let list = find(&response.fields, &spec.list).ok_or_else(|| {
        format!(
            "partial failure list `{}` is not a response field",
            spec.list
        )
    })?;
    let Ty::Vec(item_ty) = &list.ty else {
        return Err(format!(
            "partial failure list `{}` must be an array of objects",
            spec.list
        ));
    };
    let fields = object_fields(item_ty, defs, shared_defs).ok_or_else(|| {
        format!(
            "partial failure list `{}` must hold objects defined in the action",
            spec.list
        )
    })?;
    let text = |wire: &Option<String>| -> Result<TokenStream, String> {
        let Some(wire) = wire else {
            return Ok(quote!(None));
        };
        let field = find(fields, wire)
            .ok_or_else(|| format!("partial failure field `{wire}` is not in the list items"))?;
        let ident = &field.ident;
        Ok(match &field.ty {
            Ty::Prim(Prim::String) => quote!(Some(item.#ident.as_str())),
            _ => quote!(None),
        })
    };
    let id = text(&spec.id)?;
    let message = text(&spec.message)?;
    let code_field = find(fields, &spec.code).ok_or_else(|| {
        format!(
            "partial failure code `{}` is not in the list items",
            spec.code
        )
    })?;
    let code_ident = &code_field.ident;
    let code = match &code_field.ty {
        Ty::Prim(Prim::I64) => quote!(item.#code_ident),
        Ty::Prim(Prim::U64) => quote!(i64::try_from(item.#code_ident).unwrap_or(i64::MAX)),
        Ty::Prim(Prim::I32 | Prim::U32) => quote!(i64::from(item.#code_ident)),
        Ty::Prim(Prim::String) => quote!(item.#code_ident.trim().parse().unwrap_or(-1)),
        Ty::Named {
            kind: NamedKind::Enum(prim, kind),
            ..
        } if *prim != Prim::String => {
            let raw = if *kind == crate::spec::ValuesKind::Flags {
                quote!(item.#code_ident.0)
            } else {
                quote!(item.#code_ident.value())
            };
            match prim {
                Prim::I64 => raw,
                Prim::U64 => quote!(i64::try_from(#raw).unwrap_or(i64::MAX)),
                _ => quote!(i64::from(#raw)),
            }
        }
        _ => {
            return Err(format!(
                "partial failure code `{}` must be an integer",
                spec.code
            ));
        }
    };
    let list_ident = &list.ident;
    Ok(quote! {
        impl ::zim_client::runtime::action::PartialFailure for #response_ident {
            fn failures(&self) -> Vec<::zim_client::runtime::action::ItemFailure<'_>> {
                self.#list_ident
                    .iter()
                    .map(|item| ::zim_client::runtime::action::ItemFailure {
                        id: #id,
                        code: #code,
                        message: #message,
                    })
                    .collect()
            }
        }
    })
}

/// The client trait of one category, implemented for `zim_client::Client`.
pub fn category_trait(category: &str, actions: &[ActionOutput]) -> TokenStream {
    let trait_ident = format_ident!("{}Actions", names::type_name(category));
    let decls = actions.iter().map(|a| &a.method_decl);
    let doc = doc_attrs(&format!(
        "Calls of the `{category}` actions. In scope through `zim_client::prelude`."
    ));
    // Default methods over `zim_client::Execute`: the implementation for the client is empty.
    quote! {
        #doc
        pub trait #trait_ident: ::zim_client::Execute {
            #(#decls)*
        }
        impl #trait_ident for ::zim_client::Client {}
    }
}
