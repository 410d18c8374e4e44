//! What the audience answers: open polls of every kind, the current quiz question with its
//! countdown, and award votes with a receipt. Results show as they come, when the speaker lets
//! them be seen.

use leptos::{ev::SubmitEvent, prelude::*};
use plenum_protocol::{
    Answer, Award, AwardStatus, ClientMsg, EventCode, Poll, PollKind, PollStatus, Quiz, QuizStatus,
    ServerMsg, SessionId, SessionState, Watching, limits,
};

use super::{act, announcer, countdown, problem_view, results};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;

#[component]
pub fn Interact(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    // Polls, quizzes and awards that are not drafts, newest first: drafts never reach the
    // audience, but a speaker looking at this page sees theirs, which are not for voting yet.
    let polls = Memo::new(move |_| {
        state.with(|s| {
            let mut ids: Vec<u64> = s
                .as_ref()
                .map(|s| {
                    s.polls
                        .iter()
                        .filter(|p| p.status != PollStatus::Draft)
                        .map(|p| p.id)
                        .collect()
                })
                .unwrap_or_default();
            ids.reverse();
            ids.truncate(5);
            ids
        })
    });
    let quizzes = super::ids_of(state, |s| {
        s.quizzes
            .iter()
            .filter(|q| q.status != QuizStatus::Draft)
            .map(|q| q.id)
            .collect()
    });
    let awards = super::ids_of(state, |s| {
        s.awards
            .iter()
            .filter(|a| a.status != AwardStatus::Draft)
            .map(|a| a.id)
            .collect()
    });
    // A poll or quiz question opening is announced.
    let open_poll = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref().and_then(|s| {
                s.polls
                    .iter()
                    .rev()
                    .find(|p| p.status == PollStatus::Open)
                    .map(|p| (p.id, p.question.clone()))
            })
        })
    });
    Effect::new(move |previous: Option<Option<u64>>| {
        let now = open_poll.get();
        // Not on the first run: a poll already open when the page loads is not news.
        if let (Some(before), Some((id, question))) = (previous, &now)
            && before != Some(*id)
        {
            announcer().say(ta(
                "poll-opened",
                &[("question", Arg::Str(question.clone()))],
            ));
        }
        now.map(|(id, _)| id)
    });
    let nothing = move || {
        polls.with(Vec::is_empty) && quizzes.with(Vec::is_empty) && awards.with(Vec::is_empty)
    };
    let (c1, i1, c2, i2, c3, i3) = (code.clone(), id.clone(), code.clone(), id.clone(), code, id);
    view! {
        <section class="interact panel" aria-labelledby="interact-heading">
            <h2 id="interact-heading">{move || t("take-part")}</h2>
            <Show when=nothing>
                <p class="empty">{move || t("nothing-open")}</p>
            </Show>
            <For
                each=move || quizzes.get()
                key=|q| *q
                children=move |quiz| view! { <QuizCard quiz code=c1.clone() id=i1.clone() state /> }
            />
            <For
                each=move || awards.get()
                key=|a| *a
                children=move |award| view! { <AwardCard award code=c2.clone() id=i2.clone() state /> }
            />
            <For
                each=move || polls.get()
                key=|p| *p
                children=move |poll| view! { <PollCard poll code=c3.clone() id=i3.clone() state /> }
            />
        </section>
    }
}

