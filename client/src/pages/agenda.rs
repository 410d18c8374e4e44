//! The agenda: the event, "live now" and "next", then each day's time slots with parallel
//! sessions side by side. Times are the event's, with the person's own beside them when their
//! time zone differs. A star puts a session in the personal agenda, which downloads as .ics.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use plenum_protocol::{
    AgendaPerson, Day, EventCode, EventInfo, RoomId, RoomState, Session, SessionId, StageStatus,
};

use crate::api::saved;
use crate::components::files::save_file;
use crate::i18n::{Arg, t, ta, tc};
use crate::pages::{EventData, agenda_unavailable};
use crate::route::{Link, Route};
use crate::{text, time};

#[component]
pub fn AgendaPage(code: EventCode) -> impl IntoView {
    let EventData(info) = expect_context();
    super::page_title(move || {
        info.get()
            .and_then(|r| r.ok())
            .map(|e| e.title)
            .unwrap_or_else(|| t("agenda"))
    });
    // Stars are the server's, on every device; this browser keeps a copy for when it is
    // offline or nobody joined yet.
    let stars = RwSignal::new(saved::stars(&code).into_iter().collect::<BTreeSet<_>>());
    {
        let live: crate::live::Live = expect_context();
        let inbox = crate::features::inbox::inbox(live, code.clone());
        // Where the person sits at a world café while its round runs, for the session's card.
        provide_context(MySeats(Memo::new(move |_| {
            inbox.with(|i| i.as_ref().map(|i| i.seats.clone()).unwrap_or_default())
        })));
        let code = code.clone();
        // Once per browser and event: the stars it had before they moved to the server go up
        // (at most 30: a person's allowance at once), unless the server has some already.
        Effect::new(move || {
            let Some(server) = inbox.with(|i| i.as_ref().map(|i| i.stars.clone())) else {
                return;
            };
            let server: BTreeSet<String> = server.iter().map(|s| s.to_string()).collect();
            if !saved::stars_moved(&code) {
                // Done once the server has some (or there were none to send); until then each
                // visit sends them again (at most 30: a person's allowance at once).
                let local = stars.get_untracked();
                if !server.is_empty() || local.is_empty() {
                    saved::mark_stars_moved(&code);
                } else {
                    for id in local.into_iter().take(30) {
                        if let Ok(session) = plenum_protocol::SessionId::parse(&id) {
                            let msg = plenum_protocol::ClientMsg::Star {
                                event: code.clone(),
                                session,
                                starred: true,
                            };
                            drop(live.request(msg));
                        }
                    }
                    return;
                }
            }
            saved::keep_stars(&code, &server.iter().cloned().collect::<Vec<_>>());
            stars.set(server);
        });
    }
    let mine_only = RwSignal::new(false);
    // "Next" moves with the clock; "live now" follows the stage status the organisers set.
    let now = super::ticking_now(std::time::Duration::from_secs(30));
    let live: crate::live::Live = expect_context();
    let room = RoomId::Event(code.clone());
    let statuses = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(e)) => e.statuses,
        _ => Default::default(),
    });
    move || match info.get() {
        Some(Ok(event)) => agenda(code.clone(), event, stars, mine_only, now, statuses).into_any(),
        Some(Err(failure)) => agenda_unavailable(info, Some(failure)),
        None => agenda_unavailable(info, None),
    }
}

/// The person's profile, to see and edit, once their inbox has it (people of this event: the
/// organiser key's holder has none).
fn profile_editor(code: EventCode, languages: Vec<String>) -> impl IntoView {
    let live: crate::live::Live = expect_context();
    let inbox = crate::features::inbox::inbox(live, code.clone());
    let kept = Signal::derive(move || {
        inbox.with(|i| i.as_ref().map(|i| i.profile.clone()).unwrap_or_default())
    });
    move || {
        inbox.with(Option::is_some).then(|| {
            view! { <crate::features::people::ProfileEditor live code=code.clone() kept languages=languages.clone() /> }
        })
    }
}

/// The person's seats at the event's world cafés (their inbox's), for the agenda's cards.
#[derive(Clone, Copy)]
struct MySeats(Memo<Vec<plenum_protocol::Seat>>);

/// A session with its instants (when its date and times parse).
#[derive(Clone)]
struct Slotted {
    session: Session,
    start_ms: Option<i64>,
    end_ms: Option<i64>,
}

