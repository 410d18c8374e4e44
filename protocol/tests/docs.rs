//! Every example in docs/protocol.md parses as the type its block is labelled with, and
//! serialises back to the same JSON; and every message variant has an example there.

use plenum_protocol::*;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use std::collections::BTreeSet;

fn examples() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/protocol.md");
    let doc = std::fs::read_to_string(path).expect("docs/protocol.md");
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) if info.starts_with("json ") => {
                current = Some((info[5..].trim().to_owned(), String::new()));
            }
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            _ => {}
        }
    }
    assert!(
        current.is_none(),
        "an unclosed code block in docs/protocol.md"
    );
    out
}

fn check<T: Serialize + DeserializeOwned>(label: &str, body: &str) -> T {
    let value: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{label}: not JSON: {e}\n{body}"));
    let parsed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{label}: {e}\n{body}"));
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        back, value,
        "{label}: the example does not serialise back to itself"
    );
    parsed
}

#[test]
fn every_example_parses_and_round_trips() {
    let mut client = BTreeSet::new();
    let mut server = BTreeSet::new();
    let mut labels = BTreeSet::new();
    let mut events = BTreeSet::new();
    for (label, body) in examples() {
        labels.insert(label.clone());
        match label.as_str() {
            "client-frame" => {
                let f: ClientFrame = check(&label, &body);
                client.insert(client_name(&f.msg));
            }
            "server-msg" => {
                let m: ServerMsg = check(&label, &body);
                server.insert(server_name(&m));
                if let ServerMsg::Event { event, .. } = &m {
                    events.insert(event_name(event));
                }
            }
            "create-event" => drop(check::<CreateEvent>(&label, &body)),
            "agenda" => drop(check::<Agenda>(&label, &body)),
            "session" => drop(check::<Session>(&label, &body)),
            "agenda-import" => drop(check::<plenum_protocol::AgendaImport>(&label, &body)),
            "event-info" => drop(check::<EventInfo>(&label, &body)),
            "join-request" => drop(check::<JoinRequest>(&label, &body)),
            "join-response" => drop(check::<JoinResponse>(&label, &body)),
            "create-invite" => drop(check::<CreateInvite>(&label, &body)),
            "invite" => drop(check::<Invite>(&label, &body)),
            "stage-update" => drop(check::<StageUpdate>(&label, &body)),
            "announcement-request" => drop(check::<AnnouncementRequest>(&label, &body)),
            "appended" => drop(check::<Appended>(&label, &body)),
            "award-ballots" => drop(check::<AwardBallots>(&label, &body)),
            "event-export" => drop(check::<EventExport>(&label, &body)),
            "event-report" => drop(check::<plenum_protocol::EventReport>(&label, &body)),
            "api-error" => drop(check::<ApiError>(&label, &body)),
            "sign-in" => drop(check::<plenum_protocol::SignIn>(&label, &body)),
            "me" => drop(check::<plenum_protocol::Me>(&label, &body)),
            "invitations" => drop(check::<Vec<plenum_protocol::InvitationInfo>>(&label, &body)),
            "activity" => drop(check::<Vec<plenum_protocol::ActivityEntry>>(&label, &body)),
            "people" => drop(check::<Vec<plenum_protocol::PersonEntry>>(&label, &body)),
            "people-import" => drop(check::<plenum_protocol::PeopleImport>(&label, &body)),
            "personal-links" => drop(check::<Vec<plenum_protocol::PersonalLink>>(&label, &body)),
            "personal-link" => drop(check::<plenum_protocol::PersonalLink>(&label, &body)),
            "meetings-report" => drop(check::<plenum_protocol::MeetingsReport>(&label, &body)),
            "person-reports" => drop(check::<Vec<plenum_protocol::PersonReport>>(&label, &body)),
            "retention" => drop(check::<plenum_protocol::RetentionRequest>(&label, &body)),
            "badges" => drop(check::<Vec<plenum_protocol::Badge>>(&label, &body)),
            "badge-holder" => drop(check::<plenum_protocol::MeetingPerson>(&label, &body)),
            "purge-report" => drop(check::<plenum_protocol::PurgeReport>(&label, &body)),
            "booth-draft" => drop(check::<plenum_protocol::BoothDraft>(&label, &body)),
            "booths" => drop(check::<Vec<plenum_protocol::Booth>>(&label, &body)),
            "staff-link" => drop(check::<plenum_protocol::StaffLink>(&label, &body)),
            "booth-contacts" => drop(check::<Vec<plenum_protocol::BoothLead>>(&label, &body)),
            "join-staff" => drop(check::<plenum_protocol::JoinStaff>(&label, &body)),
            "booth-chat" => drop(check::<Vec<plenum_protocol::ChatMessage>>(&label, &body)),
            "booth-meetings" => drop(check::<plenum_protocol::BoothMeetings>(&label, &body)),
            other => panic!("docs/protocol.md labels a block with unknown type {other:?}"),
        }
    }
    let all_client: BTreeSet<_> = ALL_CLIENT.iter().copied().collect();
    let all_server: BTreeSet<_> = ALL_SERVER.iter().copied().collect();
    assert_eq!(
        client, all_client,
        "every client message needs an example in docs/protocol.md"
    );
    assert_eq!(
        server, all_server,
        "every server message needs an example in docs/protocol.md"
    );
    let all_events: BTreeSet<_> = ALL_EVENTS.iter().copied().collect();
    assert_eq!(
        events, all_events,
        "every room event needs an example in docs/protocol.md"
    );
    assert!(
        labels.len() >= 13,
        "HTTP bodies need examples too: {labels:?}"
    );
}

