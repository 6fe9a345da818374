zim_api_derive::generate!(spec = "../../../../tests/trybuild/specs/semantic-error");

fn main() {}
