//! One booth: its logo, words (in the page's language, else the other), video, offers, links
//! and staff. A staff link (`?staff=CODE`) offers to join its staff; its staff and the
//! organisers edit it here. Everything typed by exhibitors is shown as text; links are
//! `https://` only and the video is embedded from its known player only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{Booth, BoothId, EventCode};

use super::{localised, logo_src};
use crate::api::{self, saved};
use crate::components::feedback::{announcer, problem_view};
use crate::i18n::{Arg, t, ta};
use crate::live::Live;
use crate::route::{Link, Route};

/// The video's address when it is one of the two players the server keeps videos as.
fn player(video: &str) -> Option<String> {
    let id = video
        .strip_prefix("https://www.youtube-nocookie.com/embed/")
        .or_else(|| video.strip_prefix("https://player.vimeo.com/video/"))?;
    (!id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)))
    .then(|| video.to_owned())
}

#[component]
pub fn BoothPage(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let (list, failure, booths) = super::last_good(live, code.clone());
    let hall = Route::Exhibition(code.clone());
    let id = StoredValue::new(booth.clone());
    let found = Memo::new(move |_| {
        list.with(|l| {
            l.as_ref()
                .and_then(|l| l.iter().find(|b| b.id == id.get_value()).cloned())
        })
    });
    // The stand is drawn again only when what it shows changed (not when the booth's being
    // staffed did), and the form is drawn once: what is being typed stays.
    let stand = Memo::new(move |_| {
        found.get().map(|b| Booth {
            staffed: false,
            visitors_now: 0,
            ..b
        })
    });
    let ready = Memo::new(move |_| list.with(Option::is_some));
    let staffed = Memo::new(move |_| found.with(|b| b.as_ref().is_some_and(|b| b.staffed)));
    let visitors_now = Memo::new(move |_| found.with(|b| b.as_ref().map_or(0, |b| b.visitors_now)));
    let has_logo = Memo::new(move |_| found.with(|b| b.as_ref().is_some_and(|b| b.logo.is_some())));
    let organiser = saved::organiser_credential(&code).is_some();
    let editable = Memo::new(move |_| found.with(|b| b.as_ref().is_some_and(|b| b.editable)));
    let visitor = Memo::new(move |_| found.with(|b| b.as_ref().is_some_and(|b| !b.editable)));
    let staff = Memo::new(move |_| !organiser && editable.get());
    // Who hides chat messages: its staff, the organisers, the event's moderators.
    let moderate = Memo::new(move |_| {
        editable.get()
            || live.person().is_some_and(|p| {
                p.role == plenum_protocol::Role::Moderator && p.sessions.is_empty()
            })
    });
    let code = StoredValue::new(code);
    let reload = move || booths.refetch();
    view! {
        <div class="exhibition booth-page">
            <p class="crumbs"><Link to=hall>{move || t("exhibition")}</Link></p>
            {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            {move || match (ready.get(), stand.get()) {
                (false, _) => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
                (true, Some(booth)) => view! { <Stand booth code=code.get_value() reload organiser /> }.into_any(),
                (true, None) => view! { <h1>{move || t("booth-not-found")}</h1> }.into_any(),
            }}
            <Show when=move || visitor.get()>
                <Visiting code=code.get_value() booth=id.get_value() />
                <super::talk::TalkNow code=code.get_value() booth=id.get_value() staffed />
                <super::leads::BoothContactPanel code=code.get_value() booth=id.get_value() />
                <crate::features::meetings::MeetTheTeam code=code.get_value() booth=id.get_value() />
            </Show>
            <Show when=move || staff.get()>
                <super::talk::StaffDesk code=code.get_value() booth=id.get_value() />
                <crate::features::meetings::BoothMeetings code=code.get_value() booth=id.get_value() />
                <super::leads::BoothLeads code=code.get_value() booth=id.get_value() />
                <super::talk::BoothNumbers code=code.get_value() booth=id.get_value() visitors_now />
            </Show>
            <Show when=move || ready.get() && found.with(Option::is_some)>
                <super::chat::BoothChat code=code.get_value() booth=id.get_value() moderate />
            </Show>
            <Show when=move || editable.get()>
                {move || found.get_untracked().map(|b| view! {
                    <super::edit::EditBooth booth=b code=code.get_value() reload mine=!organiser has_logo />
                })}
            </Show>
        </div>
    }
}

/// How often a visitor's open page says so again (the server counts them a visitor now for
/// 150 s).
const VISIT_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Says the visitor is looking at the booth while its page is open, and that they left when
/// it closes: the booth's staff see how many, never who.
#[component]
fn Visiting(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let code = StoredValue::new(code);
    let booth = StoredValue::new(booth);
    let say = move |here: bool| {
        drop(live.request(plenum_protocol::ClientMsg::VisitBooth {
            event: code.get_value(),
            booth: booth.get_value(),
            here,
        }));
    };
    // Said once the connection is welcomed (the interval says it again, after a reconnection
    // too).
    Effect::new(move |_| {
        if live.person().is_some() {
            say(true);
        }
    });
    // A page in a background tab says nothing: its visitor stops counting as here.
    let handle = set_interval_with_handle(
        move || {
            if !document().hidden() {
                say(true);
            }
        },
        VISIT_EVERY,
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
        say(false);
    });
}

