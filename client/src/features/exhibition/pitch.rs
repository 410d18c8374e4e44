//! "Request contact" with a pitch while it is on stage (the session page, every build): the
//! contribution's booth (`ask_booth_contact`) or its person (`share_contact`), saying what to
//! share and why; where it stands comes from the person's inbox. The big screen shows a QR code
//! of the session page's address with `#pitch-contact`, where the page scrolls to this panel.
//! Without a display name there is nothing to ask with: the panel says so. The pitcher, and the
//! booth's own staff, are not offered it.

use leptos::prelude::*;
use plenum_protocol::{
    BoothContactStatus, ClientMsg, ContactStatus, Contribution, EventCode, Shared, Sharing, limits,
};

use super::sharing::{choices, shared_view, who};
use crate::components::feedback::{act, announcer, problem_view};
use crate::features::inbox;
use crate::i18n::{Arg, t, ta};
use crate::live::Live;

/// Where a request stands, for the one who made it.
#[derive(Debug, Clone, PartialEq)]
enum Standing {
    Asked,
    /// They offered first: the form answers it.
    Offered(String),
    Agreed {
        with: Option<String>,
        theirs: Option<Shared>,
    },
    /// The one asking is the pitcher, or on the booth's staff.
    Theirs,
}

/// The panel for the pitch on stage, if it names a booth or a person.
#[component]
pub fn PitchContact(
    code: EventCode,
    programme: Vec<Contribution>,
    on_stage: Memo<Option<u32>>,
) -> impl IntoView {
    let pitch = Memo::new(move |_| {
        on_stage.get().and_then(|n| {
            programme
                .iter()
                .find(|c| c.number == n && (c.booth.is_some() || c.contact.is_some()))
                .cloned()
        })
    });
    let code = StoredValue::new(code);
    move || {
        pitch
            .get()
            .map(|pitch| view! { <PitchForm code=code.get_value() pitch /> })
    }
}

#[component]
fn PitchForm(code: EventCode, pitch: Contribution) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code.clone());
    let speaker = announcer();
    let problem = RwSignal::new(None::<String>);
    let (booth, contact) = (pitch.booth.clone(), pitch.contact.clone());
    let standing = {
        let (booth, contact) = (booth.clone(), contact.clone());
        Memo::new(move |_| {
            inbox.with(|i| {
                let i = i.as_ref()?;
                if let Some(b) = &booth {
                    if i.queues.iter().any(|q| &q.booth == b) {
                        return Some(Standing::Theirs);
                    }
                    let c = i.booth_contacts.iter().find(|c| &c.booth == b)?;
                    return Some(match c.status {
                        BoothContactStatus::Agreed => Standing::Agreed {
                            with: c.with.as_ref().map(who),
                            theirs: c.theirs.clone(),
                        },
                        BoothContactStatus::Asked => Standing::Asked,
                        BoothContactStatus::Ended => return None,
                    });
                }
                let p = contact.as_ref()?;
                if live.person().is_some_and(|me| me.id == p.as_str()) {
                    return Some(Standing::Theirs);
                }
                let c = i.contacts.iter().find(|c| &c.with.id == p)?;
                match c.status {
                    ContactStatus::Agreed => Some(Standing::Agreed {
                        with: Some(who(&c.with)),
                        theirs: c.theirs.clone(),
                    }),
                    ContactStatus::Asked => Some(Standing::Asked),
                    ContactStatus::Offered => Some(Standing::Offered(who(&c.with))),
                    ContactStatus::Ended => None,
                }
            })
        })
    };
    let card = Memo::new(move |_| inbox.with(|i| i.as_ref().and_then(|i| i.contact_card.clone())));
    let share = RwSignal::new(Sharing::default());
    let why = RwSignal::new(String::new());
    let (booth, contact) = (StoredValue::new(booth), StoredValue::new(contact));
    let code = StoredValue::new(code);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = Some(why.get_untracked()).filter(|w| !w.trim().is_empty());
        let msg = match (booth.get_value(), contact.get_value()) {
            (Some(booth), _) => ClientMsg::AskBoothContact {
                event: code.get_value(),
                booth,
                share: share.get_untracked(),
                why: reason,
            },
            (None, Some(with)) => ClientMsg::ShareContact {
                event: code.get_value(),
                with,
                share: share.get_untracked(),
                why: reason,
            },
            (None, None) => return,
        };
        act(live, msg, problem, move |_| {
            speaker.say(t("pitch-contact-sent"))
        });
    };
    let name = pitch
        .speakers
        .first()
        .and_then(|p| p.organisation.clone())
        .unwrap_or_else(|| pitch.title.clone());
    let named = Memo::new(move |_| live.person().is_some_and(|p| p.name.is_some()));
    // Opened from the big screen's QR code: the page goes to this panel once it is drawn.
    Effect::new(move || {
        let opened = window().location().hash().ok().as_deref() == Some("#pitch-contact");
        if opened && let Some(el) = document().get_element_by_id("pitch-contact-heading") {
            el.scroll_into_view();
        }
    });
    let offered = move || matches!(standing.get(), None | Some(Standing::Offered(_)));
    view! {
        <section class="panel pitch-contact" id="pitch-contact" aria-labelledby="pitch-contact-heading">
            <h2 id="pitch-contact-heading" tabindex="-1">{move || t("pitch-contact")}</h2>
            <div role="status">
                {move || match standing.get() {
                    None => view! { <p class="hint">{ta("pitch-contact-hint", &[("who", Arg::Str(name.clone()))])}</p> }.into_any(),
                    Some(Standing::Theirs) => view! { <p class="hint">{t("pitch-contact-yours")}</p> }.into_any(),
                    Some(Standing::Asked) => view! { <p class="sent">{t("pitch-contact-asked")}</p> }.into_any(),
                    Some(Standing::Offered(who)) => view! { <p class="sent">{ta("pitch-contact-offered", &[("who", Arg::Str(who))])}</p> }.into_any(),
                    Some(Standing::Agreed { with, theirs }) => view! {
                        <p class="sent">{match with {
                            Some(w) => ta("pitch-contact-agreed", &[("who", Arg::Str(w))]),
                            None => t("booth-contact-agreed-team"),
                        }}</p>
                        {theirs.map(shared_view)}
                    }.into_any(),
                }}
            </div>
            <Show when=move || { offered() && !named.get() }>
                <p class="hint">{move || t("pitch-contact-name")}</p>
            </Show>
            <Show when=move || { offered() && named.get() }>
                <form on:submit=send>
                    {move || choices("pitch-contact", card.get(), share, code.get_value())}
                    <label for="pitch-contact-why">{move || t("booth-contact-why")}</label>
                    <input id="pitch-contact-why" type="text" maxlength=limits::MAX_CONTACT_NOTE_CHARS.to_string()
                        prop:value=move || why.get() on:input=move |ev| why.set(event_target_value(&ev)) />
                    <button type="submit" class="primary">{move || t("booth-contact-ask")}</button>
                </form>
            </Show>
            {problem_view(problem)}
        </section>
    }
}
