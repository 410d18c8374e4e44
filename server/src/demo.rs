//! The demo conference: two days in Malmö, plenaries, a moderated panel, six parallel
//! breakouts, a world café, pitches, an award vote and a site visit, mostly in English with
//! some Swedish; and on day 2 an afternoon of one-to-one meetings, with six participants'
//! matchmaking profiles and their requests, three of them booked at the time proposed; and an
//! exhibition of four booths. Loaded by `--demo` when absent; the file is
//! `server/demo/ecc2026.json`.

use crate::{
    auth::Auth,
    engine::{Command, Engine},
    interactions::{
        access::{Access, AccessCommand, Issued},
        agenda,
        meetings::{self, Meetings, MeetingsCommand},
        people::{People, PeopleCommand},
    },
    transport::{http::parse_json, requests},
};
use plenum_protocol::{
    CardKind, CreateEvent, MatchCard, MatchProfile, MeetingAnswer, PersonId, Profile, Role, RoomId,
};

/// The demo event as imported: the same format organisers use.
pub const DEMO_JSON: &str = include_str!("../demo/ecc2026.json");
/// The world café's tables (seven, five in English and two in Swedish), as `set_tables` sends
/// them.
pub const DEMO_TABLES_JSON: &str = include_str!("../demo/ecc2026-tables.json");
/// The demo's world café session.
const CAFE: &str = "world-cafe";

/// The demo event, parsed and checked.
pub fn event() -> anyhow::Result<CreateEvent> {
    let event: CreateEvent = parse_json(DEMO_JSON.as_bytes())
        .map_err(|e| anyhow::anyhow!("demo event: {}", e.0.message))?;
    agenda::check_event(&event)?;
    Ok(event)
}

