//! The person's own settings for meetings: open for a meeting now, when they meet (online
//! only, a half day, slots kept free), their matchmaking profile (listed or not, role,
//! sectors, offer and request cards) and their contact card (shared only by consent).

use leptos::prelude::*;
use plenum_protocol::{
    CardKind, ClientMsg, ContactCard, HalfDay, MatchCard, MatchProfile, MeetingPreferences, limits,
};

use super::Meet;
use crate::components::feedback::{act, announcer, problem_view};
use crate::i18n::t;
use crate::time;

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <OpenNow />
        <MatchProfileForm />
        <Preferences />
        <CardForm />
        <YourData />
    }
}

/// The person's calendar feed (its address, made anew on request) and their data: all of it
/// downloaded, their profile deleted.
#[component]
fn YourData() -> impl IntoView {
    let speaker = announcer();
    let meet: Meet = expect_context();
    let feed = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let sure = RwSignal::new(false);
    let token = move || crate::api::saved::token(&meet.code()).unwrap_or_default();
    let address = move |renew: bool| {
        let (token, code) = (token(), meet.code());
        leptos::task::spawn_local(async move {
            match crate::api::person::calendar(&token, &code, renew).await {
                Ok(f) => {
                    problem.set(None);
                    feed.set(Some(f.url));
                    if renew {
                        speaker.say(t("calendar-renewed"));
                    }
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let download = move |_| {
        let (token, code) = (token(), meet.code());
        leptos::task::spawn_local(async move {
            let path = format!("/api/events/{code}/my-data");
            match crate::api::organiser::download(&token, &path).await {
                Ok(blob) => {
                    crate::components::files::save_blob(&format!("{code}-my-data.json"), &blob)
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let delete = move |_| {
        if !sure.get_untracked() {
            sure.set(true);
            return;
        }
        let (token, code) = (token(), meet.code());
        leptos::task::spawn_local(async move {
            match crate::api::person::delete_my_data(&token, &code).await {
                Ok(_) => {
                    sure.set(false);
                    speaker.say(t("my-data-deleted"));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="your-data-heading">
            <h2 id="your-data-heading">{move || t("your-data")}</h2>
            <h3>{move || t("calendar-feed")}</h3>
            <p class="hint">{move || t("calendar-feed-hint")}</p>
            {move || match feed.get() {
                None => view! { <button type="button" on:click=move |_| address(false)>{t("calendar-show")}</button> }.into_any(),
                Some(url) => view! {
                    <label for="calendar-url">{t("calendar-address")}</label>
                    <input id="calendar-url" type="text" readonly prop:value=url.clone() />
                    <div class="actions">
                        <button type="button" on:click=move |_| address(true)>{t("calendar-renew")}</button>
                    </div>
                }.into_any(),
            }}
            <h3>{move || t("my-data")}</h3>
            <p class="hint">{move || t("my-data-hint")}</p>
            <div class="actions">
                <button type="button" on:click=download>{move || t("my-data-download")}</button>
                <button type="button" on:click=delete>{move || if sure.get() { t("my-data-delete-sure") } else { t("my-data-delete") }}</button>
            </div>
            {problem_view(problem)}
        </section>
    }
}

/// "Open for a meeting now" for the next 30 minutes: found by people whose meeting did not
/// happen.
#[component]
fn OpenNow() -> impl IntoView {
    let meet: Meet = expect_context();
    // As the server keeps it (the inbox's, on every device), while it lasts.
    let now = crate::components::clock::ticking_now(std::time::Duration::from_secs(30));
    let until = Memo::new(move |_| {
        meet.inbox
            .with(|i| i.as_ref().and_then(|i| i.open_until_ms))
            .filter(|at| *at > now.get())
    });
    let problem = RwSignal::new(None::<String>);
    let set = move |open: bool| {
        act(
            meet.live,
            ClientMsg::OpenNow {
                event: meet.code(),
                open,
            },
            problem,
            |_| {},
        );
    };
    view! {
        <Show when=move || meet.plan.with(Option::is_some)>
            <section class="panel" aria-labelledby="open-now-heading">
                <h2 id="open-now-heading">{move || t("open-for-meetings")}</h2>
                <p class="hint">{move || t("open-now-hint")}</p>
                {move || match until.get() {
                    Some(at) => view! {
                        <p role="status">{crate::i18n::ta("open-now-until", &[("at", crate::i18n::Arg::Str(time::clock(at)))])}</p>
                        <button type="button" on:click=move |_| set(false)>{t("open-now-stop")}</button>
                    }.into_any(),
                    None => view! { <button type="button" on:click=move |_| set(true)>{t("open-now-start")}</button> }.into_any(),
                }}
                {problem_view(problem)}
            </section>
        </Show>
    }
}

/// The matchmaking profile: published only when `listed`.
#[component]
fn MatchProfileForm() -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let kept = Memo::new(move |_| {
        meet.inbox
            .with(|i| i.as_ref().and_then(|i| i.match_profile.clone()))
    });
    let draft = RwSignal::new(kept.get_untracked().unwrap_or_default());
    let dirty = RwSignal::new(false);
    Effect::new(move || {
        let now = kept.get().unwrap_or_default();
        if !dirty.get_untracked() {
            draft.set(now);
        }
    });
    let rules = Memo::new(move |_| {
        meet.plan
            .with(|p| p.as_ref().map(|p| p.profiles.clone()).unwrap_or_default())
    });
    let problem = RwSignal::new(None::<String>);
    // The card forms are made again only when a card comes or goes, not at each keystroke.
    let cards = Memo::new(move |_| draft.with(|p| p.cards.len()));
    let edit = move |f: Box<dyn FnOnce(&mut MatchProfile)>| {
        dirty.set(true);
        draft.update(|p| f(p));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::SetMatchProfile {
            event: meet.code(),
            profile: draft.get_untracked(),
        };
        let publish = move || {
            act(meet.live, msg, problem, move |_| {
                dirty.set(false);
                speaker.say(t("match-profile-saved"));
            });
        };
        // Only a participant (someone the event keeps, with their name) has a matchmaking
        // profile: who has not said who they are yet saves that first, even empty.
        let about = meet
            .inbox
            .with_untracked(|i| i.as_ref().map(|i| i.profile.clone()));
        match about {
            Some(profile) if profile.is_empty() => {
                let first = ClientMsg::SetProfile {
                    event: meet.code(),
                    profile,
                };
                act(meet.live, first, problem, move |_| publish());
            }
            _ => publish(),
        }
    };
    let add = move |kind: CardKind| {
        edit(Box::new(move |p| {
            if p.cards.len() < limits::MAX_MATCH_CARDS {
                p.cards.push(MatchCard {
                    kind,
                    title: String::new(),
                    text: None,
                    tags: Vec::new(),
                });
            }
        }))
    };
    view! {
        <Show when=move || meet.plan.with(Option::is_some)>
            <section class="panel" aria-labelledby="match-profile-heading">
                <h2 id="match-profile-heading">{move || t("match-profile")}</h2>
                <p class="hint">{move || t("match-profile-hint")}</p>
                <form class="stack" on:submit=save>
                    <label class="choice" for="match-listed">
                        <input id="match-listed" type="checkbox" prop:checked=move || draft.with(|p| p.listed)
                            on:change=move |ev| { let on = event_target_checked(&ev); edit(Box::new(move |p| p.listed = on)); } />
                        {move || t("match-listed")}
                    </label>
                    <Show when=move || !rules.with(|r| r.no_role)>
                        <div class="field">
                            <label for="match-role">{move || t("match-role")}</label>
                            <input id="match-role" type="text" maxlength=limits::MAX_ROLE_CHARS.to_string()
                                prop:value=move || draft.with(|p| p.role.clone().unwrap_or_default())
                                on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |p| p.role = Some(v).filter(|v| !v.trim().is_empty()))); } />
                        </div>
                    </Show>
                    <Show when=move || rules.with(|r| !r.sectors.is_empty())>
                        <fieldset class="field">
                            <legend>{move || t("match-sectors")}</legend>
                            <div class="choices">
                                {move || rules.get().sectors.into_iter().map(|s| {
                                    let id = format!("match-sector-{}", s.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                                    let (c, v) = (s.clone(), s.clone());
                                    view! {
                                        <label class="choice" for=id.clone()>
                                            <input id=id.clone() type="checkbox" prop:checked=move || draft.with(|p| p.sectors.contains(&c))
                                                on:change=move |ev| { let on = event_target_checked(&ev); let v = v.clone(); edit(Box::new(move |p| { p.sectors.retain(|x| *x != v); if on { p.sectors.push(v); } })); } />
                                            {s}
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    </Show>
                    <ol class="match-card-forms">
                        {move || (0..cards.get()).map(|k| view! { <li><CardFields k draft dirty rules /></li> }).collect_view()}
                    </ol>
                    <div class="actions">
                        <button type="button" on:click=move |_| add(CardKind::Offer)>{move || t("card-add-offer")}</button>
                        <button type="button" on:click=move |_| add(CardKind::Request)>{move || t("card-add-request")}</button>
                    </div>
                    <button type="submit" class="primary">{move || t("save")}</button>
                    {problem_view(problem)}
                </form>
            </section>
        </Show>
    }
}

/// One offer or request card of the profile being edited.
#[component]
fn CardFields(
    k: usize,
    draft: RwSignal<MatchProfile>,
    dirty: RwSignal<bool>,
    rules: Memo<plenum_protocol::ProfileRules>,
) -> impl IntoView {
    let card = move |f: &dyn Fn(&MatchCard) -> String| {
        draft.with(|p| p.cards.get(k).map(f).unwrap_or_default())
    };
    let edit = move |f: Box<dyn FnOnce(&mut MatchCard)>| {
        dirty.set(true);
        draft.update(|p| {
            if let Some(c) = p.cards.get_mut(k) {
                f(c);
            }
        });
    };
    let kind = draft
        .with_untracked(|p| p.cards.get(k).map(|c| c.kind))
        .unwrap_or(CardKind::Offer);
    let (title_id, text_id, tags_id) = (
        format!("card-{k}-title"),
        format!("card-{k}-text"),
        format!("card-{k}-tags"),
    );
    view! {
        <fieldset class="match-card-form">
            <legend>{move || match kind { CardKind::Offer => t("card-offer"), CardKind::Request => t("card-request") }}</legend>
            <div class="field">
                <label for=title_id.clone()>{move || t("card-title")}</label>
                <input id=title_id type="text" required maxlength=limits::MAX_CARD_TITLE_CHARS.to_string()
                    prop:value=move || card(&|c| c.title.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |c| c.title = v)); } />
            </div>
            <div class="field">
                <label for=text_id.clone()>{move || t("card-text")}</label>
                <textarea id=text_id rows="2" maxlength=limits::MAX_CARD_TEXT_CHARS.to_string()
                    prop:value=move || card(&|c| c.text.clone().unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |c| c.text = Some(v).filter(|v| !v.trim().is_empty()))); }></textarea>
            </div>
            <Show when=move || rules.with(|r| !r.tags.is_empty())>
                <div class="field">
                    <label for=tags_id.clone()>{move || t("card-tags")}</label>
                    <select id=tags_id.clone() multiple size="4" on:change=move |ev| {
                        let select = event_target::<web_sys::HtmlSelectElement>(&ev);
                        let options = select.selected_options();
                        let chosen: Vec<String> = (0..options.length()).filter_map(|i| options.item(i)).filter_map(|o| o.get_attribute("value")).take(limits::MAX_CARD_TAGS).collect();
                        edit(Box::new(move |c| c.tags = chosen));
                    }>
                        {move || rules.get().tags.into_iter().map(|x| {
                            let chosen = draft.with_untracked(|p| p.cards.get(k).is_some_and(|c| c.tags.contains(&x)));
                            let label = x.clone();
                            view! { <option value=x selected=chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <button type="button" on:click=move |_| { dirty.set(true); draft.update(|p| { if k < p.cards.len() { p.cards.remove(k); } }); }>{move || t("card-remove")}</button>
        </fieldset>
    }
}

/// When the person meets: online only, a half day, slots kept free.
#[component]
fn Preferences() -> impl IntoView {
    let meet: Meet = expect_context();
    let kept = Signal::derive(move || {
        meet.inbox
            .with(|i| i.as_ref().and_then(|i| i.meeting_preferences.clone()))
    });
    view! { <PreferencesForm kept /> }
}

/// When someone meets (the person; with `booth`, that booth, for its staff): online only, a
/// half day, slots kept free. `saved` runs once the server kept them.
#[component]
pub(super) fn PreferencesForm(
    kept: Signal<Option<MeetingPreferences>>,
    #[prop(optional)] booth: Option<plenum_protocol::BoothId>,
    #[prop(optional)] saved: Option<Callback<()>>,
) -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let draft = RwSignal::new(kept.get_untracked().unwrap_or_default());
    Effect::new(move || draft.set(kept.get().unwrap_or_default()));
    let problem = RwSignal::new(None::<String>);
    let for_booth = booth.is_some();
    let booth = StoredValue::new(booth);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::SetMeetingPreferences {
            event: meet.code(),
            preferences: draft.get_untracked(),
            booth: booth.get_value(),
        };
        act(meet.live, msg, problem, move |_| {
            speaker.say(t("preferences-saved"));
            if let Some(saved) = saved {
                saved.run(());
            }
        });
    };
    let half = move |h: Option<HalfDay>| draft.update(|p: &mut MeetingPreferences| p.half = h);
    view! {
        <Show when=move || meet.plan.with(Option::is_some)>
            <section class="panel" aria-labelledby="preferences-heading">
                <h2 id="preferences-heading">{move || if for_booth { t("booth-preferences") } else { t("preferences") }}</h2>
                <form class="stack" on:submit=save>
                    <label class="choice" for="pref-online">
                        <input id="pref-online" type="checkbox" prop:checked=move || draft.with(|p| p.online)
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|p| p.online = on); } />
                        {move || t("preferences-online")}
                    </label>
                    <fieldset class="field">
                        <legend>{move || t("preferences-half")}</legend>
                        <label class="choice" for="pref-any"><input id="pref-any" type="radio" name="half" prop:checked=move || draft.with(|p| p.half.is_none()) on:change=move |_| half(None) />{move || t("preferences-whole-day")}</label>
                        <label class="choice" for="pref-morning"><input id="pref-morning" type="radio" name="half" prop:checked=move || draft.with(|p| p.half == Some(HalfDay::Morning)) on:change=move |_| half(Some(HalfDay::Morning)) />{move || t("preferences-morning")}</label>
                        <label class="choice" for="pref-afternoon"><input id="pref-afternoon" type="radio" name="half" prop:checked=move || draft.with(|p| p.half == Some(HalfDay::Afternoon)) on:change=move |_| half(Some(HalfDay::Afternoon)) />{move || t("preferences-afternoon")}</label>
                    </fieldset>
                    <fieldset class="field">
                        <legend>{move || t("preferences-busy")}</legend>
                        <div class="choices">
                            {move || meet.slot_choices().into_iter().enumerate().map(|(k, (at, words))| {
                                let id = format!("busy-{k}");
                                let (a, b) = (at.clone(), at);
                                view! {
                                    <label class="choice" for=id.clone()>
                                        <input id=id.clone() type="checkbox" prop:checked=move || draft.with(|p| p.busy.contains(&a))
                                            on:change=move |ev| { let on = event_target_checked(&ev); let b = b.clone(); draft.update(|p| { p.busy.retain(|x| *x != b); if on { p.busy.push(b); } }); } />
                                        {words}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <button type="submit" class="primary">{move || t("save")}</button>
                    {problem_view(problem)}
                </form>
            </section>
        </Show>
    }
}

/// The contact card: what the person could share. Nobody sees it until they share it.
#[component]
fn CardForm() -> impl IntoView {
    // Taken here: a reply arrives outside the component, where no context is.
    let speaker = announcer();
    let meet: Meet = expect_context();
    let kept = Memo::new(move |_| {
        meet.inbox
            .with(|i| i.as_ref().and_then(|i| i.contact_card.clone()))
    });
    let draft = RwSignal::new(kept.get_untracked().unwrap_or_default());
    Effect::new(move || draft.set(kept.get().unwrap_or_default()));
    let problem = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::SetContactCard {
            event: meet.code(),
            card: draft.get_untracked(),
        };
        act(meet.live, msg, problem, move |_| {
            speaker.say(t("contact-card-saved"))
        });
    };
    let set = move |f: fn(&mut ContactCard, Option<String>), v: String| {
        draft.update(|c| f(c, Some(v).filter(|v| !v.trim().is_empty())));
    };
    view! {
        <section class="panel" aria-labelledby="contact-card-heading">
            <h2 id="contact-card-heading">{move || t("contact-card")}</h2>
            <p class="hint">{move || t("contact-card-hint")}</p>
            <form class="stack" on:submit=save>
                <div class="field">
                    <label for="card-email">{move || t("contact-email")}</label>
                    <input id="card-email" type="email" autocomplete="email" maxlength=limits::MAX_EMAIL_CHARS.to_string()
                        prop:value=move || draft.with(|c| c.email.clone().unwrap_or_default())
                        on:input=move |ev| set(|c, v| c.email = v, event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="card-phone">{move || t("contact-phone")}</label>
                    <input id="card-phone" type="tel" autocomplete="tel" maxlength=limits::MAX_PHONE_CHARS.to_string()
                        prop:value=move || draft.with(|c| c.phone.clone().unwrap_or_default())
                        on:input=move |ev| set(|c, v| c.phone = v, event_target_value(&ev)) />
                </div>
                <button type="submit" class="primary">{move || t("save")}</button>
                {problem_view(problem)}
            </form>
        </section>
    }
}
