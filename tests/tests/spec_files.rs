//! The checked-in spec files parse into the spec model.

use std::path::Path;

use zim_codegen::spec::{ActionSpec, ServiceSpec};

fn spec_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"))
}

#[test]
fn service_file_parses() {
    let text = std::fs::read_to_string(spec_dir().join("service.yaml")).expect("read service.yaml");
    let service: ServiceSpec = serde_yaml::from_str(&text).expect("parse service.yaml");
    assert_eq!(service.hosts.default, "global");
    assert_eq!(service.envelope.code, "Code");
}

#[test]
fn seed_action_parses() {
    let path = spec_dir().join("actions/user/QueryGroupsInfoOfUser.yaml");
    let text = std::fs::read_to_string(path).expect("read seed action");
    let action: ActionSpec = serde_yaml::from_str(&text).expect("parse seed action");
    assert_eq!(action.name, "QueryGroupsInfoOfUser");
    assert_eq!(action.qps.limit, 20);
    assert_eq!(action.request.len(), 3);
}
