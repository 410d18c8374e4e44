//! The page every client address loads, served so that it is useful before the WebAssembly
//! arrives: on a join address (`/`, `/e/CODE`) it holds a plain HTML join form that posts to
//! `POST /join`, which joins and sends the browser on to the event with its token in the
//! address's fragment (never sent to a server); the client keeps it when it starts. Elsewhere
//! it says "Loading Plenum…" until the client replaces it.
//!
//! Static files carry their build's version in the query (`/client.js?v=…`): those are cached
//! as immutable; everything else is revalidated (`no-cache`).

use super::http::{AppError, join_person};
use crate::App;
use axum::{
    extract::{Form, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Redirect, Response},
};
use plenum_protocol::{ErrorCode, EventCode, JoinRequest, limits};

/// Sets `Cache-Control` where a handler did not: a year and immutable for a versioned file,
/// else revalidate every time; and `Vary: Accept-Encoding` outside the API.
pub async fn cache_control(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    // A file (its name has a dot; no client address has one) with its build's version.
    let file = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    let versioned = file
        && req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|p| p.starts_with("v=")));
    let mut response = next.run(req).await;
    // The same address is sent brotli, gzip or plain: caches keep them apart.
    if !api && !response.headers().contains_key(header::VARY) {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if versioned
            && matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED)
        {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// The two languages the page speaks before the client does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Sv,
}

impl Lang {
    /// Swedish when the browser prefers it to English.
    fn of(headers: &HeaderMap) -> Lang {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let at = |tag: &str| {
            accept
                .split(',')
                .position(|part| part.trim().split(';').next().unwrap_or("").starts_with(tag))
        };
        match (at("sv"), at("en")) {
            (Some(sv), Some(en)) if sv < en => Lang::Sv,
            (Some(_), None) => Lang::Sv,
            _ => Lang::En,
        }
    }

    fn text(self, key: &str) -> &'static str {
        let sv = self == Lang::Sv;
        match key {
            "title" if sv => "Gå med i ett evenemang",
            "title" => "Join an event",
            "lead" if sv => "Skriv koden som visas på skärmen eller i din inbjudan.",
            "lead" => "Type the code shown on the screen or in your invitation.",
            "code" if sv => "Evenemangskod",
            "code" => "Event code",
            "name" if sv => "Ditt namn",
            "name" => "Your name",
            "optional" if sv => "(frivilligt)",
            "optional" => "(optional)",
            "hint" if sv => "Visas med dina frågor. Lämna tomt för att delta anonymt.",
            "hint" => "Shown with your questions. Leave it empty to take part anonymously.",
            "join" if sv => "Gå med",
            "join" => "Join",
            "loading" if sv => "Laddar Plenum…",
            "loading" => "Loading Plenum…",
            "no-event" if sv => "Inget evenemang har den koden.",
            "no-event" => "No event with this code.",
            "code-format" if sv => {
                "Evenemangskoder är 3 till 16 bokstäver eller siffror, till exempel ECC2026."
            }
            "code-format" => "Event codes are 3 to 16 letters or digits, like ECC2026.",
            "refused" if sv => "Det gick inte att gå med:",
            "refused" => "Could not join:",
            _ => "",
        }
    }
}

/// Text for HTML: nothing typed becomes markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The join form, filled with what was typed, and a problem to show.
fn join_form_html(lang: Lang, code: &str, name: &str, problem: Option<&str>) -> String {
    let t = |key| lang.text(key);
    let alert = problem.map_or(String::new(), |p| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(p))
    });
    format!(
        "<div id=\"boot\" class=\"join\">\
<h1>{title}</h1><p class=\"lead\">{lead}</p>\
<form method=\"post\" action=\"/join\">\
<div class=\"field\"><label for=\"code\">{code_label}</label>\
<input id=\"code\" name=\"code\" type=\"text\" required autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"16\" class=\"code-input\" value=\"{code}\"></div>\
<div class=\"field\"><label for=\"name\">{name_label} <span class=\"optional\">{optional}</span></label>\
<input id=\"name\" name=\"name\" type=\"text\" autocomplete=\"name\" maxlength=\"{max_name}\" aria-describedby=\"name-hint\" value=\"{name}\">\
<p id=\"name-hint\" class=\"hint\">{hint}</p></div>{alert}\
<button type=\"submit\" class=\"primary\">{join}</button></form>\
<p class=\"boot\" role=\"status\">{loading}</p></div>",
        title = t("title"),
        lead = t("lead"),
        code_label = t("code"),
        code = escape(code),
        name_label = t("name"),
        optional = t("optional"),
        max_name = limits::MAX_DISPLAY_NAME_CHARS,
        name = escape(name),
        hint = t("hint"),
        join = t("join"),
        loading = t("loading"),
    )
}

/// Which build of the client an address loads, as `boot.js` decides it: the organise build
/// for the organiser's pages, the staff build for the consoles and big screens, the meet build
/// for an event's meetings page, the attendee build elsewhere.
fn build_for(segments: &[&str]) -> &'static str {
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    if matches!(lower.as_slice(), ["organise", ..]) {
        return "organise";
    }
    let staff = matches!(
        lower.as_slice(),
        ["e", _, "s", _, "moderate" | "speak" | "screen"]
            | ["e", _, "screen"]
            | ["e", _, "meetings", "screen"]
    );
    match lower.as_slice() {
        _ if staff => "staff",
        ["e", _, "meetings"] | ["e", _, "exhibition"] | ["e", _, "exhibition", _] => "meet",
        _ => "client",
    }
}

