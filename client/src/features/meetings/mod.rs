//! One-to-one meetings on a phone (`/e/{CODE}/meetings`): what waits for the person's answer,
//! their meetings (where and when, counting down on the day, "I'm here", "did it take
//! place?"), finding people and asking them, contacts by consent, and their own settings.
//! Every meeting reaches this screen through the person's inbox (`meeting_changed`); the
//! meeting plan (when and where meetings happen) through the event room.
//!
//! - `page`       — the page: what waits for an answer, the person's meetings, the day's card
//!   (the meet build: attendees' phones load it for this page only).
//! - [`find`]     — finding people and recommendations; asking for a meeting; block, report.
//! - [`contacts`] — contact details passed by consent.
//! - [`scanned`]  — a badge's QR code scanned: asking its person for contact details.
//! - [`settings`] — the matchmaking profile, when one meets, the contact card.
//! - [`screen`]   — the meeting area's big screen (staff build).
//! - [`organise`] — the organiser's plan, dashboard and "Schedule all" (organise build).
//! - [`booth`]    — a booth's meetings on its page: its staff answer for it; visitors ask it.
//!
//! A booth takes part in meetings as one participant (`booth_…`): on its page, the same cards
//! are drawn with the booth as "me" ([`Meet::for_booth`]), and the person's own page leaves
//! the booth's meetings to it.

#[cfg(feature = "meet")]
mod booth;
#[cfg(feature = "meet")]
mod contacts;
#[cfg(feature = "meet")]
mod find;
#[cfg(feature = "organise")]
pub mod organise;
#[cfg(feature = "meet")]
mod page;
#[cfg(feature = "meet")]
mod scanned;
#[cfg(feature = "staff")]
pub mod screen;
#[cfg(feature = "meet")]
mod settings;

#[cfg(feature = "meet")]
pub use booth::{BoothMeetings, MeetTheTeam};
#[cfg(feature = "meet")]
pub use contacts::ContactFiles;
#[cfg(feature = "meet")]
pub use find::BlockOrReport;
#[cfg(feature = "meet")]
pub use page::MeetingsPage;

use leptos::prelude::*;
use plenum_protocol::{
    EventCode, Meeting, MeetingPerson, MeetingStatus, RoomId, RoomState, SlotAt,
};
#[cfg(any(feature = "meet", feature = "staff"))]
use plenum_protocol::{EventInfo, InboxState, MeetingPlan};

use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
#[cfg(any(feature = "meet", feature = "staff"))]
use crate::pages::EventData;
use crate::route::{Link, Route};
use crate::time;

/// What every part of the meetings page reads: the connection, the person, their inbox, the
/// plan and the event (for dates and the time zone).
#[cfg(any(feature = "meet", feature = "staff"))]
#[cfg_attr(not(feature = "meet"), allow(dead_code))]
#[derive(Clone, Copy)]
pub(crate) struct Meet {
    pub live: Live,
    pub code: StoredValue<EventCode>,
    pub me: Memo<Option<String>>,
    pub inbox: Memo<Option<InboxState>>,
    pub plan: Memo<Option<MeetingPlan>>,
    pub event: Memo<Option<EventInfo>>,
}

#[cfg(any(feature = "meet", feature = "staff"))]
#[cfg_attr(not(feature = "meet"), allow(dead_code))]
impl Meet {
    pub fn new(live: Live, code: EventCode) -> Meet {
        let room = RoomId::Event(code.clone());
        let plan = Memo::new(move |_| match live.room(&room).state {
            Some(RoomState::Event(e)) => e.meetings,
            _ => None,
        });
        let event = match use_context::<EventData>() {
            Some(EventData(info)) => Memo::new(move |_| info.get().and_then(|r| r.ok())),
            None => Memo::new(|_| None),
        };
        Meet {
            live,
            code: StoredValue::new(code.clone()),
            me: Memo::new(move |_| live.person().map(|p| p.id)),
            inbox: crate::features::inbox::inbox(live, code),
            plan,
            event,
        }
    }

    /// The same for a booth's page: the booth is "me" (its staff act for it).
    #[cfg(feature = "meet")]
    pub fn for_booth(live: Live, code: EventCode, booth: &plenum_protocol::BoothId) -> Meet {
        let side = plenum_protocol::booth_side(booth).as_str().to_owned();
        Meet {
            me: Memo::new(move |_| Some(side.clone())),
            ..Meet::new(live, code)
        }
    }

