//! An award's staged reveal on the big screen.

use crate::i18n::{t, tc};
use leptos::prelude::*;
use plenum_protocol::AwardStatus;

pub fn award_view(a: &plenum_protocol::Award) -> AnyView {
    view! {
        <section class="screen-award" data-focus="award">
            <h2 class="screen-question">{a.title.clone()}</h2>
            {if a.status == AwardStatus::Open {
                view! { <p class="screen-meta">{t("vote-now")} " · " {tc("ballots-count", a.ballots)}</p> }.into_any()
            } else {
                crate::features::awards::results::award_placings(a)
            }}
        </section>
    }
    .into_any()
}
