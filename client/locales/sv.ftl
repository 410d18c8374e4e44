# Plenums ord på svenska. Project Fluent: https://projectfluent.org/fluent/guide/
# Ett antal ges två gånger: $count väljer pluralform, $count_n är talet som det skrivs.

## Överallt
language = Språk
skip-to-content = Hoppa till innehållet
loading = Laddar…
try-again = Försök igen
optional = (frivilligt)
anonymous = Anonym
confirm = Bekräfta
cancel = Avbryt
choose = Välj…
copy = Kopiera
delete = Ta bort
show = Visa
hide = Dölj
back = Tillbaka
list-and = och

## Anslutning
connecting = Ansluter…
connection-live = Live
reconnecting = Återansluter…
retry-now = Försök nu
organiser-key-refused = Arrangörsnyckeln godtogs inte. Logga in igen.
page-out-of-date = Sidan är inaktuell. Ladda om den för att fortsätta.
server-ended = Servern avslutade liveanslutningen.
event-gone = Evenemanget finns inte längre.
not-sent-offline = Inte skickat: anslutningen är nere. Den kommer tillbaka av sig själv; skicka sedan igen.

## Fel
no-such-event = Inget evenemang har den koden
refused-because = Godtogs inte: { $detail }
error-forbidden = Din roll får inte göra detta.
error-not-found = Det finns inte längre.
error-rate-limited = För många på en gång. Vänta en stund och försök igen.
error-unauthenticated = Din inloggning har gått ut. Ladda om sidan.
server-busy = Servern är upptagen. Försök igen om en stund.
server-refused = Servern avvisade detta (HTTP { $status }). Försök igen.
server-unreachable = Kunde inte nå servern. Kontrollera din anslutning och försök igen.
server-unreadable = Servern skickade ett svar som sidan inte förstår. Ladda om sidan.

## Gå med
join-an-event = Gå med i ett evenemang
join-lead = Skriv koden som visas på skärmen eller i din inbjudan.
accept-invitation = Tacka ja till din inbjudan
invitation-lead = Du är inbjuden till det här evenemanget. Acceptera för att fortsätta.
event-code = Evenemangskod
code-format = Evenemangskoder är 3 till 16 bokstäver eller siffror, till exempel ECC2026.
your-name = Ditt namn
name-hint = Visas med dina frågor. Lämna tomt för att delta anonymt.
join = Gå med
joining = Går med…
organiser-sign-in = Inloggning för arrangörer
page-not-found = Sidan finns inte
page-not-found-text = Den här adressen är ingen sida i Plenum.

## Roller
role-attendee = Deltagare
role-speaker = Talare
role-moderator = Moderator
role-organiser = Arrangör
role-registered = Registrerad deltagare
not-for-you = Inte för din roll
for-moderators = Den här konsolen är för evenemangets moderatorer. Be arrangörerna om en inbjudan.
for-speakers = Den här konsolen är för evenemangets talare och moderatorer. Be arrangörerna om en inbjudan.

## Program
agenda = Program
announcement = Meddelande
loading-agenda = Laddar programmet…
agenda-unavailable = Programmet kunde inte laddas
agenda-empty = Programmet har inte publicerats än.
my-agenda-empty = Ditt program är tomt. Stjärnmärk pass för att lägga till dem.
agenda-view = Programvy
whole-programme = Hela programmet
my-agenda-count = { $count ->
    [0] Mitt program
   *[other] Mitt program ({ $count_n })
}
download-ics = Ladda ner mitt program (.ics)
now-and-next = Nu och härnäst
live-now = Pågår nu
next = Härnäst
more-sessions = Fler pass
day-heading = Dag { $number } · { $date }
times-in-zone = Tiderna är i evenemangets tidszon, { $zone }.
times-in-zone-yours = Tiderna är i evenemangets tidszon, { $zone }; din egen ({ $yours }) visas bredvid.
times-with-yours = { $event } (din tid { $yours })
moderator-named = Moderator: { $name }
star-session = Lägg till i mitt program: { $title }
sessions-count = { $count ->
    [one] { $count_n } pass
   *[other] { $count_n } pass
}

## Passtyper och scen
kind-plenary = Plenum
kind-panel = Panel
kind-breakout = Parallellpass
kind-workshop = Workshop
kind-world-cafe = Världscafé
kind-pitch = Pitchar
kind-award = Prisutdelning
kind-networking = Nätverkande
kind-visit = Studiebesök
kind-social = Socialt
status-scheduled = Planerat
status-live = Pågår
status-paused = Paus
status-ended = Avslutat

## Ett pass
no-such-session = Passet finns inte
no-such-session-text = Evenemanget har inget pass ”{ $id }”.
see-agenda = Se programmet
back-to-agenda = ← Program
back-to-session = ← Passet
language-named = Språk: { $language }
on-stage = På scen
no-live-stage = Det här passet har ingen livescen.
waiting-for-stage = Väntar på livescenen…
here-now = { $count ->
    [one] { $count_n } här nu
   *[other] { $count_n } här nu
}
contribution-number = Bidrag { $number }
stream-of = Sändning: { $title }
watch-stream = Se sändningen
programme = Programpunkter
materials = Material
consoles = Konsoler
moderator-console = Moderatorkonsol
speaker-console = Talarkonsol
big-screen = Storskärm
no-session-for-screen = Inget pass i den här salen pågår eller återstår.
show-on-big-screen = Visa på storskärmen
on-big-screen = Visas på storskärmen
clear-big-screen = Rensa: visa scenen
open-big-screen = Öppna storskärmen
open-room-screen = Öppna skärmen för { $track } (följer passet som pågår)
screen-shows-stage = Storskärmen visar scenen.
screen-shows-poll = Storskärmen visar omröstningen ”{ $title }”.
screen-shows-quiz = Storskärmen visar frågesporten ”{ $title }”.
screen-shows-award = Storskärmen visar priset ”{ $title }”.
screen-shows-question = Storskärmen visar frågan ”{ $title }”.

