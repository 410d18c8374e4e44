//! The meetings page itself: what waits for the person's answer, their meetings (the next one
//! with its countdown and the day's buttons), and the parts below it.

use leptos::prelude::*;
use plenum_protocol::{
    ClientMsg, EventCode, Meeting, MeetingAnswer, MeetingStatus, Sharing, SlotAt,
};

use super::{Meet, contacts, find, my_turn, other, settings, who};
use crate::components::clock::ticking_now;
use crate::components::feedback::{act, announcer, problem_view};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use crate::route::{Link, Route};
use crate::time;

/// `/e/{CODE}/meetings`.
#[component]
pub fn MeetingsPage(code: EventCode) -> impl IntoView {
    let live: Live = expect_context();
    let meet = Meet::new(live, code.clone());
    provide_context(meet);
    crate::components::follow::page_title(move || t("meetings"));
    let inbox = meet.inbox;
    let me = meet.me;
    // The person's own: the meetings of a booth they staff are on the booth's page.
    let meetings = Memo::new(move |_| {
        let me = me.get().unwrap_or_default();
        inbox.with(|i| {
            i.as_ref()
                .map(|i| {
                    i.meetings
                        .iter()
                        .filter(|m| m.booth.is_none() || m.has(&me))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let now = ticking_now(std::time::Duration::from_secs(15));
    let answer_first = Memo::new(move |_| {
        let me = me.get().unwrap_or_default();
        meetings.with(|ms| {
            ms.iter()
                .filter(|m| my_turn(m, &me))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Booked meetings in time order; the first not yet over is the next one.
    let booked = Memo::new(move |_| {
        let mut ms: Vec<Meeting> = meetings.with(|ms| {
            ms.iter()
                .filter(|m| m.status == MeetingStatus::Accepted && m.slot.is_some())
                .cloned()
                .collect()
        });
        ms.sort_by(|a, b| a.slot.cmp(&b.slot));
        ms
    });
    // (One waiting for the person's answer shows there, once.)
    let next = Memo::new(move |_| {
        let now = now.get();
        let me = me.get().unwrap_or_default();
        booked.with(|ms| {
            ms.iter()
                .filter(|m| !my_turn(m, &me))
                .find(|m| {
                    m.slot
                        .as_ref()
                        .and_then(|s| meet.instants(s))
                        .is_some_and(|(_, end)| end > now)
                })
                .cloned()
        })
    });
    let rest = Memo::new(move |_| {
        let me = me.get().unwrap_or_default();
        let next = next.with(|n| n.as_ref().map(|n| n.id));
        let mut unbooked: Vec<Meeting> = meetings.with(|ms| {
            ms.iter()
                .filter(|m| m.status.open() && !my_turn(m, &me) && Some(m.id) != next)
                .filter(|m| m.slot.is_none())
                .cloned()
                .collect()
        });
        let booked: Vec<Meeting> = booked.with(|b| {
            b.iter()
                .filter(|m| Some(m.id) != next && !my_turn(m, &me))
                .cloned()
                .collect()
        });
        unbooked.sort_by_key(|m| std::cmp::Reverse(m.requested_ms));
        booked.into_iter().chain(unbooked).collect::<Vec<_>>()
    });
    let closed = Memo::new(move |_| {
        meetings.with(|ms| {
            ms.iter()
                .filter(|m| !m.status.open())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Opened from a badge's QR code: asking its person for contact details comes first.
    let scanned =
        crate::i18n::query_param(&window().location().search().unwrap_or_default(), "contact");
    view! {
        <div class="meetings narrow">
            <p class="back"><Link to=Route::Event(code.clone())>{move || t("back-to-agenda")}</Link></p>
            <h1>{move || t("meetings")}</h1>
            {scanned.map(|contact| view! { <super::scanned::Scanned contact /> })}
            <NotifyMe />
            <BoothsToAnswer />
            {move || meet.plan.with(Option::is_none).then(|| view! {
                <p class="hint">{t("meetings-none-planned")}</p>
            })}
            {move || next.get().map(|m| view! {
                <section class="panel meeting-next" aria-labelledby="next-meeting-heading">
                    <h2 id="next-meeting-heading">{t("meeting-next")}</h2>
                    <MeetingCard meeting=m next=true />
                </section>
            })}
            <section class="panel" aria-labelledby="to-answer-heading">
                <h2 id="to-answer-heading">{move || tc("meetings-to-answer", answer_first.with(Vec::len) as u64)}</h2>
                {move || answer_first.with(Vec::is_empty).then(|| view! { <p class="hint">{t("meetings-nothing-to-answer")}</p> })}
                <Cards list=answer_first />
            </section>
            <section class="panel" aria-labelledby="my-meetings-heading">
                <h2 id="my-meetings-heading">{move || t("meetings-yours")}</h2>
                {move || rest.with(Vec::is_empty).then(|| view! { <p class="hint">{t("meetings-none-yet")}</p> })}
                <Cards list=rest />
                <Show when=move || closed.with(|c| !c.is_empty())>
                    <details class="closed-meetings">
                        <summary>{move || tc("meetings-closed", closed.with(Vec::len) as u64)}</summary>
                        <Cards list=closed />
                    </details>
                </Show>
            </section>
            <find::FindPeople />
            <contacts::Contacts />
            <settings::Settings />
        </div>
    }
}

/// For the staff of a booth: each booth whose meetings wait for an answer, with a link to its
/// page (where they answer for it).
#[component]
fn BoothsToAnswer() -> impl IntoView {
    let meet: Meet = expect_context();
    let waiting = Memo::new(move |_| {
        let me = meet.me.get().unwrap_or_default();
        let mut by_booth: Vec<(plenum_protocol::BoothId, String, u64)> = Vec::new();
        meet.inbox.with(|i| {
            for m in i.iter().flat_map(|i| &i.meetings) {
                let Some(b) = m.booth.as_ref().filter(|_| !m.has(&me)) else {
                    continue;
                };
                if !my_turn(m, &m.side_of(&me)) {
                    continue;
                }
                match by_booth.iter_mut().find(|(x, ..)| x == b) {
                    Some((_, _, n)) => *n += 1,
                    None => by_booth.push((b.clone(), who(&m.to), 1)),
                }
            }
        });
        by_booth
    });
    view! {
        <For each=move || waiting.get() key=|w| w.clone() let:w>
            <p class="meetings-link">
                <Link to=Route::Booth(meet.code(), w.0.clone())>
                    {ta("meetings-booth-waiting", &[("who", Arg::Str(w.1.clone())), ("count", Arg::Count(w.2))])}
                </Link>
            </p>
        </For>
    }
}

/// A list of meetings, each made again only when it changes (what is being chosen or typed
/// in the others stays), and all once the plan or the event's dates arrive (their times).
#[component]
pub(super) fn Cards(list: Memo<Vec<Meeting>>) -> impl IntoView {
    let meet: Meet = expect_context();
    let each = move || {
        let known = meet.plan.with(Option::is_some) && meet.event.with(Option::is_some);
        list.get()
            .into_iter()
            .map(|m| (known, m))
            .collect::<Vec<_>>()
    };
    view! {
        <ul class="meeting-list">
            <For each=each key=|(known, m)| format!("{known}{m:?}") let:item>
                <li><MeetingCard meeting=item.1 /></li>
            </For>
        </ul>
    }
}

/// One meeting: with whom, where it stands, when and where, and what the person can do now.
#[component]
fn MeetingCard(meeting: Meeting, #[prop(optional)] next: bool) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let me = meet.me.get_untracked().unwrap_or_default();
    let m = StoredValue::new(meeting);
    let id = m.with_value(|m| m.id);
    let with = m.with_value(|m| other(m, &me).clone());
    let mine_to_answer = m.with_value(|m| my_turn(m, &me));
    // Nothing to share in a meeting with a booth: contact with a booth is asked on its page.
    let with_booth = m.with_value(|m| m.booth.is_some());
    let problem = RwSignal::new(None::<String>);
    let status = m.with_value(|m| status_line(m, &me));
    let when = m.with_value(|m| m.slot.as_ref().map(|s| meet.when(s)));
    let proposed = m.with_value(|m| {
        m.proposed.as_ref().map(|p| {
            let by_me = m.proposed_by.as_ref().is_some_and(|b| b.as_str() == me);
            let with_request =
                m.status == MeetingStatus::Requested && m.proposed_by.as_ref() == Some(&m.from.id);
            let key = match (with_request, by_me) {
                (true, _) => "meeting-time-asked",
                (false, true) => "meeting-you-proposed",
                (false, false) => "meeting-they-proposed",
            };
            ta(key, &[("when", Arg::Str(meet.when(p)))])
        })
    });
    let place = m.with_value(|m| match (&m.table, &m.place, &m.video) {
        (Some(n), place, _) => Some(match place {
            Some(p) => ta(
                "meeting-table-at",
                &[
                    ("table", Arg::Count(u64::from(*n))),
                    ("place", Arg::Str(p.clone())),
                ],
            ),
            None => ta("meeting-table", &[("table", Arg::Count(u64::from(*n)))]),
        }),
        (None, _, Some(_)) if m.slot.is_some() => Some(t("meeting-online")),
        _ => None,
    });
    let video = m.with_value(|m| {
        m.video
            .clone()
            .filter(|_| m.slot.is_some())
            .and_then(|v| crate::text::safe_href(&v))
    });
    let message = m.with_value(|m| m.message.clone());
    let open = m.with_value(|m| m.status.open());
    let accepted = m.with_value(|m| m.status == MeetingStatus::Accepted);
    let send = move |msg: ClientMsg, said: &'static str| {
        act(meet.live, msg, problem, move |_| speaker.say(t(said)));
    };
    let answer = move |answer: MeetingAnswer, slot: Option<SlotAt>| {
        send(
            ClientMsg::AnswerMeeting {
                event: meet.code(),
                meeting: id,
                answer,
                slot,
            },
            match answer {
                MeetingAnswer::Accept => "meeting-accepted-said",
                MeetingAnswer::Decline => "meeting-declined-said",
                MeetingAnswer::Propose => "meeting-proposed-said",
            },
        )
    };
    // Accepting asks what to share with the other one (nothing unless chosen).
    let share = RwSignal::new(Sharing::default());
    let with_id = with.id.clone();
    // What is shared with them already stays shared: share_contact says the whole of it.
    let shared = {
        let with = with.id.clone();
        Memo::new(move |_| {
            meet.inbox.with(|i| {
                i.as_ref()
                    .and_then(|i| {
                        i.contacts.iter().find(|c| {
                            c.with.id == with && c.status != plenum_protocol::ContactStatus::Ended
                        })
                    })
                    .map(|c| c.mine.clone())
            })
        })
    };
    let accept = move |_| {
        let ticked = share.get_untracked();
        let before = shared.get_untracked();
        let sharing = match &before {
            _ if with_booth => Sharing::default(),
            Some(b) => Sharing {
                email: b.email || ticked.email,
                phone: b.phone || ticked.phone,
                note: b.note.clone(),
            },
            None => ticked,
        };
        let changed = before.as_ref() != Some(&sharing);
        let with = with_id.clone();
        let msg = ClientMsg::AnswerMeeting {
            event: meet.code(),
            meeting: id,
            answer: MeetingAnswer::Accept,
            slot: None,
        };
        act(meet.live, msg, problem, move |_| {
            speaker.say(t("meeting-accepted-said"));
            if (sharing.email || sharing.phone) && changed {
                let msg = ClientMsg::ShareContact {
                    event: meet.code(),
                    with,
                    share: sharing,
                    why: None,
                };
                act(meet.live, msg, problem, |_| {});
            }
        });
    };
    let has = move |f: fn(&plenum_protocol::ContactCard) -> bool| {
        meet.inbox.with(|i| {
            i.as_ref()
                .and_then(|i| i.contact_card.as_ref())
                .is_some_and(f)
        })
    };
    let has_email = Memo::new(move |_| has(|c| c.email.is_some()));
    let has_phone = Memo::new(move |_| has(|c| c.phone.is_some()));
    let share_id = StoredValue::new(format!("share-{id}"));
    let from_me = m.with_value(|m| m.from.id.as_str() == me);
    let current = m.with_value(|m| m.slot.clone());
    view! {
        <article class="meeting" aria-labelledby=format!("meeting-{id}")>
            <h3 id=format!("meeting-{id}")>{who(&with)}</h3>
            <p class="meeting-status">{status}</p>
            {when.map(|w| view! { <p class="meeting-when"><strong>{w}</strong></p> })}
            {place.map(|p| view! { <p class="meeting-place">{p}</p> })}
            {video.map(|href| view! { <p><a href=href target="_blank" rel="noopener noreferrer">{t("meeting-video-link")}</a></p> })}
            {next.then(|| view! { <Countdown meeting=m.get_value() /> })}
            {proposed.map(|p| view! { <p class="meeting-proposed">{p}</p> })}
            {message.map(|text| view! { <blockquote class="meeting-message">{text}</blockquote> })}
            {(mine_to_answer && !with_booth).then(|| view! {
                <fieldset class="share-choice">
                    <legend>{t("meeting-share-legend")}</legend>
                    {move || (!has_email.get() && !has_phone.get()).then(|| view! { <p class="hint">{t("meeting-share-no-card")}</p> })}
                    {move || has_email.get().then(|| { let fid = format!("{}-email", share_id.get_value()); view! {
                        <label class="choice" for=fid.clone()><input id=fid.clone() type="checkbox" prop:checked=move || share.with(|s| s.email) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.email = on); } />{t("contact-email")}</label>
                    }})}
                    {move || has_phone.get().then(|| { let fid = format!("{}-phone", share_id.get_value()); view! {
                        <label class="choice" for=fid.clone()><input id=fid.clone() type="checkbox" prop:checked=move || share.with(|s| s.phone) on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.phone = on); } />{t("contact-phone")}</label>
                    }})}
                </fieldset>
            })}
            {mine_to_answer.then(|| view! {
                <div class="actions">
                    <button type="button" class="primary" on:click=accept>{t("meeting-accept")}</button>
                    <button type="button" on:click=move |_| answer(MeetingAnswer::Decline, None)>{t("meeting-decline")}</button>
                </div>
            })}
            {(open && (mine_to_answer || accepted)).then(|| view! { <Propose on_choose=move |slot| answer(MeetingAnswer::Propose, Some(slot)) id current=current.clone() /> })}
            {accepted.then(|| view! { <OnTheDay meeting=m.get_value() problem /> })}
            {(open && (accepted || from_me || !mine_to_answer)).then(|| view! {
                <div class="actions">
                    <button type="button" on:click=move |_| send(ClientMsg::CancelMeeting { event: meet.code(), meeting: id }, "meeting-cancelled-said")>
                        {if accepted { t("meeting-cancel") } else { t("meeting-withdraw") }}
                    </button>
                </div>
            })}
            {problem_view(problem)}
        </article>
    }
}

/// Where a meeting stands, for `me`, in a sentence.
pub(super) fn status_line(m: &Meeting, me: &str) -> String {
    let from_me = m.from.id.as_str() == me;
    match m.status {
        // The one asked, asked; or the one who asked, answered with another time.
        MeetingStatus::Requested if my_turn(m, me) && !from_me => {
            if me.starts_with(plenum_protocol::BOOTH_SIDE_PREFIX) {
                t("meeting-asks-your-team")
            } else {
                t("meeting-asks-you")
            }
        }
        MeetingStatus::Requested if my_turn(m, me) => t("meeting-answered-with-time"),
        MeetingStatus::Requested => {
            let until = m.expires_ms.map(time::clock_or_day).unwrap_or_default();
            ta("meeting-waiting-for-them", &[("until", Arg::Str(until))])
        }
        MeetingStatus::Accepted if m.slot.is_none() => t("meeting-accepted-unscheduled"),
        MeetingStatus::Accepted if m.locked => t("meeting-booked-locked"),
        MeetingStatus::Accepted => t("meeting-booked"),
        MeetingStatus::Declined => t("meeting-declined"),
        MeetingStatus::Expired => t("meeting-expired"),
        MeetingStatus::Cancelled => t("meeting-cancelled"),
    }
}

/// "Propose another time": a choice of the plan's slots and a button.
#[component]
fn Propose(
    on_choose: impl Fn(SlotAt) + Clone + Send + Sync + 'static,
    id: u64,
    /// Where the meeting is now: not a time to propose.
    current: Option<SlotAt>,
) -> impl IntoView {
    let meet: Meet = expect_context();
    let chosen = RwSignal::new(None::<usize>);
    let mut all = meet.slot_choices();
    all.retain(|(at, _)| Some(at) != current.as_ref());
    let choices = StoredValue::new(all);
    let select_id = format!("propose-{id}");
    let go = move |_| {
        if let Some(slot) = chosen
            .get_untracked()
            .and_then(|k| choices.with_value(|c| c.get(k).map(|c| c.0.clone())))
        {
            on_choose(slot);
        }
    };
    (!choices.with_value(Vec::is_empty)).then(|| view! {
        <details class="propose">
            <summary>{t("meeting-propose")}</summary>
            <label for=select_id.clone()>{t("meeting-time")}</label>
            <select id=select_id on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                <option value="">{t("choose")}</option>
                {choices.get_value().into_iter().enumerate().map(|(k, (_, words))| view! { <option value=k.to_string()>{words}</option> }).collect_view()}
            </select>
            <button type="button" on:click=go>{t("meeting-propose-send")}</button>
        </details>
    })
}

/// The countdown to a booked meeting (to its end once it runs).
#[component]
fn Countdown(meeting: Meeting) -> impl IntoView {
    let meet: Meet = expect_context();
    let Some((start, end)) = meeting.slot.as_ref().and_then(|s| meet.instants(s)) else {
        return ().into_any();
    };
    let now = ticking_now(std::time::Duration::from_secs(1));
    let text = move || {
        let now = now.get();
        let mins = |ms: i64| ((ms + 59_999) / 60_000).max(0) as u64;
        if now < start {
            let left = start - now;
            if left > 36 * 3_600_000 {
                String::new()
            } else {
                tc("meeting-starts-in", mins(left))
            }
        } else if now < end {
            tc("meeting-ends-in", mins(end - now))
        } else {
            t("meeting-over")
        }
    };
    view! { <p class="countdown" role="timer" aria-live="off">{text}</p> }.into_any()
}

/// On the day: "I'm here", "they did not come" (and someone else free now), "did it take
/// place?". Each shows only while the server would take it.
#[component]
fn OnTheDay(meeting: Meeting, problem: RwSignal<Option<String>>) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let me = meet.me.get_untracked().unwrap_or_default();
    let Some(slot) = meeting.slot.clone() else {
        return ().into_any();
    };
    let Some((start, end)) = meet.instants(&slot) else {
        return ().into_any();
    };
    let id = meeting.id;
    let now = ticking_now(std::time::Duration::from_secs(15));
    let here_me = meeting.here.iter().any(|p| p.as_str() == me);
    let here_other = meeting.here.iter().any(|p| p.as_str() != me);
    let marked = meeting.no_show.is_some();
    let marked_me = meeting.no_show.as_ref().is_some_and(|p| p.as_str() == me);
    let answered = meeting
        .held
        .iter()
        .find(|h| h.person.as_str() == me)
        .map(|h| h.held);
    const MIN: i64 = 60_000;
    let may_say_here = move || !here_me && (start - 15 * MIN..end).contains(&now.get());
    let may_mark =
        move || here_me && !here_other && !marked && (start + 5 * MIN..end).contains(&now.get());
    let may_answer = move || now.get() >= start && now.get() < start + 7 * 24 * 60 * MIN;
    let send = move |msg: ClientMsg, said: &'static str| {
        act(meet.live, msg, problem, move |_| speaker.say(t(said)));
    };
    let free_now = RwSignal::new(false);
    // People free now, while the slot lasts (a memo: asked once, not at each tick).
    let show_free = Memo::new(move |_| {
        (free_now.get() || (marked && here_me && !marked_me)) && now.get() < end
    });
    view! {
        <div class="on-the-day">
            {here_me.then(|| view! { <p class="hint">{t("meeting-you-are-here")}</p> })}
            {here_other.then(|| view! { <p class="hint">{t("meeting-they-are-here")}</p> })}
            {marked.then(|| view! { <p class="hint">{if marked_me { t("meeting-no-show-you") } else { t("meeting-no-show-marked") }}</p> })}
            <Show when=may_say_here>
                <button type="button" class="primary" on:click=move |_| send(ClientMsg::MeetingHere { event: meet.code(), meeting: id }, "meeting-here-said")>{t("meeting-here")}</button>
            </Show>
            <Show when=may_mark>
                <button type="button" on:click=move |_| {
                    send(ClientMsg::MeetingNoShow { event: meet.code(), meeting: id }, "meeting-no-show-said");
                    free_now.set(true);
                }>{t("meeting-no-show")}</button>
            </Show>
            {move || (show_free.get() && !meet.as_booth()).then(|| view! { <find::FreeNow at=slot.clone() meeting=id /> })}
            <Show when=may_answer>
                <fieldset class="held">
                    <legend>{t("meeting-held-question")}</legend>
                    {answered.map(|h| view! { <p class="hint">{if h { t("meeting-held-yes-said") } else { t("meeting-held-no-said") }}</p> })}
                    <button type="button" aria-pressed=(answered == Some(true)).to_string() on:click=move |_| send(ClientMsg::MeetingHeld { event: meet.code(), meeting: id, held: true }, "meeting-held-yes-said")>{t("yes")}</button>
                    <button type="button" aria-pressed=(answered == Some(false)).to_string() on:click=move |_| send(ClientMsg::MeetingHeld { event: meet.code(), meeting: id, held: false }, "meeting-held-no-said")>{t("no")}</button>
                </fieldset>
            </Show>
        </div>
    }
    .into_any()
}

/// The browser's notifications, only when the person allows them (asked here, never by
/// itself); nothing is pushed while no Plenum tab is open.
#[component]
fn NotifyMe() -> impl IntoView {
    let state = RwSignal::new(super::notify::permission());
    let ask = move |_| {
        super::notify::ask(move |granted| state.set(granted));
    };
    move || match state.get() {
        super::notify::Permission::Default => view! {
            <p><button type="button" on:click=ask>{t("notify-me")}</button></p>
        }
        .into_any(),
        super::notify::Permission::Granted => {
            view! { <p class="hint">{t("notify-on")}</p> }.into_any()
        }
        _ => ().into_any(),
    }
}
