//! The status line: the model's download progress, the backend it paints on
//! and how long a painting takes, or why it could not start.

use leptos::prelude::*;

use super::state::{ModelState, page};

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[component]
pub fn Status() -> impl IntoView {
    let page = page();
    let status = move || match page.model.get() {
        ModelState::Loading { total: None, .. } => view! { <span>"Starting the painter…"</span> }.into_any(),
        ModelState::Loading { loaded, total: Some(total) } => view! {
            <label class="progress">
                "Downloading the model… " {megabytes(loaded)} " of " {megabytes(total)}
                <progress max=total.max(1) value=loaded />
            </label>
        }
        .into_any(),
        ModelState::Ready { backend, trained, about, .. } => view! {
            <span>
                "Painting on " <strong class="backend">{backend}</strong>
                {move || page.paint_millis.get().map(|ms| format!(" · last painting took {ms:.0} ms"))}
            </span>
            {trained.then(|| view! {
                <a class="model-card" href="models/MODEL_CARD.md" target="_blank" title=about>
                    "trained model"
                </a>
            })}
            {(!trained).then(|| view! {
                <span class="badge" title="These weights are a seeded initialisation, not trained">
                    "untrained model: its paintings are noise"
                </span>
            })}
        }
        .into_any(),
        ModelState::Failed(message) => view! {
            <span class="error" role="alert">"The painter could not start: " {message}</span>
        }
        .into_any(),
    };
    let state_name = move || match page.model.get() {
        ModelState::Loading { .. } => "loading",
        ModelState::Ready { .. } => "ready",
        ModelState::Failed(_) => "failed",
    };
    view! { <p class="status" data-state=state_name>{status}</p> }
}