## Frågor
questions = Frågor
questions-closed = Frågorna är stängda för det här passet.
ask-a-question = Ställ en fråga
characters-left = { $count ->
    [one] { $count_n } tecken kvar
   *[other] { $count_n } tecken kvar
}
ask-anonymously = Fråga anonymt
send-question = Skicka frågan
question-empty = Skriv din fråga först.
question-too-long = { $count ->
   *[other] En fråga får vara högst { $count_n } tecken.
}
question-waiting-review = Skickat. En moderator granskar frågan innan den visas.
question-approved = En moderator godkände din fråga: alla ser den nu.
question-not-shown = En moderator visade inte din fråga; skälet finns bland dina meddelanden.
question-handled = En moderator hanterade din fråga utan att visa den för sig.
question-published = Skickat. Din fråga finns i listan.
sort-questions = Sortera frågorna
sort-popular = Flest röster
sort-recent = Senaste
your-questions-waiting = Dina frågor som väntar på granskning
no-questions-yet = Inga frågor än.
answered-count = { $count ->
    [one] { $count_n } besvarad fråga
   *[other] { $count_n } besvarade frågor
}
new-question = Ny fråga: { $text }
edited = redigerad
answered = Besvarad
on-screen = På storskärmen
waiting-review = Väntar på granskning
reply = Svar
upvote-question = { $count ->
    [one] Rösta upp ”{ $text }”, { $count_n } röst
   *[other] Rösta upp ”{ $text }”, { $count_n } röster
}
withdraw = Dra tillbaka
votes = { $count ->
    [one] { $count_n } röst
   *[other] { $count_n } röster
}

## Delta
take-part = Delta
nothing-open = Inget att svara på just nu. Omröstningar och quizfrågor visas här när de öppnar.
poll-opened = Ny omröstning: { $question }
poll-open = Öppen
poll-closed = Stängd
poll-draft = Utkast
answers-count = { $count ->
    [one] { $count_n } svar
   *[other] { $count_n } svar
}
seconds-left = { $count ->
    [one] { $count_n } sekund kvar
   *[other] { $count_n } sekunder kvar
}
answer-counted = Ditt svar räknades.
answer-received = Ditt svar är inskickat. Du kan ändra det medan omröstningen är öppen.
choose-one = Välj ett
choose-up-to = { $count ->
    [one] Välj ett
   *[other] Välj upp till { $count_n }
}
send-answer = Skicka svaret
rate-value = { $value } av { $scale }
your-rating = Ditt betyg
your-words = Dina ord (skilj dem åt med kommatecken)
your-answer = Ditt svar
rank-hint = Ordna alternativen, bästa först, med pilknapparna.
move-up = Flytta upp: { $option }
move-down = Flytta ner: { $option }
results-hidden = Resultaten visas senare.
average-rating = Medelbetyg { $average }
word-cloud = Ordmoln
points = { $count ->
    [one] { $count_n } poäng
   *[other] { $count_n } poäng
}
question-of = Fråga { $index } av { $length }
correct-answer = Rätt svar
chose-this = { $count ->
    [one] { $count_n } valde detta
   *[other] { $count_n } valde detta
}
quiz-you-were-right = Du hade rätt.
quiz-you-were-wrong = Inte den här gången: rätt svar var { $answer }.
quiz-no-answer = Du svarade inte på den här frågan.
correct-option = Rätt alternativ
write-options-first = Skriv alternativen först
watching-stream = Jag ser sändningen (den ligger efter salen)
my-score = Dina poäng: { $score_n } ({ $players_n } spelar)
quiz-finished = Klart
quiz-starting = Quizet börjar snart.
quiz-asking = Frågar
quiz-revealed = Svaret visas
no-scores-yet = Inga poäng än.
place = { $place ->
    [1] 1:a plats
    [2] 2:a plats
   *[other] { $place }:e plats
}
ballots-count = { $count ->
    [one] { $count_n } röst
   *[other] { $count_n } röster
}
award-choose = Ditt val
award-secret = Din röst är hemlig. Du får ett kvitto för att kontrollera att den räknades.
cast-vote = Lägg min röst
vote-counted = Din röst har räknats.
your-receipt = Ditt kvitto:
voting-closed = Röstningen är stängd.

## Moderatorkonsol
moderating = Modererar: { $title }
counts = Antal
count-waiting = Väntar
count-live = Publicerade
count-answered = Besvarade
count-dismissed = Avvisade
count-archived = Arkiverade
count-merged = Sammanslagna
handled-questions = Hanterade frågor
restore = Återställ till listan
merged-into-number = Sammanslagen med fråga { $number }
dismissed-question = Avvisad: ”{ $text }”.
archived-question = Arkiverad: ”{ $text }”.
answered-question = Markerad som besvarad: ”{ $text }”.
blocked-person = { $name } kan inte längre ställa frågor vid evenemanget.
undo = Ångra
block-confirm = Spärra { $name } från att ställa frågor vid hela evenemanget? Personen kan fortfarande följa och rösta; du kan släppa spärren igen.
blocked-people = Spärrade personer
nobody-blocked = Ingen är spärrad.
unblock = Släpp spärren
unblock-person = Låt { $name } ställa frågor igen
qa-settings = Inställningar för frågor
setting-review = Granska frågor innan de visas
setting-anonymous = Tillåt anonyma frågor
setting-accepting = Ta emot frågor
moderator-keys = Tangenter på en markerad fråga: A godkänn · D avvisa · M besvarad · R svara · H storskärm · B blockera · X arkivera · J/K nästa och föregående.
review-queue = { $count ->
   *[other] Granskningskö ({ $count_n })
}
live-list = { $count ->
   *[other] Publicerade ({ $count_n })
}
queue-count = { $count ->
    [one] { $count_n } fråga väntar på granskning
   *[other] { $count_n } frågor väntar på granskning
}
queue-empty = Inget väntar på granskning.
anonymous-to-audience = { $name } (anonym för publiken)
question-by = { $text }, av { $name }
merged-count = { $count ->
    [one] { $count_n } sammanslagen
   *[other] { $count_n } sammanslagna
}
approve = Godkänn
dismiss = Avvisa
mark-answered = Besvarad
highlight = Storskärm
merge = Slå samman
block = Blockera
archive = Arkivera
dismiss-reason = Anledning (frågeställaren ser den)
reply-text = Svar
merge-into = Slå samman med

## Talarkonsol
speaker-console-for = Talarkonsol: { $title }
new-poll = Ny omröstning
poll-question = Fråga
poll-kind = Typ
kind-single = Ett val
kind-multiple = Flera val
kind-rating = Betyg
kind-word-cloud = Ordmoln
kind-open-text = Fritext
kind-ranking = Rangordning
poll-options = Alternativ, ett per rad
options-hint = { $count ->
   *[other] Högst { $count_n } alternativ.
}
poll-max = Flest val per person
poll-scale = Skala (högsta betyg)
poll-moderated = Granska svaren innan de visas
poll-visibility = Resultat
visibility-live = Visas direkt
visibility-on-reveal = Visas när jag avslöjar dem
visibility-never = Visas aldrig för publiken
poll-duration = Stängs av sig själv efter (sekunder, tomt för aldrig)
create-poll = Skapa omröstning
editing-draft = Du redigerar ett utkast: att spara skriver om det.
save-draft = Spara utkastet
edit = Redigera
duplicate = Duplicera
poll-created = Omröstningen är skapad. Öppna den när du är redo.
polls = Omröstningar
no-polls = Inga omröstningar än.
participation = { $present ->
    [0] { $count_n } har svarat
   *[other] { $count_n } har svarat av { $present_n } här
}
open-poll = Öppna
close-poll = Stäng
reveal-results = Visa resultaten
answers-to-review = Svar att granska
answers-shown = { $shown } av { $count } svar visas; alla svar finns i exporten.
new-quiz = Nytt quiz
quiz-title = Quizets namn
question-number = Fråga { $number }
quiz-question-text = Fråga
seconds-to-answer = Sekunder att svara
add-question = Lägg till en fråga
create-quiz = Skapa quiz
quiz-created = Quizet är skapat.
quizzes = Quiz
no-quizzes = Inga quiz än.
reveal-answer = Visa svaret
next-question = Nästa fråga
finish-quiz = Avsluta