#[component]
fn PollCard(
    poll: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.poll(poll).cloned())));
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    // Counts accepted answers: a typed answer is cleared only once it was taken.
    let sent = RwSignal::new(0u32);
    let left = countdown(move || {
        data.with(|p| {
            p.as_ref()
                .filter(|p| p.status == PollStatus::Open)
                .and_then(|p| p.closes_at_ms)
        })
    });
    let send = move |answer: Answer| {
        act(
            live,
            ClientMsg::Vote {
                event: code.clone(),
                session: id.clone(),
                poll,
                answer,
            },
            problem,
            move |_| {
                done.set(true);
                sent.update(|n| *n += 1);
            },
        );
    };
    let send = StoredValue::new(send);
    // The parts change at different times: the ballot form is built once per opening, so a
    // choice being made is not reset when other people's votes change the results.
    let open = Memo::new(move |_| data.with(|p| p.as_ref().map(|p| p.status == PollStatus::Open)));
    let question = move || data.with(|p| p.as_ref().map(|p| p.question.clone()));
    let ballots = move || data.with(|p| p.as_ref().map_or(0, |p| p.ballots));
    let form = move || {
        (open.get() == Some(true))
            .then(|| {
                data.with_untracked(|p| {
                    p.as_ref()
                        .map(|p| ballot_form(p, move |a| send.with_value(|f| f(a)), sent))
                })
            })
            .flatten()
    };
    let answered =
        move || done.get() || data.with(|p| p.as_ref().is_some_and(|p| p.mine.is_some()));
    let results_view = move || {
        data.with(|p| {
            p.as_ref()
                .filter(|p| p.results.is_some() || p.status != PollStatus::Open)
                .map(results::poll_results)
        })
    };
    let heading_id = format!("poll-{poll}");
    let labelled_by = heading_id.clone();
    move || {
        open.get()?;
        Some(view! {
            <article
                class="poll card"
                aria-labelledby=labelled_by.clone()
                data-poll=poll
                data-status=move || if open.get() == Some(true) { "open" } else { "closed" }
            >
                <h3 id=heading_id.clone()>{question}</h3>
                <p class="poll-meta">
                    {move || if open.get() == Some(true) { t("poll-open") } else { t("poll-closed") }}
                    " · "
                    <span class="ballots">{move || tc("answers-count", ballots())}</span>
                    {move || left.get().map(|s| view! { " · " <span class="countdown">{tc("seconds-left", s as u64)}</span> })}
                </p>
                {form}
                <p class="sent" role="status">{move || answered().then(|| t("answer-received"))}</p>
                {problem_view(problem)}
                <div class="results">{results_view}</div>
            </article>
        })
    }
}

