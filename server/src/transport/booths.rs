//! The exhibition's booths over HTTP: reading them, editing them, their logos and their staff.
//!
//! - `GET /api/events/{code}/booths` (anyone of the event): every booth, by organisation.
//! - `PUT /api/events/{code}/booths/{booth}` (organisers create; organisers and the booth's
//!   staff edit), `DELETE` (organisers).
//! - `PUT`/`DELETE /api/events/{code}/booths/{booth}/logo` (organisers, the booth's staff): a
//!   PNG, JPEG or WebP image, recognised by its content (not by what the request says it is),
//!   decoded within bounds and re-encoded as a PNG of at most `limits::LOGO_SIDE` pixels a side:
//!   no uploaded byte is ever served. Served at `/logos/{code}/{booth}/{version}.png`, where
//!   the version changes with the image (so it is cached for good).
//! - `GET`/`POST /api/events/{code}/booths/{booth}/staff-link` (organisers): the booth's staff
//!   link, or a new one (the old one stops working).
//! - `POST /api/events/{code}/booths/{booth}/staff` (anyone of the event, with a display name):
//!   joins the booth's staff with its link's code; `DELETE .../staff/{person}` (organisers,
//!   or the person) takes someone off it.
//!
//! Who may do what is decided by the exhibition interaction against its records
//! (`interactions::exhibition`): the transport only says whether the caller is an organiser.

use super::http::{AppError, at_event, parse_json};
use crate::{
    App,
    auth::{self, Action},
    engine::Command,
    interactions::{
        Refusal,
        exhibition::{
            Editor, Exhibition, ExhibitionCommand,
            chat::{BoothChat, ChatCommand},
            staff_code,
        },
        meetings::{Meetings, MeetingsCommand},
        people::People,
    },
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use plenum_protocol::{
    Appended, Booth, BoothDraft, BoothId, ErrorCode, EventCode, JoinStaff, MeetingPerson, Person,
    PersonId, RoomId, StaffLink, limits,
};

fn booth_id(raw: &str) -> Result<BoothId, AppError> {
    BoothId::parse(raw).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))
}

/// Who edits: an organiser of the event, else the person (allowed on their booths only).
fn editor(who: &Person, code: &EventCode) -> Editor {
    if auth::allowed(who, Action::ManageEvent, &RoomId::Event(code.clone())) {
        Editor::Organiser
    } else {
        Editor::Person(who.id.clone())
    }
}

async fn run(
    app: &App,
    code: &EventCode,
    command: ExhibitionCommand,
) -> Result<Appended, AppError> {
    let done = app
        .engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<Exhibition>(command),
        )
        .await?;
    Ok(Appended { seq: done.seq })
}

/// Notes an organiser's change in the event's activity log.
fn note(app: &App, who: &Person, code: &EventCode, by: &Editor, what: &str, booth: &BoothId) {
    if *by == Editor::Organiser {
        let detail = serde_json::json!({ "booth": booth }).to_string();
        super::staff::note(app, who, code, what, None, detail);
    }
}

/// The address a booth's logo of `version` is served at.
pub fn logo_path(code: &EventCode, booth: &str, version: &str) -> String {
    format!("/logos/{code}/{booth}/{version}.png")
}

/// `GET /api/events/{code}/booths`.
pub async fn list(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<Booth>>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let organiser = editor(&who, &code) == Editor::Organiser;
    let now = crate::engine::now_ms();
    let mut booths = app
        .engine
        .read::<Exhibition, _>(&RoomId::Event(code.clone()), |_, r| {
            r.booths
                .iter()
                .filter_map(|(id, b)| {
                    let mut staff: Vec<(i64, String, MeetingPerson)> = r
                        .staff_of(id)
                        .filter_map(|(p, m)| {
                            Some((
                                m.joined_ms,
                                p.to_owned(),
                                MeetingPerson {
                                    id: PersonId::parse(p).ok()?,
                                    name: Some(m.name.clone()),
                                    organisation: m.organisation.clone(),
                                },
                            ))
                        })
                        .collect();
                    // In the order they joined.
                    staff.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
                    let editable = organiser || staff.iter().any(|(_, p, _)| *p == who.id);
                    let mut about = b.about.clone();
                    if !editable {
                        // The call link is for the visitors the staff accept.
                        about.call = None;
                    }
                    Some(Booth {
                        staffed: r.staffed(id, now),
                        visitors_now: crate::interactions::exhibition::visits::visitors_now(
                            r, id, now,
                        ),
                        id: BoothId::parse(id).ok()?,
                        about,
                        logo: b.logo.as_deref().map(|v| logo_path(&code, id, v)),
                        editable,
                        staff: staff.into_iter().map(|(_, _, m)| m).collect(),
                    })
                })
                .collect::<Vec<_>>()
        })
        .await?;
    booths.sort_by_cached_key(|b| (b.about.organisation.to_lowercase(), b.id.clone()));
    Ok(Json(booths))
}

