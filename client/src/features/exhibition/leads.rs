//! Contact with a booth, by consent: the visitor's panel (ask, saying what to share and why;
//! where it stands; what the one who accepted shares; withdraw) and the staff's list of
//! contact requests (who asked and why; accept, choosing what to share back, or decline; the
//! agreed ones with what each visitor shares, as CSV or vCard). The visitor's side is in their
//! inbox (`booth_contact_changed`); the staff's list is read over HTTP again whenever the
//! booth's queue says its counts changed.

use leptos::prelude::*;
use plenum_protocol::{
    BoothContactStatus, BoothId, BoothLead, ClientMsg, EventCode, Sharing, limits,
};

use super::sharing::{choices, shared_view, who};
use crate::components::feedback::{act, announcer, problem_view};
use crate::features::inbox;
use crate::i18n::{Arg, t, ta};
use crate::live::Live;

/// The visitor's panel: ask the booth for contact, or where it stands.
#[component]
pub fn BoothContactPanel(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code.clone());
    let speaker = announcer();
    let problem = RwSignal::new(None::<String>);
    let mine = {
        let booth = booth.clone();
        Memo::new(move |_| {
            inbox.with(|i| {
                i.as_ref()
                    .and_then(|i| i.booth_contacts.iter().find(|c| c.booth == booth).cloned())
            })
        })
    };
    let card = Memo::new(move |_| inbox.with(|i| i.as_ref().and_then(|i| i.contact_card.clone())));
    let share = RwSignal::new(Sharing::default());
    let why = RwSignal::new(String::new());
    // What is shared starts the form, when there is a contact; set again only when that
    // changes (an acceptance does not undo what is being chosen).
    let shared_now = Memo::new(move |_| mine.with(|c| c.as_ref().map(|c| c.mine.clone())));
    Effect::new(move || {
        if let Some(m) = shared_now.get() {
            share.set(m);
        }
    });
    let code = StoredValue::new(code);
    let id = StoredValue::new(booth);
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = why.get_untracked();
        act(
            live,
            ClientMsg::AskBoothContact {
                event: code.get_value(),
                booth: id.get_value(),
                share: share.get_untracked(),
                why: Some(reason).filter(|w| !w.trim().is_empty()),
            },
            problem,
            move |_| speaker.say(t("contact-shared-said")),
        );
    };
    let withdraw = move |_| {
        act(
            live,
            ClientMsg::EndBoothContact {
                event: code.get_value(),
                booth: id.get_value(),
                visitor: None,
            },
            problem,
            move |_| speaker.say(t("booth-contact-withdrawn")),
        );
    };
    view! {
        <section class="panel booth-contact" aria-labelledby="booth-contact-heading">
            <h2 id="booth-contact-heading">{move || t("booth-contact")}</h2>
            {move || {
                let contact = mine.get();
                let status = contact.as_ref().map(|c| c.status);
                let words = match (&contact, status) {
                    (Some(c), Some(BoothContactStatus::Agreed)) => Some(match &c.with {
                        Some(w) => ta("booth-contact-agreed", &[("who", Arg::Str(who(w)))]),
                        None => t("booth-contact-agreed-team"),
                    }),
                    (_, Some(BoothContactStatus::Asked)) => Some(t("booth-contact-asked")),
                    _ => None,
                };
                let theirs = contact.as_ref().and_then(|c| c.theirs.clone());
                view! {
                    {match words {
                        Some(w) => view! { <p role="status" class="sent">{w}</p> }.into_any(),
                        None => view! { <p class="hint">{t("booth-contact-hint")}</p> }.into_any(),
                    }}
                    {theirs.map(shared_view)}
                }
            }}
            <form on:submit=ask>
                {move || choices("booth-contact", card.get(), share, code.get_value())}
                <Show when=move || mine.with(Option::is_none)>
                    <label for="booth-contact-why">{move || t("booth-contact-why")}</label>
                    <input id="booth-contact-why" type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string()
                        prop:value=move || why.get() on:input=move |ev| why.set(event_target_value(&ev)) />
                </Show>
                <div class="actions">
                    <button type="submit" class="primary">{move || if mine.with(Option::is_some) { t("booth-contact-update") } else { t("booth-contact-ask") }}</button>
                    <Show when=move || mine.with(Option::is_some)>
                        <button type="button" on:click=withdraw>{move || t("booth-contact-withdraw")}</button>
                    </Show>
                </div>
            </form>
            {problem_view(problem)}
        </section>
    }
}