## Storskärm
join-at = Gå med på
with-code = med koden
qr-label = QR-kod för att gå med i evenemanget
vote-now = Rösta nu
leaderboard-of = Topplista: { $title }
question-from-audience = Fråga från publiken

## Arrangör
organiser = Arrangör
organiser-key = Arrangörsnyckel
organiser-key-hint = Skrevs ut av servern när den startade första gången. Den sparas bara i den här fliken.
organiser-key-wrong = Det här är inte arrangörsnyckeln.
sign-in = Logga in
sign-out = Logga ut
your-events = Dina evenemang
no-events = Inga evenemang än.
create-event = Skapa ett evenemang
event-title = Namn
time-zone = Tidszon (till exempel Europe/Stockholm)
venue = Plats
attendee-view = Öppna deltagarvyn
live-control = Live
session = Pass
stage-status = Scenens läge
put-on-stage = På scen
nothing-on-stage = Inget
stage-text = Eller en kort text (till exempel ”Kaffe till 10.30”)
show-text = Visa texten
stream-delay = Sändningens fördröjning (sekunder)
set-delay = Ange fördröjning
current-delay = Nu { $seconds } s
award-votes = Prisomröstningar
open-voting = Öppna röstningen
close-voting = Stäng röstningen
reveal-next = Avslöja nästa plats
reveal-all = Avslöja alla
ballot-digest = Röstsammandrag:
award-title = Prisets namn
award-candidates = Kandidater, en per rad
award-candidates-hint = Skriv ”Namn - Organisation” för att ange organisationen.
award-registered-only = Bara registrerade deltagare får rösta
create-award = Skapa prisomröstning
announce = Meddela
announcement-text = Meddelande till alla på evenemanget
send-announcement = Skicka meddelandet
announcement-sent = Meddelandet är skickat.
invitations = Inbjudningar
invitee-name = Namn
invitee-sessions = Gäller
all-sessions = Alla sessioner
invitee-role = Roll
create-invitation = Skapa inbjudningslänk
import-agenda-file = Importera ett kalkylark eller schema (CSV, XLSX, schedule.xml, schedule.json)
agenda-json = Programmet som JSON (för skript)
agenda-hint = Formatet finns i docs/protocol.md. Använd denna JSON lägger in den i formuläret ovan; Spara program sparar den.
agenda-too-large = Programmet är större än 2 MB.
save-agenda = Spara programmet
agenda-saved = Programmet är sparat. Alla ser det nu.
after-event-report = Rapport efter evenemanget
report-of = Rapport efter evenemanget: { $title }
back-to-console = ← Arrangörskonsolen
report-summary = I siffror
people-joined = Anslutna personer
questions-asked = Ställda frågor
questions-answered = Besvarade frågor
question-votes = Röster på frågor
polls-run = Omröstningar
poll-answers = Svar på omröstningar
report-hint = Anslutna personer räknar varje deltagares webbläsare eller enhet en gång, och varje inbjuden person en gång. Högsta närvaro är flest personer som följde ett pass samtidigt.
peak-presence = Högsta närvaro
poll-participation = Deltagande i omröstningar
no-polls-run = Inga omröstningar hölls.
report-by-session = Per pass
of-peak = { $share } av passets högsta närvaro
people-count = { $count ->
    [one] { $count_n } person
   *[other] { $count_n } personer
}
export-results = Exportera resultat
export-workbook = Kalkylblad (alla tabeller, XLSX)
export-hint = Tiderna är i evenemangets tidszon. Filerna öppnas i Excel, LibreOffice och Numbers.
export-session = Exportera passet
export-scope = Vad som ska exporteras
whole-event = Hela evenemanget
not-published = Inte publicerad
dismiss-reason-shown = Moderatorns motivering
give-a-reason = Ange en anledning: frågeställaren ser den.

## Inkorgen: meddelanden om dina egna frågor
note-answered = Din fråga har besvarats
note-dismissed = Din fråga togs inte upp
inbox-notes = { $count ->
    [one] { $count_n } meddelande om dina frågor
   *[other] { $count_n } meddelanden om dina frågor
}
note-new = ny
inbox-new = { $count ->
    [one] { $count_n } ny
   *[other] { $count_n } nya
}
earlier-questions = { $count ->
    [one] Visa en fråga till
   *[other] Visa { $count } frågor till
}
withdraw-invitation = Dra tillbaka
invitation-withdrawn = tillbakadragen: länken och personen den skapade fungerar inte längre

import-agenda-hint = Fyll i mallen, ett pass per rad; en rad med bara ett bidrag och dess talare lägger till bidraget i passet ovanför. Inget sparas förrän du har sett förhandsvisningen.
template-xlsx = Mall (Excel)
template-csv = Mall (CSV)
reading-file = Läser filen…
import-preview = Förhandsvisning
import-row = Rad { $row }
import-time-zone = Schemat är i tidszonen { $zone }; tiderna tas som de står, i evenemangets tidszon.
import-problems = { $count ->
    [one] Ett problem: rätta det i filen och importera den igen.
   *[other] { $count_n } problem: rätta dem i filen och importera den igen.
}
import-sessions = { $count ->
    [one] Ett pass
   *[other] { $count_n } pass
}
preview-date = Datum
preview-time = Tid
preview-track = Spår eller rum
preview-talks = Bidrag / talare
use-imported-agenda = Lägg in programmet i formuläret
use-json = Använd denna JSON
json-unreadable = JSON-texten är inget program: { $detail }
agenda-days = Dagar
day-number = Dag { $number }
day-title = Dagens rubrik (frivilligt)
day-in-use = Det finns pass denna dag
add-day = Lägg till en dag
add-day-first = Lägg till en dag innan du lägger till pass.
add-session = Lägg till ett pass
untitled-session = (ingen titel än)
session-title = Titel
session-kind = Typ
session-day = Dag
session-start = Börjar
session-end = Slutar
session-track = Spår eller rum (frivilligt)
session-location = Lokal (frivilligt)
session-attendance = Deltagande
attendance-hybrid = Hybrid (på plats och digitalt)
attendance-onsite = Bara på plats
attendance-online = Bara digitalt
session-language = Språk
language-of-event = Evenemangets språk
session-moderator = Moderator (frivilligt): namn, organisation
session-stream = Sändningens adress (frivilligt)
session-description = Beskrivning (frivilligt)
session-materials = Material (frivilligt)
materials-hint = Ett per rad: titel | https://adress
session-talks = Bidrag
add-talk = Lägg till ett bidrag
talk-title = Bidragets titel
talk-speakers = Talare
speakers-hint = En per rad: namn, organisation (eller namn, roll, organisation)
talk-materials = Bidragets material (frivilligt)
remove = Ta bort
remove-talk = Ta bort bidraget
remove-session = Ta bort passet
agenda-unsaved = Ändringarna är inte sparade än.
agenda-problem-in-session = Pass { $number } ({ $title })
on-this-page = På sidan
open-now = { $count ->
    [one] 1 öppen
   *[other] { $count_n } öppna
}