// Exhaustive matches: adding a message variant fails to compile here until it is named,
// and then fails the test above until it has an example.
const ALL_CLIENT: &[&str] = &[
    "meeting_here",
    "meeting_no_show",
    "meeting_held",
    "open_now",
    "set_match_profile",
    "find_people",
    "recommend",
    "block_someone",
    "report_someone",
    "set_contact_card",
    "share_contact",
    "booth_here",
    "visit_booth",
    "post_booth_chat",
    "hide_booth_chat",
    "talk_now",
    "answer_talk",
    "end_talk",
    "ask_booth_contact",
    "answer_booth_contact",
    "end_booth_contact",
    "end_contact",
    "set_meetings",
    "set_meeting_preferences",
    "request_meeting",
    "answer_meeting",
    "cancel_meeting",
    "lock_meeting",
    "schedule_meetings",
    "set_tables",
    "start_round",
    "extend_round",
    "end_round",
    "take_part",
    "choose_table",
    "move_to_table",
    "close_table",
    "find_at_tables",
    "table_help",
    "message_tables",
    "harvest",
    "set_profile",
    "star",
    "hello",
    "join",
    "leave",
    "page",
    "ping",
    "set_stage",
    "announce",
    "ask",
    "edit_question",
    "withdraw_question",
    "upvote",
    "moderate",
    "highlight",
    "set_qa_settings",
    "block",
    "create_poll",
    "edit_poll",
    "run_poll",
    "vote",
    "approve_text",
    "create_award",
    "run_award",
    "cast_award",
    "create_quiz",
    "run_quiz",
    "answer_quiz",
    "quiz_standing",
    "set_stream_delay",
    "present",
    "read_notes",
];
const ALL_EVENTS: &[&str] = &[
    "booths_changed",
    "booth_chat",
    "booth_chat_hidden",
    "talk_changed",
    "booth_queue_changed",
    "booth_contact_changed",
    "meeting_soon",
    "match_profile_changed",
    "blocks_changed",
    "open_now_changed",
    "personal_data_purged",
    "contact_card_changed",
    "contact_changed",
    "meetings_set",
    "meeting_changed",
    "meeting_preferences_changed",
    "seated",
    "tables_set",
    "round_started",
    "round_extended",
    "round_ended",
    "table_counts",
    "table_help",
    "table_closed",
    "tables_message",
    "harvest_changed",
    "profile_changed",
    "stars_changed",
    "stage_changed",
    "announced",
    "agenda_updated",
    "session_status",
    "question",
    "question_hidden",
    "votes",
    "highlighted",
    "qa_settings_changed",
    "poll",
    "poll_hidden",
    "poll_results",
    "award",
    "award_ballots",
    "award_hidden",
    "quiz_hidden",
    "quiz",
    "quiz_answers",
    "stream_delay",
    "screen_changed",
    "note",
    "notes_read",
];

