//! A QR code, drawn as one SVG path (qrcodegen): the big screen's join link, a person's
//! personal link.

use crate::i18n::t;
use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// A QR code drawn as one SVG path: crisp at any size, a few hundred bytes.
#[component]
pub fn Qr(
    text: String,
    /// What it is, for a screen reader: the event's join link when absent.
    #[prop(optional)]
    label: Option<String>,
) -> impl IntoView {
    let Ok(code) = QrCode::encode_text(&text, QrCodeEcc::Medium) else {
        return view! { <span></span> }.into_any();
    };
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    let view_box = format!("0 0 {} {}", size + 8, size + 8);
    view! {
        <svg class="qr" viewBox=view_box role="img" aria-label=move || label.clone().unwrap_or_else(|| t("qr-label")) shape-rendering="crispEdges">
            <rect width="100%" height="100%" fill="#fff"></rect>
            <path d=path fill="#000"></path>
        </svg>
    }
    .into_any()
}
