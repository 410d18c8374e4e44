//! A session as the audience sees it: the stage (status, what is on, who speaks), the stream,
//! the open poll, quiz question or award vote, Q&A, the programme and the materials. Links to
//! the consoles appear for the people whose role opens them.

use leptos::prelude::*;
use plenum_protocol::{EventCode, EventInfo, OnStage, Role, Session, SessionId};

use crate::components::{feedback::*, follow::*};
use crate::features::{
    awards::ballot::AwardCard,
    polls::ballot::PollCard,
    qa::audience::QaPanel,
    quizzes::card::QuizCard,
    stage::{session_stage, stage_view},
};
use crate::i18n::{Arg, t, ta};
use crate::live::Room;
use crate::pages::{EventData, agenda_unavailable};
use crate::route::{Link, Route};
use crate::text;
use plenum_protocol::{AwardStatus, PollStatus, QuizStatus, SessionState};

#[component]
pub fn SessionPage(code: EventCode, id: SessionId) -> impl IntoView {
    let EventData(info) = expect_context();
    let (live, state, here) = follow_session(&code, &id);
    let title = super::session_title(&id);
    super::page_title(move || title.get());

    // The session's header and stage first, then what to take part in and Q&A, then what the
    // session is about: on a phone the ask box and an open poll are a thumb away, not below
    // the programme.
    let session_code = code.clone();
    let session_id = id.clone();
    let page = move || match info.get() {
        Some(Ok(event)) => session_view(session_code.clone(), &session_id, event, here).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
    };
    let about_id = id.clone();
    let about = move || {
        info.get()
            .and_then(|r| r.ok())
            .map(|event| session_about(&about_id, event, here))
    };
    let consoles = {
        let (code, id) = (code.clone(), id.clone());
        move || {
            let person = live.person()?;
            let role = person.role;
            // Staff whose invitation names sessions get the consoles of those only.
            let here = covers(&person, &id);
            let moderate = matches!(role, Role::Moderator | Role::Organiser) && here;
            let speak = role != Role::Attendee && here;
            Some(view! {
                <nav class="consoles" aria-label=move || t("consoles")>
                    {moderate
                        .then(|| {
                            view! {
                                <Link to=Route::Moderate(code.clone(), id.clone())>
                                    {move || t("moderator-console")}
                                </Link>
                            }
                        })}
                    {speak
                        .then(|| {
                            view! {
                                <Link to=Route::Speak(code.clone(), id.clone())>
                                    {move || t("speaker-console")}
                                </Link>
                                <a href=Route::Screen(code.clone(), id.clone()).path() target="_blank">
                                    {move || t("big-screen")}
                                </a>
                            }
                        })}
                </nav>
            })
        }
    };
    view! {
        {consoles}
        {page}
        <JumpBar state />
        <crate::features::tables::TablesPanel code=code.clone() id=id.clone() state />
        <div class="session-live">
            <Interact code=code.clone() id=id.clone() state />
            <QaPanel code id state />
        </div>
        {about}
    }
}

/// A compact bar of the page's parts: the stage, what is open to take part in (with a badge
/// while something is open), Q&A, the tables when the session has them. Jumping moves the
/// focus too.
#[component]
fn JumpBar(state: Memo<Option<SessionState>>) -> impl IntoView {
    let open = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref().map_or(0, |s| {
                s.polls
                    .iter()
                    .filter(|p| p.status == PollStatus::Open)
                    .count()
                    + s.quizzes
                        .iter()
                        .filter(|q| q.status == QuizStatus::Asking)
                        .count()
                    + s.awards
                        .iter()
                        .filter(|a| a.status == AwardStatus::Open)
                        .count()
            })
        })
    });
    let jump = |target: &'static str| {
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            if let Some(el) = document().get_element_by_id(target) {
                el.scroll_into_view();
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
            }
        }
    };
    view! {
        <nav class="jump-bar" aria-label=move || t("on-this-page")>
            <a href="#stage-heading" on:click=jump("stage-heading")>{move || t("on-stage")}</a>
            <a href="#interact-heading" on:click=jump("interact-heading")>
                {move || t("take-part")}
                {move || (open.get() > 0).then(|| view! {
                    <span class="badge live">{crate::i18n::tc("open-now", open.get() as u64)}</span>
                })}
            </a>
            <a href="#qa-heading" on:click=jump("qa-heading")>{move || t("questions")}</a>
            <Show when=move || state.with(|s| s.as_ref().is_some_and(|s| s.tables.is_some()))>
                <a href="#tables-heading" on:click=jump("tables-heading")>{move || t("tables")}</a>
            </Show>
        </nav>
    }
}

