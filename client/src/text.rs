//! How protocol values read to people, in the chosen language (see [`crate::i18n`]).

use plenum_protocol::{AgendaPerson, SessionKind, StageStatus};

use crate::i18n::t;
use wasm_bindgen::JsCast;

/// The status as shown on the stage.
pub fn status_label(status: StageStatus) -> String {
    t(match status {
        StageStatus::Scheduled => "status-scheduled",
        StageStatus::Live => "status-live",
        StageStatus::Paused => "status-paused",
        StageStatus::Ended => "status-ended",
    })
}

/// The status as a stable token for styling and tests (the wire name).
pub fn status_key(status: StageStatus) -> &'static str {
    match status {
        StageStatus::Scheduled => "scheduled",
        StageStatus::Live => "live",
        StageStatus::Paused => "paused",
        StageStatus::Ended => "ended",
    }
}

pub fn kind_label(kind: SessionKind) -> String {
    t(match kind {
        SessionKind::Plenary => "kind-plenary",
        SessionKind::Panel => "kind-panel",
        SessionKind::Breakout => "kind-breakout",
        SessionKind::Workshop => "kind-workshop",
        SessionKind::WorldCafe => "kind-world-cafe",
        SessionKind::Pitch => "kind-pitch",
        SessionKind::Award => "kind-award",
        SessionKind::Networking => "kind-networking",
        SessionKind::Visit => "kind-visit",
        SessionKind::Social => "kind-social",
    })
}

/// Where people take part from, as a hybrid attendee needs to know it.
pub fn attendance_label(a: plenum_protocol::Attendance) -> String {
    t(match a {
        plenum_protocol::Attendance::Hybrid => "attendance-hybrid",
        plenum_protocol::Attendance::Onsite => "attendance-onsite",
        plenum_protocol::Attendance::Online => "attendance-online",
    })
}

/// "Maria Svensson, Cluster Manager, Skåne Food Innovation Network".
pub fn person(p: &AgendaPerson) -> String {
    let mut line = p.name.clone();
    for part in [&p.role, &p.organisation].into_iter().flatten() {
        line.push_str(", ");
        line.push_str(part);
    }
    line
}

/// Names only, joined: "Maria Svensson and Jan Novak", "A, B and C".
pub fn names<'a>(people: impl IntoIterator<Item = &'a AgendaPerson>) -> String {
    let names: Vec<&str> = people.into_iter().map(|p| p.name.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), t("list-and")),
    }
}

/// A link from an agenda, only if it is `http(s)`: a `javascript:` URL in an imported agenda
/// must not become a link.
pub fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_owned())
}

/// The address of a stream's embeddable player, for the stream services that offer one
/// (YouTube, Vimeo); `None` for anything else, which is shown as a link instead.
pub fn embed_url(url: &str) -> Option<String> {
    let url = safe_href(url)?;
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let id_ok = |id: &str| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match host {
        "youtube.com" => {
            let id = path
                .strip_prefix("watch?")
                .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
                .or_else(|| {
                    path.strip_prefix("live/")
                        .map(|p| p.split(['?', '/']).next().unwrap_or(""))
                })
                .or_else(|| {
                    path.strip_prefix("embed/")
                        .map(|p| p.split(['?', '/']).next().unwrap_or(""))
                })?;
            id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "youtu.be" => {
            let id = path.split(['?', '/']).next()?;
            id_ok(id).then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
        }
        "vimeo.com" => {
            let id = path.split(['?', '/']).next()?;
            (id_ok(id) && id.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("https://player.vimeo.com/video/{id}"))
        }
        _ => None,
    }
}

/// The languages an agenda form offers for a session, beside the event's own.
pub const LANGUAGE_CODES: [&str; 16] = [
    "en", "sv", "fi", "no", "da", "de", "fr", "es", "it", "nl", "pl", "et", "lv", "lt", "pt", "is",
];

/// A language's name in the chosen language ("Swedish", "svenska") from the browser's
/// `Intl.DisplayNames`; the code itself where the browser has no name for it (tracked).
pub fn language_name(code: &str) -> String {
    display_name("language", code)
}

/// A country's name in the chosen language ("Sweden", "Sverige") from its ISO 3166-1 code, as
/// [`language_name`] (tracked).
pub fn country_name(code: &str) -> String {
    display_name("region", code)
}

/// `Intl.DisplayNames` of `kind` (`language`, `region`) for `code`, or the code.
pub(crate) fn display_name(kind: &str, code: &str) -> String {
    let tag = crate::i18n::locale().intl();
    let name = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DisplayNames".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"type".into(), &kind.into()).ok()?;
        let args = js_sys::Array::of2(&js_sys::Array::of1(&tag.into()), &options);
        let names = js_sys::Reflect::construct(&ctor, &args).ok()?;
        let of: js_sys::Function = js_sys::Reflect::get(&names, &"of".into())
            .ok()?
            .dyn_into()
            .ok()?;
        of.call1(&names, &code.into()).ok()?.as_string()
    })();
    name.unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_embed_only_from_known_players() {
        assert_eq!(
            embed_url("https://www.youtube.com/watch?v=abc_DEF-12&t=3").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/abc_DEF-12")
        );
        assert_eq!(
            embed_url("https://youtu.be/xyz").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/xyz")
        );
        assert_eq!(
            embed_url("https://vimeo.com/123456").as_deref(),
            Some("https://player.vimeo.com/video/123456")
        );
        assert_eq!(embed_url("https://youtube.com/watch?v=a\"onload=x"), None);
        assert_eq!(embed_url("https://example.org/stream"), None);
        assert_eq!(
            embed_url("javascript:alert(1)//youtube.com/watch?v=x"),
            None
        );
    }

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(
            safe_href(" https://x.eu/a "),
            Some("https://x.eu/a".to_owned())
        );
        assert_eq!(safe_href("JavaScript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
    }

    #[test]
    fn names_join_like_prose() {
        let p = |n: &str| AgendaPerson {
            name: n.to_owned(),
            role: None,
            organisation: None,
        };
        assert_eq!(names(&[p("A")]), "A");
        assert_eq!(names(&[p("A"), p("B"), p("C")]), "A, B and C");
    }
}