## Evenemangets team: inbjudningar, medarrangörer, aktivitetsloggen
role-co-organiser = Medarrangör
co-organiser-hint = En medarrangör driver evenemanget som du, med en egen länk: allt utom att skapa evenemang och att bjuda in eller dra tillbaka medarrangörer.
invitations-made = Skapade inbjudningar
no-invitations = Inga inbjudningar ännu.
invitations-count = { $count ->
    [one] { $count_n } inbjudan
   *[other] { $count_n } inbjudningar
}
invitation-made-by = skapad av { $name }, { $time }
invitation-joined = använd
invitation-not-joined = inte använd ännu
withdraw-invitation-of = Dra tillbaka inbjudan till { $name }
withdraw-invitation-confirm = Dra tillbaka den? Länken, och personen den skapade, slutar fungera.
activity = Aktivitet
activity-hint = Vem som gjorde vad i evenemanget: arrangörer, medarrangörer, moderatorer och talare. De senaste 2 000 händelserna sparas.
show-activity = Visa aktivitet
hide-activity = Dölj aktivitet
refresh = Uppdatera
no-activity = Inget gjort ännu.
show-more-of = { $count ->
    [one] Visa { $count_n } till
   *[other] Visa fler ({ $count_n } kvar)
}
did-set_stage = ändrade scenen
did-moderate = modererade en fråga
did-highlight = lyfte fram en fråga
did-block = spärrade någon från att fråga
did-create_poll = skapade en omröstning
did-edit_poll = redigerade en omröstning
did-run_poll = körde en omröstning
did-approve_text = godkände ett svar
did-create_award = skapade en prisomröstning
did-run_award = körde en prisomröstning
did-create_quiz = skapade ett quiz
did-run_quiz = körde ett quiz
did-set_qa_settings = ändrade inställningar för frågor
did-set_stream_delay = ställde in strömmens fördröjning
did-present = valde vad storbildsskärmen visar
did-announce = skickade ett meddelande
did-invite = skapade en inbjudan
did-withdraw_invitation = drog tillbaka en inbjudan
did-replace_agenda = ersatte programmet
did-edit_session = redigerade ett pass
did-create_event = skapade evenemanget
did-export = exporterade resultat
did-import_people = importerade deltagare
did-reissue_link = gjorde en ny personlig länk
did-export_links = laddade ner de personliga länkarna
invitation-made = Inbjudan skapad för { $name }: kopiera länken i listan nedan.
invitation-link-of = Inbjudningslänken för { $name }
invitation-for = Inbjudan är till { $name }, som { $role }.
co-organiser-refused = Din behörighet som medarrangör har upphört. Be arrangörerna om en ny inbjudan.

## Världscaféer: bord och omgångar
tables = Bord
message-to-tables = Meddelande till alla bord:
round-number = Omgång { $count_n }
time-left = { $time } kvar
round-ending-soon = Omgången slutar snart.
round-ended = Omgången är slut: du är tillbaka i passet.
choose-a-table = Välj ett bord nedan.
not-seated = Delta för att få ett bord.
between-rounds = Mellan omgångarna: alla är i passet. Ditt bord visas här när en omgång börjar.
take-part-tables = Delta vid ett bord
leave-tables = Lämna borden
all-tables = Alla bord
seated-of = { $seated } av { $capacity } platser tagna
table-full = Fullt
sit-here = Sitt här
no-seat-left = Alla bord på ditt språk är fulla den här omgången.
you-host = Du är värd för bordet
people-at-table = { $count ->
    [one] { $count_n } person vid ditt bord
   *[other] { $count_n } personer vid ditt bord
}
table-host = Värd
join-table-video = Gå med i bordets videosamtal
help-asked = Hjälp är på väg.
help-not-needed = Behövs inte längre
ask-for-help = Be om hjälp
table-named = Bord { $number }: { $topic }
table-online = Digitalt
table-hybrid = Hybrid
table-number = Bord { $number }
table-needs-help = Behöver hjälp
table-host-here = Värden är här
table-host-away = Värden är borta
table-closed = Stängt
close-table = Stäng
open-table = Öppna
close-table-n = Stäng bord { $number }
open-table-n = Öppna bord { $number }
move-someone = Flytta någon till ett annat bord
search = Sök
nobody-found = Ingen som deltar matchar.
move-to-of = Flytta { $name } till
no-table = Inget bord
move-there = Flytta
tables-setup-help = Ställ i ordning borden som deltagarna sitter vid i omgångar. Du kan ändra dem mellan omgångarna.
tables-count = Bord
tables-seats = Platser per bord, värdens inräknad
tables-language = Språk
tables-any-language = Valfritt
tables-topics = Ämnen
tables-topics-hint = (ett per rad, i bordens ordning)
tables-video = Videolänk
tables-video-hint = (valfri; {"{"}table{"}"} blir bordets nummer)
tables-set-up = Ställ i ordning borden
round-minutes = Minuter
round-seating = Placering
seating-rotation = Rotation: träffa nya människor
seating-random = Slumpvis
seating-self-select = Deltagarna väljer
start-round = Starta omgången
tables-remove = Ta bort borden
extend-round = 5 minuter till
end-round = Avsluta omgången
send = Skicka

