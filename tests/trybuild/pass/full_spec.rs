//! The whole spec, generated in a crate of its own: every action, shared type, return code
//! and client trait compiles against `zim-client`'s runtime.

mod zim {
    zim_api_derive::generate!(spec = "../../../../spec");
}

use zim::prelude::*;
use zim_client::{Action, Validate};

fn main() {
    let request = zim::user::QueryGroupsInfoOfUserRequest::new("user-1", 0);
    assert_eq!(request.validate().unwrap_err().len(), 1);
    assert_eq!(
        <zim::message::SendPeerMessageRequest as Action>::META.name,
        "SendPeerMessage"
    );
    let code = zim::return_codes::ReturnCode::from(660000002);
    assert!(code.info().is_some());
    fn has_all_traits<C: UserActions + GroupActions + MessageActions + RoomActions>() {}
    has_all_traits::<zim_client::Client>();
}
