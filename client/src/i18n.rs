//! Languages: every word the screens show comes from `locales/{en,sv}.ftl`, Project Fluent
//! files a translator can edit without reading Rust. Numbers, dates and times are formatted by
//! the browser's `Intl` for the chosen language, so they cost nothing in the download.
//!
//! The chosen language is one signal: [`t`] and friends read it, so every text in a reactive
//! closure (`{move || t("join")}`) changes in place when a person switches language.
//! The choice is kept in localStorage, and can be given in the address (`?lang=sv`) for a
//! big screen set up once.

use std::cell::{Cell, RefCell};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;

/// A language Plenum speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Sv,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Sv];

    /// The language tag, for `lang` attributes and the address.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Sv => "sv",
        }
    }

    /// The locale given to `Intl`: British English writes dates day first and uses a 24-hour
    /// clock, as European conference programmes do.
    pub fn intl(self) -> &'static str {
        match self {
            Locale::En => "en-GB",
            Locale::Sv => "sv-SE",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Sv => "Svenska",
        }
    }

    /// The Fluent source of this language's messages.
    pub fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("../locales/en.ftl"),
            Locale::Sv => include_str!("../locales/sv.ftl"),
        }
    }

    /// `en`, `sv`, `sv-SE`, `en-US`… in any case.
    pub fn parse(tag: &str) -> Option<Locale> {
        let lower = tag.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Locale::En),
            "sv" => Some(Locale::Sv),
            _ => None,
        }
    }
}

thread_local! {
    static BUNDLES: RefCell<Vec<(Locale, FluentBundle<FluentResource>)>> = const { RefCell::new(Vec::new()) };
    static CURRENT: Cell<Option<RwSignal<Locale>>> = const { Cell::new(None) };
}

/// Parses a language's messages. Errors are only possible in a broken `.ftl` file, which the
/// tests below refuse; what parsed is still used.
pub fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let resource = match FluentResource::try_new(locale.source().to_owned()) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let langid = locale
        .tag()
        .parse::<unic_langid::LanguageIdentifier>()
        .unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![langid]);
    // Both languages are left to right; isolation marks would only get in the way of copying.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// A message in a language, with its arguments. A missing message shows its key, so a
/// mistake is visible rather than blank.
pub fn format_in(locale: Locale, key: &str, args: Option<&FluentArgs>) -> String {
    BUNDLES.with(|bundles| {
        let mut bundles = bundles.borrow_mut();
        if !bundles.iter().any(|(l, _)| *l == locale) {
            bundles.push((locale, bundle(locale)));
        }
        let (_, bundle) = bundles
            .iter()
            .find(|(l, _)| *l == locale)
            .expect("just added");
        match bundle.get_message(key).and_then(|m| m.value()) {
            Some(pattern) => {
                let mut errors = Vec::new();
                bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned()
            }
            None => key.to_owned(),
        }
    })
}

/// Starts the language signal: the saved choice, the address's `?lang=`, or the browser's.
pub fn start() -> RwSignal<Locale> {
    let from_address = window()
        .location()
        .search()
        .ok()
        .and_then(|q| query_param(&q, "lang"))
        .and_then(|l| Locale::parse(&l));
    let saved = storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|l| Locale::parse(&l));
    let browser = window()
        .navigator()
        .language()
        .and_then(|l| Locale::parse(&l));
    let locale = from_address.or(saved).or(browser).unwrap_or(Locale::En);
    let signal = RwSignal::new(locale);
    CURRENT.with(|c| c.set(Some(signal)));
    mark_document(locale);
    signal
}

const KEY: &str = "plenum.lang";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn mark_document(locale: Locale) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", locale.tag());
    }
}

/// Switches language: every text changes in place, and the choice is kept.
pub fn set_locale(locale: Locale) {
    if let Some(signal) = CURRENT.with(Cell::get) {
        signal.set(locale);
    }
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, locale.tag());
    }
    mark_document(locale);
}

/// The chosen language (tracked).
pub fn locale() -> Locale {
    CURRENT
        .with(Cell::get)
        .map(|s| s.get())
        .unwrap_or(Locale::En)
}

/// A message in the chosen language (tracked).
pub fn t(key: &str) -> String {
    format_in(locale(), key, None)
}

/// An argument of a message.
pub enum Arg {
    /// Text, used as is (names, titles: never markup, as every text node).
    Str(String),
    /// A count: selects the plural form, shown as `$n` formatted for the language.
    Count(u64),
    /// A number shown as formatted for the language.
    Num(f64),
}

/// A message with arguments, in the chosen language (tracked). A `Count` named `count` is also
/// given as `n`, formatted (`1 234`, `1,234`), while `count` selects the plural form.
pub fn ta(key: &str, args: &[(&str, Arg)]) -> String {
    let locale = locale();
    let mut fluent = FluentArgs::new();
    for (name, arg) in args {
        match arg {
            Arg::Str(s) => fluent.set(name.to_string(), FluentValue::from(s.clone())),
            Arg::Count(c) => {
                fluent.set(name.to_string(), FluentValue::from(*c as f64));
                fluent.set(format!("{name}_n"), FluentValue::from(number(*c as f64)));
            }
            Arg::Num(n) => fluent.set(name.to_string(), FluentValue::from(number(*n))),
        }
    }
    format_in(locale, key, Some(&fluent))
}

/// `tc("votes", 3)` = `ta("votes", &[("count", Count(3))])`.
pub fn tc(key: &str, count: u64) -> String {
    ta(key, &[("count", Arg::Count(count))])
}

/// A number as the chosen language writes it: `12 345` in Swedish, `12,345` in English.
pub fn number(n: f64) -> String {
    format_number(n, &js_sys::Object::new())
}

