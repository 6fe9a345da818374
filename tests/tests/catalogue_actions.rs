//! The spec covers the shared catalogue exactly: the same 63 actions, each with the
//! catalogue's method and category. The catalogue is read from
//! `../shared/zim-api/catalogue.yaml` at test time.

use std::collections::BTreeMap;
use std::path::Path;

use zim_codegen::spec::Method;

const CATALOGUE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/zim-api/catalogue.yaml"
);
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

/// Actions of `spec/` that the shared catalogue does not describe yet (a doc page newer than
/// the catalogue), each with the page it was written from. Empty while the two agree.
const NOT_IN_CATALOGUE: &[(&str, &str)] = &[];

/// name -> (method, category) of every catalogue action.
fn catalogue() -> BTreeMap<String, (String, String)> {
    let text = std::fs::read_to_string(CATALOGUE).unwrap_or_else(|e| {
        panic!("cannot read {CATALOGUE}: {e} (is ../shared beside the repository?)")
    });
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the catalogue is YAML");
    let actions = doc["actions"]
        .as_sequence()
        .expect("catalogue lists actions");
    actions
        .iter()
        .map(|a| {
            let text = |key: &str| {
                a[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("catalogue action without `{key}`: {a:?}"))
                    .to_owned()
            };
            (text("name"), (text("method"), text("category")))
        })
        .collect()
}

/// name -> (method, category) of every spec action.
fn spec() -> BTreeMap<String, (String, String)> {
    let api = zim_codegen::check::load(Path::new(SPEC)).unwrap_or_else(|d| panic!("{d}"));
    api.actions
        .iter()
        .map(|a| {
            let method = match a.spec.method {
                Method::Get => "GET",
                Method::Post => "POST",
            };
            (
                a.spec.name.clone(),
                (method.to_owned(), a.spec.category.clone()),
            )
        })
        .collect()
}

#[test]
fn spec_has_every_catalogue_action_and_no_other() {
    let catalogue = catalogue();
    let spec = spec();
    let missing: Vec<&String> = catalogue
        .keys()
        .filter(|n| !spec.contains_key(*n))
        .collect();
    let extra: Vec<&String> = spec
        .keys()
        .filter(|n| !catalogue.contains_key(*n))
        .filter(|n| !NOT_IN_CATALOGUE.iter().any(|(name, _)| name == n))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "catalogue has {} actions, spec has {}\nmissing from spec/: {missing:?}\nin spec/ but not in the catalogue (list each in NOT_IN_CATALOGUE with its doc page): {extra:?}",
        catalogue.len(),
        spec.len()
    );
    assert_eq!(catalogue.len(), 72, "the catalogue documents 72 actions");
}

#[test]
fn methods_and_categories_match_the_catalogue() {
    let catalogue = catalogue();
    let spec = spec();
    let mismatches: Vec<String> = catalogue
        .iter()
        .filter_map(|(name, (method, category))| {
            let (spec_method, spec_category) = spec.get(name)?;
            let mut wrong = Vec::new();
            if spec_method != method {
                wrong.push(format!("method {spec_method}, catalogue says {method}"));
            }
            if spec_category != category {
                wrong.push(format!(
                    "category {spec_category}, catalogue says {category}"
                ));
            }
            (!wrong.is_empty()).then(|| format!("{name}: {}", wrong.join("; ")))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
