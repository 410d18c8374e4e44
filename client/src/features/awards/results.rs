//! An award's revealed places.

use crate::i18n::{Arg, ta, tc};
use leptos::prelude::*;
use plenum_protocol::Award;

/// The places of an award revealed so far, from the first place revealed down.
pub fn award_placings(award: &Award) -> AnyView {
    let mut placings = award.revealed.clone();
    placings.sort_by_key(|p| p.place);
    let rows = placings
        .into_iter()
        .map(|p| {
            let candidate = award.candidates.get(p.candidate as usize).cloned();
            let name = candidate.as_ref().map(|c| c.name.clone()).unwrap_or_default();
            let org = candidate.and_then(|c| c.organisation);
            let (place, votes) = (p.place, p.votes);
            view! {
                <li class="placing" data-place=place>
                    <span class="place">{move || ta("place", &[("place", Arg::Count(u64::from(place)))])}</span>
                    " "
                    <span class="name">{name}</span>
                    {org.map(|o| view! { <span class="org">{format!(" · {o}")}</span> })}
                    " "
                    <span class="count">{move || tc("votes", votes)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="placings">{rows}</ol> }.into_any()
}
