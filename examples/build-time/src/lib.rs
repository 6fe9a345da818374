//! Build-time generation: the client of four actions, generated from the workspace's `spec/`
//! while this crate compiles.
//!
//! `zim-client` is used with its default features off, so only its runtime is compiled;
//! [`zim`] holds the requests, responses, return codes, validators and client traits of the
//! chosen actions and the shared types they need, nothing more. Editing any spec file the
//! macro read rebuilds this crate.

/// The actions this crate uses, generated from `../../spec`.
pub mod zim {
    zim_api_derive::generate!(
        spec = "../../spec",
        actions = [
            QueryGroupsInfoOfUser,
            QueryUserOnlineState,
            SendPeerMessage,
            UserRegister,
        ],
    );
}

use zim::prelude::*;
use zim::user::{QueryGroupsInfoOfUserRequest, QueryUserOnlineStateRequest};
use zim_client::{Client, Error};

/// Names of every group `user_id` has joined, following the cursor page by page.
pub async fn group_names(client: &Client, user_id: &str) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    let mut request = QueryGroupsInfoOfUserRequest::new(user_id, 100);
    loop {
        let page = client.query_groups_info_of_user(&request).await?;
        names.extend(page.group_info_list.into_iter().map(|g| g.group_name));
        if page.next_rsp.is_empty() || page.next_rsp == "0" {
            return Ok(names);
        }
        request = request.with_next(page.next_rsp);
    }
}

/// Which of `user_ids` are online now.
pub async fn online_users(client: &Client, user_ids: &[&str]) -> Result<Vec<String>, Error> {
    let request = QueryUserOnlineStateRequest::new(
        user_ids
            .iter()
            .map(|id| (*id).to_owned())
            .collect::<Vec<_>>(),
    );
    let response = client.query_user_online_state(&request).await?;
    Ok(response
        .result
        .into_iter()
        .filter(|state| state.status == zim::user::query_user_online_state::OnlineStatus::Online)
        .map(|state| state.user_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::zim;
    use zim_client::{Action, Validate};

    #[test]
    fn generated_requests_validate_and_know_their_action() {
        let request = zim::user::QueryGroupsInfoOfUserRequest::new("user-1", 101);
        let violations = request.validate().unwrap_err();
        assert_eq!(violations.len(), 1);
        assert_eq!(violations.iter().next().unwrap().path, "Limit");
        assert_eq!(
            <zim::message::SendPeerMessageRequest as Action>::META.name,
            "SendPeerMessage"
        );
    }
}
