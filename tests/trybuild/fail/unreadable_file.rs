// An action file that is not UTF-8 text.
zim_api_derive::generate!(spec = "../../../../tests/trybuild/specs/not-utf8");

fn main() {}
