//! Who sees what of a room.
//!
//! A room has one log and one sequence, but not one view: moderators (and the event's
//! speakers and organisers) see the review queue; an asker sees their own waiting and dismissed
//! questions; everyone else sees what is published. The log holds the full (staff) events; each
//! viewer is sent [`event_for`] of each event, with the same sequence number, so every viewer's
//! fold stays gap-free. [`Frames`] serialises an event once per audience that sees it
//! differently: at most three times (staff, public, the asker), whatever the room's size.

use super::hub::Frame;
use plenum_protocol::{
    AwardStatus, Person, Poll, PollResults, PollStatus, Question, QuestionStatus, Quiz, QuizStatus,
    Role, RoomEvent, RoomId, TableSet,
};
use std::sync::Arc;

/// The view a connection gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Organisers, moderators and speakers: everything.
    Staff,
    /// An attendee: what is published, and their own questions.
    Person(Arc<str>),
}

impl Viewer {
    /// How `person` sees `room`: staff see everything of the rooms their role covers
    /// (`auth::in_scope`); in any other room they see what an attendee sees.
    pub fn of(person: &Person, room: &RoomId) -> Viewer {
        let staff = match person.role {
            // A co-organiser's authority ends at their event.
            Role::Organiser => person.event.as_ref().is_none_or(|e| e == room.event_code()),
            Role::Speaker | Role::Moderator => crate::auth::in_scope(person, room),
            Role::Attendee => false,
        };
        if staff {
            Viewer::Staff
        } else {
            Viewer::Person(Arc::from(person.id.as_str()))
        }
    }

    /// An attendee who asked nothing: the public view.
    pub fn public() -> Viewer {
        Viewer::Person(Arc::from(""))
    }
}

/// `q` as `viewer` sees it, or `None` when they do not see it.
pub fn question_for(q: &Question, viewer: &Viewer) -> Option<Question> {
    let Viewer::Person(me) = viewer else {
        return Some(q.clone());
    };
    let own = !me.is_empty() && q.asker.id.as_deref() == Some(me);
    let visible = match q.status {
        QuestionStatus::Live | QuestionStatus::Answered => true,
        QuestionStatus::Pending | QuestionStatus::Dismissed => own,
        QuestionStatus::Merged | QuestionStatus::Withdrawn | QuestionStatus::Archived => false,
    };
    if !visible {
        return None;
    }
    let mut q = q.clone();
    if !own {
        // Others' person ids are nobody's business; names only when not anonymous.
        q.asker.id = None;
        if q.anonymous {
            q.asker.name = None;
        }
        q.dismissed_reason = None;
    }
    Some(q)
}

/// Results as the audience sees them: moderated open-text answers only once approved.
fn public_results(results: &PollResults) -> PollResults {
    match results {
        PollResults::Texts {
            answers, approved, ..
        } => PollResults::Texts {
            answers: answers.iter().filter(|a| a.approved).cloned().collect(),
            total: *approved,
            approved: *approved,
        },
        other => other.clone(),
    }
}

/// `poll` as an attendee sees it, or `None` for a draft.
pub fn poll_for_audience(poll: &Poll) -> Option<Poll> {
    if poll.status == PollStatus::Draft {
        return None;
    }
    let mut poll = poll.clone();
    poll.results = if poll.results_public() {
        poll.results.as_ref().map(public_results)
    } else {
        None
    };
    poll.mine = None;
    Some(poll)
}

/// `event` as `viewer` sees it.
pub fn event_for(event: &RoomEvent, viewer: &Viewer) -> RoomEvent {
    if *viewer == Viewer::Staff {
        return event.clone();
    }
    match event {
        RoomEvent::Quiz { quiz } => match quiz_for_audience(quiz) {
            Some(quiz) => RoomEvent::Quiz { quiz },
            None => RoomEvent::QuizHidden { id: quiz.id },
        },
        RoomEvent::Award { award } if award.status == AwardStatus::Draft => {
            RoomEvent::AwardHidden { id: award.id }
        }
        RoomEvent::Poll { poll } => match poll_for_audience(poll) {
            Some(poll) => RoomEvent::Poll { poll },
            None => RoomEvent::PollHidden { id: poll.id },
        },
        RoomEvent::PollResults {
            id,
            ballots,
            results,
            hidden,
        } => RoomEvent::PollResults {
            id: *id,
            ballots: *ballots,
            results: if *hidden {
                None
            } else {
                results.as_ref().map(public_results)
            },
            hidden: *hidden,
        },
        RoomEvent::Question { question, counts } => match question_for(question, viewer) {
            Some(question) => RoomEvent::Question {
                question,
                counts: *counts,
            },
            None => RoomEvent::QuestionHidden {
                id: question.id,
                counts: *counts,
            },
        },
        RoomEvent::TablesSet { tables } => RoomEvent::TablesSet {
            tables: tables.as_ref().map(tables_for_audience),
        },
        other => other.clone(),
    }
}

/// A table set as the audience sees it: which tables have a host, not who (a host's name
/// reaches the people at their table, in their seats).
pub fn tables_for_audience(set: &TableSet) -> TableSet {
    let mut set = set.clone();
    for t in &mut set.tables {
        t.host = None;
    }
    set
}

