//! The server's routes. Everything that computes (an explanation, a what-if run, a
//! download) runs on a blocking thread from the last good analysis, so that the event
//! streams and the page stay responsive; a request never changes what others see.

use super::Hub;
use super::state::{self, ProblemOut};
use crate::analysis::{self, Analysis};
use crate::diff;
use crate::explain;
use crate::report::{self, Format};
use crate::whatif::Override;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

pub(super) fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/laporan", get(laporan))
        .route("/api/events", get(events))
        .route("/api/explain", get(explain_figure))
        .route("/api/whatif", post(whatif))
        .route("/download/laporan.csv", get(download_csv))
        .route("/download/laporan.xlsx", get(download_xlsx))
        .fallback(not_found)
        .with_state(hub)
}

/// An error as the page reads it: `{"error": "…"}` with more where there is more.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    #[derive(Serialize)]
    struct Out {
        error: String,
    }
    (
        status,
        axum::Json(Out {
            error: message.into(),
        }),
    )
        .into_response()
}

fn json_bytes(body: Bytes) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn page(State(hub): State<Arc<Hub>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        hub.page.clone(),
    )
        .into_response()
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such page: the report is at /, its data at /api/laporan",
    )
}

async fn laporan(State(hub): State<Arc<Hub>>) -> Response {
    json_bytes(hub.current().json.clone())
}

/// `laporan` events, each `{"sesi", "versi"}`: the first at once, then one per run. The
/// page fetches the state when its version is not the one it shows.
async fn events(
    State(hub): State<Arc<Hub>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = hub.latest.subscribe();
    let sesi = hub.sesi.clone();
    let stream = futures_util::stream::unfold(
        (receiver, sesi, true),
        |(mut receiver, sesi, first)| async move {
            // The channel closes only when the server stops; a client that went away ends
            // the stream from the other side (the server drops it).
            if !first && receiver.changed().await.is_err() {
                return None;
            }
            let published = receiver.borrow_and_update().clone();
            if published.closing {
                return None;
            }
            let mut event = Event::default().event("laporan").data(format!(
                r#"{{"sesi":"{sesi}","versi":{}}}"#,
                published.versi
            ));
            if first {
                // How soon a page reconnects when the server went away.
                event = event.retry(Duration::from_millis(1000));
            }
            Some((Ok(event), (receiver, sesi, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The last good analysis.
fn good(hub: &Hub) -> Option<Arc<Analysis>> {
    hub.current().good.clone()
}

/// What a request that needs the last good analysis gets before there is one.
fn no_report() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "no report yet: the workspace has not been evaluated without errors",
    )
}

/// Runs `work` on a blocking thread; a panic in it is a 500, not a dead server.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(work).await.map_err(|_| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the computation stopped unexpectedly",
        )
    })
}

#[derive(Deserialize)]
struct ExplainQuery {
    id: Option<String>,
}

async fn explain_figure(State(hub): State<Arc<Hub>>, Query(q): Query<ExplainQuery>) -> Response {
    let Some(id) = q.id.filter(|id| !id.trim().is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "which figure? /api/explain?id=IKP4.2 (an indikator or sasaran id, nilai_kinerja, total, or a budget row)",
        );
    };
    let Some(a) = good(&hub) else {
        return no_report();
    };
    let result = blocking(move || {
        #[derive(Serialize)]
        struct Out {
            id: String,
            teks: String,
            pohon: serde_json::Value,
        }
        match explain::explain(&a.workspace, &a.rules, &a.hasil, &id) {
            Some(step) => axum::Json(Out {
                teks: report::explain::text(&step),
                pohon: serde_json::from_str(&report::explain::json(&step))
                    .unwrap_or(serde_json::Value::Null),
                id,
            })
            .into_response(),
            None => {
                // The hint `kinerja explain` gives.
                let hint = explain::unknown_id_hint(&a.workspace, &a.hasil, &id);
                error(
                    StatusCode::NOT_FOUND,
                    format!("no figure has the id `{id}`; {hint}"),
                )
            }
        }
    })
    .await;
    result.unwrap_or_else(|r| r)
}

#[derive(Deserialize)]
struct WhatIfRequest {
    /// `ID.FIELD=VALUE`, as `--set` takes them.
    set: Vec<String>,
}

#[derive(Serialize)]
struct WhatIfOut<'a> {
    /// The workspace with the changes, as the page reads it.
    #[serde(flatten)]
    state: state::PageState<'a>,
    /// The same run on the command line.
    perintah: String,
    /// Where each changed value is written, and the line with the new value.
    yaml: String,
}

