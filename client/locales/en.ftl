# Plenum's words in English. Project Fluent syntax: https://projectfluent.org/fluent/guide/
# A count is given twice: $count selects the plural form, $count_n is the number as written.

## Everywhere
language = Language
skip-to-content = Skip to content
loading = Loading…
try-again = Try again
optional = (optional)
anonymous = Anonymous
confirm = Confirm
cancel = Cancel
choose = Choose…
copy = Copy
delete = Delete
show = Show
hide = Hide
back = Back
list-and = and

## Connection
connecting = Connecting…
connection-live = Live
reconnecting = Reconnecting…
retry-now = Retry now
organiser-key-refused = The organiser key was not accepted. Sign in again.
page-out-of-date = This page is out of date. Reload it to continue.
server-ended = The server ended the live connection.
event-gone = This event no longer exists.
not-sent-offline = Not sent: the connection is down. It comes back by itself; then send again.

## Errors
no-such-event = No event with this code
refused-because = Not accepted: { $detail }
error-forbidden = Your role may not do this.
error-not-found = That no longer exists.
error-rate-limited = Too many at once. Wait a moment and try again.
error-unauthenticated = Your sign-in has expired. Reload the page.
server-busy = The server is busy. Please try again in a moment.
server-refused = The server refused this (HTTP { $status }). Please try again.
server-unreachable = Could not reach the server. Check your connection and try again.
server-unreadable = The server sent an answer this page does not understand. Reload the page.

## Joining
join-an-event = Join an event
join-lead = Type the code shown on the screen or in your invitation.
accept-invitation = Accept your invitation
invitation-lead = You were invited to this event. Accept to continue.
event-code = Event code
code-format = Event codes are 3 to 16 letters or digits, like ECC2026.
your-name = Your name
name-hint = Shown with your questions. Leave it empty to take part anonymously.
join = Join
joining = Joining…
organiser-sign-in = Organiser sign-in
page-not-found = Page not found
page-not-found-text = This address is not a page of Plenum.

## Roles
role-attendee = Attendee
role-speaker = Speaker
role-moderator = Moderator
role-organiser = Organiser
role-registered = Registered attendee
not-for-you = Not for your role
for-moderators = This console is for the event's moderators. Ask the organisers for an invitation.
for-speakers = This console is for the event's speakers and moderators. Ask the organisers for an invitation.

## Agenda
agenda = Agenda
announcement = Announcement
loading-agenda = Loading the agenda…
agenda-unavailable = The agenda could not be loaded
agenda-empty = The agenda has not been published yet.
my-agenda-empty = Your agenda is empty. Star sessions to add them.
agenda-view = Agenda view
whole-programme = Whole programme
my-agenda-count = { $count ->
    [0] My agenda
   *[other] My agenda ({ $count_n })
}
download-ics = Download my agenda (.ics)
now-and-next = Now and next
live-now = Live now
next = Next
more-sessions = More sessions
day-heading = Day { $number } · { $date }
times-in-zone = Times are in the event's time zone, { $zone }.
times-in-zone-yours = Times are in the event's time zone, { $zone }; yours ({ $yours }) is shown beside them.
times-with-yours = { $event } (your time { $yours })
moderator-named = Moderator: { $name }
star-session = Add to my agenda: { $title }
sessions-count = { $count ->
    [one] { $count_n } session
   *[other] { $count_n } sessions
}

## Session kinds and stage
kind-plenary = Plenary
kind-panel = Panel
kind-breakout = Breakout
kind-workshop = Workshop
kind-world-cafe = World café
kind-pitch = Pitches
kind-award = Award
kind-networking = Networking
kind-visit = Visit
kind-social = Social
status-scheduled = Scheduled
status-live = Live
status-paused = Paused
status-ended = Ended

## A session
no-such-session = No such session
no-such-session-text = This event has no session “{ $id }”.
see-agenda = See the agenda
back-to-agenda = ← Agenda
back-to-session = ← Session
language-named = Language: { $language }
on-stage = On stage
no-live-stage = This session has no live stage.
waiting-for-stage = Waiting for the live stage…
here-now = { $count ->
    [one] { $count_n } here now
   *[other] { $count_n } here now
}
contribution-number = Contribution { $number }
stream-of = Stream: { $title }
watch-stream = Watch the stream
programme = Programme
materials = Materials
consoles = Consoles
moderator-console = Moderator console
speaker-console = Speaker console
big-screen = Big screen
no-session-for-screen = No session of this room is live or still to come.
show-on-big-screen = Show on the big screen
on-big-screen = On the big screen
clear-big-screen = Clear: show the stage
open-big-screen = Open the big screen
open-room-screen = Open the screen of { $track } (follows its live session)
screen-shows-stage = The big screen shows the stage.
screen-shows-poll = The big screen shows the poll “{ $title }”.
screen-shows-quiz = The big screen shows the quiz “{ $title }”.
screen-shows-award = The big screen shows the award vote “{ $title }”.
screen-shows-question = The big screen shows the question “{ $title }”.

