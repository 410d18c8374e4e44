//! A booth's chat: the booth's room (`booth:CODE:BOOTH`), followed while its page is open.
//! Everyone reads and writes (with a display name); messages from someone you block are not
//! shown to you; each message from someone else offers "Block or report". The booth's staff and
//! the event's moderators hide a message (and show it again from the list of hidden ones,
//! read over HTTP) and download the whole chat as CSV. Every message is shown as text.

use leptos::prelude::*;
use plenum_protocol::{BoothId, ChatMessage, ClientMsg, EventCode, PersonId, RoomId, RoomState};

use crate::components::feedback::{act, announcer, problem_view};
use crate::features::inbox;
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;

fn by(m: &ChatMessage) -> String {
    let name = m.by.name.clone().unwrap_or_else(|| m.by.id.to_string());
    match &m.by.organisation {
        Some(o) => format!("{name} ({o})"),
        None => name,
    }
}

/// The booth's chat. `moderate`: the one looking hides messages (its staff, the organisers,
/// the event's moderators).
#[component]
pub fn BoothChat(code: EventCode, booth: BoothId, moderate: Memo<bool>) -> impl IntoView {
    let live: Live = expect_context();
    let room = RoomId::Booth(code.clone(), booth.clone());
    live.follow(room.clone());
    {
        let room = room.clone();
        on_cleanup(move || live.unfollow(&room));
    }
    let inbox = inbox::inbox(live, code.clone());
    let state = {
        let room = room.clone();
        Memo::new(move |_| match live.room(&room).state {
            Some(RoomState::Booth(b)) => Some(b),
            _ => None,
        })
    };
    // Without the messages of those you block.
    let messages = Memo::new(move |_| {
        let blocked = inbox.with(|i| i.as_ref().map(|i| i.blocked.clone()).unwrap_or_default());
        state.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.messages
                        .iter()
                        .filter(|m| !blocked.contains(&m.by.id))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let omitted = Memo::new(move |_| state.with(|s| s.as_ref().map_or(0, |s| s.omitted.messages)));
    // Who the connection is, once welcomed (and again after a new name).
    let my_id = Memo::new(move |_| live.person().and_then(|p| PersonId::parse(&p.id).ok()));
    let named = Memo::new(move |_| live.person().is_some_and(|p| p.name.is_some()));
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let speaker = announcer();
    let (event, id) = (
        StoredValue::new(code.clone()),
        StoredValue::new(booth.clone()),
    );
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let msg = ClientMsg::PostBoothChat {
            event: event.get_value(),
            booth: id.get_value(),
            text: text.get_untracked(),
        };
        act(live, msg, problem, move |_| {
            text.set(String::new());
            speaker.say(t("chat-sent"));
        });
    };
    // The hidden messages' list is read again after a hide from the log.
    let hides = RwSignal::new(0u32);
    let hide = move |message: u64, hidden: bool| {
        let msg = ClientMsg::HideBoothChat {
            event: event.get_value(),
            booth: id.get_value(),
            message,
            hidden,
        };
        act(live, msg, problem, move |_| hides.update(|n| *n += 1));
    };
    // The newest message in sight: the log scrolls to the bottom when one arrives, unless
    // the reader scrolled up to read older ones.
    let log = NodeRef::<leptos::html::Div>::new();
    let at_bottom = RwSignal::new(true);
    Effect::new(move |_| {
        let newest = messages.with(|m| m.last().map(|m| m.id));
        if let (Some(_), Some(el), true) = (newest, log.get(), at_bottom.get_untracked()) {
            el.set_scroll_top(el.scroll_height());
        }
    });
    let scrolled = move |_| {
        if let Some(el) = log.get_untracked() {
            at_bottom.set(el.scroll_top() + el.client_height() + 40 >= el.scroll_height());
        }
    };
    // The one whose "Block or report" is open (one at a time, below the messages).
    let reporting = RwSignal::new(None::<(PersonId, String)>);
    view! {
        <section class="panel booth-chat" aria-labelledby="chat-heading">
            <h2 id="chat-heading">{move || t("chat")}</h2>
            <p class="hint">{move || t("chat-hint")}</p>
            <Show when=move || { omitted.get() > 0 }>
                <p class="meta">{move || tc("chat-omitted", omitted.get())}</p>
            </Show>
            <Show
                when=move || messages.with(|m| !m.is_empty())
                fallback=|| view! { <p class="meta">{move || t("chat-empty")}</p> }
            >
                <div class="chat-log" role="log" aria-labelledby="chat-heading" tabindex="0" node_ref=log on:scroll=scrolled>
                <ol class="chat-list">
                    <For each=move || messages.get() key=|m| m.id let:m>
                        {
                            let who = by(&m);
                            let name = m.by.name.clone().unwrap_or_else(|| m.by.id.to_string());
                            let mine = my_id.get_untracked().as_ref() == Some(&m.by.id);
                            let person = m.by.id.clone();
                            let message = m.id;
                            let (for_hide, for_report) = (name.clone(), name.clone());
                            let hide_label = move || ta("chat-hide-label", &[("who", Arg::Str(for_hide.clone()))]);
                            let report_label = move || ta("chat-report-label", &[("who", Arg::Str(for_report.clone()))]);
                            view! {
                                <li class="chat-message">
                                    <p class="chat-by">
                                        <strong>{who}</strong>
                                        {m.staff.then(|| view! { " " <span class="chat-staff">{move || t("chat-staff")}</span> })}
                                        " · "
                                        <time>{crate::time::clock_or_day(m.at_ms)}</time>
                                    </p>
                                    <p class="chat-text">{m.text.clone()}</p>
                                    <div class="chat-actions">
                                        <Show when=move || moderate.get()>
                                            <button type="button" aria-label=hide_label.clone() on:click=move |_| hide(message, true)>{move || t("chat-hide")}</button>
                                        </Show>
                                        {(!mine).then(|| {
                                            let person = person.clone();
                                            let name = name.clone();
                                            view! {
                                                <button type="button" aria-label=report_label on:click=move |_| reporting.set(Some((person.clone(), name.clone())))>{move || t("block-or-report")}</button>
                                            }
                                        })}
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ol>
                </div>
            </Show>
            {move || reporting.get().map(|(person, name)| view! {
                <div class="chat-safety">
                    <crate::features::meetings::BlockOrReport person name ids="chat-report".to_owned() code=event.get_value() open=true />
                    <button type="button" on:click=move |_| reporting.set(None)>{move || t("chat-close")}</button>
                </div>
            })}
            {move || if named.get() {
                view! {
                    <form class="stack chat-form" on:submit=send>
                        <label for="chat-text">{move || t("chat-write")}</label>
                        <textarea id="chat-text" rows="2" required maxlength=plenum_protocol::limits::MAX_CHAT_CHARS.to_string()
                            prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <button type="submit" class="primary">{move || t("chat-send")}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="hint">{move || t("chat-name-first")}</p> }.into_any()
            }}
            {problem_view(problem)}
            <Show when=move || moderate.get()>
                <Hidden code=event.get_value() booth=id.get_value() hides />
            </Show>
        </section>
    }
}

/// For those who moderate: the hidden messages, read over HTTP on request, each with "Show
/// again"; and the whole chat as CSV.
#[component]
fn Hidden(code: EventCode, booth: BoothId, hides: RwSignal<u32>) -> impl IntoView {
    let live: Live = expect_context();
    let problem = RwSignal::new(None::<String>);
    let hidden = RwSignal::new(None::<Vec<ChatMessage>>);
    let (event, id) = (StoredValue::new(code), StoredValue::new(booth));
    let read = move || {
        leptos::task::spawn_local(async move {
            match crate::api::booths::chat(&event.get_value(), &id.get_value()).await {
                Ok(all) => {
                    problem.set(None);
                    hidden.set(Some(all.into_iter().filter(|m| m.hidden).collect()));
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    // Once shown, the list is read again after each hide from the log.
    Effect::new(move |_| {
        hides.track();
        if hidden.with_untracked(Option::is_some) {
            read();
        }
    });
    // Shown again, then the list read again.
    let unhide = move |message: u64| {
        let msg = ClientMsg::HideBoothChat {
            event: event.get_value(),
            booth: id.get_value(),
            message,
            hidden: false,
        };
        act(live, msg, problem, move |_| read());
    };
    let download = move |_| {
        let (code, booth) = (event.get_value(), id.get_value());
        leptos::task::spawn_local(async move {
            let key = crate::api::booths::credential(&code);
            let path = format!("/api/events/{code}/booths/{booth}/chat.csv");
            match crate::api::organiser::download(&key, &path).await {
                Ok(blob) => {
                    crate::components::files::save_blob(&format!("{code}-{booth}-chat.csv"), &blob)
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    view! {
        <div class="actions chat-moderation">
            <button type="button" on:click=move |_| read()>{move || t("chat-show-hidden")}</button>
            <button type="button" on:click=download>{move || t("chat-download")}</button>
        </div>
        {move || hidden.get().map(|list| if list.is_empty() {
            view! { <p class="meta" role="status">{move || t("chat-none-hidden")}</p> }.into_any()
        } else {
            view! {
                <ul class="chat-hidden" aria-label=move || t("chat-hidden")>
                    {list.into_iter().map(|m| {
                        let message = m.id;
                        let who = by(&m);
                        let label = move || ta("chat-unhide-label", &[("who", Arg::Str(who.clone()))]);
                        view! {
                            <li>
                                <p class="chat-by"><strong>{by(&m)}</strong> " · " <time>{crate::time::clock_or_day(m.at_ms)}</time></p>
                                <p class="chat-text">{m.text.clone()}</p>
                                <button type="button" aria-label=label on:click=move |_| unhide(message)>{move || t("chat-unhide")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
        {problem_view(problem)}
    }
}