## Registrerade deltagare: import och personliga länkar
participants = Deltagare
participants-hint = Ladda upp listan du har (CSV eller Excel), en person per rad, med kolumner som namn, organisation, land, språk, e-post och roll. Du ser den innan något sparas. Varje person får en personlig länk som loggar in dem på vilken enhet som helst. Plenum skickar ingen e-post: ladda ner länkarna till din dokumentkoppling.
people-file = Kalkylblad med deltagare
people-file-too-large = Filen är större än 2 MB.
people-saved = Sparat: { $new } nya, { $updated } uppdaterade.
personal-links = Personliga länkar
no-participants = Ingen registrerad ännu.
people-import-problems = { $count ->
    [one] 1 fel: rätta det i filen och välj den igen. Inget sparades.
   *[other] { $count_n } fel: rätta dem i filen och välj den igen. Inget sparades.
}
people-to-save = { $new } nya personer, { $updated } redan registrerade (deras uppgifter uppdateras).
columns-ignored = Kolumner som inte läses: { $columns }
import-row-heading = Rad
person-name = Namn
profile-organisation = Organisation
profile-country = Land
profile-languages = Språk
person-status = Status
person-new = ny
person-known = redan registrerad
register-people = Registrera dessa personer
participants-count = { $count } registrerade, { $joined } inloggade
download-links = Ladda ner länkarna (CSV, för dokumentkoppling)
find-person = Hitta en person
personal-link-of = Den personliga länken för { $name }
qr-of = QR-kod för den personliga länken för { $name }
new-link-of = Gör en ny länk för { $name }
show-qr = QR-kod
new-link = Ny länk
new-link-confirm = Göra en ny länk? Den gamla, och varje enhet som loggats in med den, slutar fungera.
profile-about-you = Om dig
profile-hint = Din organisation, ditt land och de språk du talar. På världscaféer sitter du vid bord på ett språk du talar, med personer från andra organisationer. Alla vid ditt bord ser ditt namn och din organisation.
profile-no-country = Inte angivet
profile-languages-hint = Välj de språk du kan samtala på.
profile-empty = inget angivet ännu
profile-you = Om dig
profile-saved = Sparat.
save = Spara

## Världscaféer: skörden
harvest = Ditt bords skörd
harvest-hint = Skriv ner vad ert bord kommer fram till, en punkt i taget. Nästa grupp vid bordet bygger vidare på det.
harvest-empty = Inget skrivet ännu.
harvest-point = Punkt { $number }
edit-point = Redigera { $point }
move-point-up = Flytta upp { $point }
move-point-down = Flytta ner { $point }
remove-point = Ta bort { $point }
harvest-add-label = En punkt till skörden
harvest-add = Lägg till
harvest-full = Skörden är full
harvests = Vad borden skördade
harvests-count = { $count ->
    [one] 1 bord
   *[other] { $count_n } bord
}
screen-between-rounds = Mellan omgångarna
your-table-badge = Du sitter vid bord { $number }