## Q&A
questions = Questions
questions-closed = Questions are closed for this session.
ask-a-question = Ask a question
characters-left = { $count ->
    [one] { $count_n } character left
   *[other] { $count_n } characters left
}
ask-anonymously = Ask anonymously
send-question = Send question
question-empty = Write your question first.
question-too-long = { $count ->
   *[other] A question can be at most { $count_n } characters.
}
question-waiting-review = Sent. A moderator will review your question before it is shown.
question-approved = A moderator approved your question: everyone sees it now.
question-not-shown = A moderator did not show your question; the reason is in your notes.
question-handled = A moderator handled your question without showing it on its own.
question-published = Sent. Your question is in the list.
sort-questions = Sort questions
sort-popular = Most votes
sort-recent = Newest
your-questions-waiting = Your questions waiting for review
no-questions-yet = No questions yet.
answered-count = { $count ->
    [one] { $count_n } answered question
   *[other] { $count_n } answered questions
}
new-question = New question: { $text }
edited = edited
answered = Answered
on-screen = On the big screen
waiting-review = Waiting for review
reply = Reply
upvote-question = { $count ->
    [one] Vote up “{ $text }”, { $count_n } vote
   *[other] Vote up “{ $text }”, { $count_n } votes
}
withdraw = Withdraw
votes = { $count ->
    [one] { $count_n } vote
   *[other] { $count_n } votes
}

## Taking part
take-part = Take part
nothing-open = Nothing to answer right now. Polls and quiz questions appear here when they open.
poll-opened = New poll: { $question }
poll-open = Open
poll-closed = Closed
poll-draft = Draft
answers-count = { $count ->
    [one] { $count_n } answer
   *[other] { $count_n } answers
}
seconds-left = { $count ->
    [one] { $count_n } second left
   *[other] { $count_n } seconds left
}
answer-counted = Your answer counted.
answer-received = Your answer is in. You can change it while the poll is open.
choose-one = Choose one
choose-up-to = { $count ->
    [one] Choose one
   *[other] Choose up to { $count_n }
}
send-answer = Send answer
rate-value = { $value } of { $scale }
your-rating = Your rating
your-words = Your words (separate them with commas)
your-answer = Your answer
rank-hint = Put the options in your order, best first, with the arrow buttons.
move-up = Move up: { $option }
move-down = Move down: { $option }
results-hidden = The results are shown later.
average-rating = Average { $average }
word-cloud = Word cloud
points = { $count ->
    [one] { $count_n } point
   *[other] { $count_n } points
}
question-of = Question { $index } of { $length }
correct-answer = Correct answer
chose-this = { $count ->
    [one] { $count_n } chose this
   *[other] { $count_n } chose this
}
quiz-you-were-right = You were right.
quiz-you-were-wrong = Not this time: the answer was { $answer }.
quiz-no-answer = You did not answer this question.
correct-option = The correct option
write-options-first = Write the options first
watching-stream = I am watching the stream (it runs behind the room)
my-score = Your score: { $score_n } ({ $players_n } playing)
quiz-finished = Finished
quiz-starting = The quiz starts soon.
quiz-asking = Asking
quiz-revealed = Answer shown
no-scores-yet = No scores yet.
place = { $place ->
    [1] 1st place
    [2] 2nd place
    [3] 3rd place
   *[other] { $place }th place
}
ballots-count = { $count ->
    [one] { $count_n } ballot
   *[other] { $count_n } ballots
}
award-choose = Your choice
award-secret = Your ballot is secret. You get a receipt to check that it was counted.
cast-vote = Cast my vote
vote-counted = Your vote was counted.
your-receipt = Your receipt:
voting-closed = Voting has closed.

## Moderator console
moderating = Moderating: { $title }
counts = Counts
count-waiting = Waiting
count-live = Live
count-answered = Answered
count-dismissed = Dismissed
count-archived = Archived
count-merged = Merged
handled-questions = Handled questions
restore = Restore to the live list
merged-into-number = Merged into question { $number }
dismissed-question = Dismissed: “{ $text }”.
archived-question = Archived: “{ $text }”.
answered-question = Marked answered: “{ $text }”.
blocked-person = { $name } may no longer ask questions at this event.
undo = Undo
block-confirm = Block { $name } from asking questions anywhere at this event? They can still follow and vote; you can allow them again.
blocked-people = Blocked people
nobody-blocked = Nobody is blocked.
unblock = Allow again
unblock-person = Allow { $name } to ask again
qa-settings = Q&A settings
setting-review = Review questions before they are shown
setting-anonymous = Allow anonymous questions
setting-accepting = Accept questions
moderator-keys = Keys on a focused question: A approve · D dismiss · M answered · R reply · H big screen · B block · X archive · J/K next and previous.
review-queue = { $count ->
   *[other] Review queue ({ $count_n })
}
live-list = { $count ->
   *[other] Live ({ $count_n })
}
queue-count = { $count ->
    [one] { $count_n } question waiting for review
   *[other] { $count_n } questions waiting for review
}
queue-empty = Nothing waiting for review.
anonymous-to-audience = { $name } (anonymous to the audience)
question-by = { $text }, by { $name }
merged-count = { $count ->
    [one] { $count_n } merged in
   *[other] { $count_n } merged in
}
approve = Approve
dismiss = Dismiss
mark-answered = Answered
highlight = Big screen
merge = Merge
block = Block
archive = Archive
dismiss-reason = Reason (the asker sees it)
reply-text = Reply
merge-into = Merge into