/// `PUT /api/events/{code}/booths/{booth}`.
pub async fn save(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    save_or_create(app, code, booth, headers, body, false).await
}

/// `POST /api/events/{code}/booths/{booth}` (organisers): creates a booth, `conflict` if
/// there is one with that id already.
pub async fn create(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    save_or_create(app, code, booth, headers, body, true).await
}

async fn save_or_create(
    app: App,
    code: String,
    booth: String,
    headers: HeaderMap,
    body: Bytes,
    create: bool,
) -> Result<Json<Appended>, AppError> {
    let action = if create {
        Action::ManageEvent
    } else {
        Action::Follow
    };
    let (code, who, _) = at_event(&app, &headers, &code, action).await?;
    let booth = booth_id(&booth)?;
    let about: BoothDraft = parse_json(&body)?;
    let by = editor(&who, &code);
    let made = crate::engine::now_ms();
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Save {
            booth: booth.clone(),
            about,
            by: by.clone(),
            create,
        },
    )
    .await?;
    if create {
        // A booth made again under an old id starts with an empty chat, and none of the old
        // one's meetings open.
        app.engine
            .submit(
                &RoomId::Booth(code.clone(), booth.clone()),
                Command::to::<BoothChat>(ChatCommand::Clear { before_ms: made }),
            )
            .await?;
        forget_meetings(&app, &code, &booth).await?;
    }
    note(&app, &who, &code, &by, "save_booth", &booth);
    Ok(Json(done))
}

/// `DELETE /api/events/{code}/booths/{booth}` (organisers).
pub async fn remove(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Appended>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let booth = booth_id(&booth)?;
    // Its chat first (a booth that does not exist has no room: `not_found`).
    app.engine
        .submit(
            &RoomId::Booth(code.clone(), booth.clone()),
            Command::to::<BoothChat>(ChatCommand::Clear {
                before_ms: i64::MAX,
            }),
        )
        .await?;
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Remove {
            booth: booth.clone(),
        },
    )
    .await?;
    // Then its open meetings (no request reaches a booth that is gone): their visitors are told.
    forget_meetings(&app, &code, &booth).await?;
    note(
        &app,
        &who,
        &code,
        &Editor::Organiser,
        "remove_booth",
        &booth,
    );
    Ok(Json(done))
}

/// Cancels the open meetings of `booth` (removed, or made again) asked before it was made as it
/// is now, and deletes its preferences.
async fn forget_meetings(app: &App, code: &EventCode, booth: &BoothId) -> Result<(), AppError> {
    app.engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<Meetings>(MeetingsCommand::ForgetBooth {
                booth: booth.clone(),
            }),
        )
        .await?;
    Ok(())
}

