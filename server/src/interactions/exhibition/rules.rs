//! A booth's words as kept, or why not: every text a person's ([`super::super::text`]), every
//! list within its bound, links `https://` only, a video from a known player only.

use super::super::{Refusal, text};
use plenum_protocol::{BoothDraft, BoothLink, Localised, Offer, limits};

/// An optional text: none when empty.
fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, Refusal> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

fn at_most<T>(field: &str, list: &[T], max: usize) -> Result<(), Refusal> {
    if list.len() > max {
        return Err(Refusal::TooLarge(format!("{field}: at most {max}")));
    }
    Ok(())
}

/// An `https://` address of at most [`limits::MAX_VIDEO_TEMPLATE_CHARS`] characters, parsed
/// as a URL (WHATWG), with a host and no user name or password; kept as parsed.
pub fn https_link(field: &str, value: &str) -> Result<url::Url, Refusal> {
    let value = value.trim();
    let bad = || {
        Refusal::invalid(
            field,
            format!(
                "must be an https:// address of at most {} characters",
                limits::MAX_VIDEO_TEMPLATE_CHARS
            ),
        )
    };
    // Too long, as given or as parsed: `too_large`, like every text over its length.
    let too_long = |v: &str| v.chars().count() > limits::MAX_VIDEO_TEMPLATE_CHARS;
    if too_long(value) {
        return Err(Refusal::too_long(field, limits::MAX_VIDEO_TEMPLATE_CHARS));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let url = url::Url::parse(value).map_err(|_| bad())?;
    if url.scheme() != "https"
        || url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad());
    }
    if too_long(url.as_str()) {
        return Err(Refusal::too_long(field, limits::MAX_VIDEO_TEMPLATE_CHARS));
    }
    Ok(url)
}

/// A video link from YouTube or Vimeo, as its player's embedding address (YouTube's
/// privacy-enhanced one): the only videos a booth embeds.
pub fn video(field: &str, value: &str) -> Result<String, Refusal> {
    let url = https_link(field, value)?;
    let bad = || {
        Refusal::invalid(
            field,
            "must be a YouTube or Vimeo video's address (youtube.com/watch?v=…, youtu.be/…, vimeo.com/…)",
        )
    };
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let youtube_id = |id: &str| {
        (id.len() == 11
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| format!("https://www.youtube-nocookie.com/embed/{id}"))
    };
    let vimeo_id = |id: &str| {
        (!id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("https://player.vimeo.com/video/{id}"))
    };
    let found = match (host, segments.as_slice()) {
        ("youtube.com" | "m.youtube.com", ["watch"]) => url
            .query_pairs()
            .find(|(k, _)| k == "v")
            .and_then(|(_, v)| youtube_id(&v)),
        (
            "youtube.com" | "m.youtube.com" | "youtube-nocookie.com",
            ["embed" | "shorts" | "live", id],
        ) => youtube_id(id),
        ("youtu.be", [id]) => youtube_id(id),
        ("vimeo.com", [id]) => vimeo_id(id),
        ("player.vimeo.com", ["video", id]) => vimeo_id(id),
        _ => None,
    };
    found.ok_or_else(bad)
}

/// A two-letter country code, upper-cased.
fn country(value: Option<&str>) -> Result<Option<String>, Refusal> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Ok(Some(c.to_ascii_uppercase()))
        }
        Some(c) => Err(Refusal::invalid(
            "country",
            format!("must be a two-letter country code like \"SE\", got {c:?}"),
        )),
    }
}