    /// Whether "me" is a booth.
    pub fn as_booth(&self) -> bool {
        self.me.with_untracked(|m| {
            m.as_deref()
                .is_some_and(|m| m.starts_with(plenum_protocol::BOOTH_SIDE_PREFIX))
        })
    }

    pub fn code(&self) -> EventCode {
        self.code.get_value()
    }

    /// The slot's date and times ("Wednesday 13 May 2026 · 14:00–14:20"), in the event's zone
    /// with the person's own beside them when they differ.
    pub fn when(&self, at: &SlotAt) -> String {
        let end = self.plan.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| p.slots().into_iter().find(|s| s.at == *at))
                .map(|s| s.end)
        });
        self.event.with_untracked(|e| {
            let Some(e) = e else {
                return at.start.clone();
            };
            match e.agenda.days.iter().find(|d| d.number == at.day) {
                Some(d) => format!(
                    "{} · {}",
                    time::long_date(&d.date),
                    time::span(
                        &d.date,
                        &at.start,
                        end.as_deref().unwrap_or(&at.start),
                        &e.time_zone,
                        ""
                    )
                ),
                None => at.start.clone(),
            }
        })
    }

    /// When a slot starts and ends (ms since the epoch).
    pub fn instants(&self, at: &SlotAt) -> Option<(i64, i64)> {
        let end = self.plan.with_untracked(|p| {
            p.as_ref()?
                .slots()
                .into_iter()
                .find(|s| s.at == *at)
                .map(|s| s.end)
        })?;
        self.event.with_untracked(|e| {
            let e = e.as_ref()?;
            let d = e.agenda.days.iter().find(|d| d.number == at.day)?;
            Some((
                time::instant(&d.date, &at.start, &e.time_zone)?,
                time::instant(&d.date, &end, &e.time_zone)?,
            ))
        })
    }

    /// The plan's slots as (slot, words), for a choice of time.
    pub fn slot_choices(&self) -> Vec<(SlotAt, String)> {
        // The words need the event's dates: again once they arrive.
        self.event.track();
        self.plan
            .get()
            .map(|p| p.slots())
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let words = self.when(&s.at);
                (s.at, words)
            })
            .collect()
    }
}

/// A person's name as shown (their organisation beside it).
pub(crate) fn who(p: &MeetingPerson) -> String {
    let name = p.name.clone().unwrap_or_else(|| t("someone"));
    match &p.organisation {
        Some(org) => format!("{name} ({org})"),
        None => name,
    }
}

/// The other one of a meeting, for `me`.
fn other<'a>(m: &'a Meeting, me: &str) -> &'a MeetingPerson {
    if m.from.id.as_str() == me {
        &m.to
    } else {
        &m.from
    }
}

/// Whether the meeting waits for `me` to answer: a request to me, or a time the other one
/// proposed (the server's rule: whoever asked last does not answer).
fn my_turn(m: &Meeting, me: &str) -> bool {
    let waiting = m.status == MeetingStatus::Requested || m.proposed.is_some();
    let asked_last = m.proposed_by.as_ref().unwrap_or(&m.from.id);
    waiting && m.status.open() && asked_last.as_str() != me
}

