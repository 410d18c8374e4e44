//! The exhibition: the hall (every booth, searched and filtered), a booth's page (its words,
//! video, offers, links and staff; joining its staff with a staff link; editing it, for its
//! staff and the organisers), and the organisers' list of booths on the console.
//!
//! Booths are read over HTTP and read again whenever the event room says they changed
//! (`booths_changed`). The hall and the booths are in the meet build; the link to them, in
//! every page's header once the event has booths, is in every build.

#[cfg(feature = "meet")]
mod booth;
#[cfg(feature = "meet")]
mod chat;
#[cfg(feature = "meet")]
mod edit;
#[cfg(feature = "meet")]
mod hall;
#[cfg(feature = "meet")]
mod leads;
#[cfg(feature = "organise")]
pub mod organise;
pub mod pitch;
mod sharing;
#[cfg(feature = "meet")]
mod talk;

#[cfg(feature = "meet")]
pub use booth::BoothPage;
#[cfg(feature = "meet")]
pub use hall::HallPage;

use leptos::prelude::*;
use plenum_protocol::{EventCode, RoomId, RoomState};

use crate::i18n::t;
use crate::live::Live;
use crate::route::{Link, Route, use_router};

/// The event room's count of changes to the booths (0: it never had any).
pub(crate) fn booths_version(live: Live, code: EventCode) -> Memo<u64> {
    let room = RoomId::Event(code);
    Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(e)) => e.booths_version,
        _ => 0,
    })
}

/// The link to the exhibition, once the event has (had) booths, on every page but its own.
#[component]
pub fn ExhibitionLink(live: Live, code: EventCode) -> impl IntoView {
    let version = booths_version(live, code.clone());
    let router = use_router();
    let elsewhere =
        Memo::new(move |_| !matches!(router.route(), Route::Exhibition(_) | Route::Booth(..)));
    let to = Route::Exhibition(code);
    view! {
        <Show when=move || { elsewhere.get() && version.get() > 0 }>
            <p class="meetings-link">
                <Link to=to.clone()>{move || t("exhibition")}</Link>
            </p>
        </Show>
    }
}

/// The booths, fetched again whenever the event room says they changed.
#[cfg(feature = "meet")]
pub(crate) fn booths(
    live: Live,
    code: EventCode,
) -> LocalResource<Result<Vec<plenum_protocol::Booth>, crate::api::ApiFailure>> {
    let version = booths_version(live, code.clone());
    // Read again every minute besides: a booth stops being staffed when its staff's presence
    // lapses, which nothing announces.
    let minute = RwSignal::new(0u32);
    let handle = set_interval_with_handle(
        move || minute.update(|m| *m += 1),
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    LocalResource::new(move || {
        version.track();
        minute.track();
        let code = code.clone();
        async move { crate::api::booths::list(&code).await }
    })
}

/// The booths as last read well (`None` until then), and what went wrong with the newest
/// reading: a failed reading keeps the list (staff stay at their desk), and reading the same
/// list again changes nothing (what is being typed stays).
#[cfg(feature = "meet")]
#[allow(clippy::type_complexity)]
pub(crate) fn last_good(
    live: Live,
    code: EventCode,
) -> (
    RwSignal<Option<Vec<plenum_protocol::Booth>>>,
    RwSignal<Option<String>>,
    LocalResource<Result<Vec<plenum_protocol::Booth>, crate::api::ApiFailure>>,
) {
    let booths = booths(live, code);
    let list = RwSignal::new(None::<Vec<plenum_protocol::Booth>>);
    let failure = RwSignal::new(None::<String>);
    Effect::new(move || match booths.get() {
        Some(Ok(l)) => {
            failure.set(None);
            if list.with_untracked(|old| old.as_ref() != Some(&l)) {
                list.set(Some(l));
            }
        }
        Some(Err(e)) => failure.set(Some(e.message())),
        None => {}
    });
    (list, failure, booths)
}

/// The words of `l` in the page's language, else the other's, with the language they are in.
#[cfg(feature = "meet")]
pub(crate) fn localised(l: &plenum_protocol::Localised) -> Option<(String, &'static str)> {
    let here = crate::i18n::locale().tag();
    let (first, other, other_tag) = if here == "sv" {
        (&l.sv, &l.en, "en")
    } else {
        (&l.en, &l.sv, "sv")
    };
    match (first, other) {
        (Some(words), _) => Some((words.clone(), here)),
        (None, Some(words)) => Some((words.clone(), other_tag)),
        (None, None) => None,
    }
}

/// A logo's address, only the server's own (`/logos/...`): never another site's.
#[cfg(feature = "meet")]
pub(crate) fn logo_src(logo: Option<&str>) -> Option<String> {
    logo.filter(|l| {
        l.starts_with("/logos/")
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-._".contains(&b))
    })
    .map(str::to_owned)
}
