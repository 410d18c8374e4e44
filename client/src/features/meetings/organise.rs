//! The organiser's meetings: the plan (blocks, tables, the video link, expiry, the cap on
//! open requests, what profiles hold), the dashboard (requests and meetings by where they
//! stand, per person, the unplaced with their reasons), "Schedule all", the exports and what
//! people reported.

use leptos::{prelude::*, task::spawn_local};
use plenum_protocol::{
    ClientMsg, EventCode, EventInfo, MeetingBlock, MeetingPlan, MeetingRow, MeetingTable,
    MeetingsReport, PersonReport, ProfileRules, RoomId, RoomState, ScheduleSummary, ServerMsg,
    Unplaced, UnplacedReason, limits,
};

use crate::api::organiser;
use crate::components::feedback::{act, announcer, problem_view};
use crate::components::files::save_blob;
use crate::i18n::{Arg, t, ta};
use crate::live::Live;

/// The plan as the form edits it: tables and tag lists as text, one a line.
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    blocks: Vec<MeetingBlock>,
    tables: u32,
    /// The tables' numbers as the plan has them (booked meetings name them): kept, and new
    /// tables numbered after the highest.
    numbers: Vec<u32>,
    places: String,
    video: String,
    expiry_hours: u32,
    max_open_requests: u32,
    keep_starred_free: bool,
    sectors: String,
    tags: String,
    open: bool,
    no_role: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Draft {
    fn of(plan: Option<&MeetingPlan>) -> Draft {
        let Some(p) = plan else {
            return Draft {
                tables: 10,
                expiry_hours: 48,
                max_open_requests: 20,
                keep_starred_free: true,
                ..Draft::default()
            };
        };
        Draft {
            blocks: p.blocks.clone(),
            tables: p.tables.len() as u32,
            numbers: p.tables.iter().map(|t| t.number).collect(),
            places: p
                .tables
                .iter()
                .map(|t| t.place.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
            video: p.video.clone().unwrap_or_default(),
            expiry_hours: p.expiry_hours,
            max_open_requests: p.max_open_requests,
            keep_starred_free: p.keep_starred_free,
            sectors: p.profiles.sectors.join("\n"),
            tags: p.profiles.tags.join("\n"),
            open: p.profiles.open,
            no_role: p.profiles.no_role,
        }
    }

    fn plan(&self) -> MeetingPlan {
        let places: Vec<&str> = self.places.lines().map(str::trim).collect();
        MeetingPlan {
            blocks: self.blocks.clone(),
            tables: {
                let mut numbers = self.numbers.clone();
                numbers.truncate(self.tables as usize);
                let mut next = numbers.iter().max().copied().unwrap_or(0);
                while numbers.len() < self.tables as usize {
                    next += 1;
                    numbers.push(next);
                }
                numbers
                    .into_iter()
                    .enumerate()
                    .map(|(k, number)| MeetingTable {
                        number,
                        place: places
                            .get(k)
                            .filter(|p| !p.is_empty())
                            .map(|p| (*p).to_owned()),
                    })
                    .collect()
            },
            video: Some(self.video.trim().to_owned()).filter(|v| !v.is_empty()),
            expiry_hours: self.expiry_hours,
            max_open_requests: self.max_open_requests,
            keep_starred_free: self.keep_starred_free,
            profiles: ProfileRules {
                sectors: lines(&self.sectors),
                tags: lines(&self.tags),
                no_role: self.no_role,
                open: self.open,
            },
        }
    }
}

/// The organiser console's meetings panel.
#[component]
pub fn MeetingsPanel(
    code: EventCode,
    key: StoredValue<String>,
    event: Memo<Option<EventInfo>>,
) -> impl IntoView {
    let live: Live = expect_context();
    let room = RoomId::Event(code.clone());
    let kept = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(e)) => Some(e.meetings),
        _ => None,
    });
    let code = StoredValue::new(code);
    view! {
        <section class="panel" aria-labelledby="meetings-plan-heading">
            <h2 id="meetings-plan-heading">{move || t("meetings-plan")}</h2>
            <p class="hint">{move || t("meetings-plan-hint")}</p>
            {move || kept.get().map(|plan| view! { <PlanForm code plan event /> })}
        </section>
        <Dashboard code key />
    }
}

