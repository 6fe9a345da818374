zim_api_derive::generate!(spec = "../../../../tests/trybuild/specs/invalid-yaml");

fn main() {}