## Möten på tu man hand
meetings = Möten
someone = Någon
person = Person
yes = Ja
no = Nej
meetings-to-answer-count = { $count ->
    [one] { $count_n } att svara på
   *[other] { $count_n } att svara på
}
meetings-to-answer = { $count ->
    [0] Väntar på ditt svar
   *[other] Väntar på ditt svar ({ $count_n })
}
meetings-nothing-to-answer = Inget väntar på ditt svar.
meetings-yours = Dina möten och förfrågningar
meetings-none-yet = Inga möten än. Hitta personer nedan och be dem om ett möte.
meetings-closed = { $count ->
    [one] { $count_n } avböjt, utgånget eller inställt
   *[other] { $count_n } avböjda, utgångna eller inställda
}
meetings-none-planned = Evenemanget har inga mötestider ännu. Du kan ändå hitta personer och dela kontaktuppgifter.
meeting-next = Ditt nästa möte
meeting-asks-you = Vill träffa dig.
meeting-waiting-for-them = Väntar på svar (till { $until }).
meeting-accepted-unscheduled = Accepterat; ingen tid ännu. Arrangörerna ger det en tid.
meeting-booked = Bokat.
meeting-booked-locked = Bokat av arrangörerna.
meeting-declined = Avböjt.
meeting-answered-with-time = De svarade med en annan tid.
meeting-no-show-you = Markerad som utebliven. Säg till om du är här.
meeting-expired = Inte besvarat i tid.
meeting-cancelled = Inställt.
meeting-you-proposed = Du föreslog en annan tid: { $when }. Väntar på svar.
meeting-they-proposed = De föreslår en annan tid: { $when }.
meeting-time-asked = Önskad tid: { $when }.
meeting-table = Bord { $table_n }
meeting-table-at = Bord { $table_n }, { $place }
meeting-online = Online
meeting-video-link = Gå med i videomötet
meeting-share-legend = Dela dina kontaktuppgifter med dem (valfritt)
meeting-share-no-card = Lägg till e-post eller telefon i ditt kontaktkort nedan för att kunna dela det.
meeting-accept = Acceptera
meeting-decline = Tacka nej
meeting-accepted-said = Mötet accepterat.
meeting-declined-said = Nej tack skickat.
meeting-proposed-said = En annan tid föreslagen.
meeting-cancelled-said = Inställt.
meeting-cancel = Ställ in mötet
meeting-withdraw = Dra tillbaka förfrågan
meeting-propose = Föreslå en annan tid
meeting-propose-send = Föreslå den här tiden
meeting-time = Tid
meeting-any-time = Vilken tid som helst
meeting-starts-in = { $count ->
    [one] Börjar om { $count_n } minut
   *[other] Börjar om { $count_n } minuter
}
meeting-ends-in = { $count ->
    [one] Nu: { $count_n } minut kvar
   *[other] Nu: { $count_n } minuter kvar
}
meeting-over = Slut.
meeting-here = Jag är här
meeting-here-said = De ser att du är här.
meeting-you-are-here = Du har sagt att du är här.
meeting-they-are-here = De är här.
meeting-no-show = De kom inte
meeting-no-show-said = Markerat som uteblivet.
meeting-no-show-marked = Markerat som uteblivet.
meeting-held-question = Blev mötet av?
meeting-held-yes-said = Du har svarat att det blev av.
meeting-held-no-said = Du har svarat att det inte blev av.
meeting-ask = Be om ett möte
meeting-ask-send = Skicka förfrågan
meeting-message = Meddelande
meeting-request-sent = Förfrågan skickad. Svaret syns här.
meeting-soon-note = Möte med { $who } kl. { $at }
meeting-news-request = { $who } vill träffa dig.
meeting-news-proposed = { $who } föreslår en annan tid.
meeting-news-accepted = { $who } accepterade: arrangörerna ger mötet en tid.
meeting-news-booked = Ditt möte med { $who } är bokat.
meeting-news-declined = Mötet med { $who } avböjdes.
meeting-news-cancelled = Mötet med { $who } ställdes in.
meeting-news-expired = Förfrågan till { $who } gick ut.
meeting-news-sent = Förfrågan skickad till { $who }.
notify-me = Avisera mig i den här webbläsaren
notify-on = Webbläsaren aviserar dig om nya förfrågningar medan en sida i Plenum är öppen.
find-people = Hitta personer att träffa
find-people-hint = Bara den som publicerat sin matchningsprofil kan hittas.
find-words = Namn, organisation, erbjudande eller efterfrågan
find-tag = Tagg
find-sector = Bransch
find-any = Alla
find-search = Sök
find-recommended = Rekommenderade för dig
find-more = Fler
people-found = { $count ->
    [0] Ingen hittades.
    [one] { $count_n } person hittades.
   *[other] { $count_n } personer hittades.
}
people-recommended = { $count ->
    [0] Inga rekommendationer än: lägg till erbjudanden och efterfrågningar i din profil.
    [one] { $count_n } person rekommenderas.
   *[other] { $count_n } personer rekommenderas.
}
recommended-because = Varför rekommenderad
person-online = online
person-open-now = öppen för ett möte nu
card-offer = Erbjuder
card-request = Söker
free-now-heading = Öppna för ett möte nu: be någon av dem att träffa dig i stället
free-now-nobody = Ingen är öppen för ett möte just nu.
block-or-report = Blockera eller anmäl
block-hint = Att blockera { $name } stoppar deras förfrågningar och kontakterbjudanden till dig och avslutar en kontakt mellan er. En anmälan går till arrangörerna.
report-why = Vad hände?
report-send = Anmäl till arrangörerna
report-sent = Anmält till arrangörerna.
contacts = Kontakter
contacts-hint = Kontaktuppgifter delas bara när båda vill, och bara det var och en väljer. Vem som helst av er kan avsluta; då försvinner uppgifterna.
contacts-none = Inga kontakter än.
contact-asked = Du erbjöd att dela: väntar på dem.
contact-offered = Erbjuder att dela kontaktuppgifter med dig.
contact-agreed = Ni delar kontaktuppgifter.
contact-ended = Avslutad.
contact-accept = Dela tillbaka
contact-decline = Tacka nej
contact-end = Avsluta kontakten
contact-shared-said = Delat.
contact-ended-said = Kontakten avslutades.
contact-what-you-share = Det här delar du
contact-you-share = Du delar: { $what }.
contact-name-org = namn och organisation
contact-email = E-post
contact-phone = Telefon
contact-note = Anteckning
contact-card = Ditt kontaktkort
contact-card-hint = Ingen ser uppgifterna förrän du väljer att dela dem med någon.
contact-card-saved = Kontaktkortet sparat.
open-for-meetings = Öppen för ett möte nu
open-now-hint = Under 30 minuter kan den vars möte inte blev av hitta dig.
open-now-start = Jag är öppen för ett möte nu
open-now-stop = Inte längre
open-now-until = Du är öppen för ett möte till { $at }.
match-profile = Din matchningsprofil
match-profile-hint = Publiceras bara om du vill: då kan deltagarna hitta dig, se dina erbjudanden och efterfrågningar och be om ett möte.
match-listed = Publicera min profil
match-role = Roll
match-sectors = Branscher
match-profile-saved = Profilen sparad.
card-add-offer = Lägg till ett erbjudande
card-add-request = Lägg till en efterfrågan
card-title = Rubrik
card-text = Beskrivning
card-tags = Taggar
card-remove = Ta bort kortet
preferences = När du träffar folk
preferences-online = Bara online
preferences-half = Del av dagen
preferences-whole-day = När som helst
preferences-morning = Bara förmiddagar
preferences-afternoon = Bara eftermiddagar
preferences-busy = Tider du håller fria
preferences-saved = Sparat.
meetings-screen = Mötesskärm
meetings-screen-qr = QR-kod: länken till dina möten
meetings-screen-find = Ditt bord och din tid finns i telefonen
meetings-table-plan = Borden
meetings-tables = Bord
screen-next-slot = Nästa: { $when }
screen-slot-now = Nu: { $when }
screen-no-slot = Inga fler mötestider.
meetings-plan = Möten på tu man hand
meetings-plan-hint = När möten hålls, vid vilka bord och vad profilerna innehåller. Deltagarna ser tiderna; en plan som skulle lämna ett bokat möte utan plats avvisas.
meetings-blocks = Mötestider
meetings-block = Block { $n_n }
meetings-add-block = Lägg till mötestider
meetings-remove-block = Ta bort de här tiderna
meetings-day = Dag
meetings-from = Från
meetings-to = Till
meetings-slot-minutes = Minuter per möte
meetings-change-minutes = Minuter mellan
meetings-places = Bordens platser
meetings-places-hint = En per rad, i bordsordning (bord 1 först).
meetings-video = Videolänk för möten online
meetings-video-hint = En https://-länk; {"{"}meeting{"}"} blir en kod för varje möte.
meetings-expiry = Timmar innan en obesvarad förfrågan går ut
meetings-open-requests = Obesvarade förfrågningar en person får ha skickat
meetings-keep-starred = Håll de pass deltagarna stjärnmärkt fria från möten
meetings-profiles = Profiler
meetings-profiles-open = Alla med evenemangskoden kan hitta profiler (inte bara registrerade deltagare)
meetings-profiles-no-role = Ingen roll i profilerna
meetings-sectors = Branscher (en per rad)
meetings-tags = Taggar (en per rad)
meetings-plan-save = Spara mötesplanen
meetings-plan-saved = Mötesplanen sparad.
meetings-plan-remove = Ta bort planen
meetings-plan-removed = Mötesplanen borttagen.
meetings-dashboard = Möten: läget
meetings-requests = Förfrågningar
meetings-booked-heading = Accepterade möten
requests-sent = Skickade
requests-waiting = Väntar
requests-accepted = Accepterade
requests-declined = Avböjda
requests-expired = Utgångna
requests-cancelled = Inställda
meetings-scheduled = Schemalagda
meetings-unscheduled = Utan tid
meetings-held = Genomförda
meetings-missed = Uteblivna
meetings-received = Mottagna
meetings-unplaced = Kan inte placeras
meetings-per-person = Per person
unplaced-no-common-slot = Ingen gemensam ledig tid:
unplaced-taken = Alla gemensamma tider är upptagna:
unplaced-lock-clash = Låst på en krockande tid:
schedule-all = Schemalägg alla
schedule-all-hint = Ger varje accepterat möte utan tid den bästa lediga tiden och bordet: flest möten, rättvist fördelade, med minst luckor i folks dagar.
schedule-move-booked = Flytta även bokade möten (låsta flyttas aldrig)
schedule-done = Schemalagt: { $placed_n } av { $accepted_n } möten har en tid.
schedule-summary = { $placed_n } av { $accepted_n } accepterade möten har en tid ({ $changed_n } bokade eller flyttade nu; högst { $bound_n } går). { $gaps_n } tomma luckor i folks dagar.
meetings-exports = Export
person-reports = Anmälningar
person-report-line = { $by } anmälde { $about }:
meetings-all = Accepterade möten, för att låsa
meetings-filter = Sök på namn eller organisation
meetings-listed = Visar { $shown_n } av { $all_n }: skriv ett namn för att hitta de andra.
meetings-between = Mellan
meetings-lock = Lås
meetings-locked = Låst
meetings-lock-one = Lås mötet { $who } där det är
meetings-unlock-one = Lås upp mötet { $who }
your-data = Din kalender och dina uppgifter
calendar-feed = Kalenderflöde
calendar-feed-hint = Prenumerera på adressen i din kalenderapp: dina stjärnmärkta pass och dina möten, uppdaterade när ett möte flyttas. Håll den för dig själv; en ny adress stänger den gamla.
calendar-show = Visa min kalenderadress
calendar-address = Din kalenderadress
calendar-renew = Skapa en ny adress
calendar-renewed = En ny kalenderadress: den gamla fungerar inte längre.
my-data = Dina uppgifter
my-data-hint = Ladda ner allt evenemanget har om dig, eller radera din profil: organisation, matchningsprofil, önskemål, kontaktkort och kontakter. Dina möten finns kvar för den andra, utan din organisation.
my-data-download = Ladda ner mina uppgifter
my-data-delete = Radera min profil
my-data-delete-sure = Ja, radera min profil
my-data-deleted = Din profil är raderad.