/// (the world café table they host, name, organisation, country, languages).
type Host = (
    Option<u32>,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// The demo's registered participants (their personal links are in the organiser's
/// Participants panel): (the world café table they host, name, organisation, country,
/// languages).
const HOSTS: [Host; 6] = [
    (
        Some(1),
        "Ana Costa",
        "Lisbon Maritime Cluster",
        "PT",
        &["en", "pt"],
    ),
    (
        Some(6),
        "Eva Johansson",
        "Nordic Hydrogen Cluster",
        "SE",
        &["sv", "en"],
    ),
    (
        None,
        "Björn Lind",
        "Skåne Life Science",
        "SE",
        &["sv", "en"],
    ),
    (
        None,
        "Marta Nowak",
        "Silesian Energy Cluster",
        "PL",
        &["pl", "en"],
    ),
    (
        None,
        "Jonas Weber",
        "Bavarian Mobility Cluster",
        "DE",
        &["de", "en"],
    ),
    (
        None,
        "Sofia Rossi",
        "Prato Textile Cluster",
        "IT",
        &["it", "en"],
    ),
];

/// The demo's meeting plan: day 2, 14:00–16:30 in slots of 20 minutes, at eight tables in
/// Hall C or online.
pub const DEMO_MEETINGS_JSON: &str = include_str!("../demo/ecc2026-meetings.json");

/// Each participant's matchmaking profile (by their index in `HOSTS`): role, sectors, cards
/// (kind, title, tags).
#[allow(clippy::type_complexity)]
const PROFILES: [(&str, &[&str], &[(CardKind, &str, &[&str])]); 6] = [
    (
        "Cluster manager",
        &["Maritime"],
        &[
            (
                CardKind::Offer,
                "Port test sites for green shipping",
                &["hydrogen", "circularity"],
            ),
            (
                CardKind::Request,
                "Partners for a Horizon Europe call",
                &["funding"],
            ),
        ],
    ),
    (
        "Head of innovation",
        &["Energy"],
        &[
            (
                CardKind::Offer,
                "Electrolyser test bed, 5 MW",
                &["hydrogen"],
            ),
            (
                CardKind::Request,
                "Skills programmes for technicians",
                &["skills"],
            ),
        ],
    ),
    (
        "Programme lead",
        &["Health"],
        &[
            (CardKind::Offer, "Clinical validation network", &["AI"]),
            (
                CardKind::Request,
                "Data partners for medical AI",
                &["AI", "funding"],
            ),
        ],
    ),
    (
        "Project manager",
        &["Energy"],
        &[
            (
                CardKind::Request,
                "Hydrogen valley partners",
                &["hydrogen", "funding"],
            ),
            (
                CardKind::Offer,
                "Coal-region reskilling academy",
                &["skills"],
            ),
        ],
    ),
    (
        "Cluster manager",
        &["Mobility"],
        &[
            (
                CardKind::Request,
                "Battery recycling pilots",
                &["batteries", "circularity"],
            ),
            (CardKind::Offer, "Access to OEM supply chains", &["export"]),
        ],
    ),
    (
        "Sustainability lead",
        &["Textiles"],
        &[
            (
                CardKind::Offer,
                "Recycled fibre pilot line",
                &["circularity"],
            ),
            (
                CardKind::Request,
                "Export partners in the Nordics",
                &["export"],
            ),
        ],
    ),
];

/// Requests between them (from, to, message, the time proposed on day 2): the first three
/// accepted (and so booked then), the last waiting.
const REQUESTS: [(usize, usize, &str, &str, bool); 4] = [
    (
        3,
        1,
        "Your test bed could anchor our hydrogen valley bid.",
        "14:00",
        true,
    ),
    (
        4,
        0,
        "Shall we compare notes on circular ports and batteries?",
        "14:25",
        true,
    ),
    (
        2,
        3,
        "Would your academy train technicians for medical devices?",
        "14:50",
        true,
    ),
    (
        5,
        2,
        "Looking for Nordic partners for recycled fibres.",
        "15:15",
        false,
    ),
];

/// Creates the demo event unless an event with its code exists.
pub async fn load_if_absent(engine: &Engine, auth: &Auth) -> anyhow::Result<()> {
    let event = event()?;
    if engine.event(&event.code).is_none() {
        let code = event.code.clone();
        let r = requests::document(requests::Document::NewEvent(event));
        engine.create(&r.room, r.command).await?;
        let mut setup: plenum_protocol::TablesSetup = parse_json(DEMO_TABLES_JSON.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo tables: {}", e.0.message))?;
        // The hosts, registered as an import registers people, and seated at their tables.
        let room = RoomId::Event(code.clone());
        let at_ms = crate::engine::now_ms();
        let hosts: Vec<Issued> = HOSTS
            .iter()
            .map(|(_, name, ..)| Issued {
                id: crate::auth::new_id(),
                role: Role::Attendee,
                name: (*name).to_owned(),
                sessions: Vec::new(),
                at_ms,
                by: "Organiser".into(),
                by_id: "organiser".into(),
                exp: crate::auth::invite_expiry(),
                signer: auth.signer(Role::Attendee),
                email: String::new(),
                imported: true,
                link: 0,
            })
            .collect();
        let profiles = HOSTS
            .iter()
            .zip(&hosts)
            .map(|((_, name, organisation, country, languages), i)| {
                let profile = Profile {
                    organisation: Some((*organisation).to_owned()),
                    country: Some((*country).to_owned()),
                    languages: languages.iter().map(|l| (*l).to_owned()).collect(),
                };
                (format!("inv-{}", i.id), Some((*name).to_owned()), profile)
            })
            .collect();
        for ((table, ..), i) in HOSTS.iter().zip(&hosts) {
            if let Some(t) = setup.tables.iter_mut().find(|t| Some(t.number) == *table) {
                t.host = Some(format!("inv-{}", i.id));
            }
        }
        let ids: Vec<String> = hosts.iter().map(|i| format!("inv-{}", i.id)).collect();
        engine
            .submit(
                &room,
                Command::to::<Access>(AccessCommand::IssueMany(hosts)),
            )
            .await?;
        engine
            .submit(
                &room,
                Command::to::<People>(PeopleCommand::Import(profiles)),
            )
            .await?;
        let organiser = plenum_protocol::Person {
            id: "organiser".into(),
            name: Some("Organiser".into()),
            role: plenum_protocol::Role::Organiser,
            event: None,
            sessions: Vec::new(),
            registered: false,
            link: 0,
        };
        let msg = plenum_protocol::ClientMsg::SetTables {
            event: code.clone(),
            session: plenum_protocol::SessionId::parse(CAFE)?,
            setup: Some(setup),
        };
        let r = requests::route(&organiser, msg)
            .ok_or_else(|| anyhow::anyhow!("set_tables has a route"))?;
        engine.submit(&r.room, r.command).await?;
        meetings_demo(engine, &room, &ids).await?;
        exhibition_demo(engine, &room, &ids).await?;
        tracing::info!("demo event ECC2026 created");
    }
    Ok(())
}

/// The demo's exhibition: four booths, each with a drawn logo (a disc of its colour), three
/// with one of the participants on their staff.
pub const DEMO_BOOTHS_JSON: &str = include_str!("../demo/ecc2026-booths.json");

/// A booth of the demo, as its file holds it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoBooth {
    id: plenum_protocol::BoothId,
    colour: [u8; 3],
    /// The participants on its staff, by their index in `HOSTS`.
    staff: Vec<usize>,
    about: plenum_protocol::BoothDraft,
    /// Its chat so far.
    #[serde(default)]
    chat: Vec<DemoMessage>,
    /// Meetings asked of its team, waiting for the staff's answer.
    #[serde(default)]
    meetings: Vec<DemoRequest>,
}

/// A meeting a participant (by their index in `HOSTS`) asks of a booth's team: a message, and
/// the time proposed on day 2.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoRequest {
    by: usize,
    text: String,
    at: String,
}