## Speaker console
speaker-console-for = Speaker console: { $title }
new-poll = New poll
poll-question = Question
poll-kind = Kind
kind-single = One choice
kind-multiple = Several choices
kind-rating = Rating
kind-word-cloud = Word cloud
kind-open-text = Open text
kind-ranking = Ranking
poll-options = Options, one per line
options-hint = { $count ->
   *[other] At most { $count_n } options.
}
poll-max = Most choices per person
poll-scale = Scale (highest rating)
poll-moderated = Review answers before they are shown
poll-visibility = Results
visibility-live = Shown live
visibility-on-reveal = Shown when I reveal them
visibility-never = Never shown to the audience
poll-duration = Closes by itself after (seconds, empty for never)
create-poll = Create poll
editing-draft = Editing a draft: saving rewrites it.
save-draft = Save the draft
edit = Edit
duplicate = Duplicate
poll-created = Poll created. Open it when you are ready.
polls = Polls
no-polls = No polls yet.
participation = { $present ->
    [0] { $count_n } answered
   *[other] { $count_n } answered of { $present_n } here
}
open-poll = Open
close-poll = Close
reveal-results = Reveal results
answers-to-review = Answers to review
answers-shown = { $shown } of { $count } answers shown; every answer is in the export.
new-quiz = New quiz
quiz-title = Quiz title
question-number = Question { $number }
quiz-question-text = Question
seconds-to-answer = Seconds to answer
add-question = Add a question
create-quiz = Create quiz
quiz-created = Quiz created.
quizzes = Quizzes
no-quizzes = No quizzes yet.
reveal-answer = Reveal the answer
next-question = Next question
finish-quiz = Finish

## Big screen
join-at = Join at
with-code = with the code
qr-label = QR code to join the event
vote-now = Vote now
leaderboard-of = Leaderboard: { $title }
question-from-audience = Question from the audience

## Organiser
organiser = Organiser
organiser-key = Organiser key
organiser-key-hint = Printed by the server when it first started. It stays in this tab only.
organiser-key-wrong = This is not the organiser key.
sign-in = Sign in
sign-out = Sign out
your-events = Your events
no-events = No events yet.
create-event = Create an event
event-title = Title
time-zone = Time zone (for example Europe/Stockholm)
venue = Venue
attendee-view = Open the attendee view
live-control = Live
session = Session
stage-status = Stage status
put-on-stage = On stage
nothing-on-stage = Nothing
stage-text = Or a short text (for example “Coffee until 10:30”)
show-text = Show text
stream-delay = Stream delay (seconds)
set-delay = Set delay
current-delay = Now { $seconds } s
award-votes = Award votes
open-voting = Open voting
close-voting = Close voting
reveal-next = Reveal the next place
reveal-all = Reveal all
ballot-digest = Ballot digest:
award-title = Award title
award-candidates = Candidates, one per line
award-candidates-hint = Write “Name - Organisation” to add the organisation.
award-registered-only = Only registered attendees may vote
create-award = Create award vote
announce = Announce
announcement-text = Announcement to everyone at the event
send-announcement = Send announcement
announcement-sent = Announcement sent.
invitations = Invitations
invitee-name = Name
invitee-sessions = Covers
all-sessions = All sessions
invitee-role = Role
create-invitation = Create invitation link
import-agenda-file = Import a spreadsheet or schedule (CSV, XLSX, schedule.xml, schedule.json)
agenda-json = Agenda as JSON (for scripts)
agenda-hint = The format is in docs/protocol.md. Use this JSON puts it in the form above; Save agenda saves it.
agenda-too-large = The agenda is larger than 2 MB.
save-agenda = Save agenda
agenda-saved = Agenda saved. Everyone sees it now.
after-event-report = After-event report
report-of = After-event report: { $title }
back-to-console = ← Organiser console
report-summary = In numbers
people-joined = People joined
questions-asked = Questions asked
questions-answered = Questions answered
question-votes = Votes on questions
polls-run = Polls
poll-answers = Poll answers
report-hint = People joined counts each attendee's browser or device once, and each invited person once. Peak presence is the most people following a session at once.
peak-presence = Peak presence
poll-participation = Poll participation
no-polls-run = No polls were run.
report-by-session = By session
of-peak = { $share } of the session's peak
people-count = { $count ->
    [one] { $count_n } person
   *[other] { $count_n } people
}
export-results = Export results
export-workbook = Spreadsheet (every table, XLSX)
export-hint = Times are in the event's time zone. The files open in Excel, LibreOffice and Numbers.
export-session = Export this session
export-scope = What to export
whole-event = The whole event
not-published = Not published
dismiss-reason-shown = Moderator's reason
give-a-reason = Give a reason: the asker sees it.

## The inbox: notes about your own questions
note-answered = Your question was answered
note-dismissed = Your question was not taken
inbox-notes = { $count ->
    [one] { $count_n } note about your questions
   *[other] { $count_n } notes about your questions
}
note-new = new
inbox-new = { $count ->
    [one] { $count_n } new
   *[other] { $count_n } new
}
earlier-questions = { $count ->
    [one] Show one more question
   *[other] Show { $count } more questions
}
withdraw-invitation = Withdraw
invitation-withdrawn = withdrawn: the link and the person it made no longer work

import-agenda-hint = Fill in the template, one session a row; a row with only a talk and its speakers adds a talk to the session above. Nothing is saved until you look at the preview.
template-xlsx = Template (Excel)
template-csv = Template (CSV)
reading-file = Reading the file…
import-preview = Preview
import-row = Row { $row }
import-time-zone = The schedule is in the time zone { $zone }; times are taken as written, in this event's zone.
import-problems = { $count ->
    [one] One problem: fix it in the file and import it again.
   *[other] { $count_n } problems: fix them in the file and import it again.
}
import-sessions = { $count ->
    [one] One session
   *[other] { $count_n } sessions
}
preview-date = Date
preview-time = Time
preview-track = Track or room
preview-talks = Talks / speakers
use-imported-agenda = Put this agenda in the form
use-json = Use this JSON
json-unreadable = The JSON is not an agenda: { $detail }
agenda-days = Days
day-number = Day { $number }
day-title = Title of the day (optional)
day-in-use = Sessions are on this day
add-day = Add a day
add-day-first = Add a day before adding sessions.
add-session = Add a session
untitled-session = (no title yet)
session-title = Title
session-kind = Kind
session-day = Day
session-start = Starts
session-end = Ends
session-track = Track or room (optional)
session-location = Place onsite (optional)
session-attendance = Attendance
attendance-hybrid = Hybrid (onsite and online)
attendance-onsite = Onsite only
attendance-online = Online only
session-language = Language
language-of-event = The event's language
session-moderator = Moderator (optional): name, organisation
session-stream = Stream address (optional)
session-description = Description (optional)
session-materials = Materials (optional)
materials-hint = One a line: title | https://address
session-talks = Talks
add-talk = Add a talk
talk-title = Talk title
talk-speakers = Speakers
speakers-hint = One a line: name, organisation (or name, role, organisation)
talk-materials = The talk's materials (optional)
remove = Remove
remove-talk = Remove this talk
remove-session = Remove this session
agenda-unsaved = Changes not saved yet.
agenda-problem-in-session = Session { $number } ({ $title })
on-this-page = On this page
open-now = { $count ->
    [one] 1 open
   *[other] { $count_n } open
}

