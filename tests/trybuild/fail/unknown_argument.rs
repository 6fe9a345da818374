zim_api_derive::generate!(spec = "../../../../spec", action = [UserRegister]);

fn main() {}