fn session_view(code: EventCode, id: &SessionId, event: EventInfo, here: Memo<Room>) -> AnyView {
    let day = event.agenda.days.iter().find(|d| {
        event
            .agenda
            .sessions
            .iter()
            .any(|s| &s.id == id && s.day == d.number)
    });
    let date = day.map(|d| d.date.clone());
    let Some(session) = event.agenda.sessions.into_iter().find(|s| &s.id == id) else {
        let id = id.to_string();
        return view! {
            <h1>{move || t("no-such-session")}</h1>
            <p>
                {move || ta("no-such-session-text", &[("id", Arg::Str(id.clone()))])} " "
                <Link to=Route::Event(code)>{move || t("see-agenda")}</Link>
            </p>
        }
        .into_any();
    };
    let when = {
        let (start, end) = (session.start.clone(), session.end.clone());
        let zone = event.time_zone.clone();
        // The event's times, with the person's own beside them where their clock differs.
        move || match &date {
            Some(date) => format!(
                "{} · {}",
                crate::time::long_date(date),
                crate::time::span(date, &start, &end, &zone, &format!(" ({zone})"))
            ),
            None => format!("{start}–{end}"),
        }
    };
    let Session {
        title,
        kind,
        track,
        location,
        language,
        stream_url,
        contributions,
        attendance,
        ..
    } = session;
    let spoken = language.clone();
    let meta = move || {
        [
            Some(text::kind_label(kind)),
            Some(text::attendance_label(attendance)),
            track.clone(),
            location.clone(),
            spoken.as_ref().map(|l| {
                ta(
                    "language-named",
                    &[("language", Arg::Str(text::language_name(l)))],
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    };

    let stage = Memo::new(move |_| here.with(|r| r.state.as_ref().and_then(session_stage)));
    // A pitch on stage that names a booth or a person: "Request contact".
    let pitch = (kind == plenum_protocol::SessionKind::Pitch).then(|| {
        use plenum_protocol::{OnStage, StageStatus};
        // While the session is on (live or paused), not before or after.
        let on_stage = Memo::new(move |_| match stage.get().map(|s| (s.status, s.on_stage)) {
            Some((StageStatus::Live | StageStatus::Paused, OnStage::Contribution { number })) => {
                Some(number)
            }
            _ => None,
        });
        view! {
            <crate::features::exhibition::pitch::PitchContact
                code=code.clone()
                programme=contributions.clone()
                on_stage
            />
        }
    });
    let programme = StoredValue::new(contributions);

    let missing = Memo::new(move |_| here.with(|r| r.missing));
    let stage_now = move || match (missing.get(), stage.get()) {
        (true, _) => view! { <p class="stage-waiting">{t("no-live-stage")}</p> }.into_any(),
        (false, None) => view! { <p class="stage-waiting">{t("waiting-for-stage")}</p> }.into_any(),
        (false, Some(stage)) => programme
            .with_value(|programme| stage_view(stage, programme))
            .into_any(),
    };
    let presence = move || {
        here.with(|r| r.present).map(|count| {
            view! { <p class="presence">{crate::i18n::tc("here-now", count)}</p> }
        })
    };
    let embed = stream_url.as_deref().and_then(text::embed_url);
    let stream = stream_url.as_deref().and_then(text::safe_href);
    let stream_title = title.clone();

    view! {
        <nav class="crumbs" aria-label=move || t("back")>
            <Link to=Route::Event(code)>{move || t("back-to-agenda")}</Link>
        </nav>
        <article class="session-page">
            // Screen readers pronounce the title and description in the session's language.
            <h1 lang=language.clone()>{title}</h1>
            <p class="meta">{when}</p>
            <p class="meta">{meta}</p>
            <section class="stage" aria-labelledby="stage-heading">
                <h2 id="stage-heading" tabindex="-1">{move || t("on-stage")}</h2>
                <div class="stage-now" aria-live="polite" aria-atomic="true">
                    {stage_now}
                </div>
                {presence}
            </section>
            {pitch}
            {embed
                .map(|src| {
                    view! {
                        <div class="stream">
                            <iframe
                                src=src
                                title=move || {
                                    ta("stream-of", &[("title", Arg::Str(stream_title.clone()))])
                                }
                                allow="autoplay; fullscreen; picture-in-picture"
                                allowfullscreen
                                referrerpolicy="strict-origin-when-cross-origin"
                            ></iframe>
                        </div>
                    }
                })}
            {stream
                .map(|href| {
                    view! {
                        <p>
                            <a class="button" href=href target="_blank" rel="noopener noreferrer">
                                {move || t("watch-stream")}
                            </a>
                        </p>
                    }
                })}
        </article>
    }
    .into_any()
}

/// What the session is about: its description, moderator, programme (the talk on stage
/// marked) and materials, below the live part of the page.
fn session_about(id: &SessionId, event: EventInfo, here: Memo<Room>) -> Option<AnyView> {
    let session = event.agenda.sessions.into_iter().find(|s| &s.id == id)?;
    let Session {
        language,
        description,
        moderator,
        materials,
        contributions,
        ..
    } = session;
    let stage = Memo::new(move |_| here.with(|r| r.state.as_ref().and_then(session_stage)));
    let on_stage_number = Memo::new(move |_| match stage.get().map(|s| s.on_stage) {
        Some(OnStage::Contribution { number }) => Some(number),
        _ => None,
    });
    let items = contributions
        .iter()
        .map(|c| {
            let number = c.number;
            let is_on = move || on_stage_number.get() == Some(number);
            let talk_materials: Vec<(String, String)> = c
                .materials
                .iter()
                .filter_map(|m| text::safe_href(&m.url).map(|href| (m.title.clone(), href)))
                .collect();
            view! {
                <li
                    class="contribution"
                    class:on-stage=is_on
                    aria-current=move || is_on().then_some("true")
                    value=number.to_string()
                >
                    <p class="contribution-title">{format!("{number}. {}", c.title)}</p>
                    {(!c.speakers.is_empty())
                        .then(|| {
                            view! {
                                <ul class="speakers">
                                    {c
                                        .speakers
                                        .iter()
                                        .map(|p| view! { <li>{text::person(p)}</li> })
                                        .collect_view()}
                                </ul>
                            }
                        })}
                    {(!talk_materials.is_empty())
                        .then(|| material_links(talk_materials, "materials talk-materials"))}
                </li>
            }
        })
        .collect_view();
    let has_programme = !contributions.is_empty();
    let materials: Vec<(String, String)> = materials
        .into_iter()
        .filter_map(|m| text::safe_href(&m.url).map(|href| (m.title, href)))
        .collect();
    Some(
        view! {
            <div class="session-about">
            {description.map(|d| view! { <p class="description" lang=language>{d}</p> })}
            {moderator
                .map(|m| {
                    view! {
                        <p class="people">
                            {move || {
                                ta("moderator-named", &[("name", Arg::Str(text::person(&m)))])
                            }}
                        </p>
                    }
                })}
            {has_programme
                .then(|| {
                    view! {
                        <section aria-labelledby="programme-heading">
                            <h2 id="programme-heading">{move || t("programme")}</h2>
                            <ol class="contributions">{items}</ol>
                        </section>
                    }
                })}
            {(!materials.is_empty())
                .then(|| {
                    view! {
                        <section aria-labelledby="materials-heading">
                            <h2 id="materials-heading">{move || t("materials")}</h2>
                            {material_links(materials, "materials")}
                        </section>
                    }
                })}
            </div>
        }
        .into_any(),
    )
}

#[component]
pub fn Interact(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    // Polls, quizzes and awards that are not drafts, newest first: drafts never reach the
    // audience, but a speaker looking at this page sees theirs, which are not for voting yet.
    let polls = Memo::new(move |_| {
        state.with(|s| {
            // Open ones first, then closed ones; newest first in each.
            let mut polls: Vec<(bool, u64)> = s
                .as_ref()
                .map(|s| {
                    s.polls
                        .iter()
                        .filter(|p| p.status != PollStatus::Draft)
                        .map(|p| (p.status == PollStatus::Closed, p.id))
                        .collect()
                })
                .unwrap_or_default();
            polls.sort_by_key(|(closed, id)| (*closed, std::cmp::Reverse(*id)));
            polls.truncate(5);
            polls.into_iter().map(|(_, id)| id).collect::<Vec<u64>>()
        })
    });
    let quizzes = super::ids_of(state, |s| {
        s.quizzes
            .iter()
            .filter(|q| q.status != QuizStatus::Draft)
            .map(|q| q.id)
            .collect()
    });
    let awards = super::ids_of(state, |s| {
        s.awards
            .iter()
            .filter(|a| a.status != AwardStatus::Draft)
            .map(|a| a.id)
            .collect()
    });
    // A poll or quiz question opening is announced.
    let open_poll = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref().and_then(|s| {
                s.polls
                    .iter()
                    .rev()
                    .find(|p| p.status == PollStatus::Open)
                    .map(|p| (p.id, p.question.clone()))
            })
        })
    });
    let loaded = Memo::new(move |_| state.with(Option::is_some));
    Effect::new(move |previous: Option<(bool, Option<u64>)>| {
        let now = open_poll.get();
        let loaded = loaded.get();
        // Only once the room was there before: a poll already open when the page loads (or
        // when its state first arrives) is not news.
        if let (Some((true, before)), Some((id, question))) = (previous, &now)
            && before != Some(*id)
        {
            announcer().say(ta(
                "poll-opened",
                &[("question", Arg::Str(question.clone()))],
            ));
        }
        (loaded, now.map(|(id, _)| id))
    });
    let nothing = move || {
        polls.with(Vec::is_empty) && quizzes.with(Vec::is_empty) && awards.with(Vec::is_empty)
    };
    let (c1, i1, c2, i2, c3, i3) = (code.clone(), id.clone(), code.clone(), id.clone(), code, id);
    view! {
        <section class="interact panel" aria-labelledby="interact-heading">
            <h2 id="interact-heading" tabindex="-1">{move || t("take-part")}</h2>
            <Show when=nothing>
                <p class="empty">{move || t("nothing-open")}</p>
            </Show>
            <For
                each=move || quizzes.get()
                key=|q| *q
                children=move |quiz| view! { <QuizCard quiz code=c1.clone() id=i1.clone() state /> }
            />
            <For
                each=move || awards.get()
                key=|a| *a
                children=move |award| view! { <AwardCard award code=c2.clone() id=i2.clone() state /> }
            />
            <For
                each=move || polls.get()
                key=|p| *p
                children=move |poll| {
                    // A closed poll folds away to its question; its results are a click away.
                    let closed = Memo::new(move |_| {
                        state.with(|s| {
                            s.as_ref()
                                .and_then(|s| s.poll(poll))
                                .map(|p| (p.status == PollStatus::Closed).then(|| p.question.clone()))
                        })
                    });
                    let (code, id) = (c3.clone(), i3.clone());
                    move || match closed.get().flatten() {
                        Some(question) => view! {
                            <details class="closed-poll">
                                <summary>{question} " · " {t("poll-closed")}</summary>
                                <PollCard poll code=code.clone() id=id.clone() state />
                            </details>
                        }
                        .into_any(),
                        None => view! { <PollCard poll code=code.clone() id=id.clone() state /> }.into_any(),
                    }
                }
            />
        </section>
    }
}

/// Materials as links (only `http(s)` ones reach here), opened in a new tab.
fn material_links(items: Vec<(String, String)>, class: &'static str) -> impl IntoView {
    view! {
        <ul class=class>
            {items
                .into_iter()
                .map(|(title, href)| {
                    view! {
                        <li>
                            <a href=href target="_blank" rel="noopener noreferrer">{title}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