fn event_name(e: &RoomEvent) -> &'static str {
    match e {
        RoomEvent::StageChanged { .. } => "stage_changed",
        RoomEvent::Announced { .. } => "announced",
        RoomEvent::AgendaUpdated { .. } => "agenda_updated",
        RoomEvent::BoothsChanged { .. } => "booths_changed",
        RoomEvent::BoothChat { .. } => "booth_chat",
        RoomEvent::BoothChatHidden { .. } => "booth_chat_hidden",
        RoomEvent::TalkChanged { .. } => "talk_changed",
        RoomEvent::BoothQueueChanged { .. } => "booth_queue_changed",
        RoomEvent::BoothContactChanged { .. } => "booth_contact_changed",
        RoomEvent::SessionStatus { .. } => "session_status",
        RoomEvent::Question { .. } => "question",
        RoomEvent::QuestionHidden { .. } => "question_hidden",
        RoomEvent::Votes { .. } => "votes",
        RoomEvent::Highlighted { .. } => "highlighted",
        RoomEvent::QaSettingsChanged { .. } => "qa_settings_changed",
        RoomEvent::Poll { .. } => "poll",
        RoomEvent::PollHidden { .. } => "poll_hidden",
        RoomEvent::PollResults { .. } => "poll_results",
        RoomEvent::Award { .. } => "award",
        RoomEvent::AwardBallots { .. } => "award_ballots",
        RoomEvent::AwardHidden { .. } => "award_hidden",
        RoomEvent::QuizHidden { .. } => "quiz_hidden",
        RoomEvent::Quiz { .. } => "quiz",
        RoomEvent::QuizAnswers { .. } => "quiz_answers",
        RoomEvent::StreamDelay { .. } => "stream_delay",
        RoomEvent::ScreenChanged { .. } => "screen_changed",
        RoomEvent::Note { .. } => "note",
        RoomEvent::NotesRead { .. } => "notes_read",
        RoomEvent::ProfileChanged { .. } => "profile_changed",
        RoomEvent::Seated { .. } => "seated",
        RoomEvent::TablesSet { .. } => "tables_set",
        RoomEvent::RoundStarted { .. } => "round_started",
        RoomEvent::RoundExtended { .. } => "round_extended",
        RoomEvent::RoundEnded { .. } => "round_ended",
        RoomEvent::TableCounts { .. } => "table_counts",
        RoomEvent::TableHelp { .. } => "table_help",
        RoomEvent::TableClosed { .. } => "table_closed",
        RoomEvent::TablesMessage { .. } => "tables_message",
        RoomEvent::HarvestChanged { .. } => "harvest_changed",
        RoomEvent::StarsChanged { .. } => "stars_changed",
        RoomEvent::MeetingsSet { .. } => "meetings_set",
        RoomEvent::MeetingSoon { .. } => "meeting_soon",
        RoomEvent::MatchProfileChanged { .. } => "match_profile_changed",
        RoomEvent::BlocksChanged { .. } => "blocks_changed",
        RoomEvent::OpenNowChanged { .. } => "open_now_changed",
        RoomEvent::PersonalDataPurged => "personal_data_purged",
        RoomEvent::ContactCardChanged { .. } => "contact_card_changed",
        RoomEvent::ContactChanged { .. } => "contact_changed",
        RoomEvent::MeetingChanged { .. } => "meeting_changed",
        RoomEvent::MeetingPreferencesChanged { .. } => "meeting_preferences_changed",
    }
}
const ALL_SERVER: &[&str] = &[
    "welcome", "snapshot", "event", "joined", "page", "presence", "ok", "error", "pong",
];