## The event's team: invitations, co-organisers, the activity log
role-co-organiser = Co-organiser
co-organiser-hint = A co-organiser runs this event as you do, with a link of their own: everything but creating events and inviting or withdrawing co-organisers.
invitations-made = Invitations made
no-invitations = No invitations yet.
invitations-count = { $count ->
    [one] { $count_n } invitation
   *[other] { $count_n } invitations
}
invitation-made-by = made by { $name }, { $time }
invitation-joined = joined
invitation-not-joined = not used yet
withdraw-invitation-of = Withdraw the invitation of { $name }
withdraw-invitation-confirm = Withdraw it? The link, and the person it made, stop working.
activity = Activity
activity-hint = Who did what at this event: organisers, co-organisers, moderators and speakers. The newest 2,000 actions are kept.
show-activity = Show activity
hide-activity = Hide activity
refresh = Refresh
no-activity = Nothing done yet.
show-more-of = { $count ->
    [one] Show { $count_n } more
   *[other] Show more ({ $count_n } left)
}
did-set_stage = set the stage
did-moderate = moderated a question
did-highlight = highlighted a question
did-block = blocked someone from asking
did-create_poll = created a poll
did-edit_poll = edited a poll
did-run_poll = ran a poll
did-approve_text = approved an answer
did-create_award = created an award vote
did-run_award = ran an award vote
did-create_quiz = created a quiz
did-run_quiz = ran a quiz
did-set_qa_settings = changed Q&A settings
did-set_stream_delay = set the stream delay
did-present = chose what the big screen shows
did-announce = announced
did-invite = made an invitation
did-withdraw_invitation = withdrew an invitation
did-replace_agenda = replaced the agenda
did-edit_session = edited a session
did-create_event = created the event
did-export = exported results
did-import_people = imported participants
did-reissue_link = made a personal link anew
did-export_links = downloaded the personal links
invitation-made = Invitation made for { $name }: copy its link from the list below.
invitation-link-of = The invitation link of { $name }
invitation-for = This invitation is for { $name }, as { $role }.
co-organiser-refused = Your access as a co-organiser has ended. Ask the organisers for a new invitation.