/// The report with the page's changes, `--set` semantics: nothing is written.
async fn whatif(State(hub): State<Arc<Hub>>, body: Bytes) -> Response {
    let request: WhatIfRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"set\": [\"IKP4.2.target=75\", …]}}: {e}"),
            );
        }
    };
    let mut overrides: Vec<Override> = Vec::new();
    for text in request
        .set
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        match text.parse() {
            Ok(o) => overrides.push(o),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("{e}")),
        }
    }
    if overrides.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "no change given: one ID.FIELD=VALUE per line",
        );
    }
    let Some(base) = good(&hub) else {
        return no_report();
    };
    let Ok(_turn) = hub.whatif_runs.acquire().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    let hub2 = Arc::clone(&hub);
    let result = blocking(move || {
        let hub = hub2;
        let mut options = hub.run.clone();
        // The session's own overrides first (`serve --set`), then the page's.
        options.overrides.extend(overrides.iter().cloned());
        let a = match analysis::analyze(&hub.root, &options) {
            Ok(a) => a,
            Err(e) => return error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        };
        if !a.is_complete() {
            #[derive(Serialize)]
            struct Out {
                error: String,
                masalah: Vec<ProblemOut>,
            }
            let (masalah, total) = state::errors(&a);
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(Out {
                    error: format!(
                        "with these changes the workspace has {total} error{}",
                        if total == 1 { "" } else { "s" }
                    ),
                    masalah,
                }),
            )
                .into_response();
        }
        let p = hub.presentation(&a);
        let moved = diff::figure_changes((&base.workspace, &base.hasil), (&a.workspace, &a.hasil));
        let (peringatan, peringatan_total) = state::warnings(&a);
        let out = WhatIfOut {
            state: state::PageState {
                sesi: &hub.sesi,
                versi: 0,
                status: "whatif",
                elapsed_ms: None,
                trigger: &[],
                laporan: Some(crate::report::web::view(&a.workspace, &a.hasil, &p)),
                perubahan: state::changes(&moved, p.locale),
                masalah: Vec::new(),
                masalah_total: 0,
                galat: None,
                peringatan,
                peringatan_total,
                tes: None,
            },
            // The whole run: the session's own `--set`s too.
            perintah: command_line(&options.overrides),
            yaml: where_to_write(&a, &overrides),
        };
        json_bytes(Bytes::from(report::json::line(&out)))
    })
    .await;
    result.unwrap_or_else(|r| r)
}

/// `kinerja eval --set … --set …`, each argument quoted where a shell would need it.
fn command_line(overrides: &[Override]) -> String {
    let mut out = String::from("kinerja eval");
    for o in overrides {
        let arg = o.arg.trim();
        let plain = arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._=-:/".contains(c));
        if plain {
            out.push_str(&format!(" --set {arg}"));
        } else {
            out.push_str(&format!(" --set '{}'", arg.replace('\'', r"'\''")));
        }
    }
    out
}

/// For each change: the file and line the value is written at, and that line with the new
/// value in place of the old (`a` is the what-if run, which knows what it replaced).
fn where_to_write(a: &Analysis, overrides: &[Override]) -> String {
    let mut out = String::new();
    // The session's own overrides come first in the run.
    let skip = a.overridden.len().saturating_sub(overrides.len());
    for (o, replaced) in overrides.iter().zip(a.overridden.iter().skip(skip)) {
        match replaced {
            Some(span) => {
                let span = *span;
                let sources = a.sources();
                let file = sources.get(span.file);
                let text = &file.text;
                let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| span.end + i);
                let value = &o.arg[o.value_at.clone()];
                out.push_str(&format!(
                    "# {}\n{}{}{}\n",
                    sources.location(span),
                    &text[line_start..span.start],
                    value,
                    &text[span.end..line_end]
                ));
            }
            None => out.push_str(&format!(
                "# {}: not written in any file yet; add it where {} is defined\n",
                o.text,
                o.text
                    .rsplit_once('.')
                    .map_or(o.text.as_str(), |(id, _)| id)
            )),
        }
    }
    out
}

async fn download_csv(State(hub): State<Arc<Hub>>) -> Response {
    let Some(a) = good(&hub) else {
        return no_report();
    };
    let hub2 = Arc::clone(&hub);
    let text = blocking(move || {
        let p = hub2.presentation(&a);
        report::render(&a.workspace, &a.hasil, Format::Csv, &p)
    })
    .await;
    match text {
        Ok(text) => attachment("text/csv; charset=utf-8", "laporan.csv", Bytes::from(text)),
        Err(r) => r,
    }
}

/// The workbook `eval --format xlsx` writes.
async fn download_xlsx(State(hub): State<Arc<Hub>>) -> Response {
    let Some(a) = good(&hub) else {
        return no_report();
    };
    let hub2 = Arc::clone(&hub);
    let bytes = blocking(move || {
        let p = hub2.presentation(&a);
        report::xlsx::workbook(&a.workspace, &a.hasil, &p)
    })
    .await;
    match bytes {
        Ok(Ok(bytes)) => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "laporan.xlsx",
            Bytes::from(bytes),
        ),
        Ok(Err(e)) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot write the Excel workbook: {e}"),
        ),
        Err(r) => r,
    }
}

fn attachment(content_type: &'static str, name: &str, body: Bytes) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_quotes_what_a_shell_would_split() {
        let overrides: Vec<Override> = [
            "IKP4.2.target=75",
            "Penyelenggaraan Bantuan Program Sembako.pagu=5",
            "x's.pagu=1",
        ]
        .iter()
        .map(|t| t.parse().expect("an override"))
        .collect();
        assert_eq!(
            command_line(&overrides),
            r"kinerja eval --set IKP4.2.target=75 --set 'Penyelenggaraan Bantuan Program Sembako.pagu=5' --set 'x'\''s.pagu=1'"
        );
    }
}
