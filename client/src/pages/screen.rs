//! The big screen in the room: large type, high contrast, nothing to click. It shows the join
//! code with its QR code, and what the session room says it shows (`screen`): a poll's
//! results, a quiz question with its countdown (or the leaderboard), an award's staged reveal,
//! a highlighted question, or the stage. Opening, asking and revealing move it; staff present
//! and clear it from their consoles.

use leptos::prelude::*;
use plenum_protocol::{
    EventCode, OnStage, QuizStatus, RoomId, RoomState, ScreenShows, SessionId, SessionState,
    StageStatus,
};

use crate::components::qr::Qr;
use crate::components::{clock::*, follow::*};
use crate::features::{
    awards::screen::award_view,
    polls::screen::poll_view,
    qa::screen::question_view,
    quizzes::screen::{leaderboard_view, quiz_view},
};
use crate::i18n::{LanguageSwitch, t, tc};
use crate::pages::EventData;
use crate::route::Route;
use crate::text;

#[component]
pub fn ScreenPage(code: EventCode, id: SessionId) -> impl IntoView {
    let (live, state, here) = follow_session(&code, &id);
    let EventData(info) = expect_context();
    let title = super::session_title(&id);
    super::page_title(move || title.get());
    let event_title = move || {
        info.get()
            .and_then(|r| r.ok())
            .map(|e| e.title)
            .unwrap_or_default()
    };
    // The configured public address, not whatever the projector's laptop used.
    let origin = crate::route::public_origin();
    let host = origin
        .split_once("://")
        .map_or(origin.as_str(), |(_, host)| host)
        .to_owned();
    let join_url = format!("{origin}{}", Route::Event(code.clone()).path());
    // A pitch's "Request contact" is on the session's page.
    let pitch_url = format!(
        "{origin}{}#pitch-contact",
        Route::Session(code.clone(), id.clone()).path()
    );
    let join_text = format!("{host}{}", Route::Event(code.clone()).path());
    let contributions = {
        let id = id.clone();
        Memo::new(move |_| {
            info.get()
                .and_then(|r| r.ok())
                .and_then(|e| e.agenda.sessions.into_iter().find(|s| s.id == id))
                .map(|s| s.contributions)
                .unwrap_or_default()
        })
    };
    let quiz_ends = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref()
                .and_then(|s| s.quizzes.iter().find(|q| q.status == QuizStatus::Asking))
                .and_then(|q| q.current.as_ref())
                .map(|c| c.started_at_ms + i64::from(c.seconds) * 1000)
        })
    });
    let left = countdown(move || quiz_ends.get());
    let round_ends = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref()
                .and_then(|s| s.tables.as_ref())
                .and_then(|t| t.round.as_ref())
                .map(|r| r.ends_ms)
        })
    });
    let round_left = countdown(move || round_ends.get());
    // Every table's harvest, the ones a snapshot left out too.
    let _ = crate::features::tables::harvest::harvests(code.clone(), id.clone(), state);
    // What the room says the screen shows: every screen of the session shows the same.
    let focus = move || {
        let s: SessionState = state.get()?;
        Some(focus_view(
            &s,
            contributions.get(),
            left,
            round_left,
            &pitch_url,
        ))
    };
    view! {
        <div class="big-screen" data-connection=move || format!("{:?}", live.connection())>
            <header class="screen-top">
                <div class="screen-titles">
                    <p class="screen-event">{event_title}</p>
                    <h1 class="screen-session">{move || title.get()}</h1>
                </div>
                <div class="screen-join">
                    <Qr text=join_url />
                    <p class="join-words">
                        <span class="join-label">{move || t("join-at")}</span>
                        <span class="join-url">{join_text}</span>
                        <span class="join-label">{move || t("with-code")}</span>
                        <span class="join-code" id="screen-code">{code.to_string()}</span>
                    </p>
                </div>
            </header>
            <div class="screen-focus" aria-live="polite" id="screen-focus">
                {focus}
            </div>
            <footer class="screen-bottom">
                {move || here.with(|r| r.present).map(|n| view! { <span class="presence">{tc("here-now", n)}</span> })}
                <LanguageSwitch />
                <super::ConnectionStatus live />
            </footer>
        </div>
    }
}

fn focus_view(
    s: &SessionState,
    contributions: Vec<plenum_protocol::Contribution>,
    left: Signal<Option<i64>>,
    round_left: Signal<Option<i64>>,
    pitch_url: &str,
) -> AnyView {
    let shown = match s.screen {
        // A session with tables shows them: the round's countdown, then every harvest.
        ScreenShows::Stage => s.tables.as_ref().map(|set| tables_view(s, set, round_left)),
        ScreenShows::Poll { id } => s.poll(id).map(poll_view),
        ScreenShows::Quiz { id } => s.quiz(id).and_then(|q| {
            quiz_view(q, left)
                .or_else(|| (q.status == QuizStatus::Finished).then(|| leaderboard_view(q)))
        }),
        ScreenShows::Award { id } => s.award(id).map(award_view),
        ScreenShows::Question { id } => s.qa.get(id).map(question_view),
    };
    shown.unwrap_or_else(|| stage_view(s, contributions, pitch_url))
}

