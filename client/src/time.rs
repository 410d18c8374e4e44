//! Times: an agenda's times are wall-clock times in the event's time zone; each person sees
//! them in their own zone too. Zone arithmetic is the browser's (`Intl`, which carries the
//! tz database); what does not need the browser (dates, the .ics calendar) is plain Rust and
//! tested natively.

use wasm_bindgen::JsValue;

use crate::i18n::{self, Locale};

/// `2026-06-02` → (2026, 6, 2).
pub fn parse_date(iso: &str) -> Option<(i32, u32, u32)> {
    let mut parts = iso.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// `09:30` → (9, 30).
pub fn parse_hm(hm: &str) -> Option<(u32, u32)> {
    let (h, m) = hm.trim().split_once(':')?;
    let (h, m) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// A wall-clock time read as if it were UTC, in ms since the epoch.
pub fn naive_ms(date: (i32, u32, u32), hm: (u32, u32)) -> i64 {
    days_from_civil(date.0, date.1, date.2) * 86_400_000
        + i64::from(hm.0) * 3_600_000
        + i64::from(hm.1) * 60_000
}

/// `20260602T073000Z`, as iCalendar writes a UTC time.
pub fn ics_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// One session in a personal calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEntry {
    pub uid: String,
    pub title: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub location: Option<String>,
    pub url: String,
    pub description: Option<String>,
}

/// A calendar file (RFC 5545) of the starred sessions, for any calendar program.
pub fn ics(calendar: &str, entries: &[CalendarEntry], now_ms: i64) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        // Lines longer than 75 octets are folded: CRLF and a space.
        let mut rest = text.as_str();
        let mut first = true;
        while !rest.is_empty() {
            let limit = if first { 75 } else { 74 };
            let mut cut = rest.len().min(limit);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            if !first {
                out.push(' ');
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n");
            rest = &rest[cut..];
            first = false;
        }
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Plenum//Personal agenda//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape(calendar)));
    for e in entries {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{}", ics_utc(now_ms)));
        line(format!("DTSTART:{}", ics_utc(e.start_ms)));
        line(format!("DTEND:{}", ics_utc(e.end_ms)));
        line(format!("SUMMARY:{}", escape(&e.title)));
        if let Some(location) = &e.location {
            line(format!("LOCATION:{}", escape(location)));
        }
        if let Some(description) = &e.description {
            line(format!("DESCRIPTION:{}", escape(description)));
        }
        line(format!("URL:{}", escape(&e.url)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// iCalendar TEXT escaping: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

// ---- In the browser -------------------------------------------------------------------------

/// Now, in ms since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The viewer's own time zone (`Europe/Stockholm`).
pub fn viewer_zone() -> String {
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options()
        .pipe(|o| js_sys::Reflect::get(&o, &"timeZone".into()).ok())
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

fn options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// How far `zone` is ahead of UTC at the instant `utc_ms`, in ms.
fn zone_offset_ms(zone: &str, utc_ms: i64) -> Option<i64> {
    // One formatter per zone: an agenda of a thousand sessions asks four times per session.
    thread_local! {
        static FORMATS: std::cell::RefCell<Vec<(String, js_sys::Intl::DateTimeFormat)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let format = FORMATS.with(|formats| {
        let mut formats = formats.borrow_mut();
        if let Some((_, f)) = formats.iter().find(|(z, _)| z == zone) {
            return f.clone();
        }
        let f = js_sys::Intl::DateTimeFormat::new(
            &js_sys::Array::of1(&"en-US".into()),
            &options(&[
                ("timeZone", zone),
                ("hourCycle", "h23"),
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
            ]),
        );
        formats.push((zone.to_owned(), f.clone()));
        f
    });
    let date = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
    let parts = format.format_to_parts(&date);
    let field = |name: &str| -> Option<u32> {
        parts.iter().find_map(|p| {
            let kind = js_sys::Reflect::get(&p, &"type".into()).ok()?.as_string()?;
            (kind == name)
                .then(|| js_sys::Reflect::get(&p, &"value".into()).ok()?.as_string())
                .flatten()
                .and_then(|v| v.parse().ok())
        })
    };
    let (y, mo, d, h, mi) = (
        field("year")?,
        field("month")?,
        field("day")?,
        field("hour")?,
        field("minute")?,
    );
    let wall = naive_ms((y as i32, mo, d), (h % 24, mi));
    // Whole minutes: the formatted wall clock has no seconds.
    Some(wall - (utc_ms - utc_ms.rem_euclid(60_000)))
}

/// The instant of a wall-clock time in `zone`; `None` if the date or time does not parse.
pub fn instant(date: &str, hm: &str, zone: &str) -> Option<i64> {
    let naive = naive_ms(parse_date(date)?, parse_hm(hm)?);
    // Twice, so a time just after a daylight-saving change gets the right offset.
    let first = naive - zone_offset_ms(zone, naive).unwrap_or(0);
    Some(naive - zone_offset_ms(zone, first).unwrap_or(0))
}

/// `14:05` for an instant, in `zone` (or the viewer's own), as the chosen language writes it.
pub fn clock_in(utc_ms: i64, zone: Option<&str>) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
    let mut pairs = vec![("hour", "2-digit"), ("minute", "2-digit")];
    if let Some(zone) = zone {
        pairs.push(("timeZone", zone));
    }
    date.to_locale_time_string_with_options(i18n::locale().intl(), &options(&pairs))
        .into()
}

/// `14:05` in the viewer's clock.
pub fn clock(utc_ms: i64) -> String {
    clock_in(utc_ms, None)
}

/// `14:05` today, `fre 4 dec. 14:05` / `Fri, 4 Dec, 14:05` another day: an instant in the
/// viewer's clock, with its day when it is not today (a request's deadline two days on, a
/// message from yesterday).
pub fn clock_or_day(utc_ms: i64) -> String {
    let day = |d: &js_sys::Date| (d.get_full_year(), d.get_month(), d.get_date());
    let then = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
    let today = js_sys::Date::new(&JsValue::from_f64(now_ms() as f64));
    if day(&then) == day(&today) {
        return clock(utc_ms);
    }
    then.to_locale_string(
        i18n::locale().intl(),
        &options(&[
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
        ]),
    )
    .into()
}

/// `event`, with `yours` beside it ("14:05 (your time 15:05)") when they differ: every time the
/// client shows is the event's, with the person's own where their clock says otherwise.
fn with_yours(event: String, yours: String) -> String {
    if event == yours {
        event
    } else {
        i18n::ta(
            "times-with-yours",
            &[
                ("event", i18n::Arg::Str(event)),
                ("yours", i18n::Arg::Str(yours)),
            ],
        )
    }
}

/// `Tuesday 2 June 2026` / `tisdag 2 juni 2026`: the day of an instant in `zone`.
pub fn day_in(utc_ms: i64, zone: &str) -> String {
    js_sys::Date::new(&JsValue::from_f64(utc_ms as f64))
        .to_locale_date_string(
            i18n::locale().intl(),
            &options(&[
                ("timeZone", zone),
                ("weekday", "long"),
                ("day", "numeric"),
                ("month", "long"),
                ("year", "numeric"),
            ]),
        )
        .into()
}

/// An instant in the event's `zone`, with the viewer's own time beside it when it differs.
pub fn moment(utc_ms: i64, zone: &str) -> String {
    with_yours(clock_in(utc_ms, Some(zone)), clock(utc_ms))
}

/// `09:30–10:15` of an agenda `date` in `zone` (followed by `after`, say the zone's name), with
/// the viewer's own times beside them when they differ.
pub fn span(date: &str, start: &str, end: &str, zone: &str, after: &str) -> String {
    let event = format!("{start}–{end}{after}");
    match (instant(date, start, zone), instant(date, end, zone)) {
        (Some(a), Some(b)) => with_yours(event, format!("{}–{}", clock(a), clock(b))),
        _ => event,
    }
}

/// `Tuesday 2 June 2026` / `tisdag 2 juni 2026` for an agenda date; the text as given if it
/// is not a date. The date is the event's: formatted in UTC so no zone moves it a day.
pub fn long_date(iso: &str) -> String {
    long_date_in(iso, i18n::locale())
}

pub fn long_date_in(iso: &str, locale: Locale) -> String {
    let Some(date) = parse_date(iso) else {
        return iso.to_owned();
    };
    let ms = naive_ms(date, (12, 0));
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_locale_date_string(
            locale.intl(),
            &options(&[
                ("timeZone", "UTC"),
                ("weekday", "long"),
                ("day", "numeric"),
                ("month", "long"),
                ("year", "numeric"),
            ]),
        )
        .into()
}

/// `UTC+2` style name of a zone at an instant (`GMT+2` as Intl writes it), for "event time".
pub fn zone_name(zone: &str, utc_ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(utc_ms as f64));
    let format = js_sys::Intl::DateTimeFormat::new(
        &js_sys::Array::of1(&i18n::locale().intl().into()),
        &options(&[("timeZone", zone), ("timeZoneName", "short")]),
    );
    format
        .format_to_parts(&date)
        .iter()
        .find_map(|p| {
            let kind = js_sys::Reflect::get(&p, &"type".into()).ok()?.as_string()?;
            (kind == "timeZoneName")
                .then(|| js_sys::Reflect::get(&p, &"value".into()).ok()?.as_string())
                .flatten()
        })
        .unwrap_or_else(|| zone.to_owned())
}

/// Every IANA time zone the browser knows (`Intl.supportedValuesOf("timeZone")`), the
/// viewer's own included; just the viewer's where the browser cannot list them.
pub fn zones() -> Vec<String> {
    let own = viewer_zone();
    let listed = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let f: js_sys::Function = wasm_bindgen::JsCast::dyn_into(
            js_sys::Reflect::get(&intl, &"supportedValuesOf".into()).ok()?,
        )
        .ok()?;
        let list: js_sys::Array =
            wasm_bindgen::JsCast::dyn_into(f.call1(&intl, &"timeZone".into()).ok()?).ok()?;
        Some(
            list.iter()
                .filter_map(|v| v.as_string())
                .collect::<Vec<_>>(),
        )
    })();
    let mut zones = listed.unwrap_or_default();
    if !zones.contains(&own) {
        zones.push(own);
        zones.sort();
    }
    zones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 6, 2), 20_606);
        for z in [-800_000, -1, 0, 59, 11_016, 20_606, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn ics_is_a_valid_calendar() {
        let start = naive_ms((2026, 6, 2), (7, 30));
        let entry = CalendarEntry {
            uid: "opening@ECC2026.plenum".into(),
            title: "Opening; welcome, all".into(),
            start_ms: start,
            end_ms: start + 45 * 60_000,
            location: Some("Hall A".into()),
            url: "https://x.eu/e/ECC2026/s/opening".into(),
            description: Some(format!("{}\nsecond line", "long ".repeat(30))),
        };
        let cal = ics("ECC 2026", &[entry], start);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(cal.contains("DTSTART:20260602T073000Z\r\n"));
        assert!(cal.contains("DTEND:20260602T081500Z\r\n"));
        assert!(cal.contains("SUMMARY:Opening\\; welcome\\, all\r\n"));
        for l in cal.split("\r\n") {
            assert!(l.len() <= 75, "line longer than 75 octets: {l:?}");
        }
        assert!(cal.contains("\\nsecond line"));
        assert!(cal.contains("\r\n "), "a long line is folded");
    }

    #[test]
    fn times_parse() {
        assert_eq!(parse_hm("09:05"), Some((9, 5)));
        assert_eq!(parse_hm("24:00"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(ics_utc(0), "19700101T000000Z");
    }
}
