zim_api_derive::generate!(
    spec = "../../../../spec",
    actions = [QueryGroupsInfoOfUser, QueryUserOnlineStat, UserRegister],
);

fn main() {}
