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

    let session_code = code.clone();
    let session_id = id.clone();
    let page = move || match info.get() {
        Some(Ok(event)) => session_view(session_code.clone(), &session_id, event, here).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
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
        <div class="session-live">
            <Interact code=code.clone() id=id.clone() state />
            <QaPanel code id state />
        </div>
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
        move || match &date {
            Some(date) => format!("{} · {start}–{end} ({zone})", crate::time::long_date(date)),
            None => format!("{start}–{end}"),
        }
    };
    let Session {
        title,
        kind,
        track,
        location,
        language,
        description,
        stream_url,
        materials,
        moderator,
        contributions,
        ..
    } = session;
    let spoken = language.clone();
    let meta = move || {
        [
            Some(text::kind_label(kind)),
            track.clone(),
            location.clone(),
            spoken
                .as_ref()
                .map(|l| ta("language-named", &[("language", Arg::Str(l.clone()))])),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    };

    let stage = Memo::new(move |_| here.with(|r| r.state.as_ref().and_then(session_stage)));
    let on_stage_number = Memo::new(move |_| match stage.get().map(|s| s.on_stage) {
        Some(OnStage::Contribution { number }) => Some(number),
        _ => None,
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
    let items = programme.with_value(|programme| {
        programme
            .iter()
            .map(|c| {
                let number = c.number;
                let is_on = move || on_stage_number.get() == Some(number);
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
                    </li>
                }
            })
            .collect_view()
    });
    let has_programme = programme.with_value(|p| !p.is_empty());
    let embed = stream_url.as_deref().and_then(text::embed_url);
    let stream = stream_url.as_deref().and_then(text::safe_href);
    let materials: Vec<(String, String)> = materials
        .into_iter()
        .filter_map(|m| text::safe_href(&m.url).map(|href| (m.title, href)))
        .collect();
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
                <h2 id="stage-heading">{move || t("on-stage")}</h2>
                <div class="stage-now" aria-live="polite" aria-atomic="true">
                    {stage_now}
                </div>
                {presence}
            </section>
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
                            <ul class="materials">
                                {materials
                                    .into_iter()
                                    .map(|(title, href)| {
                                        view! {
                                            <li>
                                                <a href=href target="_blank" rel="noopener noreferrer">
                                                    {title}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })}
        </article>
    }
    .into_any()
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
            let mut ids: Vec<u64> = s
                .as_ref()
                .map(|s| {
                    s.polls
                        .iter()
                        .filter(|p| p.status != PollStatus::Draft)
                        .map(|p| p.id)
                        .collect()
                })
                .unwrap_or_default();
            ids.reverse();
            ids.truncate(5);
            ids
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
    Effect::new(move |previous: Option<Option<u64>>| {
        let now = open_poll.get();
        // Not on the first run: a poll already open when the page loads is not news.
        if let (Some(before), Some((id, question))) = (previous, &now)
            && before != Some(*id)
        {
            announcer().say(ta(
                "poll-opened",
                &[("question", Arg::Str(question.clone()))],
            ));
        }
        now.map(|(id, _)| id)
    });
    let nothing = move || {
        polls.with(Vec::is_empty) && quizzes.with(Vec::is_empty) && awards.with(Vec::is_empty)
    };
    let (c1, i1, c2, i2, c3, i3) = (code.clone(), id.clone(), code.clone(), id.clone(), code, id);
    view! {
        <section class="interact panel" aria-labelledby="interact-heading">
            <h2 id="interact-heading">{move || t("take-part")}</h2>
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
                children=move |poll| view! { <PollCard poll code=c3.clone() id=i3.clone() state /> }
            />
        </section>
    }
}