fn agenda(
    code: EventCode,
    event: EventInfo,
    stars: RwSignal<BTreeSet<String>>,
    mine_only: RwSignal<bool>,
    now: RwSignal<i64>,
    statuses: Memo<BTreeMap<SessionId, StageStatus>>,
) -> impl IntoView {
    let EventInfo {
        title,
        venue,
        description,
        agenda,
        time_zone,
        languages,
        ..
    } = event;
    let mut days = agenda.days;
    days.sort_by_key(|d| d.number);
    let date_of = |day: u32| {
        days.iter()
            .find(|d| d.number == day)
            .map(|d| d.date.clone())
    };
    let mut sessions: Vec<Slotted> = agenda
        .sessions
        .into_iter()
        .map(|session| {
            let date = date_of(session.day);
            let at = |hm: &str| {
                date.as_deref()
                    .and_then(|d| time::instant(d, hm, &time_zone))
            };
            Slotted {
                start_ms: at(&session.start),
                end_ms: at(&session.end),
                session,
            }
        })
        .collect();
    sessions.sort_by(|a, b| {
        (
            a.session.day,
            &a.session.start,
            &a.session.end,
            &a.session.track,
        )
            .cmp(&(
                b.session.day,
                &b.session.start,
                &b.session.end,
                &b.session.track,
            ))
    });
    let sessions = StoredValue::new(sessions);
    let zone = StoredValue::new(time_zone.clone());
    let viewer_zone = time::viewer_zone();
    let same_zone = viewer_zone == time_zone;
    let cal_title = title.clone();

    // Live now: the sessions the organisers put live (or paused), whatever the clock says.
    // Next: among those still scheduled and not over by the clock, the earliest to start.
    let live_now = Memo::new(move |_| {
        statuses.with(|st| {
            sessions.with_value(|all| {
                all.iter()
                    .filter(|s| {
                        matches!(
                            st.get(&s.session.id),
                            Some(StageStatus::Live | StageStatus::Paused)
                        )
                    })
                    .map(|s| s.session.id.to_string())
                    .collect::<Vec<_>>()
            })
        })
    });
    let next = Memo::new(move |_| {
        let now = now.get();
        statuses.with(|st| {
            sessions.with_value(|all| {
                let waiting = |s: &&Slotted| {
                    !st.contains_key(&s.session.id) && s.end_ms.is_some_and(|b| now < b)
                };
                let first = all.iter().filter(waiting).filter_map(|s| s.start_ms).min();
                all.iter()
                    .filter(waiting)
                    .filter(|s| first.is_some() && s.start_ms == first)
                    .map(|s| s.session.id.to_string())
                    .collect::<Vec<_>>()
            })
        })
    });
    let highlights = {
        let code = code.clone();
        move || {
            let live = live_now.get();
            let next = next.get();
            let pick = |ids: &[String]| {
                sessions.with_value(|all| {
                    all.iter()
                        .filter(|s| ids.contains(&s.session.id.to_string()))
                        .map(|s| {
                            let title = s.session.title.clone();
                            let times = session_times(s, &zone.get_value(), same_zone);
                            view! {
                                <li>
                                    <Link to=Route::Session(code.clone(), s.session.id.clone())>
                                        {title}
                                    </Link>
                                    " "
                                    <span class="meta">
                                        {times}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                })
            };
            (!live.is_empty() || !next.is_empty()).then(|| {
                view! {
                    <section class="highlights" aria-labelledby="now-heading">
                        <h2 id="now-heading" class="visually-hidden">
                            {t("now-and-next")}
                        </h2>
                        {(!live.is_empty())
                            .then(|| {
                                view! {
                                    <div class="live-now">
                                        <h3>{t("live-now")}</h3>
                                        <ul>{pick(&live)}</ul>
                                    </div>
                                }
                            })}
                        {(!next.is_empty())
                            .then(|| {
                                view! {
                                    <div class="next-up">
                                        <h3>{t("next")}</h3>
                                        <ul>{pick(&next)}</ul>
                                    </div>
                                }
                            })}
                    </section>
                }
            })
        }
    };

    let code_for_days = code.clone();
    let days_view = move || {
        let filter_mine = mine_only.get();
        // The whole list depends on the stars only when it shows just the starred ones; else a
        // star changes its own button in place (and keeps its focus).
        let starred = if filter_mine {
            stars.get()
        } else {
            stars.get_untracked()
        };
        let visible: Vec<Slotted> = sessions.with_value(|all| {
            all.iter()
                .filter(|s| !filter_mine || starred.contains(s.session.id.as_str()))
                .cloned()
                .collect()
        });
        if visible.is_empty() {
            return view! {
                <p class="empty">
                    {if filter_mine { t("my-agenda-empty") } else { t("agenda-empty") }}
                </p>
            }
            .into_any();
        }
        let mut sections = Vec::new();
        let mut listed: Vec<Option<Day>> = days.iter().cloned().map(Some).collect();
        if visible
            .iter()
            .any(|s| !days.iter().any(|d| d.number == s.session.day))
        {
            listed.push(None);
        }
        for day in listed {
            let of_day: Vec<Slotted> = visible
                .iter()
                .filter(|s| match &day {
                    Some(d) => s.session.day == d.number,
                    None => !days.iter().any(|d| d.number == s.session.day),
                })
                .cloned()
                .collect();
            if !of_day.is_empty() {
                sections.push(day_section(
                    code_for_days.clone(),
                    day,
                    of_day,
                    stars,
                    zone.get_value(),
                    same_zone,
                    statuses,
                ));
            }
        }
        sections.collect_view().into_any()
    };

    let download = {
        let code = code.clone();
        move |_| {
            let starred = stars.get_untracked();
            let origin = crate::route::public_origin();
            let entries: Vec<time::CalendarEntry> = sessions.with_value(|all| {
                all.iter()
                    .filter(|s| starred.contains(s.session.id.as_str()))
                    .filter_map(|s| {
                        Some(time::CalendarEntry {
                            uid: format!("{}@{}.plenum", s.session.id, code),
                            title: s.session.title.clone(),
                            start_ms: s.start_ms?,
                            end_ms: s.end_ms?,
                            location: s.session.location.clone(),
                            url: format!(
                                "{origin}{}",
                                Route::Session(code.clone(), s.session.id.clone()).path()
                            ),
                            description: s.session.description.clone(),
                        })
                    })
                    .collect()
            });
            let calendar = time::ics(&cal_title, &entries, time::now_ms());
            save_file(&format!("{code}-my-agenda.ics"), "text/calendar", &calendar);
        }
    };
    let star_count = move || stars.with(|s| s.len() as u64);
    let zone_note = {
        let time_zone = time_zone.clone();
        move || {
            // The zone's name when the event happens (summer time or not), not today's.
            let at = sessions
                .with_value(|all| all.iter().find_map(|s| s.start_ms))
                .unwrap_or_else(|| now.get());
            let name = time::zone_name(&time_zone, at);
            if same_zone {
                ta(
                    "times-in-zone",
                    &[("zone", Arg::Str(format!("{time_zone} ({name})")))],
                )
            } else {
                ta(
                    "times-in-zone-yours",
                    &[
                        ("zone", Arg::Str(format!("{time_zone} ({name})"))),
                        ("yours", Arg::Str(viewer_zone.clone())),
                    ],
                )
            }
        }
    };

    view! {
        <div class="agenda">
            <h1>{title}</h1>
            {venue.map(|venue| view! { <p class="venue">{venue}</p> })}
            {description.map(|text| view! { <p class="description">{text}</p> })}
            <p class="hint zone-note">{zone_note}</p>
            {profile_editor(code.clone(), languages)}
            {highlights}
            <div class="agenda-tools" role="group" aria-label=move || t("agenda-view")>
                <button
                    type="button"
                    aria-pressed=move || if mine_only.get() { "false" } else { "true" }
                    on:click=move |_| mine_only.set(false)
                >
                    {move || t("whole-programme")}
                </button>
                <button
                    type="button"
                    id="my-agenda"
                    aria-pressed=move || if mine_only.get() { "true" } else { "false" }
                    on:click=move |_| mine_only.set(true)
                >
                    {move || tc("my-agenda-count", star_count())}
                </button>
                <button
                    type="button"
                    id="download-ics"
                    class="secondary"
                    disabled=move || star_count() == 0
                    on:click=download
                >
                    {move || t("download-ics")}
                </button>
            </div>
            {days_view}
        </div>
    }
}

fn day_section(
    code: EventCode,
    day: Option<Day>,
    sessions: Vec<Slotted>,
    stars: RwSignal<BTreeSet<String>>,
    zone: String,
    same_zone: bool,
    statuses: Memo<BTreeMap<SessionId, StageStatus>>,
) -> AnyView {
    let heading_id = format!("day-{}", day.as_ref().map_or(0, |d| d.number));
    let labelled_by = heading_id.clone();
    let heading = {
        let day = day.clone();
        move || match &day {
            Some(day) => ta(
                "day-heading",
                &[
                    ("number", Arg::Str(day.number.to_string())),
                    ("date", Arg::Str(time::long_date(&day.date))),
                ],
            ),
            None => t("more-sessions"),
        }
    };
    let subtitle = day.and_then(|d| d.title);
    // The day's tracks (or rooms), in order of first appearance: on a wide screen each is a
    // column with its name on top, and a session of none (a plenary) spans them all.
    let mut tracks: Vec<String> = Vec::new();
    for s in &sessions {
        if let Some(t) = &s.session.track
            && !tracks.contains(t)
        {
            tracks.push(t.clone());
        }
    }
    let by_track = tracks.len() > 1;
    let column = |s: &Slotted| {
        by_track.then(|| {
            match s
                .session
                .track
                .as_ref()
                .and_then(|t| tracks.iter().position(|x| x == t))
            {
                Some(i) => format!("--col: {}", i + 1),
                None => "--col: 1 / -1".to_owned(),
            }
        })
    };
    // Time slots: sessions starting together run in parallel, side by side (on a phone, one
    // under another, grouped under their time).
    let mut slots: Vec<Vec<Slotted>> = Vec::new();
    for s in sessions {
        match slots.last_mut() {
            Some(slot) if slot[0].session.start == s.session.start => slot.push(s),
            _ => slots.push(vec![s]),
        }
    }
    let slots = slots
        .into_iter()
        .map(|slot| {
            let parallel = slot.len() > 1;
            // Each card says its own time; this is the group's, for the eye.
            let slot_time = session_times(&slot[0], &zone, same_zone);
            let cards = slot
                .into_iter()
                .map(|s| {
                    // Alone in its slot (a plenary, a break): across every column.
                    let col = if parallel {
                        column(&s)
                    } else {
                        by_track.then(|| "--col: 1 / -1".to_owned())
                    };
                    session_card(code.clone(), s, stars, &zone, same_zone, statuses, col)
                })
                .collect_view();
            view! {
                <li class="slot" class:parallel=parallel>
                    {parallel.then(|| view! { <p class="slot-time" aria-hidden="true">{slot_time}</p> })}
                    <ul class="slot-sessions">{cards}</ul>
                </li>
            }
        })
        .collect_view();
    let track_count = tracks.len();
    let heads = by_track.then(|| {
        let names = tracks
            .into_iter()
            .map(|t| view! { <span>{t}</span> })
            .collect_view();
        view! { <div class="track-heads" aria-hidden="true">{names}</div> }
    });
    view! {
        <section class=if by_track { "day by-track" } else { "day" } aria-labelledby=labelled_by
            style=by_track.then(|| format!("--tracks: {track_count}"))>
            <h2 id=heading_id>{heading}</h2>
            {subtitle.map(|t| view! { <p class="day-title">{t}</p> })}
            {heads}
            <ol class="slots">{slots}</ol>
        </section>
    }
    .into_any()
}

/// "09:30–10:15", and "(10:30–11:15 your time)" when the person's zone differs.
fn session_times(s: &Slotted, zone: &str, same_zone: bool) -> String {
    let event = format!("{}–{}", s.session.start, s.session.end);
    match (s.start_ms, s.end_ms, same_zone) {
        (Some(a), Some(b), false) => {
            let yours = format!("{}–{}", time::clock(a), time::clock(b));
            if yours
                == format!(
                    "{}–{}",
                    time::clock_in(a, Some(zone)),
                    time::clock_in(b, Some(zone))
                )
            {
                event
            } else {
                ta(
                    "times-with-yours",
                    &[("event", Arg::Str(event)), ("yours", Arg::Str(yours))],
                )
            }
        }
        _ => event,
    }
}

fn session_card(
    code: EventCode,
    s: Slotted,
    stars: RwSignal<BTreeSet<String>>,
    zone: &str,
    same_zone: bool,
    statuses: Memo<BTreeMap<SessionId, StageStatus>>,
    column: Option<String>,
) -> impl IntoView {
    let session = s.session.clone();
    let id = session.id.to_string();
    let kind = session.kind;
    let track = session.track.clone();
    let location = session.location.clone();
    let attendance = session.attendance;
    let spoken = session.language.clone();
    let meta = move || {
        [
            Some(text::kind_label(kind)),
            Some(text::attendance_label(attendance)),
            track.clone(),
            location.clone(),
            spoken.as_deref().map(text::language_name),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    };
    let speakers = speakers(
        &session
            .contributions
            .iter()
            .flat_map(|c| &c.speakers)
            .collect::<Vec<_>>(),
    );
    let moderator = session.moderator.map(|m| m.name);
    let times = {
        let (s, zone) = (s.clone(), zone.to_owned());
        move || session_times(&s, &zone, same_zone)
    };
    let starred = {
        let id = id.clone();
        Memo::new(move |_| stars.with(|s| s.contains(&id)))
    };
    // The stage status the organisers set; the clock decides nothing here.
    let status = {
        let id = session.id.clone();
        move || statuses.with(|st| st.get(&id).copied())
    };
    let toggle = {
        let (id, code) = (id.clone(), code.clone());
        let live: crate::live::Live = expect_context();
        move |_| {
            let mut starred = false;
            stars.update(|s| {
                if !s.remove(&id) {
                    s.insert(id.clone());
                    starred = true;
                }
            });
            saved::keep_stars(
                &code,
                &stars.get_untracked().into_iter().collect::<Vec<_>>(),
            );
            // Signed in: on every device (the server's answer comes back through the inbox).
            if live.person().is_some()
                && let Ok(session) = plenum_protocol::SessionId::parse(&id)
            {
                drop(live.request(plenum_protocol::ClientMsg::Star {
                    event: code.clone(),
                    session,
                    starred,
                }));
            }
        }
    };
    let title_for_label = session.title.clone();
    // Seated at one of the session's tables in the round running now.
    let my_table = use_context::<MySeats>().map(|MySeats(seats)| {
        let id = session.id.clone();
        Memo::new(move |_| {
            seats.with(|all| {
                all.iter()
                    .filter(|s| s.session == id)
                    .max_by_key(|s| s.round)
                    .and_then(|s| s.table)
            })
        })
    });
    view! {
        <li class="session" class:starred=move || starred.get() data-session=id.clone() style=column>
            <p class="time">
                {times}
                {my_table.map(|table| move || table.get().map(|n| view! {
                    <span class="badge seated">{ta("your-table-badge", &[("number", Arg::Num(f64::from(n)))])}</span>
                }))}
                {move || match status() {
                    Some(StageStatus::Live) => Some(view! { <span class="badge live">{t("live-now")}</span> }.into_any()),
                    Some(StageStatus::Paused) => Some(view! { <span class="badge paused">{t("status-paused")}</span> }.into_any()),
                    _ => None,
                }}
            </p>
            <div class="session-body">
                <h3 class="session-title">
                    <Link to=Route::Session(code, session.id)>{session.title}</Link>
                </h3>
                <p class="meta">{meta}</p>
                {(!speakers.is_empty()).then(|| view! { <p class="people">{speakers}</p> })}
                {moderator
                    .map(|m| {
                        view! {
                            <p class="people">
                                {move || ta("moderator-named", &[("name", Arg::Str(m.clone()))])}
                            </p>
                        }
                    })}
            </div>
            <button
                type="button"
                class="star"
                aria-pressed=move || if starred.get() { "true" } else { "false" }
                aria-label=move || {
                    ta("star-session", &[("title", Arg::Str(title_for_label.clone()))])
                }
                on:click=toggle
            >
                <span aria-hidden="true">{move || if starred.get() { "★" } else { "☆" }}</span>
            </button>
        </li>
    }
}

/// Each speaker once, in order of appearance.
fn speakers(people: &[&AgendaPerson]) -> String {
    let mut unique: Vec<&AgendaPerson> = Vec::new();
    for p in people {
        if !unique.iter().any(|u| u.name == p.name) {
            unique.push(p);
        }
    }
    text::names(unique)
}