/// The form to answer a poll, by kind. Every control is a native input: keyboard and screen
/// readers work as they do everywhere.
fn ballot_form(
    poll: &Poll,
    send: impl Fn(Answer) + Clone + Send + Sync + 'static,
    sent: RwSignal<u32>,
) -> AnyView {
    let pid = poll.id;
    let mine = poll.mine.clone();
    match poll.kind.clone() {
        PollKind::Single { options } => {
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
        PollKind::Multiple { options, max } => {
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
        PollKind::Rating { scale } => {
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
        PollKind::WordCloud | PollKind::OpenText { .. } => {
            let words = matches!(poll.kind, PollKind::WordCloud);
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
        PollKind::Ranking { options } => {
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
                        let label = labels.with_value(|l| l.get(option as usize).cloned().unwrap_or_default());
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
    }
}

/// After a ranking option moved, the focus follows it: its same button, or the other one when
/// it reached the end of the list.
fn follow_moved(pid: u64, option: u32, same: &'static str, other: &'static str) {
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

#[component]
fn QuizCard(
    quiz: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.quiz(quiz).cloned())));
    let problem = RwSignal::new(None::<String>);
    // What I answered, per question index (the server keeps it too; this is for showing).
    let answered = RwSignal::new(std::collections::BTreeMap::<u32, u32>::new());
    let on_stream = RwSignal::new(false);
    // Someone watching the stream sees the question later, by the session's stream delay:
    // their time runs from then, as the server counts it.
    let delay = Memo::new(move |_| state.with(|s| s.as_ref().map_or(0, |s| s.stream_delay_ms)));
    let left = countdown(move || {
        let behind = if on_stream.get() {
            i64::from(delay.get())
        } else {
            0
        };
        data.with(|q| {
            q.as_ref()
                .filter(|q| q.status == QuizStatus::Asking)
                .and_then(|q| q.current.as_ref())
                .map(|c| c.started_at_ms + behind + i64::from(c.seconds) * 1000)
        })
    });
    // My score: in the snapshot, then asked for after each reveal (events carry no one's own).
    let standing = RwSignal::new(None::<plenum_protocol::MyStanding>);
    let (code2, id2) = (code.clone(), id.clone());
    let answer = StoredValue::new(move |index: u32, option: u32| {
        let watching = if on_stream.get_untracked() {
            Watching::Stream { adjust_ms: 0 }
        } else {
            Watching::Onsite
        };
        act(
            live,
            ClientMsg::AnswerQuiz {
                event: code.clone(),
                session: id.clone(),
                quiz,
                question: index,
                option,
                watching,
            },
            problem,
            move |reply| {
                answered.update(|a| {
                    a.insert(index, option);
                });
                if let ServerMsg::Ok {
                    standing: Some(mine),
                    ..
                } = reply
                {
                    standing.set(Some(mine));
                }
            },
        );
    });
    // Rebuilt when the quiz moves on (a new question, a reveal), not when answers are counted:
    // a focused button keeps its focus.
    let stage = Memo::new(move |_| {
        data.with(|q| {
            q.as_ref()
                .map(|q| (q.status, q.current.as_ref().map(|c| c.index)))
        })
    });
    let ask_standing = StoredValue::new({
        let (code, id) = (code2, id2);
        move || {
            act(
                live,
                ClientMsg::QuizStanding {
                    event: code.clone(),
                    session: id.clone(),
                    quiz,
                },
                problem,
                move |reply| {
                    if let ServerMsg::Ok {
                        standing: Some(mine),
                        ..
                    } = reply
                    {
                        standing.set(Some(mine));
                    }
                },
            );
        }
    });
    Effect::new(move |_| {
        if let Some((QuizStatus::Revealed | QuizStatus::Finished, _)) = stage.get() {
            ask_standing.with_value(|f| f());
        }
    });
    let standing = move || {
        standing
            .get()
            .or_else(|| data.with(|q| q.as_ref().and_then(|q| q.mine.clone())))
    };
    move || {
        stage.get()?;
        let q: Quiz = data.get_untracked()?;
        let heading_id = format!("quiz-{quiz}");
        let labelled_by = heading_id.clone();
        let body = match (&q.status, q.current.clone()) {
            (QuizStatus::Asking | QuizStatus::Revealed, Some(current)) => {
                let index = current.index;
                let revealed = q.status == QuizStatus::Revealed;
                let correct = current.correct;
                let options = current
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let i = i as u32;
                        let is_correct = revealed && correct == Some(i);
                        view! {
                            <button
                                type="button"
                                class="quiz-option"
                                class:correct=is_correct
                                aria-pressed=move || if answered.with(|a| a.get(&index) == Some(&i)) { "true" } else { "false" }
                                disabled=move || revealed || answered.with(|a| a.contains_key(&index))
                                on:click=move |_| answer.with_value(|f| f(index, i))
                            >
                                {label.clone()}
                                {is_correct.then(|| view! { " " <span class="badge">{t("correct-answer")}</span> })}
                            </button>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="quiz-progress">
                        {ta("question-of", &[("index", Arg::Str((index + 1).to_string())), ("length", Arg::Str(q.length.to_string()))])}
                        {move || (!revealed).then(|| left.get().map(|s| view! { " · " <span class="countdown" role="timer">{tc("seconds-left", s as u64)}</span> }))}
                    </p>
                    <p class="quiz-question">{current.text.clone()}</p>
                    <div class="quiz-options">{options}</div>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || on_stream.get() on:change=move |ev| on_stream.set(event_target_checked(&ev)) />
                        {t("watching-stream")}
                    </label>
                    {move || standing().map(|m| view! {
                        <p class="standing">{ta("my-score", &[("score", Arg::Count(m.score)), ("players", Arg::Count(m.players))])}</p>
                    })}
                }
                .into_any()
            }
            (QuizStatus::Finished, _) => view! {
                <p>{t("quiz-finished")}</p>
                {move || standing().map(|m| view! {
                    <p class="standing">{ta("my-score", &[("score", Arg::Count(m.score)), ("players", Arg::Count(m.players))])}</p>
                })}
                {results::leaderboard(&q)}
            }
            .into_any(),
            _ => view! { <p class="hint">{t("quiz-starting")}</p> }.into_any(),
        };
        Some(view! {
            <article class="quiz card" aria-labelledby=labelled_by>
                <h3 id=heading_id>{q.title.clone()}</h3>
                {body}
                {problem_view(problem)}
            </article>
        })
    }
}

fn receipt_key(code: &EventCode, id: &SessionId, award: u64) -> String {
    format!("plenum.receipt.{code}.{id}.{award}")
}

#[component]
fn AwardCard(
    award: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.award(award).cloned())));
    let problem = RwSignal::new(None::<String>);
    let key = receipt_key(&code, &id, award);
    let storage = window().local_storage().ok().flatten();
    let receipt = RwSignal::new(
        storage
            .as_ref()
            .and_then(|s| s.get_item(&key).ok().flatten()),
    );
    let chosen = RwSignal::new(None::<u32>);
    let cast = StoredValue::new(move |candidate: u32| {
        let key = key.clone();
        act(
            live,
            ClientMsg::CastAward {
                event: code.clone(),
                session: id.clone(),
                award,
                candidate,
            },
            problem,
            move |reply| {
                if let ServerMsg::Ok {
                    receipt: Some(r), ..
                } = reply
                {
                    if let Some(s) = window().local_storage().ok().flatten() {
                        let _ = s.set_item(&key, &r);
                    }
                    receipt.set(Some(r));
                }
            },
        );
    });
    // Rebuilt when the vote opens, closes or reveals a place; the ballot count alone only
    // changes its own text, so a focused choice keeps its focus.
    let stage = Memo::new(move |_| data.with(|a| a.as_ref().map(|a| (a.status, a.revealed.len()))));
    let ballots = move || data.with(|a| a.as_ref().map_or(0, |a| a.ballots));
    move || {
        stage.get()?;
        let a: Award = data.get_untracked()?;
        let heading_id = format!("award-{award}");
        let labelled_by = heading_id.clone();
        let open = a.status == AwardStatus::Open;
        let cands = a.candidates.clone();
        let submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(c) = chosen.get_untracked() {
                cast.with_value(|f| f(c));
            }
        };
        Some(view! {
            <article class="award card" aria-labelledby=labelled_by>
                <h3 id=heading_id>{a.title.clone()}</h3>
                <p class="poll-meta">{move || tc("ballots-count", ballots())}</p>
                <p class="sent" role="status">{move || receipt.get().map(|_| t("vote-counted"))}</p>
                {move || match (open, receipt.get()) {
                    (true, None) => view! {
                        <form class="ballot" on:submit=submit>
                            <fieldset>
                                <legend>{t("award-choose")}</legend>
                                {candidate_inputs(&cands, chosen, award)}
                            </fieldset>
                            <p class="hint">{t("award-secret")}</p>
                            <button type="submit" class="primary" disabled=move || chosen.get().is_none()>
                                {t("cast-vote")}
                            </button>
                        </form>
                    }.into_any(),
                    (_, Some(r)) => view! {
                        <p class="receipt">{t("your-receipt")} " " <code>{r}</code></p>
                    }.into_any(),
                    (false, None) => view! { <p class="hint">{t("voting-closed")}</p> }.into_any(),
                }}
                {(!a.revealed.is_empty()).then(|| results::award_placings(&a))}
                {problem_view(problem)}
            </article>
        })
    }
}

fn candidate_inputs(
    candidates: &[plenum_protocol::Candidate],
    chosen: RwSignal<Option<u32>>,
    award: u64,
) -> AnyView {
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let i = i as u32;
            let label = match &c.organisation {
                Some(o) => format!("{} · {o}", c.name),
                None => c.name.clone(),
            };
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name=format!("award-{award}")
                        prop:checked=move || chosen.get() == Some(i)
                        on:change=move |_| chosen.set(Some(i))
                    />
                    {label}
                </label>
            }
        })
        .collect_view()
        .into_any()
}