/// `draft` as kept, or the first thing wrong with it.
pub fn normalise(draft: &BoothDraft) -> Result<BoothDraft, Refusal> {
    let organisation = text(
        "organisation",
        &draft.organisation,
        limits::MAX_ORGANISATION_CHARS,
    )?;
    let description = Localised {
        en: optional(
            "description.en",
            draft.description.en.as_deref(),
            limits::MAX_BOOTH_DESCRIPTION_CHARS,
        )?,
        sv: optional(
            "description.sv",
            draft.description.sv.as_deref(),
            limits::MAX_BOOTH_DESCRIPTION_CHARS,
        )?,
    };
    at_most("links", &draft.links, limits::MAX_BOOTH_LINKS)?;
    let links = draft
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Ok(BoothLink {
                label: text(
                    &format!("links[{i}].label"),
                    &l.label,
                    limits::MAX_BOOTH_LINK_LABEL_CHARS,
                )?,
                url: https_link(&format!("links[{i}].url"), &l.url)?.into(),
            })
        })
        .collect::<Result<Vec<_>, Refusal>>()?;
    let video = match draft.video.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(video("video", v)?),
    };
    at_most("offers", &draft.offers, limits::MAX_BOOTH_OFFERS)?;
    let offers = draft
        .offers
        .iter()
        .enumerate()
        .map(|(i, o)| {
            Ok(Offer {
                title: text(
                    &format!("offers[{i}].title"),
                    &o.title,
                    limits::MAX_CARD_TITLE_CHARS,
                )?,
                text: optional(
                    &format!("offers[{i}].text"),
                    o.text.as_deref(),
                    limits::MAX_CARD_TEXT_CHARS,
                )?,
            })
        })
        .collect::<Result<Vec<_>, Refusal>>()?;
    at_most("tags", &draft.tags, limits::MAX_CARD_TAGS)?;
    let mut tags: Vec<String> = Vec::new();
    for (i, t) in draft.tags.iter().enumerate() {
        let field = format!("tags[{i}]");
        let t = text(&field, t, limits::MAX_TAG_CHARS)?;
        if tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            return Err(Refusal::invalid(&field, format!("{t:?} is named twice")));
        }
        tags.push(t);
    }
    Ok(BoothDraft {
        organisation,
        description,
        links,
        video,
        offers,
        tags,
        sector: optional("sector", draft.sector.as_deref(), limits::MAX_TAG_CHARS)?,
        country: country(draft.country.as_deref())?,
        call: match draft.call.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(https_link("call", c)?.into()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_players_embed() {
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        for link in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(video("video", link).unwrap(), yt, "{link}");
        }
        assert_eq!(
            video("video", "https://vimeo.com/76979871").unwrap(),
            "https://player.vimeo.com/video/76979871"
        );
        for bad in [
            "http://youtu.be/dQw4w9WgXcQ",
            "https://evil.example/embed/dQw4w9WgXcQ",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXc\"onload",
            "https://youtu.be/short",
            "https://vimeo.com/abc",
            "javascript:alert(1)",
            "https://user:pw@youtu.be/dQw4w9WgXcQ",
        ] {
            assert!(video("video", bad).is_err(), "{bad}");
        }
    }

    /// A link over its length is `too_large`, as every text is; other faults are `bad_request`.
    #[test]
    fn an_overlong_link_is_too_large_and_a_bad_one_invalid() {
        let max = limits::MAX_VIDEO_TEMPLATE_CHARS;
        let long = format!("https://porto.example/{}", "a".repeat(max));
        // Within the limit as typed, over it once parsed (an é becomes `%C3%A9`).
        let grows = format!("https://porto.example/?q={}", "\u{e9}".repeat(max / 2));
        for link in [&long, &grows] {
            assert!(
                matches!(https_link("url", link), Err(Refusal::TooLong { ref field, max: m }) if field == "url" && m == max),
                "{link}"
            );
        }
        assert!(matches!(
            crate::interactions::video_template("video", Some(&long)),
            Err(Refusal::TooLong { .. })
        ));
        for bad in ["http://porto.example/", "https://porto example/"] {
            assert!(matches!(
                https_link("url", bad),
                Err(Refusal::Invalid { .. })
            ));
            assert!(matches!(
                crate::interactions::video_template("video", Some(bad)),
                Err(Refusal::Invalid { .. })
            ));
        }
    }

    #[test]
    fn a_draft_is_kept_as_people_see_it_or_refused_by_field() {
        let draft = BoothDraft {
            organisation: "  Porto Cluster ".into(),
            description: Localised {
                en: Some("Hydrogen valleys".into()),
                sv: Some("  ".into()),
            },
            links: vec![BoothLink {
                label: "Brochure".into(),
                url: "https://porto.example/brochure.pdf".into(),
            }],
            tags: vec!["hydrogen".into(), "ports".into()],
            country: Some("pt".into()),
            ..BoothDraft::default()
        };
        let kept = normalise(&draft).unwrap();
        assert_eq!(kept.organisation, "Porto Cluster");
        assert_eq!(kept.description.sv, None);
        assert_eq!(kept.country.as_deref(), Some("PT"));
        let refused = |d: BoothDraft| match normalise(&d) {
            Err(Refusal::Invalid { field, .. }) => field.unwrap_or_default(),
            Err(Refusal::TooLarge(m)) => m,
            Err(Refusal::TooLong { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let mut d = draft.clone();
        d.links[0].url = "javascript:alert(1)".into();
        assert_eq!(refused(d), "links[0].url");
        let mut d = draft.clone();
        d.tags.push("Hydrogen".into());
        assert_eq!(refused(d), "tags[2]");
        let mut d = draft.clone();
        d.organisation = "x".repeat(121);
        assert_eq!(refused(d), "organisation");
        let mut d = draft.clone();
        d.offers = vec![
            Offer {
                title: "Demo".into(),
                text: None
            };
            7
        ];
        assert!(refused(d).starts_with("offers"));
        let mut d = draft;
        d.description.en = Some("a\u{202E}b".into());
        assert_eq!(refused(d), "description.en");
    }
}
