//! Paging through a paginated action as a stream of pages or of items.
//!
//! The action's [`Paginated`] impl knows its style (numeric `Next`, string `Next`/`NextRsp`,
//! `NextFlag`, `StartFlag` with `FetchEnd`) and end condition; the streams here only follow
//! cursors. They end after the last page, yield a call's error and then end, and yield
//! [`Error::Pagination`] rather than loop when the server hands back a cursor it returned
//! before.

use futures_core::Stream;
use futures_util::stream::{self, StreamExt as _};

use super::action::Paginated;
use super::client::Client;
use super::error::Error;

enum State<A: Paginated> {
    Fetch {
        client: Client,
        request: A,
        seen: Vec<A::Cursor>,
    },
    Fail(Error),
    Done,
}

impl Client {
    /// Every page of `request`, starting at its cursor (the first page for a fresh request).
    pub fn pages<A>(
        &self,
        request: A,
    ) -> impl Stream<Item = Result<A::Response, Error>> + Send + 'static
    where
        A: Paginated + 'static,
    {
        let start = State::Fetch {
            client: self.clone(),
            request,
            seen: Vec::new(),
        };
        stream::unfold(start, |state| async move {
            match state {
                State::Done => None,
                State::Fail(error) => Some((Err(error), State::Done)),
                State::Fetch {
                    client,
                    mut request,
                    mut seen,
                } => match client.execute(&request).await {
                    Err(error) => Some((Err(error), State::Done)),
                    Ok(page) => {
                        let next = match A::next_cursor(&page) {
                            None => State::Done,
                            Some(cursor) if seen.contains(&cursor) => {
                                State::Fail(Error::Pagination {
                                    action: A::META.name,
                                    reason: format!(
                                        "page {} returned a cursor already followed",
                                        seen.len() + 1
                                    ),
                                })
                            }
                            Some(cursor) => {
                                request.set_cursor(cursor.clone());
                                seen.push(cursor);
                                State::Fetch {
                                    client,
                                    request,
                                    seen,
                                }
                            }
                        };
                        Some((Ok(page), next))
                    }
                },
            }
        })
    }

    /// Every item of every page of `request`, in order; an error ends the stream.
    pub fn items<A>(
        &self,
        request: A,
    ) -> impl Stream<Item = Result<A::Item, Error>> + Send + 'static
    where
        A: Paginated + 'static,
    {
        self.pages(request).flat_map(|page| {
            let items = match page {
                Ok(page) => A::into_items(page).into_iter().map(Ok).collect::<Vec<_>>(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }
}