/// A message of a demo booth's chat: who wrote it (their index in `HOSTS`), and what.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMessage {
    by: usize,
    text: String,
}

/// A logo: a disc of `colour` on white, 200 pixels a side, as a PNG.
fn disc(colour: [u8; 3]) -> anyhow::Result<Vec<u8>> {
    let side = 200u32;
    let image = image::RgbaImage::from_fn(side, side, |x, y| {
        let (dx, dy) = (x as f32 - 99.5, y as f32 - 99.5);
        if dx * dx + dy * dy < 90.0 * 90.0 {
            image::Rgba([colour[0], colour[1], colour[2], 255])
        } else {
            image::Rgba([255, 255, 255, 255])
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

/// The booths, their logos, their staff and their chats.
async fn exhibition_demo(engine: &Engine, room: &RoomId, ids: &[String]) -> anyhow::Result<()> {
    use crate::interactions::exhibition::{
        Editor, Exhibition, ExhibitionCommand,
        chat::{BoothChat, ChatCommand},
        staff_code,
    };
    let booths: Vec<DemoBooth> = parse_json(DEMO_BOOTHS_JSON.as_bytes())
        .map_err(|e| anyhow::anyhow!("demo booths: {}", e.0.message))?;
    let run = |command| Command::to::<Exhibition>(command);
    for b in booths {
        engine
            .submit(
                room,
                run(ExhibitionCommand::Save {
                    booth: b.id.clone(),
                    about: b.about,
                    by: Editor::Organiser,
                    create: true,
                }),
            )
            .await?;
        engine
            .submit(
                room,
                run(ExhibitionCommand::Logo {
                    booth: b.id.clone(),
                    png: Some(disc(b.colour)?),
                    by: Editor::Organiser,
                }),
            )
            .await?;
        let record = engine
            .read::<Exhibition, _>(room, |_, r| r.booths.get(b.id.as_str()).cloned())
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo booth {} was not made", b.id))?;
        let code = staff_code(engine.key(), room.event_code(), b.id.as_str(), &record);
        for i in b.staff {
            let (_, name, organisation, ..) = HOSTS[i];
            engine
                .submit(
                    room,
                    run(ExhibitionCommand::Join {
                        booth: b.id.clone(),
                        person: ids[i].clone(),
                        name: Some(name.to_owned()),
                        organisation: Some(organisation.to_owned()),
                        code: code.clone(),
                    }),
                )
                .await?;
        }
        let booth_room = RoomId::Booth(room.event_code().clone(), b.id.clone());
        for m in b.chat {
            engine
                .submit(
                    &booth_room,
                    Command::to::<BoothChat>(ChatCommand::Post {
                        person: ids[m.by].clone(),
                        name: Some(HOSTS[m.by].1.to_owned()),
                        text: m.text,
                    }),
                )
                .await?;
        }
        for r in b.meetings {
            engine
                .submit(
                    room,
                    Command::to::<Meetings>(MeetingsCommand::Request {
                        actor: meetings::Actor {
                            id: ids[r.by].clone(),
                            name: Some(HOSTS[r.by].1.to_owned()),
                            organiser: false,
                            staff: None,
                        },
                        to: None,
                        booth: Some(b.id.clone()),
                        message: Some(r.text),
                        slot: Some(plenum_protocol::SlotAt {
                            day: 2,
                            start: r.at,
                        }),
                    }),
                )
                .await?;
        }
    }
    Ok(())
}

/// The meeting plan, the participants' profiles, and their requests (three booked at the time
/// each proposed, one waiting).
async fn meetings_demo(engine: &Engine, room: &RoomId, ids: &[String]) -> anyhow::Result<()> {
    let plan: plenum_protocol::MeetingPlan = parse_json(DEMO_MEETINGS_JSON.as_bytes())
        .map_err(|e| anyhow::anyhow!("demo meetings: {}", e.0.message))?;
    let run = |command| Command::to::<Meetings>(command);
    engine
        .submit(room, run(MeetingsCommand::SetPlan(Some(plan))))
        .await?;
    let actor = |i: usize| meetings::Actor {
        id: ids[i].clone(),
        name: Some(HOSTS[i].1.to_owned()),
        organiser: false,
        staff: None,
    };
    for (i, (role, sectors, cards)) in PROFILES.iter().enumerate() {
        let profile = MatchProfile {
            listed: true,
            role: Some((*role).to_owned()),
            sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
            cards: cards
                .iter()
                .map(|(kind, title, tags)| MatchCard {
                    kind: *kind,
                    title: (*title).to_owned(),
                    text: None,
                    tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                })
                .collect(),
        };
        engine
            .submit(
                room,
                run(MeetingsCommand::MatchProfile {
                    actor: actor(i),
                    profile,
                }),
            )
            .await?;
    }
    for (from, to, message, at, accepted) in REQUESTS {
        let done = engine
            .submit(
                room,
                run(MeetingsCommand::Request {
                    actor: actor(from),
                    to: Some(PersonId::parse(&ids[to])?),
                    booth: None,
                    message: Some(message.to_owned()),
                    slot: Some(plenum_protocol::SlotAt {
                        day: 2,
                        start: at.to_owned(),
                    }),
                }),
            )
            .await?;
        if let (true, Some(meeting)) = (accepted, done.made.meeting) {
            engine
                .submit(
                    room,
                    run(MeetingsCommand::Answer {
                        actor: actor(to),
                        meeting,
                        answer: MeetingAnswer::Accept,
                        slot: None,
                    }),
                )
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_event_is_valid() {
        let e = super::event().unwrap();
        assert!(
            e.agenda
                .sessions
                .iter()
                .filter(|s| s.kind == plenum_protocol::SessionKind::Breakout)
                .count()
                >= 6
        );
        assert!(
            e.agenda
                .sessions
                .iter()
                .any(|s| s.id.as_str() == "opening" && !s.contributions.is_empty())
        );
        // The world café's tables hold every rule of a table set, in both languages.
        let setup: plenum_protocol::TablesSetup =
            serde_json::from_str(super::DEMO_TABLES_JSON).unwrap();
        let set = crate::interactions::tables::setup::table_set(&setup, None).unwrap();
        assert!(
            set.tables
                .iter()
                .any(|t| t.language.as_deref() == Some("sv"))
        );
        assert!(
            set.tables
                .iter()
                .any(|t| t.language.as_deref() == Some("en"))
        );
        assert!(
            e.agenda
                .sessions
                .iter()
                .any(|s| s.id.as_str() == super::CAFE
                    && s.kind == plenum_protocol::SessionKind::WorldCafe)
        );
        // The meeting plan, and every profile, hold the plan's rules.
        let plan: plenum_protocol::MeetingPlan =
            serde_json::from_str(super::DEMO_MEETINGS_JSON).unwrap();
        let plan = crate::interactions::meetings::plan::check(&plan, &e.agenda).unwrap();
        assert!(crate::interactions::meetings::plan::slots(&plan).len() >= 6);
        for (role, sectors, cards) in super::PROFILES {
            let profile = plenum_protocol::MatchProfile {
                listed: true,
                role: Some(role.into()),
                sectors: sectors.iter().map(|s| s.to_string()).collect(),
                cards: cards
                    .iter()
                    .map(|(kind, title, tags)| plenum_protocol::MatchCard {
                        kind: *kind,
                        title: title.to_string(),
                        text: None,
                        tags: tags.iter().map(|t| t.to_string()).collect(),
                    })
                    .collect(),
            };
            crate::interactions::meetings::check_profile(&profile, &plan.profiles).unwrap();
        }
    }
}