## How long personal data is kept (the organisers' console)
personal-data = Personuppgifter
retention-explained = Plenum sparar det som deltagarna delar här (profiler, möten, kontakter, frågor, deras inkorgar) till slutet av dagen nedan och raderar det sedan för gott. Ta ut exporterna först: det som raderas kommer inte tillbaka.
retention-until = Spara personuppgifter till och med
retention-hint = Dagen slutar vid midnatt i evenemangets tidszon. Lämna tomt för att spara uppgifterna tills du raderar dem här.
retention-save = Spara datumet
retention-saved = Personuppgifterna sparas till och med { $date }.
retention-cleared = Inget datum: personuppgifterna sparas tills du raderar dem.
retention-set = Sparas till och med { $date }, raderas sedan.
retention-none = Inget datum: sparas tills du raderar dem.
purged-at = Personuppgifterna raderades { $at }.
purge-now = Radera personuppgifterna nu
purge-sure = Ja, radera dem nu: det går inte att ångra
purged-now = Personuppgifterna är raderade.

## Badges and contact codes
badges = Namnbrickor
badges-hint = En namnbricka för varje person som evenemanget har (importerade deltagare och alla som sparat sin profil eller stjärnmärkt ett pass): namn, organisation och en QR-kod som öppnar ”Be om kontakt” i en annan deltagares telefon. Den loggar inte in någon, och inget delas förrän personen godkänner. Skriv ut härifrån: bara namnbrickorna skrivs ut.
badges-print = Skriv ut namnbrickorna
badges-count = { $count ->
    [one] En namnbricka.
   *[other] { $count } namnbrickor.
}
badge-qr-label = Be om kontakt med { $name }
scanned-heading = Be om kontakt
scanned-who = Be { $who } om kontaktuppgifter. Personen ser ditt namn och din organisation och det du väljer att dela nedan; inget av personens uppgifter visas förrän hen godkänner.
scanned-why = Varför (valfritt)
scanned-send = Be om kontakt
scanned-sent = Frågat: personen ser din förfrågan bland sina kontakter och svarar där.
scanned-yours = Det här är din egen namnbricka.

## A person's agreed contacts as files
contacts-download-csv = Ladda ner som kalkylblad (CSV)
contacts-download-vcard = Lägg till i min adressbok (vCard)