/// The staff's list of the booth's contact requests.
#[component]
pub fn BoothLeads(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code.clone());
    let problem = RwSignal::new(None::<String>);
    // The queue's version of the contacts grows with every change: read the list again.
    let counts = {
        let booth = booth.clone();
        Memo::new(move |_| {
            inbox.with(|i| {
                i.as_ref()
                    .and_then(|i| i.queues.iter().find(|q| q.booth == booth))
                    .map(|q| (q.contacts_version, q.contacts_requested))
            })
        })
    };
    let card = Memo::new(move |_| inbox.with(|i| i.as_ref().and_then(|i| i.contact_card.clone())));
    let code = StoredValue::new(code);
    let id = StoredValue::new(booth);
    let leads = LocalResource::new(move || {
        counts.track();
        let (code, booth) = (code.get_value(), id.get_value());
        async move { crate::api::booths::contacts(&code, &booth).await }
    });
    let list = Memo::new(move |_| match leads.get() {
        Some(Ok(l)) => l,
        _ => Vec::new(),
    });
    Effect::new(move || match leads.get() {
        Some(Err(e)) => problem.set(Some(e.message())),
        Some(Ok(_)) => problem.set(None),
        None => {}
    });
    let requested = move || {
        counts.get().map(|(_, n)| {
            ta(
                "booth-leads-requested",
                &[("count", Arg::Num(f64::from(n)))],
            )
        })
    };
    let agreed =
        Memo::new(move |_| list.with(|l| l.iter().any(|l| l.status == BoothContactStatus::Agreed)));
    let share = RwSignal::new(Sharing::default());
    view! {
        <section class="panel booth-leads" aria-labelledby="booth-leads-heading">
            <h2 id="booth-leads-heading">{move || t("booth-leads")}</h2>
            <p class="hint">{move || t("booth-leads-hint")}</p>
            {move || choices("booth-leads", card.get(), share, code.get_value())}
            {move || list.with(Vec::is_empty).then(|| view! { <p class="meta">{t("booth-leads-none")}</p> })}
            <p class="meta">{requested}</p>
            <ul class="contact-list">
                <For each=move || list.get() key=|l| format!("{l:?}") let:lead>
                    <li><Lead lead share code=code.get_value() booth=id.get_value() problem /></li>
                </For>
            </ul>
            <Show when=move || agreed.get()>
                <crate::features::meetings::ContactFiles
                    key=crate::api::booths::credential(&code.get_value())
                    path=format!("/api/events/{}/booths/{}/contacts", code.get_value(), id.get_value())
                    file=format!("{}-{}-contacts", code.get_value(), id.get_value())
                    problem
                />
            </Show>
            {problem_view(problem)}
        </section>
    }
}

#[component]
fn Lead(
    lead: BoothLead,
    share: RwSignal<Sharing>,
    code: EventCode,
    booth: BoothId,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let live: Live = expect_context();
    let speaker = announcer();
    let name = who(&lead.visitor);
    let visitor = StoredValue::new(lead.visitor.id.clone());
    let code = StoredValue::new(code);
    let booth = StoredValue::new(booth);
    let asked = lead.status == BoothContactStatus::Asked;
    let accept = move |_| {
        act(
            live,
            ClientMsg::AnswerBoothContact {
                event: code.get_value(),
                booth: booth.get_value(),
                visitor: visitor.get_value(),
                share: share.get_untracked(),
            },
            problem,
            move |_| speaker.say(t("contact-shared-said")),
        );
    };
    let end = move |_| {
        act(
            live,
            ClientMsg::EndBoothContact {
                event: code.get_value(),
                booth: booth.get_value(),
                visitor: Some(visitor.get_value()),
            },
            problem,
            move |_| speaker.say(t("contact-ended-said")),
        );
    };
    let accept_label = ta(
        "booth-leads-accept-label",
        &[("who", Arg::Str(name.clone()))],
    );
    let end_label = if asked {
        ta(
            "booth-leads-decline-label",
            &[("who", Arg::Str(name.clone()))],
        )
    } else {
        ta("booth-leads-end-label", &[("who", Arg::Str(name.clone()))])
    };
    view! {
        <article class="contact">
            <h3>{name}</h3>
            <p class="meeting-status">{if asked { t("booth-leads-asked") } else { t("booth-leads-agreed") }}</p>
            {lead.why.map(|w| view! { <blockquote>{w}</blockquote> })}
            {lead.theirs.map(shared_view)}
            {lead.staff.map(|s| view! { <p class="hint">{ta("booth-leads-accepted-by", &[("who", Arg::Str(who(&s)))])}</p> })}
            <div class="actions">
                {asked.then(|| view! { <button type="button" class="primary" aria-label=accept_label on:click=accept>{t("contact-accept")}</button> })}
                <button type="button" aria-label=end_label on:click=end>{if asked { t("contact-decline") } else { t("contact-end") }}</button>
            </div>
        </article>
    }
}
