//! The server's routes. Everything that computes (an explanation, a what-if run, a
//! download) runs on a blocking thread, so that the event streams and the page stay
//! responsive; a request never changes what others see. Explanations and downloads start
//! from the last good analysis; a what-if runs the workspace's files as they are now, with
//! the changes. Whole runs and downloads take turns (one at a time), a run is cancelled when
//! its client goes away, and a download is built once per run, whoever asks.
//!
//! The server is for this computer: unless it was bound to another address on purpose, a
//! request must name a local host (a web page elsewhere cannot read the report through a
//! name that resolves here), and a what-if must be JSON from the page's own origin.

use super::Hub;
use super::state::{self, ProblemOut};
use crate::analysis::{self, Analysis, Fresh};
use crate::base::cancel::Cancel;
use crate::diff;
use crate::explain;
use crate::report::{self, Format};
use crate::whatif::Override;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
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
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&hub),
            guard,
        ))
        .with_state(hub)
}

/// Refuses a request for another host name (DNS rebinding: a page elsewhere whose name
/// resolves to this computer) unless the server was bound beyond this computer on purpose,
/// and a what-if that is not JSON or comes from another origin (a form on another page).
async fn guard(State(hub): State<Arc<Hub>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if hub.local_only && !is_local_host(host) {
        return error(
            StatusCode::FORBIDDEN,
            format!(
                "this server answers only to 127.0.0.1, localhost and [::1], not `{host}` (start it with --addr to serve other addresses)"
            ),
        );
    }
    if request.method() == Method::POST {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|c| c.starts_with("application/json"));
        if !json {
            return error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the changes as JSON (Content-Type: application/json)",
            );
        }
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        if let Some(origin) = origin
            && origin.split_once("://").map(|(_, rest)| rest) != Some(host)
        {
            return error(
                StatusCode::FORBIDDEN,
                format!("a what-if comes from the report's own page, not from {origin}"),
            );
        }
    }
    next.run(request).await
}

/// Whether `host` (a Host header: a name or address, and a port) names this computer.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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

/// Cancels a run when the request that asked for it goes away (the handler's future is
/// dropped with it); the run stops at its next rule.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// A whole run of the workspace's files with the session's `--set`s and then `overrides`,
/// in its turn among the heavy requests.
async fn run_with(hub: &Arc<Hub>, overrides: &[Override]) -> Result<Analysis, Response> {
    let turn = Arc::clone(&hub.heavy)
        .acquire_owned()
        .await
        .map_err(|_| error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping"))?;
    let guard = CancelOnDrop(Cancel::new());
    let cancel = guard.0.clone();
    let mut options = hub.run.clone();
    options.overrides.extend(overrides.iter().cloned());
    let root = hub.root.clone();
    let result = blocking(move || {
        // Held until the run ends, even when its client is gone.
        let _turn = turn;
        analysis::analyze_with(&root, &options, &Fresh, &cancel)
    })
    .await?;
    drop(guard);
    match result {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(error(StatusCode::SERVICE_UNAVAILABLE, "cancelled")),
        Err(e) => Err(error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
    }
}

/// The `ID.FIELD=VALUE` lines of a request, parsed; or why one is not one.
fn parse_overrides<'a>(lines: impl Iterator<Item = &'a str>) -> Result<Vec<Override>, String> {
    lines
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|text| {
            text.parse()
                .map_err(|e: crate::whatif::OverrideError| e.to_string())
        })
        .collect()
}

/// The response to a what-if whose workspace has errors: what they are.
fn with_errors(a: &Analysis) -> Response {
    #[derive(Serialize)]
    struct Out {
        error: String,
        masalah: Vec<ProblemOut>,
    }
    let (masalah, total) = state::errors(a);
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(Out {
            error: format!(
                "with these changes the workspace's files have {total} error{}",
                if total == 1 { "" } else { "s" }
            ),
            masalah,
        }),
    )
        .into_response()
}

/// Ids longer than this name no figure (the longest a planner writes is a kegiatan's
/// name); refused before any "did you mean" compares them with every id.
const LONGEST_ID: usize = 500;

