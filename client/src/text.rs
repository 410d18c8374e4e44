//! How protocol values read to people. English for now; every label the screens show that
//! does not come from the agenda itself is here, so translating means changing this file.

use plenum_protocol::{AgendaPerson, SessionKind, StageStatus};

/// The status as shown on the stage.
pub fn status_label(status: StageStatus) -> &'static str {
    match status {
        StageStatus::Scheduled => "Scheduled",
        StageStatus::Live => "Live",
        StageStatus::Paused => "Paused",
        StageStatus::Ended => "Ended",
    }
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

pub fn kind_label(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Plenary => "Plenary",
        SessionKind::Panel => "Panel",
        SessionKind::Breakout => "Breakout",
        SessionKind::Workshop => "Workshop",
        SessionKind::WorldCafe => "World café",
        SessionKind::Pitch => "Pitches",
        SessionKind::Award => "Award",
        SessionKind::Networking => "Networking",
        SessionKind::Visit => "Visit",
        SessionKind::Social => "Social",
    }
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
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Tuesday 2 June 2026" for `2026-06-02`; the input unchanged if it is not such a date.
/// Computed here rather than through `Intl`: the date is the event's, not the viewer's.
pub fn date(iso: &str) -> String {
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return iso.to_owned();
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1 {
        return iso.to_owned();
    }
    // Sakamoto's day-of-week algorithm (0 = Sunday).
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let yy = if m < 3 { y - 1 } else { y };
    let weekday = (yy + yy / 4 - yy / 100 + yy / 400 + T[m as usize - 1] + d) % 7;
    format!(
        "{} {d} {} {y}",
        DAYS[weekday as usize],
        MONTHS[m as usize - 1]
    )
}

/// A link from an agenda, only if it is `http(s)`: a `javascript:` URL in an imported agenda
/// must not become a link.
pub fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_owned())
}

/// "14:05" in the viewer's clock, for server times in ms since the epoch.
pub fn clock(at_ms: i64) -> String {
    let t = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    format!("{:02}:{:02}", t.get_hours(), t.get_minutes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_on_a_programme() {
        assert_eq!(date("2026-06-02"), "Tuesday 2 June 2026");
        assert_eq!(date("2020-11-24"), "Tuesday 24 November 2020");
        assert_eq!(date("2023-01-01"), "Sunday 1 January 2023");
        assert_eq!(date("soon"), "soon");
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