#[component]
fn PlanForm(
    code: StoredValue<EventCode>,
    plan: Option<MeetingPlan>,
    event: Memo<Option<EventInfo>>,
) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let live: Live = expect_context();
    let had = plan.is_some();
    let draft = RwSignal::new(Draft::of(plan.as_ref()));
    let problem = RwSignal::new(None::<String>);
    let days = Memo::new(move |_| {
        event.with(|e| {
            e.as_ref()
                .map(|e| {
                    e.agenda
                        .days
                        .iter()
                        .map(|d| (d.number, crate::time::long_date(&d.date)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::SetMeetings {
            event: code.get_value(),
            plan: Some(draft.get_untracked().plan()),
        };
        act(live, msg, problem, move |_| {
            speaker.say(t("meetings-plan-saved"))
        });
    };
    let remove = move |_| {
        act(
            live,
            ClientMsg::SetMeetings {
                event: code.get_value(),
                plan: None,
            },
            problem,
            move |_| speaker.say(t("meetings-plan-removed")),
        );
    };
    let add_block = move |_| {
        let day = days.with_untracked(|d| d.first().map(|d| d.0)).unwrap_or(1);
        draft.update(|d| {
            if d.blocks.len() < limits::MAX_MEETING_BLOCKS {
                d.blocks.push(MeetingBlock {
                    day,
                    start: "14:00".into(),
                    end: "17:00".into(),
                    slot_minutes: 20,
                    change_minutes: 5,
                });
            }
        });
    };
    let number = |v: String| v.trim().parse::<u32>().unwrap_or(0);
    // The block forms are made again only when a block comes or goes.
    let blocks = Memo::new(move |_| draft.with(|d| d.blocks.len()));
    view! {
        <form class="stack meetings-plan" on:submit=save>
            <fieldset>
                <legend>{move || t("meetings-blocks")}</legend>
                <ol class="blocks">
                    {move || (0..blocks.get()).map(|k| view! { <li><BlockFields k draft days /></li> }).collect_view()}
                </ol>
                <button type="button" on:click=add_block>{move || t("meetings-add-block")}</button>
            </fieldset>
            <div class="field">
                <label for="plan-tables">{move || t("meetings-tables")}</label>
                <input id="plan-tables" type="number" min="0" max=limits::MAX_MEETING_TABLES.to_string() prop:value=move || draft.with(|d| d.tables.to_string())
                    on:input=move |ev| { let v = number(event_target_value(&ev)); draft.update(|d| d.tables = v); } />
            </div>
            <div class="field">
                <label for="plan-places">{move || t("meetings-places")}</label>
                <p class="hint" id="plan-places-hint">{move || t("meetings-places-hint")}</p>
                <textarea id="plan-places" rows="3" aria-describedby="plan-places-hint" prop:value=move || draft.with(|d| d.places.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.places = v); }></textarea>
            </div>
            <div class="field">
                <label for="plan-video">{move || t("meetings-video")}</label>
                <p class="hint" id="plan-video-hint">{move || t("meetings-video-hint")}</p>
                <input id="plan-video" type="url" aria-describedby="plan-video-hint" prop:value=move || draft.with(|d| d.video.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.video = v); } />
            </div>
            <div class="field">
                <label for="plan-expiry">{move || t("meetings-expiry")}</label>
                <input id="plan-expiry" type="number" min="1" prop:value=move || draft.with(|d| d.expiry_hours.to_string())
                    on:input=move |ev| { let v = number(event_target_value(&ev)); draft.update(|d| d.expiry_hours = v); } />
            </div>
            <div class="field">
                <label for="plan-open-requests">{move || t("meetings-open-requests")}</label>
                <input id="plan-open-requests" type="number" min="1" max=limits::MAX_OPEN_MEETING_REQUESTS.to_string() prop:value=move || draft.with(|d| d.max_open_requests.to_string())
                    on:input=move |ev| { let v = number(event_target_value(&ev)); draft.update(|d| d.max_open_requests = v); } />
            </div>
            <label class="choice" for="plan-starred"><input id="plan-starred" type="checkbox" prop:checked=move || draft.with(|d| d.keep_starred_free)
                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.keep_starred_free = on); } />{move || t("meetings-keep-starred")}</label>
            <fieldset>
                <legend>{move || t("meetings-profiles")}</legend>
                <label class="choice" for="plan-profiles-open"><input id="plan-profiles-open" type="checkbox" prop:checked=move || draft.with(|d| d.open)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.open = on); } />{move || t("meetings-profiles-open")}</label>
                <label class="choice" for="plan-no-role"><input id="plan-no-role" type="checkbox" prop:checked=move || draft.with(|d| d.no_role)
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.no_role = on); } />{move || t("meetings-profiles-no-role")}</label>
                <label for="plan-sectors">{move || t("meetings-sectors")}</label>
                <textarea id="plan-sectors" rows="3" prop:value=move || draft.with(|d| d.sectors.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.sectors = v); }></textarea>
                <label for="plan-tags">{move || t("meetings-tags")}</label>
                <textarea id="plan-tags" rows="3" prop:value=move || draft.with(|d| d.tags.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.tags = v); }></textarea>
            </fieldset>
            <div class="actions">
                <button type="submit" class="primary">{move || t("meetings-plan-save")}</button>
                {had.then(|| view! { <button type="button" on:click=remove>{move || t("meetings-plan-remove")}</button> })}
            </div>
            {problem_view(problem)}
        </form>
    }
}