#[derive(Deserialize)]
struct ExplainQuery {
    id: Option<String>,
    /// A what-if's changes, one `ID.FIELD=VALUE` per line: the figure as the what-if
    /// computed it.
    set: Option<String>,
}

async fn explain_figure(
    State(hub): State<Arc<Hub>>,
    query: Result<Query<ExplainQuery>, QueryRejection>,
) -> Response {
    let q = match query {
        Ok(Query(q)) => q,
        Err(e) => return error(e.status(), e.body_text()),
    };
    let Some(id) = q.id.filter(|id| !id.trim().is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "which figure? /api/explain?id=IKP4.2 (an indikator or sasaran id, nilai_kinerja, total, or a budget row)",
        );
    };
    if id.len() > LONGEST_ID {
        return error(
            StatusCode::BAD_REQUEST,
            format!("no figure has an id of {} bytes", id.len()),
        );
    }
    let overrides = match parse_overrides(q.set.as_deref().unwrap_or("").lines()) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let a = if overrides.is_empty() {
        match good(&hub) {
            Some(a) => a,
            None => return no_report(),
        }
    } else {
        match run_with(&hub, &overrides).await {
            Ok(a) if a.is_complete() => Arc::new(a),
            Ok(a) => return with_errors(&a),
            Err(r) => return r,
        }
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
async fn whatif(State(hub): State<Arc<Hub>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return error(e.status(), e.body_text()),
    };
    let request: WhatIfRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"set\": [\"IKP4.2.target=75\", …]}}: {e}"),
            );
        }
    };
    let overrides = match parse_overrides(request.set.iter().map(String::as_str)) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    if overrides.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "no change given: one ID.FIELD=VALUE per line",
        );
    }
    let Some(base) = good(&hub) else {
        return no_report();
    };
    let a = match run_with(&hub, &overrides).await {
        Ok(a) if a.is_complete() => a,
        Ok(a) => return with_errors(&a),
        Err(r) => return r,
    };
    let hub2 = Arc::clone(&hub);
    let result = blocking(move || {
        let hub = hub2;
        let p = hub.presentation(&a);
        let moved = diff::figure_changes((&base.workspace, &base.hasil), (&a.workspace, &a.hasil));
        let (peringatan, peringatan_total) = state::warnings(&a);
        let mut all = hub.run.overrides.clone();
        all.extend(overrides.iter().cloned());
        let out = WhatIfOut {
            state: state::PageState {
                laporan: Some(crate::report::web::view(&a.workspace, &a.hasil, &p)),
                perubahan: state::changes(&moved, p.locale),
                peringatan,
                peringatan_total,
                ..state::PageState::empty(&hub.sesi, 0, "whatif")
            },
            // The whole run: the workspace and the session's own `--set`s too.
            perintah: command_line(&hub.root, &all),
            yaml: where_to_write(&a, &all, overrides.len()),
        };
        json_bytes(Bytes::from(report::json::line(&out)))
    })
    .await;
    result.unwrap_or_else(|r| r)
}

