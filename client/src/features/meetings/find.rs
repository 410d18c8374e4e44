//! Finding people to meet: a search (words, a tag, a sector), the recommendations with their
//! reasons, someone free now (after a no-show); asking for a meeting; blocking and reporting.
//! Only listed profiles are found, and only by people the server lets look.

use leptos::prelude::*;
use plenum_protocol::{
    CardKind, ClientMsg, Listed, PersonId, Recommended, ServerMsg, Sharing, SlotAt, limits,
};

use super::Meet;
use crate::components::feedback::{act, announcer, problem_view};
use crate::i18n::{t, tc};
use crate::route::{Link, Route};

/// The search and the recommendations.
#[component]
pub fn FindPeople() -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let query = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let sector = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<Recommended>>);
    let next = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let rules = Memo::new(move |_| {
        meet.plan
            .with(|p| p.as_ref().map(|p| p.profiles.clone()).unwrap_or_default())
    });
    let search = move |after: Option<String>| {
        let more = after.is_some();
        let msg = ClientMsg::FindPeople {
            event: meet.code(),
            query: query.get_untracked().trim().to_owned(),
            tags: Some(tag.get_untracked())
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect(),
            country: None,
            sector: Some(sector.get_untracked()).filter(|s| !s.is_empty()),
            free_now_at: None,
            after,
        };
        act(meet.live, msg, problem, move |reply| {
            if let ServerMsg::Ok {
                people: Some(page), ..
            } = reply
            {
                let people: Vec<Recommended> = page
                    .people
                    .into_iter()
                    .map(|person| Recommended {
                        person,
                        reasons: Vec::new(),
                    })
                    .collect();
                speaker.say(tc("people-found", people.len() as u64));
                if more {
                    found.update(|f| f.get_or_insert_with(Vec::new).extend(people));
                } else {
                    found.set(Some(people));
                }
                next.set(page.next);
            }
        });
    };
    let recommend = move |_| {
        act(
            meet.live,
            ClientMsg::Recommend { event: meet.code() },
            problem,
            move |reply| {
                if let ServerMsg::Ok {
                    recommended: Some(people),
                    ..
                } = reply
                {
                    speaker.say(tc("people-recommended", people.len() as u64));
                    found.set(Some(people));
                    next.set(None);
                }
            },
        );
    };
    view! {
        <section class="panel" aria-labelledby="find-people-heading">
            <h2 id="find-people-heading">{move || t("find-people")}</h2>
            <p class="hint">{move || t("find-people-hint")}</p>
            <form class="stack" role="search" on:submit=move |ev| { ev.prevent_default(); search(None); }>
                <div class="field">
                    <label for="find-query">{move || t("find-words")}</label>
                    <input id="find-query" type="search" maxlength="100" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev)) />
                </div>
                <Show when=move || rules.with(|r| !r.tags.is_empty())>
                    <div class="field">
                        <label for="find-tag">{move || t("find-tag")}</label>
                        <select id="find-tag" on:change=move |ev| tag.set(event_target_value(&ev))>
                            <option value="">{move || t("find-any")}</option>
                            {move || rules.get().tags.into_iter().map(|x| { let v = x.clone(); view! { <option value=v>{x}</option> } }).collect_view()}
                        </select>
                    </div>
                </Show>
                <Show when=move || rules.with(|r| !r.sectors.is_empty())>
                    <div class="field">
                        <label for="find-sector">{move || t("find-sector")}</label>
                        <select id="find-sector" on:change=move |ev| sector.set(event_target_value(&ev))>
                            <option value="">{move || t("find-any")}</option>
                            {move || rules.get().sectors.into_iter().map(|x| { let v = x.clone(); view! { <option value=v>{x}</option> } }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary">{move || t("find-search")}</button>
                    <button type="button" on:click=recommend>{move || t("find-recommended")}</button>
                </div>
            </form>
            {problem_view(problem)}
            {move || found.get().map(|people| view! {
                <p role="status">{tc("people-found", people.len() as u64)}</p>
                <ul class="people-list">
                    {people.into_iter().map(|r| view! { <li><PersonCard person=r.person reasons=r.reasons ids="found" /></li> }).collect_view()}
                </ul>
            })}
            <Show when=move || next.with(Option::is_some)>
                <button type="button" on:click=move |_| search(next.get_untracked())>{move || t("find-more")}</button>
            </Show>
        </section>
    }
}