## World cafés: tables and rounds
tables = Tables
message-to-tables = Message to every table:
round-number = Round { $count_n }
time-left = { $time } left
round-ending-soon = The round ends soon.
round-ended = The round ended: you are back in the session.
choose-a-table = Choose a table below.
not-seated = Take part to get a table.
between-rounds = Between rounds: everyone is in the session. Your table appears here when a round starts.
take-part-tables = Take part at a table
leave-tables = Leave the tables
all-tables = All tables
seated-of = { $seated } of { $capacity } seated
table-full = Full
sit-here = Sit here
no-seat-left = Every table in your language is full this round.
you-host = You host this table
people-at-table = { $count ->
    [one] { $count_n } person at your table
   *[other] { $count_n } people at your table
}
table-host = Host
join-table-video = Join the table's video call
help-asked = Help is on its way.
help-not-needed = No longer needed
ask-for-help = Ask for help
table-named = Table { $number }: { $topic }
table-online = Online
table-hybrid = Hybrid
table-number = Table { $number }
table-needs-help = Needs help
table-host-here = Host here
table-host-away = Host away
table-closed = Closed
close-table = Close
open-table = Open
close-table-n = Close table { $number }
open-table-n = Open table { $number }
move-someone = Move someone to another table
search = Search
nobody-found = Nobody taking part matches.
move-to-of = Move { $name } to
no-table = No table
move-there = Move
tables-setup-help = Set up the tables people sit at in rounds. You can change them between rounds.
tables-count = Tables
tables-seats = Seats a table, the host's included
tables-language = Language
tables-any-language = Any
tables-topics = Topics
tables-topics-hint = (one a line, in table order)
tables-video = Video link
tables-video-hint = (optional; {"{"}table{"}"} becomes the table's number)
tables-set-up = Set up the tables
round-minutes = Minutes
round-seating = Seating
seating-rotation = Rotation: meet new people
seating-random = At random
seating-self-select = People choose
start-round = Start the round
tables-remove = Remove the tables
extend-round = 5 more minutes
end-round = End the round
send = Send

## Registered participants: import and personal links
participants = Participants
participants-hint = Upload the list you have (CSV or Excel), a person a row, with columns such as name, organisation, country, languages, email and role. You see it before anything is saved. Each person gets a personal link that signs them in on any device. Plenum sends no email: download the links for your mail merge.
people-file = Spreadsheet of participants
people-file-too-large = The file is larger than 2 MB.
people-saved = Saved: { $new } new, { $updated } updated.
personal-links = Personal links
no-participants = Nobody registered yet.
people-import-problems = { $count ->
    [one] 1 problem: correct it in the file and choose it again. Nothing was saved.
   *[other] { $count_n } problems: correct them in the file and choose it again. Nothing was saved.
}
people-to-save = { $new } new people, { $updated } already registered (their details are updated).
columns-ignored = Columns not read: { $columns }
import-row-heading = Row
person-name = Name
profile-organisation = Organisation
profile-country = Country
profile-languages = Languages
person-status = Status
person-new = new
person-known = already registered
register-people = Register these people
participants-count = { $count } registered, { $joined } signed in
download-links = Download the links (CSV, for a mail merge)
find-person = Find a person
personal-link-of = The personal link of { $name }
qr-of = QR code of the personal link of { $name }
new-link-of = Make a new link for { $name }
show-qr = QR code
new-link = New link
new-link-confirm = Make a new link? The old one, and every device signed in with it, stop working.
profile-about-you = About you
profile-hint = Your organisation, country and the languages you speak. At world cafés you sit at tables in a language you speak, with people of other organisations. Everyone at your table sees your name and organisation.
profile-no-country = Not given
profile-languages-hint = Choose the languages you can talk in.
profile-empty = nothing given yet
profile-you = About you
profile-saved = Saved.
save = Save

## World cafés: the harvest
harvest = Your table's harvest
harvest-hint = Write down what your table agrees on, a point at a time. The next group at this table builds on it.
harvest-empty = Nothing written yet.
harvest-point = Point { $number }
edit-point = Edit { $point }
move-point-up = Move { $point } up
move-point-down = Move { $point } down
remove-point = Remove { $point }
harvest-add-label = A point for the harvest
harvest-add = Add
harvest-full = The harvest is full
harvests = What the tables harvested
harvests-count = { $count ->
    [one] 1 table
   *[other] { $count_n } tables
}
screen-between-rounds = Between rounds
your-table-badge = You sit at table { $number }

## One-to-one meetings
meetings = Meetings
someone = Someone
person = Person
yes = Yes
no = No
meetings-to-answer-count = { $count ->
    [one] { $count_n } to answer
   *[other] { $count_n } to answer
}
meetings-to-answer = { $count ->
    [0] Waiting for your answer
   *[other] Waiting for your answer ({ $count_n })
}
meetings-nothing-to-answer = Nothing waits for your answer.
meetings-yours = Your meetings and requests
meetings-none-yet = No meetings yet. Find people below and ask them to meet.
meetings-closed = { $count ->
    [one] { $count_n } declined, expired or cancelled
   *[other] { $count_n } declined, expired or cancelled
}
meetings-none-planned = This event has no meeting times planned yet. You can still find people and share contact details.
meeting-next = Your next meeting
meeting-asks-you = Asks to meet you.
meeting-waiting-for-them = Waiting for their answer (until { $until }).
meeting-accepted-unscheduled = Accepted; not scheduled yet. The organisers will give it a time.
meeting-booked = Booked.
meeting-booked-locked = Booked by the organisers.
meeting-declined = Declined.
meeting-answered-with-time = They answered with another time.
meeting-no-show-you = Marked as not come. If you are here, say so.
meeting-expired = Not answered in time.
meeting-cancelled = Cancelled.
meeting-you-proposed = You proposed another time: { $when }. Waiting for their answer.
meeting-they-proposed = They propose another time: { $when }.
meeting-time-asked = The time asked: { $when }.
meeting-table = Table { $table_n }
meeting-table-at = Table { $table_n }, { $place }
meeting-online = Online
meeting-video-link = Join the video meeting
meeting-share-legend = Share your contact details with them (optional)
meeting-share-no-card = Add an email or phone number to your contact card below to share it.
meeting-accept = Accept
meeting-decline = Decline
meeting-accepted-said = Meeting accepted.
meeting-declined-said = Declined.
meeting-proposed-said = Another time proposed.
meeting-cancelled-said = Called off.
meeting-cancel = Cancel the meeting
meeting-withdraw = Withdraw the request
meeting-propose = Propose another time
meeting-propose-send = Propose this time
meeting-time = Time
meeting-any-time = Any time
meeting-starts-in = { $count ->
    [one] Starts in { $count_n } minute
   *[other] Starts in { $count_n } minutes
}
meeting-ends-in = { $count ->
    [one] Now: { $count_n } minute left
   *[other] Now: { $count_n } minutes left
}
meeting-over = Over.
meeting-here = I'm here
meeting-here-said = They can see you are here.
meeting-you-are-here = You said you are here.
meeting-they-are-here = They are here.
meeting-no-show = They did not come
meeting-no-show-said = Marked as not come.
meeting-no-show-marked = Marked as a no-show.
meeting-held-question = Did the meeting take place?
meeting-held-yes-said = You said it took place.
meeting-held-no-said = You said it did not take place.
meeting-ask = Ask to meet
meeting-ask-send = Send the request
meeting-message = Message
meeting-request-sent = Request sent. You will see their answer here.
meeting-soon-note = Meeting with { $who } at { $at }
meeting-news-request = { $who } asks to meet you.
meeting-news-proposed = { $who } proposes another time.
meeting-news-accepted = { $who } accepted: the organisers will give it a time.
meeting-news-booked = Your meeting with { $who } is booked.
meeting-news-declined = The meeting with { $who } was declined.
meeting-news-cancelled = The meeting with { $who } was called off.
meeting-news-expired = The request with { $who } expired.
meeting-news-sent = Request sent to { $who }.
notify-me = Notify me in this browser
notify-on = This browser notifies you of new requests while a Plenum page is open.
find-people = Find people to meet
find-people-hint = Only people who published their matchmaking profile are found.
find-words = Name, organisation, offer or request
find-tag = Tag
find-sector = Sector
find-any = Any
find-search = Search
find-recommended = Recommended for you
find-more = More
people-found = { $count ->
    [0] Nobody found.
    [one] { $count_n } person found.
   *[other] { $count_n } people found.
}
people-recommended = { $count ->
    [0] No recommendations yet: add offers and requests to your profile.
    [one] { $count_n } person recommended.
   *[other] { $count_n } people recommended.
}
recommended-because = Why recommended
person-online = online
person-open-now = open for a meeting now
card-offer = Offers
card-request = Looking for
free-now-heading = Open for a meeting now: ask one of them to meet you instead
free-now-nobody = Nobody is open for a meeting now.
block-or-report = Block or report
block-hint = Blocking { $name } stops their requests and contact offers to you, and ends a contact between you. Reporting tells the organisers.
report-why = What happened?
report-send = Report to the organisers
report-sent = Reported to the organisers.
contacts = Contacts
contacts-hint = Contact details pass only when both agree, and only what each chooses. Either of you can end it; then the details disappear.
contacts-none = No contacts yet.
contact-asked = You offered to share: waiting for them.
contact-offered = Offers to share contact details with you.
contact-agreed = You share contact details.
contact-ended = Ended.
contact-accept = Share back
contact-decline = Decline
contact-end = End the contact
contact-shared-said = Shared.
contact-ended-said = The contact ended.
contact-what-you-share = What you share
contact-you-share = You share: { $what }.
contact-name-org = name and organisation
contact-email = Email
contact-phone = Phone
contact-note = Note
contact-card = Your contact card
contact-card-hint = Nobody sees these until you choose to share them with someone.
contact-card-saved = Contact card saved.
open-for-meetings = Open for a meeting now
open-now-hint = For the next 30 minutes, people whose meeting fell through can find you.
open-now-start = I'm open for a meeting now
open-now-stop = No longer
open-now-until = You are open for a meeting until { $at }.
match-profile = Your matchmaking profile
match-profile-hint = Published only if you choose: then people at this event can find you, see your offers and requests, and ask to meet.
match-listed = Publish my profile
match-role = Role
match-sectors = Sectors
match-profile-saved = Profile saved.
card-add-offer = Add an offer
card-add-request = Add a request
card-title = Title
card-text = Details
card-tags = Tags
card-remove = Remove this card
preferences = When you meet
preferences-online = Online only
preferences-half = Part of the day
preferences-whole-day = Any time
preferences-morning = Mornings only
preferences-afternoon = Afternoons only
preferences-busy = Times you keep free
preferences-saved = Saved.
meetings-screen = Meetings screen
meetings-screen-qr = QR code: the link to your meetings
meetings-screen-find = Your table and time are on your phone
meetings-table-plan = The tables
meetings-tables = Tables
screen-next-slot = Next: { $when }
screen-slot-now = Now: { $when }
screen-no-slot = No more meeting slots.
meetings-plan = One-to-one meetings
meetings-plan-hint = When meetings happen, at which tables, and what profiles hold. People see the times; a plan that would strand a booked meeting is refused.
meetings-blocks = Meeting times
meetings-block = Block { $n_n }
meetings-add-block = Add meeting times
meetings-remove-block = Remove these times
meetings-day = Day
meetings-from = From
meetings-to = To
meetings-slot-minutes = Minutes a meeting
meetings-change-minutes = Minutes between
meetings-places = Places of the tables
meetings-places-hint = One a line, in table order (table 1 first).
meetings-video = Video link for online meetings
meetings-video-hint = An https:// link; {"{"}meeting{"}"} becomes a code of each meeting's own.
meetings-expiry = Hours before an unanswered request expires
meetings-open-requests = Unanswered requests one person may have sent
meetings-keep-starred = Keep the sessions people starred free of meetings
meetings-profiles = Profiles
meetings-profiles-open = Anyone with the event code may find profiles (not only registered participants)
meetings-profiles-no-role = No role on profiles
meetings-sectors = Sectors (one a line)
meetings-tags = Tags (one a line)
meetings-plan-save = Save the meeting plan
meetings-plan-saved = Meeting plan saved.
meetings-plan-remove = Remove the plan
meetings-plan-removed = Meeting plan removed.
meetings-dashboard = Meetings: where they stand
meetings-requests = Requests
meetings-booked-heading = Accepted meetings
requests-sent = Sent
requests-waiting = Waiting
requests-accepted = Accepted
requests-declined = Declined
requests-expired = Expired
requests-cancelled = Cancelled
meetings-scheduled = Scheduled
meetings-unscheduled = Not scheduled
meetings-held = Held
meetings-missed = Missed
meetings-received = Received
meetings-unplaced = Cannot be placed
meetings-per-person = Per person
unplaced-no-common-slot = No common free time:
unplaced-taken = Every common time is taken:
unplaced-lock-clash = Locked at a clashing time:
schedule-all = Schedule all
schedule-all-hint = Gives every accepted meeting without a time the best free slot and table: the most meetings, fairly shared, with the fewest gaps in people's days.
schedule-move-booked = Also move booked meetings (locked ones never move)
schedule-done = Scheduled: { $placed_n } of { $accepted_n } meetings have a time.
schedule-summary = { $placed_n } of { $accepted_n } accepted meetings have a time ({ $changed_n } booked or moved now; at most { $bound_n } can). { $gaps_n } idle gaps in people's days.
meetings-exports = Export
person-reports = Reports
person-report-line = { $by } reported { $about }:
meetings-all = Accepted meetings, to lock
meetings-filter = Find by name or organisation
meetings-listed = Showing { $shown_n } of { $all_n }: type a name to find the others.
meetings-between = Between
meetings-lock = Lock
meetings-locked = Locked
meetings-lock-one = Lock the meeting { $who } where it is
meetings-unlock-one = Unlock the meeting { $who }
your-data = Your calendar and your data
calendar-feed = Calendar feed
calendar-feed-hint = Subscribe to this address in your calendar app: your starred sessions and your meetings, updated when a meeting moves. Keep it to yourself; a new address stops the old one.
calendar-show = Show my calendar address
calendar-address = Your calendar address
calendar-renew = Make a new address
calendar-renewed = A new calendar address: the old one no longer works.
my-data = Your data
my-data-hint = Download everything this event keeps about you, or delete your profile: your organisation, matchmaking profile, preferences, contact card and contacts. Your meetings stay for the other person, without your organisation.
my-data-download = Download my data
my-data-delete = Delete my profile
my-data-delete-sure = Yes, delete my profile
my-data-deleted = Your profile was deleted.

## How long personal data is kept (the organisers' console)
personal-data = Personal data
retention-explained = Plenum keeps what people share here (profiles, meetings, contacts, questions, their inboxes) until the end of the day below, then deletes it for good. Take the exports first: what is deleted does not come back.
retention-until = Keep personal data until
retention-hint = The day ends at midnight in the event's time zone. Leave it empty to keep the data until you delete it here.
retention-save = Save the date
retention-saved = Personal data will be kept until { $date }.
retention-cleared = No date: personal data is kept until you delete it.
retention-set = Kept until { $date }, then deleted.
retention-none = No date set: kept until you delete it.
purged-at = Personal data was deleted on { $at }.
purge-now = Delete personal data now
purge-sure = Yes, delete it now: this cannot be undone
purged-now = Personal data deleted.

## Badges and contact codes
badges = Badges
badges-hint = One badge for each person the event keeps (imported participants, and everyone who saved their profile or starred a session): their name, their organisation and a QR code that opens "Request contact" on another attendee's phone. It signs nobody in, and nothing is shared until they agree. Print it from here: only the badges are printed.
badges-print = Print the badges
badges-count = { $count ->
    [one] One badge.
   *[other] { $count } badges.
}
badge-qr-label = Request contact with { $name }
scanned-heading = Request contact
scanned-who = Ask { $who } for contact details. They see your name and organisation and what you choose to share below; nothing of theirs shows until they agree.
scanned-why = Why (optional)
scanned-send = Request contact
scanned-sent = Asked: they see your request in their contacts and answer it there.
scanned-yours = This is your own badge.

## A person's agreed contacts as files
contacts-download-csv = Download as a spreadsheet (CSV)
contacts-download-vcard = Add to my address book (vCard)

## The exhibition
exhibition = Exhibition
exhibition-empty = The exhibition has no booths yet.
exhibition-search = Search booths
exhibition-sector = Sector
exhibition-country = Country
exhibition-any = Any
booths-shown = { $count ->
    [0] No booth matches.
    [one] { $count_n } booth.
   *[other] { $count_n } booths.
}
booths-count = { $count ->
    [0] No booths yet.
    [one] { $count_n } booth.
   *[other] { $count_n } booths.
}
booth-staff-count = { $count ->
    [0] No staff
    [one] { $count_n } staff member
   *[other] { $count_n } staff members
}
booth-not-found = No such booth
booth-video = Video: { $who }
booth-tags = Tags
booth-tags-hint = Separated by commas, at most 8.
booth-offers = Offers
booth-links = Links and materials
booth-staff = Staff
booth-no-staff = No staff yet.
booth-join-heading = Join { $who }'s staff
booth-join-text = You were sent this booth's staff link. As staff you can edit the booth, and your name is shown on it.
booth-join-name = Choose a display name first (on the agenda page): a booth's staff are shown by name.
booth-join = Join the staff
booth-joined = You are on the booth's staff.
booth-edit = Edit the booth
booth-organisation = Organisation
booth-description-en = Description in English
booth-description-sv = Description in Swedish
booth-country = Country code
booth-country-hint = Two letters, such as SE or PT.
booth-video-link = Video (YouTube or Vimeo)
booth-video-hint = The video's address, such as https://youtu.be/…
booth-link-label = Label
booth-link-url = Address (https://…)
booth-add-link = Add a link
booth-offer-title = Title
booth-offer-text = Text
booth-add-offer = Add an offer
booth-save = Save the booth
booth-saved = Booth saved.
booth-logo = Logo
booth-logo-hint = A PNG, JPEG or WebP image of at most 2 MB. It is shown at most 400 pixels wide.
booth-logo-too-large = The logo is larger than 2 MB.
booth-logo-remove = Remove the logo
booth-leave = Leave the booth's staff
exhibition-organise-hint = Create a booth, then give its staff link to the exhibitor: whoever opens it, signed in, joins the booth's staff and can edit it.
booth-create = Create booth
booth-created = Booth created: { $who }.
booth-staff-link = Staff link
booth-new-staff-link = New staff link (the old one stops working)
booth-staff-link-label = Staff link to give the exhibitor
booth-remove = Remove
booth-remove-sure = Remove for good?
booth-remove-label = Remove { $who }'s booth
talk-now = Talk now
talk-staffed = Someone of the booth's staff is here now.
talk-ask = Talk now
talk-nobody = Nobody is at the booth now. Ask its staff for a meeting instead:
talk-place = { $count ->
    [1] You are next in the queue.
   *[other] You are number { $count_n } in the queue.
}
talk-leave = Leave the queue
talk-accepted = { $who } is ready to talk with you.
talk-join-call = Join the video call
talk-no-call = The booth has no video call: meet at the booth, or exchange contact details.
talk-end = End the talk
talk-ended = The talk ended.
talk-missed = You left the queue, or nobody answered in time.
talk-desk = Talk now: your desk
talk-here = I am at the booth
talk-here-hint = While this is on, visitors can ask to talk now, and you see them here.
talk-waiting = Waiting
talk-nobody-waiting = Nobody is waiting.
talk-accept = Accept
talk-accept-label = Accept { $who }
talk-talking = Talking
talk-pair = { $visitor } with { $staff }
talk-new-visitor = A visitor is waiting to talk.
booth-contact = Contact details
booth-contact-hint = Ask the booth's team to get in touch. They see your name, organisation and why you ask; anything else you share reaches them only once one of them accepts.
booth-contact-why = Why you ask (optional)
booth-contact-ask = Request contact
booth-contact-asked = You asked. The booth's team sees your name, organisation and why, and nothing else until one of them accepts.
booth-contact-agreed = { $who } accepted: you share contact details.
booth-contact-agreed-team = The booth's team accepted: you share contact details.
booth-contact-update = Update what you share
booth-contact-withdraw = Withdraw
booth-contact-withdrawn = Withdrawn: the booth no longer has your details.
booth-contact-no-card = To share an email or phone number, add it to your contact card on the meetings page:
booth-leads = Contact requests
booth-leads-hint = Visitors who asked for contact. You see what they share once you accept, and they see what you choose to share here. Either side can withdraw: it then leaves this list and the files.
booth-leads-none = No contact requests yet.
booth-leads-asked = Waiting for an answer
booth-leads-agreed = Agreed
booth-leads-accepted-by = Accepted by { $who }
booth-leads-accept-label = Share back with { $who }
booth-leads-decline-label = Decline { $who }
booth-leads-end-label = End the contact with { $who }
booth-leads-requested = Contact requests so far: { $count }
pitch-contact = Request contact
talk-booth = The booth that pitches (optional)
talk-booth-hint = While the pitch is on stage, attendees can ask the booth for contact, and the big screen shows a QR code for it.
talk-booth-none = No booth
talk-contact = Or the person who pitches (optional)
talk-contact-hint = Instead of a booth: attendees then ask this person for contact. Only people with a name and a profile (or registered by the organisers) are listed.
talk-contact-none = Nobody
pitch-contact-hint = { $who } is pitching. Ask them for contact: they see your name, organisation and why you ask; anything else you share reaches them only once they accept.
pitch-contact-sent = Asked.
pitch-contact-asked = You asked for contact. They see your name, organisation and why, and nothing else until they accept.
pitch-contact-agreed = { $who } accepted: you share contact details.
pitch-contact-qr = Scan to request contact: { $title }
pitch-contact-yours = This is your own pitch: the requests reach you.
pitch-contact-offered = { $who } offered to share contact details with you: answer below.
pitch-contact-name = Join with your name to request contact.
booth-call = Video call link for "talk now" (https://…)
booth-call-hint = Given only to the visitors you accept.
booth-staffed-now = Staffed now
booth-visitors-now = { $count ->
    [one] { $count_n } visitor now
   *[other] { $count_n } visitors now
}
chat = Chat with the booth
chat-hint = Everyone looking at this booth reads what you write here, with your name. Its staff may hide messages and download the chat.
chat-omitted = { $count ->
    [one] One older message is not shown.
   *[other] { $count_n } older messages are not shown.
}
chat-empty = No messages yet.
chat-staff = Staff
chat-hide = Hide
chat-hide-label = Hide the message from { $who }
chat-report-label = Block or report { $who }
chat-close = Close
chat-write = Your message
chat-send = Send
chat-sent = Message sent.
chat-name-first = Choose a display name first (on the agenda page) to write in the chat.
chat-show-hidden = Hidden messages
chat-download = Download the chat (CSV)
chat-none-hidden = No hidden messages.
chat-hidden = Hidden messages
chat-unhide = Show again
chat-unhide-label = Show again: the message from { $who }
booth-numbers = Your booth's numbers
booth-numbers-hint = Counts only: nobody's name reaches you unless they share it with you.
booth-numbers-now = Visitors now
booth-numbers-visits = Visits
booth-numbers-visitors = Different visitors
booth-numbers-requests = Talk-now requests
booth-numbers-answered = Answered
booth-numbers-missed = Missed
booth-numbers-contacts = Contact requests
booth-take-off = Take off the staff
booth-take-off-label = Take { $who } off the staff
booth-meet-team = Meet our team
booth-meet-team-hint = Ask for a one-to-one meeting with the team: any of the staff can answer, and it is booked into the event's meeting times.
booth-meetings = Meetings with your team
booth-meetings-hint = Visitors ask your booth for meetings. Any of you answers for the booth, and you all see the same schedule.
booth-meetings-booked = Booked
booth-meetings-waiting = Waiting for the visitor
booth-preferences = When your booth meets
meetings-booth-waiting = { $count ->
    [one] { $who }: { $count_n } booth meeting to answer
   *[other] { $who }: { $count_n } booth meetings to answer
}
meeting-request-sent-booth = Request sent. The booth's answer will be on your meetings page.
meeting-asks-your-team = Asks to meet your team.
booth-meetings-none = Nothing booked yet.
booth-meet-team-asked = You asked the team for a meeting.