/// An uploaded logo as the server keeps it: recognised by its bytes as a PNG, JPEG or WebP
/// image (SVG, HTML, script, anything else refused), decoded within bounds (at most
/// `limits::MAX_LOGO_SIDE` pixels a side, 64 MiB of memory), and re-encoded as a PNG that fits
/// in `limits::LOGO_SIDE` pixels a side.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    use image::{ImageFormat, ImageReader};
    if bytes.len() > limits::MAX_LOGO_BYTES {
        return Err(Refusal::TooLarge(format!(
            "logo: at most {} bytes",
            limits::MAX_LOGO_BYTES
        )));
    }
    let not_image = || Refusal::invalid("logo", "must be a PNG, JPEG or WebP image");
    let format = image::guess_format(bytes).map_err(|_| not_image())?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(not_image());
    }
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(limits::MAX_LOGO_SIDE);
    bounds.max_image_height = Some(limits::MAX_LOGO_SIDE);
    bounds.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(bounds);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooLarge(format!(
            "logo: at most {0}×{0} pixels",
            limits::MAX_LOGO_SIDE
        )),
        _ => Refusal::invalid("logo", "is not a readable PNG, JPEG or WebP image"),
    })?;
    let fitted = if decoded.width() > limits::LOGO_SIDE || decoded.height() > limits::LOGO_SIDE {
        decoded.thumbnail(limits::LOGO_SIDE, limits::LOGO_SIDE)
    } else {
        decoded
    };
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(fitted.to_rgba8())
        .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| Refusal::invalid("logo", "could not be made into a PNG"))?;
    Ok(png)
}

/// `PUT /api/events/{code}/booths/{booth}/logo`: the image as the request's body.
pub async fn put_logo(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth = booth_id(&booth)?;
    let by = editor(&who, &code);
    // Who may is checked before the image is read: decoding costs CPU (and is checked again,
    // with the rest, when the logo is decided).
    let (exists, staffs) = app
        .engine
        .read::<Exhibition, _>(&RoomId::Event(code.clone()), |_, r| {
            (
                r.booths.contains_key(booth.as_str()),
                r.staffs(booth.as_str(), &who.id),
            )
        })
        .await?;
    if by != Editor::Organiser && !staffs {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            format!("only the event's organisers and {booth}'s staff may change it"),
        ));
    }
    if !exists {
        return Err(AppError::new(
            ErrorCode::NotFound,
            format!("no booth {booth} at this event"),
        ));
    }
    // Decoding is CPU work: off the runtime's threads.
    let png = tokio::task::spawn_blocking(move || reencode(&body))
        .await
        .map_err(|_| AppError::new(ErrorCode::Internal, "the logo could not be read"))??;
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Logo {
            booth: booth.clone(),
            png: Some(png),
            by: by.clone(),
        },
    )
    .await?;
    note(&app, &who, &code, &by, "set_booth_logo", &booth);
    Ok(Json(done))
}

/// `DELETE /api/events/{code}/booths/{booth}/logo`.
pub async fn remove_logo(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Appended>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth = booth_id(&booth)?;
    let by = editor(&who, &code);
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Logo {
            booth: booth.clone(),
            png: None,
            by: by.clone(),
        },
    )
    .await?;
    note(&app, &who, &code, &by, "remove_booth_logo", &booth);
    Ok(Json(done))
}

/// `GET /logos/{code}/{booth}/{version}.png`: public, as the hall shows it; cached for good
/// (another image has another version).
pub async fn logo(
    State(app): State<App>,
    Path((code, booth, file)): Path<(String, String, String)>,
) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let (Ok(code), Some(version)) = (EventCode::parse(&code), file.strip_suffix(".png")) else {
        return not_found();
    };
    match app.engine.find_event(&code).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(),
        Err(e) => return AppError::from(e).into_response(),
    }
    let png = app
        .engine
        .read::<Exhibition, _>(&RoomId::Event(code), |_, r| {
            r.booths
                .get(&booth)
                .filter(|b| b.logo.as_deref() == Some(version))
                .and_then(|_| r.logos.get(&booth).cloned())
        })
        .await;
    match png {
        Ok(Some(png)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            png,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// The staff link of `booth` as it stands.
async fn link_of(
    app: &App,
    headers: &HeaderMap,
    code: &EventCode,
    booth: &BoothId,
) -> Result<StaffLink, AppError> {
    let record = app
        .engine
        .read::<Exhibition, _>(&RoomId::Event(code.clone()), |_, r| {
            r.booths.get(booth.as_str()).cloned()
        })
        .await?
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no booth {booth} at this event"),
            )
        })?;
    let staff = staff_code(app.engine.key(), code, booth.as_str(), &record);
    let base = super::people::base(app, headers);
    Ok(StaffLink {
        link: format!("{base}/e/{code}/exhibition/{booth}?staff={staff}"),
        code: staff,
    })
}

