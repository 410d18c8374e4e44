//! A session's stage: whether it is live, what is on (a contribution of the agenda, or a short
//! text), and how far its stream runs behind the room.

use super::{Cx, Interaction, Made, Refusal};
use plenum_protocol::{
    AwardStatus, OnStage, PollStatus, QuestionStatus, QuizStatus, RoomEvent, RoomId, ScreenShows,
    SessionState, StageUpdate, limits,
};

/// The stage interaction.
pub struct Stage;

#[derive(Debug, Clone)]
pub enum StageCommand {
    /// Changes the stage: status, what is on, or both.
    Set(StageUpdate),
    /// Sets the stream delay, in milliseconds.
    StreamDelay(u32),
    /// Puts something on the big screen, or clears it back to the stage.
    Present(ScreenShows),
}

impl Interaction for Stage {
    type Command = StageCommand;
    type Records = ();
    type Change = ();
    const NAME: &'static str = "stage";

    fn check(&self, command: &StageCommand) -> Result<(), Refusal> {
        match command {
            StageCommand::Set(StageUpdate {
                on_stage: Some(on_stage),
                ..
            }) => match on_stage {
                OnStage::Text { text } if text.chars().count() > limits::MAX_STAGE_TEXT_CHARS => {
                    Err(Refusal::too_long(
                        "on_stage.text",
                        limits::MAX_STAGE_TEXT_CHARS,
                    ))
                }
                _ => on_stage
                    .check()
                    .map_err(|m| Refusal::invalid("on_stage", m)),
            },
            StageCommand::StreamDelay(delay_ms) if *delay_ms > limits::MAX_STREAM_DELAY_MS => {
                Err(Refusal::invalid(
                    "delay_ms",
                    format!("must be at most {}", limits::MAX_STREAM_DELAY_MS),
                ))
            }
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: StageCommand) -> Result<Made, Refusal> {
        let (current, current_delay) = {
            let s = cx.session()?;
            (s.stage.clone(), s.stream_delay_ms)
        };
        match command {
            StageCommand::Set(update) => {
                let RoomId::Session(code, session_id) = cx.room().clone() else {
                    return Err(super::wrong_room());
                };
                // Against the agenda as the batch leaves it: an edit in the same batch counts.
                let info = cx.event_doc()?;
                let session = info
                    .agenda
                    .sessions
                    .iter()
                    .find(|s| s.id == session_id)
                    .ok_or_else(|| {
                        Refusal::NotFound(format!("no session {session_id} in event {code}"))
                    })?;
                if let Some(OnStage::Contribution { number }) = &update.on_stage
                    && !session.contributions.iter().any(|c| c.number == *number)
                {
                    return Err(Refusal::invalid(
                        "on_stage.number",
                        format!("session {session_id} has no contribution {number}"),
                    ));
                }
                let mut stage = current.clone();
                if let Some(status) = update.status {
                    stage.status = status;
                }
                if let Some(on_stage) = update.on_stage {
                    stage.on_stage = on_stage;
                }
                if stage.status != current.status {
                    // The event room knows which sessions are running: "live now" follows
                    // the organiser, not the clock.
                    cx.emit_to(
                        RoomId::Event(code.clone()),
                        RoomEvent::SessionStatus {
                            session: session_id,
                            status: stage.status,
                        },
                    );
                }
                if stage != current {
                    cx.emit(RoomEvent::StageChanged { stage });
                }
            }
            StageCommand::StreamDelay(delay_ms) => {
                self.check(&StageCommand::StreamDelay(delay_ms))?;
                if current_delay != delay_ms {
                    cx.emit(RoomEvent::StreamDelay { delay_ms });
                }
            }
            StageCommand::Present(screen) => {
                let s = cx.session()?;
                presentable(s, screen)?;
                if s.screen != screen {
                    cx.emit(RoomEvent::ScreenChanged { screen });
                }
            }
        }
        Ok(Made::default())
    }

    fn load(_: &mut (), _: &str, _: &str, _: Option<&str>) {}

    fn apply(_: &mut (), _: &()) {}

    fn store(_: &()) -> super::Stored {
        unreachable!("the stage keeps no records")
    }
}

/// Whether `screen` can be shown: the stage always; a poll, quiz or award vote once it is no
/// longer a draft (a closed one too: its results); a question the audience sees.
fn presentable(s: &SessionState, screen: ScreenShows) -> Result<(), Refusal> {
    let missing = |what: &str, id: u64| Err(Refusal::NotFound(format!("no {what} {id}")));
    let draft = |what: &str| {
        Err(Refusal::Conflict(format!(
            "a draft {what} cannot be shown: open it first"
        )))
    };
    match screen {
        ScreenShows::Stage => Ok(()),
        ScreenShows::Poll { id } => match s.poll(id) {
            None => missing("poll", id),
            Some(p) if p.status == PollStatus::Draft => draft("poll"),
            Some(_) => Ok(()),
        },
        ScreenShows::Quiz { id } => match s.quiz(id) {
            None => missing("quiz", id),
            Some(q) if q.status == QuizStatus::Draft => draft("quiz"),
            Some(_) => Ok(()),
        },
        ScreenShows::Award { id } => match s.award(id) {
            None => missing("award vote", id),
            Some(a) if a.status == AwardStatus::Draft => draft("award vote"),
            Some(_) => Ok(()),
        },
        ScreenShows::Question { id } => match s.qa.get(id) {
            Some(q) if matches!(q.status, QuestionStatus::Live | QuestionStatus::Answered) => {
                Ok(())
            }
            Some(_) => Err(Refusal::Conflict(
                "only a question everyone sees can be shown".into(),
            )),
            None => missing("question", id),
        },
    }
}