/// Links that start the downloads the client will ask for, while the page is still being
/// read: its build's module and WebAssembly and, on an event's addresses, the event.
fn preloads(html: &str, segments: &[&str]) -> String {
    let Some(at) = html.find("boot.js?v=") else {
        return String::new();
    };
    let version: String = html[at + "boot.js?v=".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let build = build_for(segments);
    let mut links = format!(
        "<link rel=\"modulepreload\" href=\"/{build}.js?v={version}\">\
<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/{build}_bg.wasm?v={version}\">"
    );
    if let ["e", code, ..] = segments
        && let Ok(code) = EventCode::parse(code)
    {
        links.push_str(&format!(
            "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/events/{code}\">"
        ));
    }
    links
}

/// The built index.html with `boot` between its boot markers, in `lang`, with the downloads
/// for the address at `segments` started early.
async fn page(app: &App, lang: Lang, boot: Option<String>, segments: &[&str]) -> Response {
    let Some(dir) = &app.config.web_dir else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(index) = tokio::fs::read_to_string(dir.join("index.html")).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut html = index;
    if lang == Lang::Sv {
        html = html.replacen("<html lang=\"en\">", "<html lang=\"sv\">", 1);
    }
    let body = boot.unwrap_or_else(|| {
        format!(
            "<div id=\"boot\"><p class=\"boot\" role=\"status\">{}</p></div>",
            lang.text("loading")
        )
    });
    if let (Some(start), Some(end)) = (html.find("<!--boot-->"), html.find("<!--/boot-->")) {
        html.replace_range(start..end + "<!--/boot-->".len(), &body);
    }
    let mut links = preloads(&html, segments);
    // The address links and QR codes are made with (checked at start: no quote, no markup).
    if let Some(url) = &app.config.public_url {
        links.push_str(&format!(
            "<meta name=\"plenum-public-url\" content=\"{url}\">"
        ));
    }
    if let Some(head) = html.find("</head>") {
        html.insert_str(head, &links);
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Its language follows Accept-Language.
            (header::VARY, "accept-encoding, accept-language"),
            // It names the build's version: always asked again.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response()
}

/// `GET` of any client address: the page, with the join form on a join address.
pub async fn index(State(app): State<App>, uri: Uri, headers: HeaderMap) -> Response {
    let lang = Lang::of(&headers);
    let invited = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p.starts_with("invite=")));
    let segments: Vec<&str> = uri.path().split('/').filter(|s| !s.is_empty()).collect();
    // A file that is not there (`/favicon.ico`) is not found: no client address has a dot.
    if segments
        .last()
        .is_some_and(|last| last.contains('.') && *last != "index.html")
    {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let join_code = match segments.as_slice() {
        [] | ["index.html"] => Some(String::new()),
        ["e", code] => EventCode::parse(code).ok().map(|c| c.to_string()),
        _ => None,
    };
    let boot = match join_code {
        Some(code) if !invited => Some(join_form_html(lang, &code, "", None)),
        _ => None,
    };
    page(&app, lang, boot, &segments).await
}

/// The cookie whose nonce a fragment's token must match (`client/src/lib.rs`).
const JOIN_COOKIE: &str = "plenum-join";

#[derive(Debug, serde::Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

/// `POST /join` from the plain join form: joins, then sends the browser to the event with its
/// token in the fragment; on a problem, the form again with the problem named.
pub async fn join_form(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<JoinForm>,
) -> Response {
    let lang = Lang::of(&headers);
    // Only this site's own form: another site must not sign a visitor in as someone it chose.
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    // An Origin must be this host or an allowed origin (`--allowed-origin`), as for the
    // WebSocket; "null" (a sandboxed frame, a page sending no referrer) is neither.
    let foreign = site.is_some_and(|site| !matches!(site, "same-origin" | "none"))
        || !super::ws::origin_allowed(&app, &headers);
    if foreign {
        return (StatusCode::FORBIDDEN, "cross-site form\n").into_response();
    }
    let (status, problem) = match EventCode::parse(form.code.trim()) {
        Err(_) => (StatusCode::BAD_REQUEST, lang.text("code-format").to_owned()),
        Ok(code) => {
            let name = Some(form.name.trim().to_owned()).filter(|n| !n.is_empty());
            let req = JoinRequest {
                name,
                ..JoinRequest::default()
            };
            match join_person(&app, code.clone(), req).await {
                Ok(joined) => {
                    // The fragment is taken only with this cookie's nonce: a link with someone
                    // else's token in it (`/e/CODE#token=…`) signs nobody in as them.
                    let nonce = crate::auth::new_id();
                    let mut to = format!("/e/{code}#token={}&nonce={nonce}", joined.token);
                    if let Some(name) = &joined.person.name {
                        to.push_str("&name=");
                        to.push_str(&url_encode(name));
                    }
                    let cookie =
                        format!("{JOIN_COOKIE}={nonce}; Path=/; Max-Age=600; SameSite=Strict");
                    return ([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response();
                }
                Err(AppError(e)) => (
                    StatusCode::from_u16(e.code.http_status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    match e.code {
                        ErrorCode::NotFound => lang.text("no-event").to_owned(),
                        _ => format!("{} {}", lang.text("refused"), e.message),
                    },
                ),
            }
        }
    };
    let html = join_form_html(lang, &form.code, &form.name, Some(&problem));
    let mut response = page(&app, lang, Some(html), &[]).await;
    *response.status_mut() = status;
    response
}

/// Percent-encodes everything but unreserved characters.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
