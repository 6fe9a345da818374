zim_api_derive::generate!(spec: "../../../../spec");

fn main() {}