## Utställningen
exhibition = Utställning
exhibition-empty = Utställningen har inga montrar än.
exhibition-search = Sök montrar
exhibition-sector = Bransch
exhibition-country = Land
exhibition-any = Alla
booths-shown = { $count ->
    [0] Ingen monter matchar.
    [one] { $count_n } monter.
   *[other] { $count_n } montrar.
}
booths-count = { $count ->
    [0] Inga montrar än.
    [one] { $count_n } monter.
   *[other] { $count_n } montrar.
}
booth-staff-count = { $count ->
    [0] Ingen personal
    [one] { $count_n } i personalen
   *[other] { $count_n } i personalen
}
booth-not-found = Montern finns inte
booth-video = Video: { $who }
booth-tags = Taggar
booth-tags-hint = Åtskilda med kommatecken, högst 8.
booth-offers = Erbjudanden
booth-links = Länkar och material
booth-staff = Personal
booth-no-staff = Ingen personal än.
booth-join-heading = Gå med i personalen för { $who }
booth-join-text = Du har fått monterns personallänk. Som personal kan du redigera montern, och ditt namn visas på den.
booth-join-name = Välj först ett visningsnamn (på programsidan): en monters personal visas med namn.
booth-join = Gå med i personalen
booth-joined = Du är med i monterns personal.
booth-edit = Redigera montern
booth-organisation = Organisation
booth-description-en = Beskrivning på engelska
booth-description-sv = Beskrivning på svenska
booth-country = Landskod
booth-country-hint = Två bokstäver, till exempel SE eller PT.
booth-video-link = Video (YouTube eller Vimeo)
booth-video-hint = Videons adress, till exempel https://youtu.be/…
booth-link-label = Text
booth-link-url = Adress (https://…)
booth-add-link = Lägg till en länk
booth-offer-title = Rubrik
booth-offer-text = Text
booth-add-offer = Lägg till ett erbjudande
booth-save = Spara montern
booth-saved = Montern sparad.
booth-logo = Logotyp
booth-logo-hint = En PNG-, JPEG- eller WebP-bild på högst 2 MB. Den visas högst 400 pixlar bred.
booth-logo-too-large = Logotypen är större än 2 MB.
booth-logo-remove = Ta bort logotypen
booth-leave = Lämna monterns personal
exhibition-organise-hint = Skapa en monter och ge sedan dess personallänk till utställaren: den som öppnar den, inloggad, går med i monterns personal och kan redigera den.
booth-create = Skapa monter
booth-created = Montern skapad: { $who }.
booth-staff-link = Personallänk
booth-new-staff-link = Ny personallänk (den gamla slutar fungera)
booth-staff-link-label = Personallänk att ge utställaren
booth-remove = Ta bort
booth-remove-sure = Ta bort för gott?
booth-remove-label = Ta bort montern för { $who }
talk-now = Prata nu
talk-staffed = Någon ur monterns personal är här nu.
talk-ask = Prata nu
talk-nobody = Ingen är i montern just nu. Be personalen om ett möte i stället:
talk-place = { $count ->
    [1] Du står näst i kön.
   *[other] Du är nummer { $count_n } i kön.
}
talk-leave = Lämna kön
talk-accepted = { $who } är redo att prata med dig.
talk-join-call = Gå med i videosamtalet
talk-no-call = Montern har inget videosamtal: träffas i montern, eller byt kontaktuppgifter.
talk-end = Avsluta samtalet
talk-ended = Samtalet är avslutat.
talk-missed = Du lämnade kön, eller så svarade ingen i tid.
talk-desk = Prata nu: din disk
talk-here = Jag är i montern
talk-here-hint = Medan detta är på kan besökare be att få prata nu, och du ser dem här.
talk-waiting = Väntar
talk-nobody-waiting = Ingen väntar.
talk-accept = Ta emot
talk-accept-label = Ta emot { $who }
talk-talking = Pratar
talk-pair = { $visitor } med { $staff }
talk-new-visitor = En besökare väntar på att få prata.
booth-contact = Kontaktuppgifter
booth-contact-hint = Be monterns team att höra av sig. De ser ditt namn, din organisation och varför du frågar; det du delar utöver det når dem först när någon av dem accepterar.
booth-contact-why = Varför du frågar (frivilligt)
booth-contact-ask = Be om kontakt
booth-contact-asked = Du har frågat. Monterns team ser ditt namn, din organisation och varför, och inget annat förrän någon av dem accepterar.
booth-contact-agreed = { $who } accepterade: ni delar kontaktuppgifter.
booth-contact-agreed-team = Monterns team accepterade: ni delar kontaktuppgifter.
booth-contact-update = Uppdatera vad du delar
booth-contact-withdraw = Dra tillbaka
booth-contact-withdrawn = Tillbakadraget: montern har inte längre dina uppgifter.
booth-contact-no-card = För att dela e-post eller telefonnummer, lägg till det i ditt kontaktkort på mötessidan:
booth-leads = Kontaktförfrågningar
booth-leads-hint = Besökare som bett om kontakt. Du ser vad de delar när du har accepterat, och de ser det du väljer att dela här. Båda sidor kan dra tillbaka: då försvinner det från listan och filerna.
booth-leads-none = Inga kontaktförfrågningar än.
booth-leads-asked = Väntar på svar
booth-leads-agreed = Överenskommen
booth-leads-accepted-by = Accepterad av { $who }
booth-leads-accept-label = Dela tillbaka med { $who }
booth-leads-decline-label = Tacka nej till { $who }
booth-leads-end-label = Avsluta kontakten med { $who }
booth-leads-requested = Kontaktförfrågningar hittills: { $count }
pitch-contact = Be om kontakt
talk-booth = Montern som pitchar (frivilligt)
talk-booth-hint = Medan pitchen pågår kan deltagarna be montern om kontakt, och storbildsskärmen visar en QR-kod för det.
talk-booth-none = Ingen monter
talk-contact = Eller personen som pitchar (frivilligt)
talk-contact-hint = I stället för en monter: deltagarna ber då den här personen om kontakt. Bara de med ett namn och en profil (eller registrerade av arrangörerna) visas.
talk-contact-none = Ingen
pitch-contact-hint = { $who } pitchar. Be dem om kontakt: de ser ditt namn, din organisation och varför du frågar; det du delar utöver det når dem först när de accepterar.
pitch-contact-sent = Skickat.
pitch-contact-asked = Du har bett om kontakt. De ser ditt namn, din organisation och varför, och inget annat förrän de accepterar.
pitch-contact-agreed = { $who } accepterade: ni delar kontaktuppgifter.
pitch-contact-qr = Skanna för att be om kontakt: { $title }
pitch-contact-yours = Det här är er egen pitch: förfrågningarna når er.
pitch-contact-offered = { $who } erbjöd sig att dela kontaktuppgifter med dig: svara nedan.
pitch-contact-name = Gå med med ditt namn för att be om kontakt.
booth-call = Videolänk för ”prata nu” (https://…)
booth-call-hint = Ges bara till besökarna du tar emot.
booth-staffed-now = Bemannad nu
booth-visitors-now = { $count ->
    [one] { $count_n } besökare nu
   *[other] { $count_n } besökare nu
}
chat = Chatta med montern
chat-hint = Alla som tittar på montern läser det du skriver här, med ditt namn. Personalen kan dölja meddelanden och ladda ner chatten.
chat-omitted = { $count ->
    [one] Ett äldre meddelande visas inte.
   *[other] { $count_n } äldre meddelanden visas inte.
}
chat-empty = Inga meddelanden än.
chat-staff = Personal
chat-hide = Dölj
chat-hide-label = Dölj meddelandet från { $who }
chat-report-label = Blockera eller anmäl { $who }
chat-close = Stäng
chat-write = Ditt meddelande
chat-send = Skicka
chat-sent = Meddelandet skickat.
chat-name-first = Välj ett visningsnamn först (på programsidan) för att skriva i chatten.
chat-show-hidden = Dolda meddelanden
chat-download = Ladda ner chatten (CSV)
chat-none-hidden = Inga dolda meddelanden.
chat-hidden = Dolda meddelanden
chat-unhide = Visa igen
chat-unhide-label = Visa igen: meddelandet från { $who }
booth-numbers = Din monters siffror
booth-numbers-hint = Bara antal: ingens namn når dig om de inte delar det med dig.
booth-numbers-now = Besökare nu
booth-numbers-visits = Besök
booth-numbers-visitors = Olika besökare
booth-numbers-requests = Förfrågningar om samtal
booth-numbers-answered = Besvarade
booth-numbers-missed = Missade
booth-numbers-contacts = Kontaktförfrågningar
booth-take-off = Ta bort ur personalen
booth-take-off-label = Ta bort { $who } ur personalen
booth-meet-team = Träffa vårt team
booth-meet-team-hint = Be om ett enskilt möte med teamet: vem som helst i personalen kan svara, och mötet bokas in bland evenemangets mötestider.
booth-meetings = Möten med ert team
booth-meetings-hint = Besökare ber er monter om möten. Vem som helst av er svarar för montern, och ni ser alla samma schema.
booth-meetings-booked = Bokade
booth-meetings-waiting = Väntar på besökaren
booth-preferences = När er monter träffar folk
meetings-booth-waiting = { $count ->
    [one] { $who }: { $count_n } montermöte att svara på
   *[other] { $who }: { $count_n } montermöten att svara på
}
meeting-request-sent-booth = Förfrågan skickad. Monterns svar kommer på din mötessida.
meeting-asks-your-team = Vill träffa ert team.
booth-meetings-none = Inget bokat än.
booth-meet-team-asked = Du har bett teamet om ett möte.
