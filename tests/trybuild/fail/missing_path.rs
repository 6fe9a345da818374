zim_api_derive::generate!(spec = "../../../../tests/trybuild/specs/no-such-spec");

fn main() {}