/// A quiz as the audience sees it, or `None` for a draft: never the questions to come or
/// their answers.
pub fn quiz_for_audience(quiz: &Quiz) -> Option<Quiz> {
    (quiz.status != QuizStatus::Draft).then(|| Quiz {
        questions: Vec::new(),
        mine: None,
        ..quiz.clone()
    })
}

/// The person who sees `event` differently from the public, besides staff.
fn asker_of(event: &RoomEvent) -> Option<&str> {
    match event {
        RoomEvent::Question { question, .. } => question.asker.id.as_deref(),
        _ => None,
    }
}

/// One committed event, serialised for each audience that sees it differently.
#[derive(Debug)]
pub struct Frames {
    pub staff: Frame,
    pub public: Frame,
    /// The asker's own view, when it differs from the public one.
    pub asker: Option<(Arc<str>, Frame)>,
}

impl Frames {
    /// The same frame for everyone.
    pub fn uniform(frame: Frame) -> Frames {
        Frames {
            staff: frame.clone(),
            public: frame,
            asker: None,
        }
    }

    /// Serialises `event` for each audience, through `to_frame`, reusing identical frames.
    pub fn of(event: &RoomEvent, to_frame: impl Fn(&RoomEvent) -> Frame) -> Frames {
        let staff = to_frame(event);
        let public_event = event_for(event, &Viewer::public());
        let public = if public_event == *event {
            staff.clone()
        } else {
            to_frame(&public_event)
        };
        let asker = asker_of(event).and_then(|id| {
            let viewer = Viewer::Person(Arc::from(id));
            let theirs = event_for(event, &viewer);
            (theirs != public_event).then(|| {
                let frame = if theirs == *event {
                    staff.clone()
                } else {
                    to_frame(&theirs)
                };
                (Arc::from(id), frame)
            })
        });
        Frames {
            staff,
            public,
            asker,
        }
    }

    pub fn for_viewer(&self, viewer: &Viewer) -> &Frame {
        match viewer {
            Viewer::Staff => &self.staff,
            Viewer::Person(me) => match &self.asker {
                Some((id, frame)) if id == me => frame,
                _ => &self.public,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::{Asker, QaCounts};

    fn question(status: QuestionStatus, anonymous: bool) -> Question {
        Question {
            id: 1,
            text: "Q".into(),
            asker: Asker {
                id: Some("eva".into()),
                name: (!anonymous).then(|| "Eva".into()),
            },
            anonymous,
            status,
            asked_at_ms: 0,
            votes: 0,
            reply: None,
            dismissed_reason: (status == QuestionStatus::Dismissed).then(|| "Off topic".into()),
            merged_into: None,
            merged: vec![],
            edited: false,
        }
    }

    #[test]
    fn each_viewer_sees_their_own_view() {
        let eva = Viewer::Person(Arc::from("eva"));
        let bo = Viewer::Person(Arc::from("bo"));
        let pending = question(QuestionStatus::Pending, false);
        assert!(question_for(&pending, &Viewer::Staff).is_some());
        assert!(question_for(&pending, &eva).is_some());
        assert!(question_for(&pending, &bo).is_none());
        assert!(question_for(&pending, &Viewer::public()).is_none());

        let dismissed = question(QuestionStatus::Dismissed, false);
        assert_eq!(
            question_for(&dismissed, &eva)
                .unwrap()
                .dismissed_reason
                .as_deref(),
            Some("Off topic")
        );
        assert!(question_for(&dismissed, &bo).is_none());

        let live = question(QuestionStatus::Live, true);
        let seen = question_for(&live, &bo).unwrap();
        assert_eq!(
            seen.asker,
            Asker::default(),
            "anonymous, and nobody else's id"
        );
        assert_eq!(
            question_for(&live, &eva).unwrap().asker.id.as_deref(),
            Some("eva")
        );
    }

    #[test]
    fn frames_are_serialised_once_per_distinct_view() {
        let count = std::cell::Cell::new(0);
        let to_frame = |e: &RoomEvent| {
            count.set(count.get() + 1);
            Frame::text(serde_json::to_string(e).unwrap())
        };
        let counts = QaCounts {
            waiting: 1,
            dismissed: 0,
        };
        let pending = RoomEvent::Question {
            question: question(QuestionStatus::Pending, false),
            counts,
        };
        let f = Frames::of(&pending, to_frame);
        assert_eq!(count.get(), 2, "staff (= the asker's) and public");
        assert!(
            f.for_viewer(&Viewer::public())
                .payload()
                .contains("question_hidden")
        );
        assert_eq!(f.for_viewer(&Viewer::Person(Arc::from("eva"))), &f.staff);

        count.set(0);
        let live = RoomEvent::Question {
            question: question(QuestionStatus::Live, false),
            counts,
        };
        let f = Frames::of(&live, to_frame);
        assert_eq!(
            count.get(),
            2,
            "staff (= the asker's) and public without the id"
        );
        count.set(0);
        let f2 = Frames::of(&RoomEvent::Highlighted { id: Some(1) }, to_frame);
        assert_eq!(count.get(), 1);
        assert_eq!(f2.staff, f2.public);
        let _ = f;
    }
}