/// `kinerja eval [DIR] --set … --set …`, each argument quoted where a shell would need it.
fn command_line(root: &std::path::Path, overrides: &[Override]) -> String {
    let quoted = |arg: &str| {
        let plain = !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._=-:/".contains(c));
        if plain {
            arg.to_string()
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    };
    let mut out = String::from("kinerja eval");
    let dir = root.to_string_lossy();
    if dir != "." {
        out.push(' ');
        out.push_str(&quoted(&dir));
    }
    for o in overrides {
        out.push_str(" --set ");
        out.push_str(&quoted(o.arg.trim()));
    }
    out
}

/// For each of the last `page` overrides of what-if run `a` (the page's, after the
/// session's own): the file and line its value is written at, and that line with the new
/// value in place of the old. A field set twice (by the session and the page, or twice on
/// the page) replaced a command line the second time: the file's place is the one the
/// first replaced.
fn where_to_write(a: &Analysis, all: &[Override], page: usize) -> String {
    let sources = a.sources();
    let overrides = &a.overridden;
    let mut in_file: std::collections::HashMap<&str, crate::base::source::Span> =
        std::collections::HashMap::new();
    let mut out = String::new();
    let first_page = all.len().saturating_sub(page);
    for (n, (o, replaced)) in all.iter().zip(overrides.iter()).enumerate() {
        let place = match replaced {
            Some(span) if !sources.path(span.file).starts_with(crate::whatif::SOURCE) => {
                in_file.entry(o.text.as_str()).or_insert(*span);
                Some(*span)
            }
            _ => in_file.get(o.text.as_str()).copied(),
        };
        if n < first_page {
            continue;
        }
        let value = &o.arg[o.value_at.clone()];
        match place {
            Some(span) => {
                let text = &sources.get(span.file).text;
                let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[span.end..]
                    .find('\n')
                    .map_or(text.len(), |i| span.end + i);
                out.push_str(&format!(
                    "# {}\n{}{}{}\n",
                    sources.location(span),
                    &text[line_start..span.start],
                    value,
                    &text[span.end..line_end]
                ));
            }
            None => {
                let (id, field) = o.text.rsplit_once('.').unwrap_or((o.text.as_str(), ""));
                out.push_str(&format!(
                    "# {}: no value of its own in the files (a computed figure, or one not written yet): write `{field}: {value}` under {id}\n",
                    o.text
                ));
            }
        }
    }
    out
}

/// What a download is built from, and where it is kept: the run's own slot, so that it is
/// built once per run whoever asks, one download at a time.
async fn download(
    hub: &Arc<Hub>,
    slot: impl FnOnce(&super::Published) -> &std::sync::OnceLock<Result<Bytes, String>> + Send + 'static,
    build: impl FnOnce(&Analysis, &report::Presentation) -> Result<Bytes, String> + Send + 'static,
) -> Result<Bytes, Response> {
    let current = hub.current();
    if current.good.is_none() {
        return Err(no_report());
    }
    let turn = Arc::clone(&hub.heavy)
        .acquire_owned()
        .await
        .map_err(|_| error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping"))?;
    let hub2 = Arc::clone(hub);
    let built = blocking(move || {
        let _turn = turn;
        let Some(a) = current.good.as_deref() else {
            return Err("no report yet".to_string());
        };
        slot(&current)
            .get_or_init(|| build(a, &hub2.presentation(a)))
            .clone()
    })
    .await?;
    built.map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e))
}

async fn download_csv(State(hub): State<Arc<Hub>>) -> Response {
    let built = download(
        &hub,
        |p| &p.csv,
        |a, p| {
            Ok(Bytes::from(report::render(
                &a.workspace,
                &a.hasil,
                Format::Csv,
                p,
            )))
        },
    )
    .await;
    match built {
        Ok(bytes) => attachment("text/csv; charset=utf-8", "laporan.csv", bytes),
        Err(r) => r,
    }
}

/// The workbook `eval --format xlsx` writes.
async fn download_xlsx(State(hub): State<Arc<Hub>>) -> Response {
    let built = download(
        &hub,
        |p| &p.xlsx,
        |a, p| {
            report::xlsx::workbook(&a.workspace, &a.hasil, p)
                .map(Bytes::from)
                .map_err(|e| format!("cannot write the Excel workbook: {e}"))
        },
    )
    .await;
    match built {
        Ok(bytes) => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "laporan.xlsx",
            bytes,
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
            command_line(std::path::Path::new("."), &overrides),
            r"kinerja eval --set IKP4.2.target=75 --set 'Penyelenggaraan Bantuan Program Sembako.pagu=5' --set 'x'\''s.pagu=1'"
        );
        assert_eq!(
            command_line(std::path::Path::new("lkj 2023"), &overrides[..1]),
            "kinerja eval 'lkj 2023' --set IKP4.2.target=75"
        );
    }

    #[test]
    fn local_hosts() {
        for host in [
            "127.0.0.1:7410",
            "localhost:7410",
            "LOCALHOST",
            "[::1]:7410",
            "127.0.0.2:80",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example:7410",
            "10.0.0.1:7410",
            "",
            "[::2]:1",
            "localhost.evil.example",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