/// Someone open for a meeting now and free in `slot` (offered after a no-show).
#[component]
pub fn FreeNow(
    at: SlotAt,
    /// The meeting that did not happen (its people's ids on the page are apart).
    meeting: u64,
) -> impl IntoView {
    let meet: Meet = expect_context();
    let people = RwSignal::new(None::<Vec<Listed>>);
    let problem = RwSignal::new(None::<String>);
    let msg = ClientMsg::FindPeople {
        event: meet.code(),
        query: String::new(),
        tags: Vec::new(),
        country: None,
        sector: None,
        free_now_at: Some(at.clone()),
        after: None,
    };
    act(meet.live, msg, problem, move |reply| {
        if let ServerMsg::Ok {
            people: Some(page), ..
        } = reply
        {
            people.set(Some(page.people));
        }
    });
    view! {
        <div class="free-now">
            <h4>{move || t("free-now-heading")}</h4>
            {move || people.get().map(|list| if list.is_empty() {
                view! { <p class="hint">{t("free-now-nobody")}</p> }.into_any()
            } else {
                view! {
                    <ul class="people-list">
                        {list.into_iter().map(|p| view! { <li><PersonCard person=p reasons=Vec::new() ids=format!("free-{meeting}") /></li> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {problem_view(problem)}
        </div>
    }
}

/// A listed person: who, their cards, why recommended; "Ask to meet", block, report.
#[component]
fn PersonCard(
    person: Listed,
    reasons: Vec<String>,
    /// Prefixes the card's ids: one person may be on two lists of the page.
    #[prop(into)]
    ids: String,
) -> impl IntoView {
    let meet: Meet = expect_context();
    let id = person.id.clone();
    let me = meet.me.get_untracked().unwrap_or_default();
    let itself = id.as_str() == me;
    let mut about: Vec<String> = Vec::new();
    about.extend(person.role.clone());
    about.extend(person.organisation.clone());
    about.extend(person.country.clone());
    about.extend(person.sectors.iter().cloned());
    if person.online {
        about.push(t("person-online"));
    }
    let name = person.name.clone().unwrap_or_else(|| t("someone"));
    let heading = format!("{ids}-person-{id}");
    view! {
        <article class="person-card" aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{name.clone()} {person.open_now.then(|| view! { " " <span class="badge">{t("person-open-now")}</span> })}</h3>
            {(!about.is_empty()).then(|| view! { <p class="hint">{about.join(" · ")}</p> })}
            {(!person.cards.is_empty()).then(|| view! {
                <ul class="match-cards">
                    {person.cards.into_iter().map(|c| view! {
                        <li class=match c.kind { CardKind::Offer => "card-offer", CardKind::Request => "card-request" }>
                            <strong>{match c.kind { CardKind::Offer => t("card-offer"), CardKind::Request => t("card-request") }} ": " {c.title}</strong>
                            {c.text.map(|x| view! { <span class="card-text">" — " {x}</span> })}
                            {(!c.tags.is_empty()).then(|| view! { <span class="hint">" (" {c.tags.join(", ")} ")"</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!reasons.is_empty()).then(|| view! {
                <ul class="reasons" aria-label=t("recommended-because")>
                    {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                </ul>
            })}
            {(!itself).then(|| view! {
                <AskToMeet to=Some(id.clone()) ids=format!("{ids}-ask-{id}") />
                <BlockOrReport person=id.clone() name=name.clone() ids=format!("{ids}-report-{id}") />
            })}
        </article>
    }
}

/// "Ask to meet": a message and, if they like, a time; the request is one meeting until it is
/// answered, moved or withdrawn. To a person (`to`), offering what to share; or to a booth's
/// team (`booth`: contact with a booth is asked on its page).
#[component]
pub(super) fn AskToMeet(
    to: Option<PersonId>,
    #[prop(optional)] booth: Option<plenum_protocol::BoothId>,
    ids: String,
) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let message = RwSignal::new(String::new());
    let choices = StoredValue::new(meet.slot_choices());
    let chosen = RwSignal::new(None::<usize>);
    let problem = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let share = RwSignal::new(Sharing::default());
    let to = StoredValue::new(to);
    let for_booth = booth.is_some();
    // A booth's answer is on the meetings page, not on the booth's.
    let sent_key = if for_booth {
        "meeting-request-sent-booth"
    } else {
        "meeting-request-sent"
    };
    let booth = StoredValue::new(booth);
    let base = ids;
    let (msg_id, slot_id) = (format!("{base}-message"), format!("{base}-slot"));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = message.get_untracked().trim().to_owned();
        let msg = ClientMsg::RequestMeeting {
            event: meet.code(),
            to: to.get_value(),
            booth: booth.get_value(),
            message: Some(text).filter(|m| !m.is_empty()),
            slot: chosen
                .get_untracked()
                .and_then(|k| choices.with_value(|c| c.get(k).map(|c| c.0.clone()))),
        };
        let sharing = share.get_untracked();
        act(meet.live, msg, problem, move |_| {
            sent.set(true);
            speaker.say(t(sent_key));
            // What to share, offered with the request: theirs to accept or not.
            if let (true, Some(with)) = (sharing.email || sharing.phone, to.get_value()) {
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
    let card = meet
        .inbox
        .with_untracked(|i| i.as_ref().and_then(|i| i.contact_card.clone()));
    let to_person = to.with_value(Option::is_some);
    let (has_email, has_phone) = (
        to_person && card.as_ref().is_some_and(|c| c.email.is_some()),
        to_person && card.as_ref().is_some_and(|c| c.phone.is_some()),
    );
    let (email_id, phone_id) = (format!("{base}-email"), format!("{base}-phone"));
    view! {
        <details class="ask">
            <summary>{move || t("meeting-ask")}</summary>
            {move || if sent.get() {
                view! {
                    <p role="status">{t(sent_key)}</p>
                    {for_booth.then(|| view! { <p><Link to=Route::Meetings(meet.code())>{t("meetings-yours")}</Link></p> })}
                }.into_any()
            } else {
                let (msg_id, slot_id) = (msg_id.clone(), slot_id.clone());
                view! {
                <form class="stack" on:submit=send>
                    <div class="field">
                        <label for=msg_id.clone()>{move || t("meeting-message")}</label>
                        <textarea id=msg_id.clone() rows="3" maxlength=limits::MAX_MEETING_MESSAGE_CHARS.to_string()
                            prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                    </div>
                    <Show when=move || choices.with_value(|c| !c.is_empty())>
                        <div class="field">
                            <label for=slot_id.clone()>{move || t("meeting-time")} " " {move || t("optional")}</label>
                            <select id=slot_id.clone() on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                                <option value="" selected=move || chosen.get().is_none()>{move || t("meeting-any-time")}</option>
                                {choices.get_value().into_iter().enumerate().map(|(k, (_, words))| view! {
                                    <option value=k.to_string() selected=move || chosen.get() == Some(k)>{words}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    {(has_email || has_phone).then(|| { let (e, p) = (email_id.clone(), phone_id.clone()); view! {
                        <fieldset class="share-choice">
                            <legend>{t("meeting-share-legend")}</legend>
                            {has_email.then(|| view! { <label class="choice" for=e.clone()><input id=e.clone() type="checkbox" on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.email = on); } />{t("contact-email")}</label> })}
                            {has_phone.then(|| view! { <label class="choice" for=p.clone()><input id=p.clone() type="checkbox" on:change=move |ev| { let on = event_target_checked(&ev); share.update(|s| s.phone = on); } />{t("contact-phone")}</label> })}
                        </fieldset>
                    }})}
                    <button type="submit" class="primary">{move || t("meeting-ask-send")}</button>
                    {problem_view(problem)}
                </form>
                }.into_any()
            }}
        </details>
    }
}

/// Block someone (no more requests or offers from them), or report them to the organisers.
#[component]
pub fn BlockOrReport(
    person: PersonId,
    name: String,
    ids: String,
    /// The event (on the meetings page, its own).
    #[prop(optional)]
    code: Option<plenum_protocol::EventCode>,
    /// Shown open (when a button elsewhere opened it).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let live: crate::live::Live = expect_context();
    let code = StoredValue::new(code.unwrap_or_else(|| expect_context::<Meet>().code()));
    let inbox = crate::features::inbox::inbox(live, code.get_value());
    let person = StoredValue::new(person);
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let blocked = Memo::new(move |_| {
        inbox.with(|i| {
            i.as_ref()
                .is_some_and(|i| i.blocked.contains(&person.get_value()))
        })
    });
    let block = move |_| {
        let msg = ClientMsg::BlockSomeone {
            event: code.get_value(),
            person: person.get_value(),
            blocked: !blocked.get_untracked(),
        };
        act(live, msg, problem, |_| {});
    };
    let report = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::ReportSomeone {
            event: code.get_value(),
            person: person.get_value(),
            reason: reason.get_untracked().trim().to_owned(),
        };
        act(live, msg, problem, move |_| {
            reason.set(String::new());
            speaker.say(t("report-sent"));
        });
    };
    let report_id = ids;
    let name = StoredValue::new(name);
    view! {
        <details class="safety" open=open>
            <summary>{move || t("block-or-report")}</summary>
            <p class="hint">{move || crate::i18n::ta("block-hint", &[("name", crate::i18n::Arg::Str(name.get_value()))])}</p>
            <button type="button" on:click=block>{move || if blocked.get() { t("unblock") } else { t("block") }}</button>
            <form class="stack" on:submit=report>
                <label for=report_id.clone()>{move || t("report-why")}</label>
                <textarea id=report_id rows="2" required maxlength=limits::MAX_REPORT_CHARS.to_string()
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <button type="submit">{move || t("report-send")}</button>
            </form>
            {problem_view(problem)}
        </details>
    }
}