/// A world café on the big screen: the round and its countdown, and every table's harvest.
fn tables_view(
    s: &SessionState,
    set: &plenum_protocol::TableSet,
    round_left: Signal<Option<i64>>,
) -> AnyView {
    use crate::features::tables::{minutes, table_line};
    use crate::i18n::{Arg, ta};
    let round = set.round.clone();
    let harvests: Vec<_> =
        s.harvests
            .iter()
            .filter(|h| !h.points.is_empty())
            .map(|h| {
                let title = set.table(h.table).map(table_line).unwrap_or_else(|| {
                    ta("table-number", &[("number", Arg::Num(f64::from(h.table)))])
                });
                (title, h.points.clone())
            })
            .collect();
    view! {
        <section class="screen-tables" data-focus="tables">
            {match round {
                Some(r) => view! {
                    <p class="screen-kicker">{tc("round-number", u64::from(r.number))}</p>
                    <p class="screen-countdown" role="timer">
                        {move || round_left.get().map(|s| ta("time-left", &[("time", Arg::Str(minutes(s)))]))}
                    </p>
                }.into_any(),
                None => view! { <p class="screen-kicker">{t("screen-between-rounds")}</p> }.into_any(),
            }}
            {(!harvests.is_empty()).then(|| view! {
                <h2 class="screen-harvest-title">{t("harvests")}</h2>
                <div class="screen-harvests">
                    {harvests.into_iter().map(|(title, points)| view! {
                        <article class="table-harvest">
                            <h3>{title}</h3>
                            <ol>{points.into_iter().map(|p| view! { <li>{p.text}</li> }).collect_view()}</ol>
                        </article>
                    }).collect_view()}
                </div>
            })}
        </section>
    }
    .into_any()
}

/// The stage: its status and what is on; for a pitch that names a booth or a person, a QR code
/// of the session page's "Request contact" (`pitch_url`).
fn stage_view(
    s: &SessionState,
    contributions: Vec<plenum_protocol::Contribution>,
    pitch_url: &str,
) -> AnyView {
    let on = matches!(
        s.stage.status,
        plenum_protocol::StageStatus::Live | plenum_protocol::StageStatus::Paused
    );
    let pitch = match &s.stage.on_stage {
        OnStage::Contribution { number } if on => contributions
            .iter()
            .find(|c| c.number == *number && (c.booth.is_some() || c.contact.is_some())),
        _ => None,
    };
    let request = pitch.map(|c| {
        let label = crate::i18n::ta(
            "pitch-contact-qr",
            &[("title", crate::i18n::Arg::Str(c.title.clone()))],
        );
        let text = pitch_url.to_owned();
        view! {
            <div class="screen-pitch">
                <Qr text label=label.clone() />
                <p class="screen-meta">{label}</p>
            </div>
        }
    });
    let on_stage = match &s.stage.on_stage {
        OnStage::Nothing => None,
        OnStage::Contribution { number } => contributions
            .iter()
            .find(|c| c.number == *number)
            .map(|c| (c.title.clone(), text::names(&c.speakers))),
        OnStage::Text { text } => Some((text.clone(), String::new())),
    };
    let status = s.stage.status;
    view! {
        <section class="screen-stage" data-focus="stage">
            <p class="screen-kicker">{text::status_label(status)}</p>
            {on_stage.map(|(title, people)| view! {
                <h2 class="screen-question">{title}</h2>
                <p class="screen-meta">{people}</p>
            })}
            {request}
        </section>
    }
    .into_any()
}

/// `/e/{CODE}/screen[?track=…]`: the big screen of a room or track, following whichever of
/// its sessions is live (then one paused, then the next still scheduled).
#[component]
pub fn TrackScreenPage(code: EventCode) -> impl IntoView {
    let live = expect_context::<crate::live::Live>();
    let EventData(info) = expect_context();
    let track =
        crate::i18n::query_param(&window().location().search().unwrap_or_default(), "track");
    let event_room = RoomId::Event(code.clone());
    // Whether a session has ended by the clock (checked each minute).
    let now = crate::components::clock::ticking_now(std::time::Duration::from_secs(60));
    let chosen = Memo::new(move |_| {
        let statuses = match live.room(&event_room).state {
            Some(RoomState::Event(e)) => e.statuses,
            _ => Default::default(),
        };
        let event = info.get().and_then(|r| r.ok())?;
        let now = now.get();
        let ended = |s: &plenum_protocol::Session| {
            event
                .agenda
                .days
                .iter()
                .find(|d| d.number == s.day)
                .and_then(|d| crate::time::instant(&d.date, &s.end, &event.time_zone))
                .is_some_and(|end| end <= now)
        };
        pick(&event.agenda, &statuses, track.as_deref(), ended)
    });
    move || match chosen.get() {
        Some(id) => view! { <ScreenPage code=code.clone() id /> }.into_any(),
        None => view! {
            <div class="big-screen">
                <p class="screen-kicker" id="screen-nothing">{t("no-session-for-screen")}</p>
            </div>
        }
        .into_any(),
    }
}