fn client_name(m: &ClientMsg) -> &'static str {
    match m {
        ClientMsg::Hello { .. } => "hello",
        ClientMsg::Join { .. } => "join",
        ClientMsg::Leave { .. } => "leave",
        ClientMsg::Page { .. } => "page",
        ClientMsg::Ping { .. } => "ping",
        ClientMsg::SetStage { .. } => "set_stage",
        ClientMsg::Announce { .. } => "announce",
        ClientMsg::Ask { .. } => "ask",
        ClientMsg::EditQuestion { .. } => "edit_question",
        ClientMsg::WithdrawQuestion { .. } => "withdraw_question",
        ClientMsg::Upvote { .. } => "upvote",
        ClientMsg::Moderate { .. } => "moderate",
        ClientMsg::Highlight { .. } => "highlight",
        ClientMsg::SetQaSettings { .. } => "set_qa_settings",
        ClientMsg::Block { .. } => "block",
        ClientMsg::CreatePoll { .. } => "create_poll",
        ClientMsg::EditPoll { .. } => "edit_poll",
        ClientMsg::RunPoll { .. } => "run_poll",
        ClientMsg::Vote { .. } => "vote",
        ClientMsg::ApproveText { .. } => "approve_text",
        ClientMsg::CreateAward { .. } => "create_award",
        ClientMsg::RunAward { .. } => "run_award",
        ClientMsg::CastAward { .. } => "cast_award",
        ClientMsg::CreateQuiz { .. } => "create_quiz",
        ClientMsg::RunQuiz { .. } => "run_quiz",
        ClientMsg::AnswerQuiz { .. } => "answer_quiz",
        ClientMsg::QuizStanding { .. } => "quiz_standing",
        ClientMsg::SetStreamDelay { .. } => "set_stream_delay",
        ClientMsg::Present { .. } => "present",
        ClientMsg::ReadNotes { .. } => "read_notes",
        ClientMsg::SetProfile { .. } => "set_profile",
        ClientMsg::SetTables { .. } => "set_tables",
        ClientMsg::StartRound { .. } => "start_round",
        ClientMsg::ExtendRound { .. } => "extend_round",
        ClientMsg::EndRound { .. } => "end_round",
        ClientMsg::TakePart { .. } => "take_part",
        ClientMsg::ChooseTable { .. } => "choose_table",
        ClientMsg::MoveToTable { .. } => "move_to_table",
        ClientMsg::TableHelp { .. } => "table_help",
        ClientMsg::CloseTable { .. } => "close_table",
        ClientMsg::FindAtTables { .. } => "find_at_tables",
        ClientMsg::MessageTables { .. } => "message_tables",
        ClientMsg::SetMeetings { .. } => "set_meetings",
        ClientMsg::MeetingHere { .. } => "meeting_here",
        ClientMsg::MeetingNoShow { .. } => "meeting_no_show",
        ClientMsg::MeetingHeld { .. } => "meeting_held",
        ClientMsg::OpenNow { .. } => "open_now",
        ClientMsg::SetMatchProfile { .. } => "set_match_profile",
        ClientMsg::FindPeople { .. } => "find_people",
        ClientMsg::Recommend { .. } => "recommend",
        ClientMsg::BlockSomeone { .. } => "block_someone",
        ClientMsg::ReportSomeone { .. } => "report_someone",
        ClientMsg::SetContactCard { .. } => "set_contact_card",
        ClientMsg::ShareContact { .. } => "share_contact",
        ClientMsg::EndContact { .. } => "end_contact",
        ClientMsg::SetMeetingPreferences { .. } => "set_meeting_preferences",
        ClientMsg::RequestMeeting { .. } => "request_meeting",
        ClientMsg::AnswerMeeting { .. } => "answer_meeting",
        ClientMsg::CancelMeeting { .. } => "cancel_meeting",
        ClientMsg::LockMeeting { .. } => "lock_meeting",
        ClientMsg::ScheduleMeetings { .. } => "schedule_meetings",
        ClientMsg::Harvest { .. } => "harvest",
        ClientMsg::Star { .. } => "star",
        ClientMsg::BoothHere { .. } => "booth_here",
        ClientMsg::TalkNow { .. } => "talk_now",
        ClientMsg::AnswerTalk { .. } => "answer_talk",
        ClientMsg::EndTalk { .. } => "end_talk",
        ClientMsg::AskBoothContact { .. } => "ask_booth_contact",
        ClientMsg::AnswerBoothContact { .. } => "answer_booth_contact",
        ClientMsg::EndBoothContact { .. } => "end_booth_contact",
        ClientMsg::VisitBooth { .. } => "visit_booth",
        ClientMsg::PostBoothChat { .. } => "post_booth_chat",
        ClientMsg::HideBoothChat { .. } => "hide_booth_chat",
    }
}

fn server_name(m: &ServerMsg) -> &'static str {
    match m {
        ServerMsg::Welcome { .. } => "welcome",
        ServerMsg::Snapshot { .. } => "snapshot",
        ServerMsg::Event { .. } => "event",
        ServerMsg::Joined { .. } => "joined",
        ServerMsg::Page { .. } => "page",
        ServerMsg::Presence { .. } => "presence",
        ServerMsg::Ok { .. } => "ok",
        ServerMsg::Error { .. } => "error",
        ServerMsg::Pong { .. } => "pong",
    }
}