/// The count of what waits for the person's answer, on every page of the event, with a link
/// to the meetings; new requests, answers and reminders as notifications when allowed.
#[component]
pub fn Waiting(live: Live, code: EventCode) -> impl IntoView {
    let inbox = crate::features::inbox::inbox(live, code.clone());
    let me = Memo::new(move |_| live.person().map(|p| p.id));
    let room = RoomId::Event(code.clone());
    let planned = Memo::new(move |_| match live.room(&room).state {
        Some(RoomState::Event(e)) => e.meetings.is_some(),
        _ => false,
    });
    let count = Memo::new(move |_| {
        let me = me.get().unwrap_or_default();
        // A booth's too, for its staff: they answer for it.
        inbox.with(|i| {
            i.as_ref()
                .map(|i| {
                    i.meetings
                        .iter()
                        .filter(|m| my_turn(m, &m.side_of(&me)))
                        .count()
                })
                .unwrap_or(0)
        })
    });
    // What changed since the page opened (not the snapshot's), as notifications.
    let seen = StoredValue::new(None::<Vec<(u64, MeetingStatus, u32, Option<SlotAt>)>>);
    let reminded = StoredValue::new(None::<Vec<(u64, i64)>>);
    Effect::new(move || {
        let me = me.get().unwrap_or_default();
        inbox.with(|i| {
            let Some(i) = i else { return };
            let now: Vec<_> = i
                .meetings
                .iter()
                .map(|m| (m.id, m.status, m.sequence, m.proposed.clone()))
                .collect();
            if let Some(before) = seen.get_value() {
                for m in &i.meetings {
                    let key = (m.id, m.status, m.sequence, m.proposed.clone());
                    if !before.contains(&key) {
                        let line = news(m, &m.side_of(&me));
                        notify::show(&t("meetings"), &line);
                    }
                }
            }
            seen.set_value(Some(now));
            let soon: Vec<_> = i
                .reminders
                .iter()
                .map(|r| (r.meeting, r.starts_ms))
                .collect();
            if let Some(before) = reminded.get_value() {
                for r in &i.reminders {
                    if !before.contains(&(r.meeting, r.starts_ms)) {
                        // (A meeting left out of the inbox's snapshot, or a booth's asked
                        // before its staff member joined: no name to say.)
                        let with = i
                            .meetings
                            .iter()
                            .find(|m| m.id == r.meeting)
                            .map(|m| who(other(m, &m.side_of(&me))))
                            .unwrap_or_else(|| t("someone"));
                        notify::show(
                            &t("meetings"),
                            &ta(
                                "meeting-soon-note",
                                &[
                                    ("who", Arg::Str(with)),
                                    ("at", Arg::Str(time::clock(r.starts_ms))),
                                ],
                            ),
                        );
                    }
                }
            }
            reminded.set_value(Some(soon));
        });
    });
    let to = Route::Meetings(code);
    // On the meetings page itself, its heading says the count.
    let router = crate::route::use_router();
    let elsewhere = Memo::new(move |_| !matches!(router.route(), Route::Meetings(_)));
    view! {
        <Show when=move || { elsewhere.get() && (planned.get() || count.get() > 0) }>
            <p class="meetings-link">
                <Link to=to.clone()>
                    {move || t("meetings")}
                    {move || (count.get() > 0).then(|| view! { " · " <strong class="badge">{tc("meetings-to-answer-count", count.get() as u64)}</strong> })}
                </Link>
            </p>
        </Show>
    }
}

/// A meeting's news, for a notification.
fn news(m: &Meeting, me: &str) -> String {
    let with = who(other(m, me));
    let key = match m.status {
        MeetingStatus::Requested
            if my_turn(m, me) && m.proposed_by.as_ref().is_some_and(|p| *p != m.from.id) =>
        {
            "meeting-news-proposed"
        }
        MeetingStatus::Requested if my_turn(m, me) => "meeting-news-request",
        MeetingStatus::Accepted if my_turn(m, me) => "meeting-news-proposed",
        MeetingStatus::Accepted if m.slot.is_some() => "meeting-news-booked",
        MeetingStatus::Accepted => "meeting-news-accepted",
        MeetingStatus::Declined => "meeting-news-declined",
        MeetingStatus::Cancelled => "meeting-news-cancelled",
        MeetingStatus::Expired => "meeting-news-expired",
        MeetingStatus::Requested => "meeting-news-sent",
    };
    ta(key, &[("who", Arg::Str(with))])
}

/// The browser's Notification API, through `js_sys::Reflect` (no web-sys feature needed for
/// three calls): unavailable (an old browser, or a phone where only a service worker may
/// notify) is the same as not allowed.
mod notify {
    use wasm_bindgen::JsCast;
    #[cfg(feature = "meet")]
    use wasm_bindgen::{JsValue, closure::Closure};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Permission {
        Default,
        Granted,
        Denied,
        Unavailable,
    }

    fn api() -> Option<js_sys::Function> {
        js_sys::Reflect::get(&js_sys::global(), &"Notification".into())
            .ok()?
            .dyn_into()
            .ok()
    }

    pub fn permission() -> Permission {
        let Some(api) = api() else {
            return Permission::Unavailable;
        };
        match js_sys::Reflect::get(&api, &"permission".into())
            .ok()
            .and_then(|p| p.as_string())
            .as_deref()
        {
            Some("granted") => Permission::Granted,
            Some("denied") => Permission::Denied,
            Some(_) => Permission::Default,
            None => Permission::Unavailable,
        }
    }