/// A share as a whole percentage: `42%`, `42 %`.
pub fn percent(part: u64, whole: u64) -> String {
    let share = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"style".into(), &"percent".into());
    let _ = js_sys::Reflect::set(
        &options,
        &"maximumFractionDigits".into(),
        &wasm_bindgen::JsValue::from_f64(0.0),
    );
    format_number(share, &options)
}

fn format_number(n: f64, options: &js_sys::Object) -> String {
    let locales = js_sys::Array::of1(&locale().intl().into());
    js_sys::Intl::NumberFormat::new(&locales, options)
        .format()
        .call1(
            &wasm_bindgen::JsValue::NULL,
            &wasm_bindgen::JsValue::from_f64(n),
        )
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// The value of `name` in a query string (`?a=1&lang=sv`), percent-decoded.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| js_sys::decode_uri_component(v).ok())
        .map(String::from)
}

/// Buttons to switch language, each labelled in its own language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let buttons = Locale::ALL
        .into_iter()
        .map(|l| {
            view! {
                <button
                    type="button"
                    class="lang-button"
                    lang=l.tag()
                    data-locale=l.tag()
                    aria-pressed=move || if locale() == l { "true" } else { "false" }
                    on:click=move |_| set_locale(l)
                >
                    {l.native_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=move || t("language")>
            {buttons}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(locale: Locale) -> BTreeSet<String> {
        let resource = FluentResource::try_new(locale.source().to_owned())
            .unwrap_or_else(|(_, e)| panic!("{locale:?}: the .ftl file does not parse: {e:?}"));
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    /// A message defined twice is shown as only one of them: the other use reads wrong.
    #[test]
    fn every_message_is_defined_once() {
        for locale in [Locale::En, Locale::Sv] {
            let resource = FluentResource::try_new(locale.source().to_owned())
                .unwrap_or_else(|(_, e)| panic!("{locale:?}: does not parse: {e:?}"));
            let mut seen = BTreeSet::new();
            for e in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = e {
                    assert!(seen.insert(m.id.name), "{locale:?}: {} twice", m.id.name);
                }
            }
        }
    }

    #[test]
    fn every_language_has_every_message() {
        let en = keys(Locale::En);
        let sv = keys(Locale::Sv);
        let missing_sv: Vec<_> = en.difference(&sv).collect();
        let missing_en: Vec<_> = sv.difference(&en).collect();
        assert!(missing_sv.is_empty(), "not in sv.ftl: {missing_sv:?}");
        assert!(missing_en.is_empty(), "not in en.ftl: {missing_en:?}");
        assert!(en.len() > 100, "only {} messages", en.len());
    }

    /// Every key the code asks for (`t("…")`, `ta("…"`, `tc("…"`) is in the files: a typo
    /// would show the key itself on screen.
    #[test]
    fn every_message_the_code_uses_exists() {
        let en = keys(Locale::En);
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut used = BTreeSet::new();
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    // Code only: not comments, not tests (this one names calls as text).
                    let code: String = source
                        .split("#[cfg(test)]")
                        .next()
                        .unwrap_or("")
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    // `t("key")`, and `ta(\n    "key",` as rustfmt writes long calls.
                    for call in ["t(", "ta(", "tc("] {
                        for (i, _) in code.match_indices(call) {
                            let before = code[..i].chars().last();
                            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                                continue;
                            }
                            let rest = code[i + call.len()..].trim_start();
                            let Some(rest) = rest.strip_prefix('"') else {
                                continue;
                            };
                            let key = &rest[..rest.find('"').unwrap()];
                            used.insert((key.to_owned(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(used.len() > 100, "found only {} uses", used.len());
        let unknown: Vec<_> = used.iter().filter(|(k, _)| !en.contains(k)).collect();
        assert!(
            unknown.is_empty(),
            "messages used but not defined: {unknown:?}"
        );
    }

    #[test]
    fn plurals_follow_each_language() {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(1.0));
        args.set("count_n", FluentValue::from("1"));
        assert_eq!(format_in(Locale::En, "votes", Some(&args)), "1 vote");
        assert_eq!(format_in(Locale::Sv, "votes", Some(&args)), "1 röst");
        args.set("count", FluentValue::from(3.0));
        args.set("count_n", FluentValue::from("3"));
        assert_eq!(format_in(Locale::En, "votes", Some(&args)), "3 votes");
        assert_eq!(format_in(Locale::Sv, "votes", Some(&args)), "3 röster");
    }

    /// Places select their form by number ("1st", "2nd"…): the argument must be a number,
    /// not text, or every place reads "…th".
    #[test]
    fn places_read_as_ordinals() {
        let place = |locale, n: f64| {
            let mut args = FluentArgs::new();
            args.set("place", FluentValue::from(n));
            format_in(locale, "place", Some(&args))
        };
        assert_eq!(place(Locale::En, 1.0), "1st place");
        assert_eq!(place(Locale::En, 2.0), "2nd place");
        assert_eq!(place(Locale::En, 4.0), "4th place");
        assert_eq!(place(Locale::Sv, 1.0), "1:a plats");
        assert_eq!(place(Locale::Sv, 3.0), "3:e plats");
    }

    #[test]
    fn language_tags_parse() {
        assert_eq!(Locale::parse("sv-SE"), Some(Locale::Sv));
        assert_eq!(Locale::parse("EN_us"), Some(Locale::En));
        assert_eq!(Locale::parse("de"), None);
        assert_eq!(
            format_in(Locale::Sv, "no-such-message", None),
            "no-such-message"
        );
    }
}
