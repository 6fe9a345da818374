zim_api_derive::generate!(actions = [UserRegister]);

fn main() {}