/// One block of the plan: its day, from and to, slot and change minutes.
#[component]
fn BlockFields(k: usize, draft: RwSignal<Draft>, days: Memo<Vec<(u32, String)>>) -> impl IntoView {
    let get = move |f: fn(&MeetingBlock) -> String| {
        draft.with(|d| d.blocks.get(k).map(f).unwrap_or_default())
    };
    let set = move |f: Box<dyn FnOnce(&mut MeetingBlock)>| {
        draft.update(|d| {
            if let Some(b) = d.blocks.get_mut(k) {
                f(b)
            }
        })
    };
    let id = |what: &str| format!("block-{k}-{what}");
    let minutes = |v: String| v.trim().parse::<u32>().unwrap_or(0);
    view! {
        <fieldset class="block-fields">
            <legend>{move || ta("meetings-block", &[("n", Arg::Count(k as u64 + 1))])}</legend>
            <label for=id("day")>{move || t("meetings-day")}</label>
            <select id=id("day") on:change=move |ev| { let v = minutes(event_target_value(&ev)); set(Box::new(move |b| b.day = v)); }>
                {move || days.get().into_iter().map(|(n, date)| {
                    let chosen = draft.with_untracked(|d| d.blocks.get(k).is_some_and(|b| b.day == n));
                    view! { <option value=n.to_string() selected=chosen>{date}</option> }
                }).collect_view()}
            </select>
            <label for=id("start")>{move || t("meetings-from")}</label>
            <input id=id("start") type="time" prop:value=move || get(|b| b.start.clone()) on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |b| b.start = v)); } />
            <label for=id("end")>{move || t("meetings-to")}</label>
            <input id=id("end") type="time" prop:value=move || get(|b| b.end.clone()) on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |b| b.end = v)); } />
            <label for=id("slot")>{move || t("meetings-slot-minutes")}</label>
            <input id=id("slot") type="number" min="5" max="120" prop:value=move || get(|b| b.slot_minutes.to_string()) on:input=move |ev| { let v = minutes(event_target_value(&ev)); set(Box::new(move |b| b.slot_minutes = v)); } />
            <label for=id("change")>{move || t("meetings-change-minutes")}</label>
            <input id=id("change") type="number" min="0" max="60" prop:value=move || get(|b| b.change_minutes.to_string()) on:input=move |ev| { let v = minutes(event_target_value(&ev)); set(Box::new(move |b| b.change_minutes = v)); } />
            <button type="button" on:click=move |_| draft.update(|d| { if k < d.blocks.len() { d.blocks.remove(k); } })>{move || t("meetings-remove-block")}</button>
        </fieldset>
    }
}

fn reason(u: &Unplaced) -> String {
    t(match u.reason {
        UnplacedReason::NoCommonSlot => "unplaced-no-common-slot",
        UnplacedReason::Taken => "unplaced-taken",
        UnplacedReason::LockClash => "unplaced-lock-clash",
    })
}

fn unplaced_list(list: Vec<Unplaced>) -> impl IntoView {
    view! {
        <ul class="unplaced">
            {list.into_iter().map(|u| view! { <li><strong>{reason(&u)}</strong> " " <span lang="en">{u.text}</span></li> }).collect_view()}
        </ul>
    }
}

