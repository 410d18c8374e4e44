//! The speaker console: build polls of every kind and quizzes, open, close and reveal them,
//! and watch results and participation live (speakers see results the audience does not yet).

use leptos::prelude::*;
use plenum_protocol::{EventCode, Role, SessionId};

use crate::components::{exports::SessionExports, feedback::*, follow::*};
use crate::features::stage::screen_control::BigScreenPanel;
use crate::features::{
    polls::console::{PollBuilder, PollList},
    quizzes::console::{QuizBuilder, QuizList},
};
use crate::i18n::{Arg, t, ta};
use crate::route::{Link, Route};

#[component]
pub fn SpeakPage(code: EventCode, id: SessionId) -> impl IntoView {
    let (live, state, here) = follow_session(&code, &id);
    let title = super::session_title(&id);
    super::page_title(move || ta("speaker-console-for", &[("title", Arg::Str(title.get()))]));
    let allowed = may(
        live,
        &[Role::Speaker, Role::Moderator, Role::Organiser],
        &id,
    );
    let (c, i) = (code.clone(), id.clone());
    // A poll's Edit and Duplicate fill the builder.
    provide_context(crate::features::polls::console::Prefill(RwSignal::new(
        None,
    )));
    move || match allowed.get() {
        Some(false) => not_for_you("for-speakers").into_any(),
        _ => view! {
            <nav class="crumbs" aria-label=move || t("back")>
                <Link to=Route::Session(c.clone(), i.clone())>{move || t("back-to-session")}</Link>
            </nav>
            <h1>{move || ta("speaker-console-for", &[("title", Arg::Str(title.get()))])}</h1>
            <div class="columns">
                <div>
                    <BigScreenPanel code=c.clone() id=i.clone() state />
                    <PollBuilder code=c.clone() id=i.clone() />
                    <QuizBuilder code=c.clone() id=i.clone() />
                </div>
                <div>
                    <PollList code=c.clone() id=i.clone() state here />
                    <QuizList code=c.clone() id=i.clone() state />
                    <SessionExports code=c.clone() id=i.clone() />
                </div>
            </div>
        }
        .into_any(),
    }
}
