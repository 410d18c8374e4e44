//! One form per poll kind, as the audience answers it. Each starts from the person's own
//! answer (`mine`) when they have one, and hands the answer to `send`.

use crate::i18n::{Arg, t, ta, tc};
use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{Answer, Poll, PollKind, limits};

/// The form for `poll`'s kind.
pub fn ballot_form(
    poll: &Poll,
    send: impl Fn(Answer) + Clone + Send + Sync + 'static,
    sent: RwSignal<u32>,
) -> AnyView {
    let (pid, mine) = (poll.id, poll.mine.clone());
    match poll.kind.clone() {
        PollKind::Single { options } => single(pid, options, mine, send),
        PollKind::Multiple { options, max } => multiple(options, max, mine, send),
        PollKind::Rating { scale } => rating(scale, mine, send),
        PollKind::WordCloud => text(pid, true, send, sent),
        PollKind::OpenText { .. } => text(pid, false, send, sent),
        PollKind::Ranking { options } => ranking(pid, options, mine, send),
    }
}

/// One option of several: radio buttons.
fn single(
    pid: u64,
    options: Vec<String>,
    mine: Option<Answer>,
    send: impl Fn(Answer) + Send + Sync + 'static,
) -> AnyView {
    let chosen = RwSignal::new(match mine {
        Some(Answer::Single { option }) => Some(option),
        _ => None,
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(option) = chosen.get_untracked() {
            send(Answer::Single { option });
        }
    };
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let i = i as u32;
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=format!("poll-{pid}")
                        value=i
                        prop:checked=move || chosen.get() == Some(i)
                        on:change=move |_| chosen.set(Some(i))
                    />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="ballot" on:submit=submit>
            <fieldset>
                <legend class="visually-hidden">{move || t("choose-one")}</legend>
                {items}
            </fieldset>
            <button type="submit" class="primary" disabled=move || chosen.get().is_none()>
                {move || t("send-answer")}
            </button>
        </form>
    }
    .into_any()
}

/// Up to `max` options: checkboxes, the rest disabled once `max` are chosen.
fn multiple(
    options: Vec<String>,
    max: u32,
    mine: Option<Answer>,
    send: impl Fn(Answer) + Send + Sync + 'static,
) -> AnyView {
    let chosen = RwSignal::new(match mine {
        Some(Answer::Multiple { options }) => options,
        _ => Vec::new(),
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(Answer::Multiple {
            options: chosen.get_untracked(),
        });
    };
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let i = i as u32;
            view! {
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || chosen.with(|c| c.contains(&i))
                        disabled=move || chosen.with(|c| !c.contains(&i) && c.len() as u32 >= max)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != i);
                                if on {
                                    c.push(i);
                                    c.sort_unstable();
                                }
                            });
                        }
                    />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="ballot" on:submit=submit>
            <fieldset>
                <legend>{move || tc("choose-up-to", u64::from(max))}</legend>
                {items}
            </fieldset>
            <button type="submit" class="primary" disabled=move || chosen.with(Vec::is_empty)>
                {move || t("send-answer")}
            </button>
        </form>
    }
    .into_any()
}