/// The dashboard, "Schedule all", the exports and the reports.
#[component]
fn Dashboard(code: StoredValue<EventCode>, key: StoredValue<String>) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let live: Live = expect_context();
    let report = RwSignal::new(None::<MeetingsReport>);
    let reports = RwSignal::new(None::<Vec<PersonReport>>);
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            let (key, code) = (key.get_value(), code.get_value());
            match organiser::meetings(&key, &code).await {
                Ok(r) => report.set(Some(r)),
                Err(e) => problem.set(Some(e.message())),
            }
            if let Ok(r) = organiser::reports(&key, &code).await {
                reports.set(Some(r));
            }
        });
    };
    load();
    let move_booked = RwSignal::new(false);
    let summary = RwSignal::new(None::<ScheduleSummary>);
    let busy = RwSignal::new(false);
    let schedule = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let msg = ClientMsg::ScheduleMeetings {
            event: code.get_value(),
            move_booked: move_booked.get_untracked(),
        };
        crate::components::feedback::act_or(
            live,
            msg,
            problem,
            move |reply| {
                busy.set(false);
                if let ServerMsg::Ok {
                    scheduled: Some(s), ..
                } = reply
                {
                    speaker.say(ta(
                        "schedule-done",
                        &[
                            ("placed", Arg::Count(u64::from(s.placed))),
                            ("accepted", Arg::Count(u64::from(s.accepted))),
                        ],
                    ));
                    summary.set(Some(s));
                }
                load();
            },
            move || busy.set(false),
        );
    };
    let download = move |file: &'static str| {
        spawn_local(async move {
            let (key, code) = (key.get_value(), code.get_value());
            match organiser::download(&key, &format!("/api/events/{code}/{file}")).await {
                Ok(blob) => save_blob(&format!("{code}-{file}"), &blob),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let count = |label: &'static str, n: u32| view! { <dt>{t(label)}</dt><dd>{n}</dd> };
    view! {
        <section class="panel" aria-labelledby="meetings-dashboard-heading">
            <h2 id="meetings-dashboard-heading">{move || t("meetings-dashboard")}</h2>
            <button type="button" on:click=move |_| load()>{move || t("refresh")}</button>
            {move || report.get().map(|r| view! {
                <h3>{t("meetings-requests")}</h3>
                <dl class="counts">
                    {count("requests-sent", r.requests.sent)}
                    {count("requests-waiting", r.requests.waiting)}
                    {count("requests-accepted", r.requests.accepted)}
                    {count("requests-declined", r.requests.declined)}
                    {count("requests-expired", r.requests.expired)}
                    {count("requests-cancelled", r.requests.cancelled)}
                </dl>
                <h3>{t("meetings-booked-heading")}</h3>
                <dl class="counts">
                    {count("meetings-scheduled", r.meetings.scheduled)}
                    {count("meetings-unscheduled", r.meetings.unscheduled)}
                    {count("meetings-held", r.meetings.held)}
                    {count("meetings-missed", r.meetings.missed)}
                </dl>
                {(!r.unplaced.is_empty()).then(|| view! { <h3>{t("meetings-unplaced")}</h3> {unplaced_list(r.unplaced.clone())} })}
                {(!r.people.is_empty()).then(|| view! {
                    <details>
                        <summary>{t("meetings-per-person")}</summary>
                        <div class="table-scroll">
                            <table>
                                <thead><tr><th scope="col">{t("person")}</th><th scope="col">{t("requests-sent")}</th><th scope="col">{t("meetings-received")}</th><th scope="col">{t("requests-accepted")}</th><th scope="col">{t("meetings-scheduled")}</th><th scope="col">{t("meetings-held")}</th></tr></thead>
                                <tbody>
                                    {r.people.into_iter().map(|p| view! {
                                        <tr><th scope="row">{super::who(&p.person)}</th><td>{p.sent}</td><td>{p.received}</td><td>{p.accepted}</td><td>{p.scheduled}</td><td>{p.held}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </details>
                })}
            })}
            <MeetingList code key />
            <h3>{move || t("schedule-all")}</h3>
            <p class="hint">{move || t("schedule-all-hint")}</p>
            <label class="choice" for="schedule-move"><input id="schedule-move" type="checkbox" prop:checked=move || move_booked.get()
                on:change=move |ev| move_booked.set(event_target_checked(&ev)) />{move || t("schedule-move-booked")}</label>
            <button type="button" class="primary" on:click=schedule aria-disabled=move || busy.get().then_some("true")>{move || t("schedule-all")}</button>
            {move || summary.get().map(|s| view! {
                <p role="status">{ta("schedule-summary", &[
                    ("placed", Arg::Count(u64::from(s.placed))), ("accepted", Arg::Count(u64::from(s.accepted))),
                    ("changed", Arg::Count(u64::from(s.changed))), ("bound", Arg::Count(u64::from(s.bound))), ("gaps", Arg::Count(u64::from(s.gaps))),
                ])}</p>
                {unplaced_list(s.unplaced)}
            })}
            <h3>{move || t("meetings-exports")}</h3>
            <ul class="exports">
                <li><button type="button" on:click=move |_| download("meetings.csv")>"meetings.csv"</button></li>
                <li><button type="button" on:click=move |_| download("meetings.json")>"meetings.json"</button></li>
            </ul>
            {problem_view(problem)}
            {move || reports.get().filter(|r| !r.is_empty()).map(|list| view! {
                <h3>{t("person-reports")}</h3>
                <ul class="person-reports">
                    {list.into_iter().map(|r| view! {
                        <li><time>{crate::time::clock_or_day(r.at_ms)}</time> " " {ta("person-report-line", &[("by", Arg::Str(super::who(&r.by))), ("about", Arg::Str(super::who(&r.about)))])} <blockquote>{r.reason}</blockquote></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// At most this many meetings are listed at once; a filter finds the others.
const LISTED: usize = 200;

/// Every accepted meeting, filtered by a name, each with its lock: "Schedule all" never moves a locked
/// meeting.
#[component]
fn MeetingList(code: StoredValue<EventCode>, key: StoredValue<String>) -> impl IntoView {
    let live: Live = expect_context();
    let rows = RwSignal::new(None::<Vec<MeetingRow>>);
    let filter = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match organiser::meeting_rows(&key.get_value(), &code.get_value()).await {
                Ok(r) => rows.set(Some(r)),
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let shown = Memo::new(move |_| {
        let needle = filter.get().trim().to_lowercase();
        rows.with(|r| {
            let all: Vec<MeetingRow> = r
                .iter()
                .flatten()
                .filter(|m| m.status == plenum_protocol::MeetingStatus::Accepted)
                .filter(|m| {
                    needle.is_empty()
                        || super::who(&m.from).to_lowercase().contains(&needle)
                        || super::who(&m.to).to_lowercase().contains(&needle)
                })
                .cloned()
                .collect();
            let n = all.len();
            (all.into_iter().take(LISTED).collect::<Vec<_>>(), n)
        })
    });
    let lock = move |meeting: u64, locked: bool| {
        let msg = ClientMsg::LockMeeting {
            event: code.get_value(),
            meeting,
            locked,
        };
        act(live, msg, problem, move |_| load());
    };
    view! {
        <details class="meeting-rows" on:toggle=move |ev| {
            if event_target::<web_sys::Element>(&ev).has_attribute("open") {
                load();
            }
        }>
            <summary>{move || t("meetings-all")}</summary>
            <label for="meeting-filter">{move || t("meetings-filter")}</label>
            <input id="meeting-filter" type="search" prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
            {move || shown.with(|(list, n)| (*n > list.len()).then(|| view! {
                <p class="hint">{ta("meetings-listed", &[("shown", Arg::Count(list.len() as u64)), ("all", Arg::Count(*n as u64))])}</p>
            }))}
            <div class="table-scroll">
                <table>
                    <thead><tr>
                        <th scope="col">{move || t("meetings-between")}</th>
                        <th scope="col">{move || t("meeting-time")}</th>
                        <th scope="col">{move || t("meetings-tables")}</th>
                        <th scope="col">{move || t("meetings-lock")}</th>
                    </tr></thead>
                    <tbody>
                        {move || shown.get().0.into_iter().map(|m| {
                            let (id, locked) = (m.id, m.locked);
                            let between = format!("{} – {}", super::who(&m.from), super::who(&m.to));
                            let label = ta(if locked { "meetings-unlock-one" } else { "meetings-lock-one" }, &[("who", Arg::Str(between.clone()))]);
                            view! {
                                <tr>
                                    <th scope="row">{between}</th>
                                    <td>{m.starts.map(|s| s.get(..16).unwrap_or(&s).replace('T', " ")).unwrap_or_else(|| t("meetings-unscheduled"))}</td>
                                    <td>{m.table.map(|n| n.to_string()).unwrap_or_default()}</td>
                                    <td><button type="button" aria-pressed=locked.to_string() aria-label=label on:click=move |_| lock(id, !locked)>
                                        {if locked { t("meetings-locked") } else { t("meetings-lock") }}
                                    </button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {problem_view(problem)}
        </details>
    }
}