#[component]
fn Stand(
    booth: Booth,
    code: EventCode,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    /// The one looking is an organiser: they may take someone off the staff.
    organiser: bool,
) -> impl IntoView {
    let about = booth.about.clone();
    let logo = logo_src(booth.logo.as_deref());
    let description = localised(&about.description);
    let video = about.video.as_deref().and_then(player);
    let video_title = ta(
        "booth-video",
        &[("who", Arg::Str(about.organisation.clone()))],
    );
    let staff_code =
        crate::i18n::query_param(&window().location().search().unwrap_or_default(), "staff");
    let editable = booth.editable;
    let problem = RwSignal::new(None::<String>);
    let booth_id = StoredValue::new(booth.id.clone());
    let event = StoredValue::new(code.clone());
    let take_off = move |person: plenum_protocol::PersonId| {
        spawn_local(async move {
            match api::booths::leave_staff(&event.get_value(), &booth_id.get_value(), &person).await
            {
                Ok(_) => reload(),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <header class="booth-head">
            {logo.map(|src| view! { <img class="booth-logo" src=src alt="" /> })}
            <div>
                <h1>{about.organisation.clone()}</h1>
                {
                    let meta: Vec<String> = about.sector.iter().cloned()
                        .chain(about.country.iter().map(|c| crate::text::country_name(c)))
                        .collect();
                    (!meta.is_empty()).then(|| view! { <p class="meta">{meta.join(" · ")}</p> })
                }
            </div>
        </header>
        {description.map(|(words, lang)| view! { <p class="description" lang=lang>{words}</p> })}
        {(!about.tags.is_empty()).then(|| view! {
            <ul class="tags" aria-label=move || t("booth-tags")>{about.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
        })}
        {video.map(|src| view! {
            <div class="stream">
                <iframe
                    src=src
                    title=video_title
                    allow="fullscreen; picture-in-picture; encrypted-media"
                    allowfullscreen
                    referrerpolicy="strict-origin-when-cross-origin"
                ></iframe>
            </div>
        })}
        {(!about.offers.is_empty()).then(|| view! {
            <section aria-labelledby="offers-heading">
                <h2 id="offers-heading">{move || t("booth-offers")}</h2>
                <ul class="offers">
                    {about.offers.iter().map(|o| view! {
                        <li class="card"><strong>{o.title.clone()}</strong>{o.text.clone().map(|x| view! { <p>{x}</p> })}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!about.links.is_empty()).then(|| view! {
            <section aria-labelledby="links-heading">
                <h2 id="links-heading">{move || t("booth-links")}</h2>
                <ul class="materials">
                    {about.links.iter().filter_map(|l| {
                        let href = l.url.starts_with("https://").then(|| l.url.clone())?;
                        Some(view! { <li><a href=href rel="noopener noreferrer" target="_blank">{l.label.clone()}</a></li> })
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="staff-heading">
            <h2 id="staff-heading">{move || t("booth-staff")}</h2>
            {if booth.staff.is_empty() {
                view! { <p class="meta">{move || t("booth-no-staff")}</p> }.into_any()
            } else {
                view! {
                    <ul class="people-list">
                        {booth.staff.iter().map(|p| {
                            let who = match (&p.name, &p.organisation) {
                                (Some(n), Some(o)) => format!("{n} ({o})"),
                                (Some(n), None) => n.clone(),
                                _ => p.id.to_string(),
                            };
                            let person = p.id.clone();
                            let label = ta("booth-take-off-label", &[("who", Arg::Str(who.clone()))]);
                            view! {
                                <li>
                                    {who}
                                    {organiser.then(|| view! {
                                        " "
                                        <button type="button" aria-label=label on:click=move |_| take_off(person.clone())>{move || t("booth-take-off")}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {match (staff_code, editable) {
            (Some(staff), false) => Some(view! { <JoinStaff booth=booth.clone() code=code.clone() staff reload /> }.into_any()),
            _ => None,
        }}
        {problem_view(problem)}
    }
}

/// "Join the staff of …", for a signed-in person who opened the booth's staff link.
#[component]
fn JoinStaff(
    booth: Booth,
    code: EventCode,
    staff: String,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let speaker = announcer();
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let named = saved::name(&code).is_some();
    let id = StoredValue::new(booth.id.clone());
    let code = StoredValue::new(code);
    let staff = StoredValue::new(staff);
    let join = move |_| {
        busy.set(true);
        spawn_local(async move {
            match api::booths::join_staff(&code.get_value(), &id.get_value(), &staff.get_value())
                .await
            {
                Ok(_) => {
                    speaker.say(t("booth-joined"));
                    reload();
                }
                Err(e) => problem.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    let org = booth.about.organisation.clone();
    view! {
        <section class="panel" aria-labelledby="join-staff-heading">
            <h2 id="join-staff-heading">{move || ta("booth-join-heading", &[("who", Arg::Str(org.clone()))])}</h2>
            <p>{move || t("booth-join-text")}</p>
            {(!named).then(|| view! { <p class="hint">{move || t("booth-join-name")}</p> })}
            <button type="button" class="primary" on:click=join disabled=move || busy.get()>{move || t("booth-join")}</button>
            {problem_view(problem)}
        </section>
    }
}