/// `GET /api/events/{code}/booths/{booth}/staff-link` (organisers).
pub async fn staff_link(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<StaffLink>, AppError> {
    let (code, _, _) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let booth = booth_id(&booth)?;
    Ok(Json(link_of(&app, &headers, &code, &booth).await?))
}

/// `POST /api/events/{code}/booths/{booth}/staff-link` (organisers): a new link; the old one
/// stops working (the staff it made stay).
pub async fn renew_staff_link(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<StaffLink>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let booth = booth_id(&booth)?;
    run(
        &app,
        &code,
        ExhibitionCommand::RenewLink {
            booth: booth.clone(),
        },
    )
    .await?;
    note(
        &app,
        &who,
        &code,
        &Editor::Organiser,
        "renew_staff_link",
        &booth,
    );
    Ok(Json(link_of(&app, &headers, &code, &booth).await?))
}

/// `POST /api/events/{code}/booths/{booth}/staff`: joins the booth's staff.
pub async fn join_staff(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth = booth_id(&booth)?;
    let JoinStaff { code: staff } = parse_json(&body)?;
    let organisation = app
        .engine
        .read::<People, _>(&RoomId::Event(code.clone()), |_, r| {
            r.people
                .get(&who.id)
                .and_then(|p| p.profile.organisation.clone())
        })
        .await?;
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Join {
            booth,
            person: who.id.clone(),
            name: who.name.clone(),
            organisation,
            code: staff,
        },
    )
    .await?;
    Ok(Json(done))
}

/// `DELETE /api/events/{code}/booths/{booth}/staff/{person}`.
pub async fn leave_staff(
    State(app): State<App>,
    Path((code, booth, person)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Appended>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth = booth_id(&booth)?;
    let person =
        PersonId::parse(&person).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let by = editor(&who, &code);
    let done = run(
        &app,
        &code,
        ExhibitionCommand::Leave {
            booth: booth.clone(),
            person: person.to_string(),
            by: by.clone(),
        },
    )
    .await?;
    note(&app, &who, &code, &by, "remove_booth_staff", &booth);
    Ok(Json(done))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .to_rgb8()
            .write_to(&mut std::io::Cursor::new(&mut out), format)
            .unwrap();
        out
    }

    #[test]
    fn logos_are_recognised_by_content_and_re_encoded() {
        for format in [
            image::ImageFormat::Png,
            image::ImageFormat::Jpeg,
            image::ImageFormat::WebP,
        ] {
            let png = reencode(&encoded(format, 800, 200)).unwrap();
            assert_eq!(image::guess_format(&png).unwrap(), image::ImageFormat::Png);
            let back = image::load_from_memory(&png).unwrap();
            assert_eq!((back.width(), back.height()), (400, 100), "{format:?}");
        }
        let small = reencode(&encoded(image::ImageFormat::Png, 40, 30)).unwrap();
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 40);
    }

    #[test]
    fn what_is_no_logo_is_refused() {
        let field = |r: Result<Vec<u8>, Refusal>| match r {
            Err(Refusal::Invalid { field, .. }) => field.unwrap_or_default(),
            Err(Refusal::TooLarge(m)) => format!("too large: {m}"),
            other => panic!("{other:?}"),
        };
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(field(reencode(svg)), "logo");
        assert_eq!(field(reencode(b"<html><script>alert(1)</script>")), "logo");
        assert_eq!(field(reencode(b"GIF89a\x01\x00\x01\x00")), "logo");
        // A PNG's signature in front of HTML: recognised as PNG, then unreadable.
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(field(reencode(&fake)), "logo");
        // Too many pixels (a decompression bomb's trick), and too many bytes.
        let wide = encoded(image::ImageFormat::Png, 5000, 1);
        assert!(field(reencode(&wide)).starts_with("too large"));
        let big = vec![0u8; limits::MAX_LOGO_BYTES + 1];
        assert!(field(reencode(&big)).starts_with("too large"));
    }
}