/// A value from 1 to `scale`: one pressed button, sent when pressed.
fn rating(
    scale: u32,
    mine: Option<Answer>,
    send: impl Fn(Answer) + Clone + Send + Sync + 'static,
) -> AnyView {
    let chosen = RwSignal::new(match mine {
        Some(Answer::Rating { value }) => Some(value),
        _ => None,
    });
    let buttons = (1..=scale)
        .map(|v| {
            let send = send.clone();
            view! {
                <button
                    type="button"
                    class="rating-button"
                    aria-pressed=move || if chosen.get() == Some(v) { "true" } else { "false" }
                    aria-label=move || ta("rate-value", &[("value", Arg::Str(v.to_string())), ("scale", Arg::Str(scale.to_string()))])
                    on:click=move |_| {
                        chosen.set(Some(v));
                        send(Answer::Rating { value: v });
                    }
                >
                    {v}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="ballot rating" role="group" aria-label=move || t("your-rating")>
            {buttons}
        </div>
    }
    .into_any()
}

/// Words (comma-separated, for a word cloud) or a short text; cleared once it is in.
fn text(
    pid: u64,
    words: bool,
    send: impl Fn(Answer) + Send + Sync + 'static,
    sent: RwSignal<u32>,
) -> AnyView {
    let text = RwSignal::new(String::new());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = text.get_untracked().trim().to_owned();
        if value.is_empty() {
            return;
        }
        send(if words {
            Answer::Words {
                words: value
                    .split(',')
                    .map(|w| w.trim().to_owned())
                    .filter(|w| !w.is_empty())
                    .collect(),
            }
        } else {
            Answer::Text { text: value }
        });
    };
    Effect::new(move |before: Option<u32>| {
        let now = sent.get();
        if before.is_some_and(|b| b != now) {
            text.set(String::new());
        }
        now
    });
    let input_id = format!("answer-{pid}");
    let max = if words {
        limits::MAX_OPTION_CHARS
    } else {
        limits::MAX_REPLY_CHARS
    };
    view! {
        <form class="ballot" on:submit=submit>
            <label for=input_id.clone()>
                {move || if words { t("your-words") } else { t("your-answer") }}
            </label>
            <input
                id=input_id
                type="text"
                maxlength=max.to_string()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <button type="submit" class="primary">
                {move || t("send-answer")}
            </button>
        </form>
    }
    .into_any()
}

/// Every option in the person's order: up and down buttons, the focus following the option.
fn ranking(
    pid: u64,
    options: Vec<String>,
    mine: Option<Answer>,
    send: impl Fn(Answer) + Send + Sync + 'static,
) -> AnyView {
    let order = RwSignal::new(match mine {
        Some(Answer::Ranking { order }) => order,
        _ => (0..options.len() as u32).collect(),
    });
    let labels = StoredValue::new(options);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        send(Answer::Ranking {
            order: order.get_untracked(),
        });
    };
    let rows = move || {
        let current = order.get();
        let n = current.len();
        current
            .into_iter()
            .enumerate()
            .map(|(pos, option)| {
                let label =
                    labels.with_value(|l| l.get(option as usize).cloned().unwrap_or_default());
                let l1 = label.clone();
                let l2 = label.clone();
                view! {
                    <li>
                        <span class="label">{label}</span>
                        <button
                            type="button"
                            class="small"
                            id=format!("rank-{pid}-{option}-up")
                            disabled=pos == 0
                            aria-label=move || ta("move-up", &[("option", Arg::Str(l1.clone()))])
                            on:click=move |_| {
                                order.update(|o| o.swap(pos, pos - 1));
                                follow_moved(pid, option, "up", "down");
                            }
                        >
                            "↑"
                        </button>
                        <button
                            type="button"
                            class="small"
                            id=format!("rank-{pid}-{option}-down")
                            disabled=pos + 1 == n
                            aria-label=move || ta("move-down", &[("option", Arg::Str(l2.clone()))])
                            on:click=move |_| {
                                order.update(|o| o.swap(pos, pos + 1));
                                follow_moved(pid, option, "down", "up");
                            }
                        >
                            "↓"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form class="ballot" on:submit=submit>
            <p class="hint">{move || t("rank-hint")}</p>
            <ol class="ranking">{rows}</ol>
            <button type="submit" class="primary">
                {move || t("send-answer")}
            </button>
        </form>
    }
    .into_any()
}

/// After a ranking option moved, the focus follows it: its same button, or the other one when
/// it reached the end of the list.
pub fn follow_moved(pid: u64, option: u32, same: &'static str, other: &'static str) {
    request_animation_frame(move || {
        for dir in [same, other] {
            if let Some(el) = document().get_element_by_id(&format!("rank-{pid}-{option}-{dir}")) {
                let button: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(el);
                if !button.has_attribute("disabled") {
                    let _ = button.focus();
                    return;
                }
            }
        }
    });
}
