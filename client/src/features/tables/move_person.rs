//! Moving someone to another table (staff, while a round runs): find them by part of a name or
//! organisation (`find_at_tables`), see where they sit, choose a table.

use crate::components::feedback::{act, problem_view};
use crate::i18n::{Arg, t, ta};
use crate::live::Live;
use leptos::prelude::*;
use plenum_protocol::{AtTables, ClientMsg, EventCode, ServerMsg, SessionId, TableSet, limits};

#[component]
pub fn MovePerson(code: EventCode, id: SessionId, set: Memo<Option<TableSet>>) -> impl IntoView {
    let live: Live = expect_context();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<AtTables>>);
    let problem = RwSignal::new(None::<String>);
    let find = {
        let (code, id) = (code.clone(), id.clone());
        move || {
            let msg = ClientMsg::FindAtTables {
                event: code.clone(),
                session: id.clone(),
                query: query.get_untracked(),
            };
            act(live, msg, problem, move |reply| {
                if let ServerMsg::Ok {
                    found: Some(people),
                    ..
                } = reply
                {
                    found.set(Some(people));
                }
            });
        }
    };
    let again = find.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        find();
    };
    // Moved: the list is asked for again (where each sits now).
    let move_to = Callback::new(move |(person, table): (String, Option<u32>)| {
        let again = again.clone();
        act(
            live,
            ClientMsg::MoveToTable {
                event: code.clone(),
                session: id.clone(),
                person,
                table,
            },
            problem,
            move |_| again(),
        );
    });
    // The open tables a person can be moved to.
    let open = Memo::new(move |_| {
        set.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.tables
                        .iter()
                        .filter(|t| !t.closed)
                        .map(|t| t.number)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <details class="move-person">
            <summary>{t("move-someone")}</summary>
            <form class="inline" on:submit=submit>
                <label>{t("find-person")} " "
                    <input id="find-at-tables" type="search" maxlength=limits::MAX_FIND_CHARS bind:value=query />
                </label>
                <button type="submit">{t("search")}</button>
            </form>
            {move || found.get().map(|people| if people.is_empty() {
                view! { <p class="empty" role="status">{t("nobody-found")}</p> }.into_any()
            } else {
                view! {
                    <ul class="found-at-tables">
                        {people.into_iter().enumerate().map(|(i, p)| view! { <Found i p open move_to /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {problem_view(problem)}
        </details>
    }
}

/// One person found: where they sit, and a table to move them to.
#[component]
fn Found(
    i: usize,
    p: AtTables,
    open: Memo<Vec<u32>>,
    move_to: Callback<(String, Option<u32>)>,
) -> impl IntoView {
    // Another open table to begin with ("No table" is a choice to make, not a default).
    let first = open.with_untracked(|o| o.iter().copied().find(|n| Some(*n) != p.table));
    let choice = RwSignal::new(first.map(|n| n.to_string()).unwrap_or_default());
    let name = p.name.clone().unwrap_or_else(|| p.person.clone());
    let field = format!("move-to-{i}");
    let label = ta("move-to-of", &[("name", Arg::Str(name.clone()))]);
    let at = match p.table {
        Some(n) => ta("table-number", &[("number", Arg::Num(f64::from(n)))]),
        None => t("no-table"),
    };
    let person = p.person.clone();
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let table = choice.get_untracked().parse::<u32>().ok();
        move_to.run((person.clone(), table));
    };
    view! {
        <li>
            <span class="who">{name}</span>
            {p.organisation.map(|o| view! { " · " <span>{o}</span> })}
            " · " <span class="at">{at}</span>
            <form class="inline" on:submit=go>
                <label for=field.clone()>{label}</label>
                " "
                <select id=field bind:value=choice>
                    {move || open.get().into_iter().map(|n| view! {
                        <option value=n.to_string() selected={choice.get_untracked() == n.to_string()}>{ta("table-number", &[("number", Arg::Num(f64::from(n)))])}</option>
                    }).collect_view()}
                    <option value="">{t("no-table")}</option>
                </select>
                " "
                <button type="submit" class="small">{t("move-there")}</button>
            </form>
        </li>
    }
}