/// The session a track's screen shows: live, else paused, else the first still scheduled that
/// has not `ended` by the clock (else the first still scheduled), in the order of day and start.
/// `track` as the agenda names it, in any case.
fn pick(
    agenda: &plenum_protocol::Agenda,
    statuses: &std::collections::BTreeMap<SessionId, StageStatus>,
    track: Option<&str>,
    ended: impl Fn(&plenum_protocol::Session) -> bool,
) -> Option<SessionId> {
    let mut candidates: Vec<&plenum_protocol::Session> = agenda
        .sessions
        .iter()
        .filter(|s| {
            track.is_none_or(|t| {
                s.track
                    .as_deref()
                    .is_some_and(|st| st.trim().to_lowercase() == t.trim().to_lowercase())
            })
        })
        .collect();
    candidates.sort_by(|a, b| (a.day, &a.start).cmp(&(b.day, &b.start)));
    let status = |s: &&plenum_protocol::Session| statuses.get(&s.id).copied().unwrap_or_default();
    let scheduled = |s: &&&plenum_protocol::Session| status(s) == StageStatus::Scheduled;
    candidates
        .iter()
        .find(|s| status(s) == StageStatus::Live)
        .or_else(|| candidates.iter().find(|s| status(s) == StageStatus::Paused))
        .or_else(|| candidates.iter().filter(scheduled).find(|s| !ended(s)))
        .or_else(|| candidates.iter().find(scheduled))
        .map(|s| s.id.clone())
}

#[cfg(test)]
mod tests {
    use super::pick;
    use plenum_protocol::{Agenda, SessionId, StageStatus};
    use std::collections::BTreeMap;

    fn agenda() -> Agenda {
        serde_json::from_value(serde_json::json!({
            "days": [{"number": 1, "date": "2026-03-10"}],
            "sessions": [
                {"id": "a2", "title": "A2", "kind": "breakout", "day": 1, "start": "11:00", "end": "12:00", "track": "Room A"},
                {"id": "a1", "title": "A1", "kind": "breakout", "day": 1, "start": "09:00", "end": "10:00", "track": "Room A"},
                {"id": "b1", "title": "B1", "kind": "breakout", "day": 1, "start": "09:00", "end": "10:00", "track": "Room B"}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn a_track_screen_follows_its_live_session() {
        let agenda = agenda();
        let id = |s: &str| SessionId::parse(s).unwrap();
        let mut statuses = BTreeMap::new();
        let never = |_: &plenum_protocol::Session| false;
        // A1 is over by the clock though nobody ended it: the screen moves on to A2.
        let a1_over = |s: &plenum_protocol::Session| s.id.as_str() == "a1";
        assert_eq!(
            pick(&agenda, &statuses, Some("Room A"), a1_over),
            Some(id("a2"))
        );
        // Nothing live: the first still scheduled, by time, of that track.
        assert_eq!(
            pick(&agenda, &statuses, Some("room a"), never),
            Some(id("a1"))
        );
        assert_eq!(
            pick(&agenda, &statuses, Some("Room B"), never),
            Some(id("b1"))
        );
        assert_eq!(pick(&agenda, &statuses, Some("Room C"), never), None);
        // The organiser puts A2 live (early or late): the screen follows the organiser.
        statuses.insert(id("a2"), StageStatus::Live);
        assert_eq!(
            pick(&agenda, &statuses, Some("Room A"), never),
            Some(id("a2"))
        );
        // A1 ended, A2 paused: still A2; all ended: nothing.
        statuses.insert(id("a1"), StageStatus::Ended);
        statuses.insert(id("a2"), StageStatus::Paused);
        assert_eq!(
            pick(&agenda, &statuses, Some("Room A"), never),
            Some(id("a2"))
        );
        statuses.insert(id("a2"), StageStatus::Ended);
        assert_eq!(pick(&agenda, &statuses, Some("Room A"), never), None);
        // Without a track, any session of the event.
        assert_eq!(pick(&agenda, &statuses, None, never), Some(id("b1")));
        // Tracks are matched in any case, beyond ASCII too.
        let mut agenda = agenda;
        agenda.sessions[2].track = Some("Sal Å".into());
        statuses.remove(&id("b1"));
        assert_eq!(
            pick(&agenda, &statuses, Some("sal å"), never),
            Some(id("b1"))
        );
    }
}