    /// Asks the person (the browser's own question); `then` gets the answer.
    #[cfg(feature = "meet")]
    pub fn ask(then: impl Fn(Permission) + 'static) {
        let Some(api) = api() else { return };
        let Ok(request) = js_sys::Reflect::get(&api, &"requestPermission".into()) else {
            return;
        };
        let Ok(request) = request.dyn_into::<js_sys::Function>() else {
            return;
        };
        let Ok(promise) = request.call0(&api) else {
            return;
        };
        let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
            return;
        };
        let done = Closure::once(move |_: JsValue| then(permission()));
        let _ = promise.then(&done);
        done.forget();
    }

    /// A notification, if allowed (and only then), while the page is not in view: in view,
    /// the page itself says it.
    pub fn show(title: &str, body: &str) {
        if permission() != Permission::Granted || !leptos::prelude::document().hidden() {
            return;
        }
        let Some(api) = api() else { return };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"body".into(), &body.into());
        let _ = js_sys::Reflect::set(&options, &"tag".into(), &"plenum-meetings".into());
        let args = js_sys::Array::of2(&title.into(), &options);
        // Throws where only a service worker may notify: nothing is shown, the page's count
        // still says it.
        let _ = js_sys::Reflect::construct(&api, &args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::PersonId;

    fn person(id: &str) -> MeetingPerson {
        MeetingPerson {
            id: PersonId::parse(id).unwrap(),
            name: Some(id.to_uppercase()),
            organisation: None,
        }
    }

    fn meeting(status: MeetingStatus, proposed_by: Option<&str>) -> Meeting {
        Meeting {
            id: 1,
            from: person("ana"),
            to: person("bo"),
            message: None,
            status,
            proposed: proposed_by.map(|_| SlotAt {
                day: 1,
                start: "14:00".into(),
            }),
            proposed_by: proposed_by.map(|p| PersonId::parse(p).unwrap()),
            slot: None,
            end: None,
            table: None,
            place: None,
            video: None,
            locked: false,
            here: Vec::new(),
            no_show: None,
            held: Vec::new(),
            sequence: 0,
            requested_ms: 0,
            expires_ms: None,
            booth: None,
        }
    }

    /// The server's rule (`meetings/requests.rs`): whoever asked last does not answer.
    #[test]
    fn the_one_who_did_not_ask_last_answers() {
        let asked = meeting(MeetingStatus::Requested, None);
        assert!(my_turn(&asked, "bo") && !my_turn(&asked, "ana"));
        let with_time = meeting(MeetingStatus::Requested, Some("ana"));
        assert!(my_turn(&with_time, "bo") && !my_turn(&with_time, "ana"));
        let countered = meeting(MeetingStatus::Requested, Some("bo"));
        assert!(my_turn(&countered, "ana") && !my_turn(&countered, "bo"));
        let moved = meeting(MeetingStatus::Accepted, Some("ana"));
        assert!(my_turn(&moved, "bo") && !my_turn(&moved, "ana"));
        let booked = meeting(MeetingStatus::Accepted, None);
        assert!(!my_turn(&booked, "bo") && !my_turn(&booked, "ana"));
        for closed in [
            MeetingStatus::Declined,
            MeetingStatus::Expired,
            MeetingStatus::Cancelled,
        ] {
            assert!(!my_turn(&meeting(closed, None), "bo"));
        }
        assert_eq!(other(&asked, "ana").id.as_str(), "bo");
        assert_eq!(other(&asked, "bo").id.as_str(), "ana");
    }

    /// A booth's staff answer for the booth: what the booth proposed waits for the visitor,
    /// whichever of the staff looks.
    #[test]
    fn a_booths_staff_take_its_turn() {
        let porto = plenum_protocol::BoothId::parse("porto").unwrap();
        let mut m = meeting(MeetingStatus::Requested, None);
        m.to = person("booth_porto");
        m.booth = Some(porto);
        assert_eq!(m.side_of("cy"), "booth_porto");
        assert!(my_turn(&m, &m.side_of("cy")));
        assert!(!my_turn(&m, &m.side_of("ana")));
        m.proposed_by = Some(PersonId::parse("booth_porto").unwrap());
        m.proposed = Some(SlotAt {
            day: 1,
            start: "14:00".into(),
        });
        assert!(!my_turn(&m, &m.side_of("cy")));
        assert!(my_turn(&m, &m.side_of("ana")));
        assert_eq!(other(&m, &m.side_of("cy")).id.as_str(), "ana");
    }
}
