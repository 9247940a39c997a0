//! The `kinerja serve` page in a real headless browser: a real server process on a copy of
//! the example (or a generated workspace), and Chromium driven over the DevTools protocol
//! (tests/support/browser.rs). Every wait is bounded; without a browser each test is
//! skipped, said loudly, unless `KINERJA_REQUIRE_BROWSER` is set.
//!
//! The DOM read here is the one src/report/web/app.js builds: `#nilai-kinerja`, figure
//! cells `td[data-k="ID|ukuran"]` (a `span.nilai`, or a `span.chg` with `del` → `ins.nilai`
//! after a change), rows `tr[data-id]`, `#masalah`, `#status`, the what-if form and banner,
//! the explain panel `#jelaskan`, the filters and pagers.
//!
//! Two tests are `#[ignore]`d to be run by hand: `screenshots_for_the_readme` (writes
//! docs/serve*.png) and `measure_save_to_dom` (prints save → page updated and first paint
//! figures; run it with `--release`).

#[path = "support/browser.rs"]
mod browser;
mod common;
#[path = "support/serve.rs"]
mod support;

use browser::{Browser, js_string};
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::Server;

/// How long the page may take to show what a test waits for.
const WAIT: Duration = Duration::from_secs(10);

/// `kinerja serve DIR ARGS…` (exactly those arguments): a fixed port (a restart on the
/// same port) or the default debounce (the measurement).
fn serve(dir: &Path, args: &[&str]) -> Server {
    Server::start_exactly(dir, args)
}

/// A browser on the page of a server on a fresh copy of the example; `None` when the
/// browser test is skipped (the harness has said so).
fn example_page() -> Option<(Browser, tempfile::TempDir, Server)> {
    let mut b = Browser::launch()?;
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    open_example(&mut b, &server);
    Some((b, dir, server))
}

/// Waits for the JavaScript condition `js`, or fails the test saying what was awaited (the
/// harness adds the page's text and a screenshot).
fn wait(b: &mut Browser, js: &str, what: &str) -> Duration {
    b.wait_for(js, WAIT)
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// JavaScript: the `textContent` of the first element matching `selector`, or `null`.
fn text_of(selector: &str) -> String {
    format!(
        "((document.querySelector({0}) || {{}}).textContent ?? null)",
        js_string(selector)
    )
}

/// JavaScript: the `textContent` of `selector` is exactly `want`.
fn text_is(selector: &str, want: &str) -> String {
    format!("{} === {}", text_of(selector), js_string(want))
}

/// The selector of a figure's cell.
fn cell(id: &str, ukuran: &str) -> String {
    format!("td[data-k=\"{id}|{ukuran}\"]")
}

const NILAI: &str = "#nilai-kinerja .nilai";
const ROWS: &str = "#tabel-indikator tbody tr:not(.komponen)";

/// The `data-id` of every row that matches `selector`, in order.
fn row_ids(b: &mut Browser, selector: &str) -> Vec<String> {
    let v = b.eval(&format!(
        "Array.from(document.querySelectorAll({})).map(r => r.dataset.id)",
        js_string(selector)
    ));
    serde_json::from_value(v).expect("a list of ids")
}

/// Opens the server's page and waits for the example's nilai kinerja.
fn open_example(b: &mut Browser, server: &Server) {
    b.goto(&server.url);
    wait(b, &text_is(NILAI, "103,58"), "the nilai kinerja 103,58");
}

/// Presses a key on the page (a real key event through the DevTools protocol).
fn press(b: &mut Browser, key: &str, code: u32) {
    for kind in ["keyDown", "keyUp"] {
        b.command(
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}),
        );
    }
}

/// Sets a `<select>`'s value as a person choosing an option would (a `change` event).
fn choose(b: &mut Browser, selector: &str, value: &str) {
    b.eval(&format!(
        "(() => {{ const s = document.querySelector({}); s.value = {}; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()",
        js_string(selector),
        js_string(value)
    ));
}

/// Empties a text field (the page is told, as after a person deleted its text).
fn clear(b: &mut Browser, selector: &str) {
    b.eval(&format!(
        "(() => {{ const e = document.querySelector({}); e.value = ''; \
         e.dispatchEvent(new Event('input', {{bubbles: true}})); }})()",
        js_string(selector)
    ));
}

/// A generated workspace (`kinerja gen ARGS… DIR`) in a new temporary directory.
fn generate(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("ws");
    let mut all = vec!["gen"];
    all.extend_from_slice(args);
    all.push(target.to_str().expect("a UTF-8 path"));
    let out = kinerja(dir.path(), &all);
    assert!(out.status.success(), "kinerja gen: {}", stderr(&out));
    dir
}

#[test]
fn the_page_shows_the_report() {
    let Some((mut b, dir, _server)) = example_page() else {
        return;
    };

    assert_eq!(b.eval("document.documentElement.dataset.mode"), "live");
    wait(
        &mut b,
        "document.getElementById('status').textContent.includes('langsung')",
        "the status says the page is live",
    );
    assert_eq!(b.text("#jumlah-tercapai"), "8");
    assert_eq!(b.text("#jumlah-belum"), "6");
    // 14 indikator, each with its komponen rows beneath (IKP4.2 has two).
    let ids = row_ids(&mut b, ROWS);
    assert_eq!(ids.len(), 14, "{ids:?}");
    assert_eq!(ids.first().map(String::as_str), Some("IKP1.1"));
    assert_eq!(ids.last().map(String::as_str), Some("IKP7.1"));
    let komponen = row_ids(&mut b, "#tabel-indikator tbody tr.komponen");
    assert!(
        komponen.contains(&"IKP4.2-IKK2.2".to_string()),
        "{komponen:?}"
    );
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "capaian"))), json!("70,90"));
    assert_eq!(b.eval(&text_of(&cell("SP4", "capaian"))), json!("86,80"));
    assert_eq!(row_ids(&mut b, "#tabel-sasaran tbody tr").len(), 7);

    // The budget tables and the realisation history, as a uPlot chart and a table.
    for table in ["#tabel-kegiatan", "#tabel-jenis-belanja", "#tabel-riwayat"] {
        let rows = b.eval(&format!(
            "document.querySelectorAll('{table} tbody tr').length"
        ));
        assert!(rows.as_u64().unwrap_or(0) > 0, "{table}: {rows}");
    }
    assert_eq!(
        b.eval("document.querySelectorAll('#grafik .uplot canvas').length"),
        json!(1),
        "the riwayat chart is drawn"
    );
    assert!(
        b.eval("document.querySelector('#grafik canvas').width")
            .as_u64()
            .unwrap_or(0)
            > 0
    );
    // The CSV download, fetched as the link would.
    let csv = b.eval(
        "fetch(document.getElementById('unduh-csv').href)\
           .then(r => r.text().then(t => [r.status, r.headers.get('content-type'), t]))",
    );
    assert_eq!(csv[0], 200);
    assert_eq!(csv[1], "text/csv; charset=utf-8");
    let eval = kinerja(
        dir.path(),
        &["eval", "--format", "csv", "--locale", "id", "."],
    );
    assert_eq!(
        csv[2],
        stdout(&eval).as_str(),
        "the same as eval --format csv"
    );
    // The audit's findings (all recorded as known, so folded).
    assert!(
        b.eval("document.querySelectorAll('#bagian-temuan details.diag:not([open])').length")
            .as_u64()
            .unwrap_or(0)
            > 0
    );
    assert_eq!(b.eval("document.getElementById('masalah').hidden"), true);
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn the_page_in_english() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    let server = Server::start(dir.path(), &["--locale", "en"]);
    b.goto(&server.url);
    wait(
        &mut b,
        &text_is(NILAI, "103.58"),
        "the nilai kinerja 103.58",
    );
    assert_eq!(b.eval("document.documentElement.lang"), "en");
    wait(
        &mut b,
        "document.getElementById('status').textContent.startsWith('live')",
        "live",
    );
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "capaian"))), "70.90");
    assert!(b.text("#ringkasan").contains("Indikator off target"));
    assert_eq!(b.text("#whatif-jalankan"), "Compute");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn a_save_updates_the_page_in_place() {
    let Some((mut b, dir, _server)) = example_page() else {
        return;
    };
    b.eval("window.__marker = 1");
    let versi = b.eval("document.body.dataset.versi");
    assert_eq!(versi, "1");
    // A planner filtering the table while saving: the filter and its focus stay.
    b.type_text("#saring", "IKP4");
    wait(
        &mut b,
        &format!("document.querySelectorAll('{ROWS}').length === 3"),
        "the filter",
    );

    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "pk: 82 ",
        "pk: 75 ",
    );
    wait(
        &mut b,
        &text_is(&cell("IKP4.2", "capaian"), "70,90 → 77,52"),
        "IKP4.2's capaian marked as changed",
    );
    wait(
        &mut b,
        &text_is(&cell("SP4", "capaian"), "86,80 → 89,01"),
        "SP4's capaian marked as changed",
    );
    assert_eq!(b.eval("window.__marker"), 1, "the page was not reloaded");
    assert_eq!(b.eval("document.body.dataset.versi"), "2");
    // The changed figures: old struck out, new in an <ins>; the target too.
    assert_eq!(
        b.eval(&text_of(&format!(
            "{} ins.nilai",
            cell("IKP4.2", "capaian")
        ))),
        "77,52"
    );
    assert_eq!(
        b.eval(&text_of(&format!("{} del", cell("IKP4.2", "capaian")))),
        "70,90"
    );
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "target"))), "82,00 → 75,00");
    assert_eq!(
        b.eval(&text_of("#nilai-kinerja")),
        "103,58 → 103,90",
        "the headline moves too"
    );
    // The list of what changed, and the file that triggered the run.
    assert_eq!(b.eval("document.getElementById('perubahan').hidden"), false);
    let list = b.text("#perubahan");
    assert!(list.contains("IKP4.2 capaian"), "{list}");
    let status = b.text("#status");
    assert!(
        status.contains("putaran 2") && status.contains("indicators/sp4.yaml"),
        "{status}"
    );
    // An unchanged figure stays plain.
    assert_eq!(b.eval(&text_of(&cell("IKP4.1", "capaian"))), "98,01");
    assert_eq!(row_ids(&mut b, ROWS), ["IKP4.1", "IKP4.2", "IKP4.3"]);
    assert_eq!(b.eval("document.activeElement.id"), "saring");
    assert_eq!(b.eval("document.getElementById('saring').value"), "IKP4");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn a_broken_save_shows_its_error_and_keeps_the_figures() {
    let Some((mut b, dir, _server)) = example_page() else {
        return;
    };
    b.eval("window.__marker = 1");
    let sp4 = dir.path().join("indicators/sp4.yaml");

    edit(&sp4, "pk: 82 ", "pk: [82 ");
    wait(
        &mut b,
        "(() => { const m = document.getElementById('masalah'); \
         return !m.hidden && m.offsetHeight > 0 && !!m.querySelector('.diag .tempat'); })()",
        "the error is shown",
    );
    let place = b.text("#masalah .diag .tempat");
    let (file, rest) = place.split_once(':').expect("file:line:col");
    assert_eq!(file, "indicators/sp4.yaml", "{place}");
    let numbers: Vec<&str> = rest.split(':').collect();
    assert!(
        numbers.len() == 2
            && numbers
                .iter()
                .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
        "a line and a column: {place}"
    );
    let snippet = b.text("#masalah .diag pre");
    assert!(
        snippet.contains(&format!("--> {place}")) && snippet.contains(" | "),
        "the source snippet, at that place: {snippet}"
    );
    // The last good figures stay, unchanged.
    assert_eq!(b.eval(&text_of(NILAI)), "103,58");
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "capaian"))), "70,90");
    assert_eq!(b.eval("document.body.dataset.status"), "error");

    edit(&sp4, "pk: [82 ", "pk: 82 ");
    wait(
        &mut b,
        "document.getElementById('masalah').hidden && document.body.dataset.status !== 'error'",
        "the error goes away once the file is fixed",
    );
    assert_eq!(b.eval(&text_of(NILAI)), "103,58");
    assert_eq!(b.eval("document.getElementById('masalah').textContent"), "");
    assert_eq!(b.eval("window.__marker"), 1, "the page was not reloaded");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn whatif_in_the_page() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    let sp4 = dir.path().join("indicators/sp4.yaml");
    let before = std::fs::read(&sp4).expect("read");
    let server = Server::start(dir.path(), &[]);
    open_example(&mut b, &server);

    b.type_text("#whatif-set", "IKP4.2.target=75");
    b.click("#whatif-jalankan");
    wait(
        &mut b,
        "!document.getElementById('whatif-banner').hidden && !!document.getElementById('whatif-perintah')",
        "the what-if banner",
    );
    assert!(
        b.text("#whatif-perintah")
            .ends_with(" --set IKP4.2.target=75"),
        "{}",
        b.text("#whatif-perintah")
    );
    let yaml = b.text("#whatif-yaml");
    assert!(
        yaml.lines().any(|l| l.trim_start().starts_with("pk: 75")),
        "the line to write: {yaml}"
    );
    assert!(yaml.contains("indicators/sp4.yaml:"), "{yaml}");
    assert_eq!(
        b.eval(&text_of(&cell("IKP4.2", "capaian"))),
        "70,90 → 77,52"
    );
    assert_eq!(b.eval(&text_of(&cell("SP4", "capaian"))), "86,80 → 89,01");
    assert_eq!(b.eval("document.body.dataset.whatif"), "1");
    assert_eq!(
        std::fs::read(&sp4).expect("read"),
        before,
        "no file written"
    );
    assert_eq!(server.state()["versi"], 1, "and no run of the live report");

    b.click("#whatif-kembali");
    wait(
        &mut b,
        "document.body.dataset.whatif === '0' && document.getElementById('whatif-banner').hidden",
        "back to the live report",
    );
    assert_eq!(b.eval(&text_of(NILAI)), "103,58");
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "capaian"))), "70,90");

    // A mistake: said under the form, and the report stays.
    clear(&mut b, "#whatif-set");
    b.type_text("#whatif-set", "IKP4.2.target=75,5");
    b.click("#whatif-jalankan");
    wait(
        &mut b,
        &format!(
            "{}.includes('not a plain number; write 75.5')",
            text_of("#whatif-galat")
        ),
        "the what-if's error",
    );
    assert_eq!(b.eval("document.body.dataset.whatif"), "0");
    assert_eq!(b.eval(&text_of(NILAI)), "103,58");
    assert_eq!(std::fs::read(&sp4).expect("read"), before);
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn clicking_a_figure_explains_it() {
    let Some((mut b, _dir, _server)) = example_page() else {
        return;
    };
    assert_eq!(b.eval("document.getElementById('jelaskan').hidden"), true);

    b.click(&cell("SP4", "capaian"));
    wait(
        &mut b,
        &format!(
            "!document.getElementById('jelaskan').hidden && {}.includes('rules/rollup.rhai')",
            text_of("#jelaskan-isi")
        ),
        "the explanation of SP4's capaian",
    );
    assert!(b.text("#jelaskan-judul").ends_with("SP4"));
    let tree = b.text("#jelaskan-isi");
    assert!(tree.starts_with("SP4 capaian"), "{tree}");
    // A sasaran's capaian has no input of its own to try another value for.
    assert_eq!(
        b.eval("document.getElementById('jelaskan-whatif')"),
        Value::Null
    );
    press(&mut b, "Escape", 27);
    wait(
        &mut b,
        "document.getElementById('jelaskan').hidden",
        "Escape closes the panel",
    );

    // The headline explains itself too; the × button closes the panel.
    b.click("#nilai-kinerja");
    wait(
        &mut b,
        &format!(
            "!document.getElementById('jelaskan').hidden && {0} !== null && {0} !== 'memuat…'",
            text_of("#jelaskan-isi")
        ),
        "the explanation of the nilai kinerja",
    );
    b.click("#jelaskan-tutup");
    wait(
        &mut b,
        "document.getElementById('jelaskan').hidden",
        "× closes the panel",
    );

    // An indikator's figure: its explanation, and a what-if line to start from it.
    b.click(&cell("IKP4.2", "capaian"));
    wait(
        &mut b,
        &format!(
            "!document.getElementById('jelaskan').hidden && {}.startsWith('IKP4.2 capaian')",
            text_of("#jelaskan-isi")
        ),
        "the explanation of IKP4.2's capaian",
    );
    assert_eq!(
        b.text("#jelaskan-whatif"),
        "Coba nilai lain: IKP4.2.target=…"
    );
    b.click("#jelaskan-whatif");
    wait(
        &mut b,
        "document.getElementById('jelaskan').hidden",
        "the panel closes",
    );
    assert_eq!(
        b.eval("document.getElementById('whatif-set').value"),
        "IKP4.2.target="
    );
    assert_eq!(b.eval("document.activeElement.id"), "whatif-set");
    b.type_text("#whatif-set", "75");
    b.click("#whatif-jalankan");
    wait(
        &mut b,
        &text_is(&cell("IKP4.2", "capaian"), "70,90 → 77,52"),
        "the what-if started from the explanation",
    );
    assert!(
        b.text("#whatif-perintah")
            .ends_with(" --set IKP4.2.target=75"),
        "{}",
        b.text("#whatif-perintah")
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn every_figure_on_the_page_can_be_explained() {
    let Some((mut b, _dir, _server)) = example_page() else {
        return;
    };
    // Every id a click can ask about, asked as the page asks.
    let answers = b.eval(
        "Promise.all(Array.from(new Set(Array.from(document.querySelectorAll('[data-explain]'))\
           .map(e => e.dataset.explain)))\
           .map(id => fetch('/api/explain?id=' + encodeURIComponent(id))\
             .then(r => r.json().then(j => [id, r.status, j.error || null]))))",
    );
    let answers = answers.as_array().expect("a list");
    assert!(answers.len() > 40, "{answers:?}");
    let failed: Vec<&Value> = answers.iter().filter(|a| a[1] != 200).collect();
    assert!(
        failed.is_empty(),
        "figures without an explanation: {failed:?}"
    );
    // And through a click: the history's first figure.
    b.click("#tabel-riwayat tbody td.fig");
    wait(
        &mut b,
        &format!(
            "!document.getElementById('jelaskan').hidden && {0} !== 'memuat…'",
            text_of("#jelaskan-isi")
        ),
        "the explanation of a history figure",
    );
    let text = b.text("#jelaskan-isi");
    assert!(!text.contains("no figure has the id"), "{text}");
}

#[test]
fn filters_and_pages() {
    let Some((mut b, _dir, server)) = example_page() else {
        return;
    };
    let laporan = server.state()["laporan"].clone();
    let indikator = laporan["indikator"].as_array().expect("indikator").clone();

    // By id.
    b.type_text("#saring", "IKP4");
    wait(
        &mut b,
        &format!("document.querySelectorAll('{ROWS}').length === 3"),
        "only IKP4.x",
    );
    assert_eq!(row_ids(&mut b, ROWS), ["IKP4.1", "IKP4.2", "IKP4.3"]);
    let all = row_ids(&mut b, "#tabel-indikator tbody tr");
    assert!(all.iter().all(|id| id.starts_with("IKP4.")), "{all:?}");

    // By status: only those off target.
    clear(&mut b, "#saring");
    choose(&mut b, "#saring-status", "belum");
    let off: Vec<String> = indikator
        .iter()
        .filter(|i| i["tercapai"] == false)
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(off.len(), 6);
    wait(
        &mut b,
        &format!(
            "document.querySelectorAll('{ROWS}').length === {}",
            off.len()
        ),
        "only the indikator off target",
    );
    assert_eq!(row_ids(&mut b, ROWS), off);
    assert_eq!(
        b.eval(&format!(
            "document.querySelectorAll('{ROWS} .tanda.off').length"
        )),
        json!(off.len())
    );
    // By sasaran, with the status still chosen.
    choose(&mut b, "#saring-sasaran", "SP4");
    wait(
        &mut b,
        &format!("document.querySelectorAll('{ROWS}').length === 3"),
        "SP4's indikator off target",
    );
    // Nothing matches: said so.
    b.type_text("#saring", "tidak ada yang seperti ini");
    wait(
        &mut b,
        &text_is("#halaman-info", "Tidak ada baris yang cocok"),
        "no rows",
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());
    drop(server);

    // More than a page: 200 indikator, 100 sasaran (2 per sasaran).
    let generated = generate(&[
        "--indicators",
        "200",
        "--files",
        "4",
        "--institutions",
        "2",
        "--indicators-per-sasaran",
        "2",
        "--budget-lines",
        "2000",
    ]);
    let server = Server::start(&generated.path().join("ws"), &[]);
    let state = server.state_at_least(1);
    let ids: Vec<String> = state["laporan"]["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids.len(), 200);
    b.goto(&server.url);
    wait(
        &mut b,
        &text_is("#halaman-info", "baris 1–50 dari 200"),
        "the first page",
    );
    assert_eq!(row_ids(&mut b, ROWS), ids[..50]);
    assert_eq!(
        b.eval("document.getElementById('halaman-sebelum').disabled"),
        true
    );
    b.click("#halaman-berikut");
    wait(
        &mut b,
        &text_is("#halaman-info", "baris 51–100 dari 200"),
        "the second page",
    );
    assert_eq!(row_ids(&mut b, ROWS), ids[50..100]);
    b.click("#halaman-berikut");
    b.click("#halaman-berikut");
    wait(
        &mut b,
        &text_is("#halaman-info", "baris 151–200 dari 200"),
        "the last page",
    );
    assert_eq!(row_ids(&mut b, ROWS), ids[150..]);
    assert_eq!(
        b.eval("document.getElementById('halaman-berikut').disabled"),
        true
    );
    b.click("#halaman-sebelum");
    wait(
        &mut b,
        &text_is("#halaman-info", "baris 101–150 dari 200"),
        "back a page",
    );
    // A filter starts again at its first page: IKP1, IKP10–19 and IKP100–199.
    b.type_text("#saring", "IKP1");
    let expected: Vec<&String> = ids
        .iter()
        .filter(|id| id.to_lowercase().contains("ikp1"))
        .collect();
    assert_eq!(expected.len(), 111);
    wait(
        &mut b,
        &text_is("#halaman-info", "baris 1–50 dari 111"),
        "the filtered first page",
    );
    assert_eq!(
        row_ids(&mut b, ROWS),
        expected[..50]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
    );
    // The sasaran table has its own pager.
    wait(
        &mut b,
        &text_is("#sasaran-info", "baris 1–50 dari 100"),
        "the sasaran pager",
    );
    b.click("#sasaran-berikut");
    wait(
        &mut b,
        &text_is("#sasaran-info", "baris 51–100 dari 100"),
        "the second page of sasaran",
    );
    assert_eq!(row_ids(&mut b, "#tabel-sasaran tbody tr").len(), 50);
    // The indikator filter and page were left alone.
    assert_eq!(b.eval(&text_of("#halaman-info")), "baris 1–50 dari 111");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn the_page_reconnects_to_a_restarted_server() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    let first = serve(dir.path(), &["--port", "0", "--debounce", "10"]);
    let port = first.addr.port().to_string();
    open_example(&mut b, &first);
    wait(
        &mut b,
        "document.getElementById('status').textContent.startsWith('langsung')",
        "live",
    );
    b.eval("window.__marker = 1");

    drop(first); // Killed, and waited for.
    wait(
        &mut b,
        "!!document.querySelector('#status .putus')",
        "the page says it lost the server",
    );
    // Saved while no server ran: the new server's first report differs.
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "pk: 82 ",
        "pk: 75 ",
    );
    let second = serve(dir.path(), &["--port", &port, "--debounce", "10"]);
    assert_eq!(second.addr.port().to_string(), port);
    second.state_at_least(1);
    wait(
        &mut b,
        &format!(
            "{} && document.getElementById('status').textContent.startsWith('langsung') \
             && !document.querySelector('#status .putus')",
            text_is(NILAI, "103,90")
        ),
        "the new server's report, live again",
    );
    assert_eq!(b.eval("window.__marker"), 1, "the page was not reloaded");
    assert_eq!(b.eval("document.body.dataset.versi"), "1");
    assert_eq!(b.eval(&text_of(&cell("IKP4.2", "capaian"))), "77,52");
    // And it follows the new server's saves.
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "pk: 75 ",
        "pk: 82 ",
    );
    wait(
        &mut b,
        &text_is(&cell("IKP4.2", "capaian"), "77,52 → 70,90"),
        "a save after the restart",
    );
    // EventSource logs nothing for a lost connection; fetches that failed would.
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn a_workspace_with_errors_at_start_shows_them_then_the_report() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    let sp4 = dir.path().join("indicators/sp4.yaml");
    edit(&sp4, "sasaran: SP4", "sasaran: SP44");
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    b.goto(&server.url);
    wait(
        &mut b,
        "!document.getElementById('masalah').hidden && document.body.dataset.versi === '1'",
        "the errors of the first run",
    );
    assert_eq!(
        b.text("#masalah .diag .tempat"),
        "indicators/sp4.yaml:11:14"
    );
    assert!(b.text("#masalah").contains("no sasaran `SP44`"));
    assert_eq!(
        b.eval("document.getElementById('nilai-kinerja')"),
        Value::Null
    );
    b.eval("window.__marker = 1");

    edit(&sp4, "sasaran: SP44", "sasaran: SP4");
    wait(
        &mut b,
        &format!(
            "{} && document.getElementById('masalah').hidden",
            text_is(NILAI, "103,58")
        ),
        "the report, once the file is fixed",
    );
    assert_eq!(row_ids(&mut b, ROWS).len(), 14);
    assert_eq!(b.eval("window.__marker"), 1, "the page was not reloaded");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn errors_at_start_do_not_promise_a_report() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "sasaran: SP4",
        "sasaran: SP44",
    );
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    b.goto(&server.url);
    wait(
        &mut b,
        "!document.getElementById('masalah').hidden && document.body.dataset.versi === '1'",
        "the errors of the first run",
    );
    let heading = b.text("#masalah h2");
    assert!(
        !heading.contains("hasil terakhir yang baik"),
        "no last good report to show: {heading}"
    );
    let summary = b.text("#ringkasan");
    assert_ne!(summary, "memuat…", "nothing is loading");
}

#[test]
fn every_download_link_is_served() {
    let Some((mut b, _dir, _server)) = example_page() else {
        return;
    };
    let links = b.eval(
        "Promise.all(Array.from(document.querySelectorAll('a[download]'))\
           .map(a => fetch(a.href).then(r => [a.id, r.status, r.headers.get('content-type')])))",
    );
    let links = links.as_array().expect("a list");
    assert!(links.len() >= 2, "{links:?}");
    let failed: Vec<&Value> = links.iter().filter(|l| l[1] != 200).collect();
    assert!(failed.is_empty(), "download links that fail: {failed:?}");
}

#[test]
fn the_static_page_needs_no_server() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let out = kinerja(
        &example(),
        &["eval", "--format", "html", "--locale", "id", "."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("laporan.html");
    std::fs::write(&file, &out.stdout).expect("write the page");

    b.command("Network.enable", json!({}));
    b.goto(&format!("file://{}", file.display()));
    wait(&mut b, &text_is(NILAI, "103,58"), "the nilai kinerja");
    assert_eq!(b.eval("document.documentElement.dataset.mode"), "static");
    assert_eq!(b.text("#status").lines().next(), Some("halaman statis"));
    assert_eq!(row_ids(&mut b, ROWS).len(), 14);
    assert_eq!(
        b.eval("document.querySelectorAll('#grafik .uplot canvas').length"),
        json!(1)
    );
    // Filters work without a server; what-if says it needs one.
    b.type_text("#saring", "IKP4");
    wait(
        &mut b,
        &format!("document.querySelectorAll('{ROWS}').length === 3"),
        "the filter",
    );
    assert!(
        b.text("#bagian-whatif").contains("kinerja serve"),
        "{}",
        b.text("#bagian-whatif")
    );
    assert_eq!(b.eval("document.getElementById('unduh-csv')"), Value::Null);
    // A click on a figure does nothing (no server to ask).
    b.click(&cell("SP4", "capaian"));
    assert_eq!(b.eval("document.getElementById('jelaskan').hidden"), true);

    // Nothing fetched: no resource besides the page, and no request but the file itself.
    assert_eq!(
        b.eval("performance.getEntriesByType('resource').map(e => e.name)"),
        json!([])
    );
    let mut requests = Vec::new();
    while let Ok(e) = b.wait_event("Network.requestWillBeSent", Duration::from_millis(200)) {
        requests.push(e["request"]["url"].as_str().unwrap_or_default().to_string());
    }
    let page = format!("file://{}", file.display());
    assert!(
        requests
            .iter()
            .all(|u| *u == page || u.starts_with("data:")),
        "{requests:?}"
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

/// The repository's `docs/` folder, where the README's pictures live.
fn docs(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name)
}

#[test]
#[ignore = "writes docs/serve*.png for the README; run by hand"]
fn screenshots_for_the_readme() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    b.set_viewport(1280, 800);
    open_example(&mut b, &server);
    let sp4 = dir.path().join("indicators/sp4.yaml");

    // After a save: the changes marked.
    edit(&sp4, "pk: 82 ", "pk: 75 ");
    wait(
        &mut b,
        &text_is(&cell("SP4", "capaian"), "86,80 → 89,01"),
        "the save shown",
    );
    // The chart is drawn after the table; let a frame pass.
    b.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    b.screenshot_png(docs("serve.png"), false);

    // A broken save: the error on top, the figures kept.
    edit(&sp4, "pk: 75 ", "pk: [75 ");
    wait(
        &mut b,
        "!!document.querySelector('#masalah .diag')",
        "the error shown",
    );
    b.eval("window.scrollTo(0, 0)");
    b.screenshot_png(docs("serve-error.png"), false);
    edit(&sp4, "pk: [75 ", "pk: 82 ");
    wait(&mut b, "document.getElementById('masalah').hidden", "fixed");

    // A what-if: the banner with the command and the YAML, the report recomputed.
    b.type_text("#whatif-set", "IKP4.2.target=75\nIKP4.1.masukan.n=340");
    b.click("#whatif-jalankan");
    wait(
        &mut b,
        "document.body.dataset.whatif === '1'",
        "the what-if shown",
    );
    b.eval("window.scrollTo(0, 0)");
    b.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
    b.screenshot_png(docs("serve-whatif.png"), false);
    for name in ["serve.png", "serve-error.png", "serve-whatif.png"] {
        let png = std::fs::read(docs(name)).expect("written");
        // The PNG header's width: 1280.
        assert_eq!(&png[16..20], [0, 0, 5, 0], "{name} is 1280 px wide");
        println!("{}: {} bytes", docs(name).display(), png.len());
    }
}

// ----- measurement -----

/// Where an indikator's target is written, to edit: the file and its `target: {pk: N,`
/// text within that indikator's block of a generated file.
struct TargetLine {
    file: PathBuf,
    id: String,
    pk: u32,
}

/// An indikator of a generated workspace whose capaian moves when its target moves (on
/// `maksimal` polarity, below 100 % and off target), found in its file.
fn editable_indikator(root: &Path, laporan: &Value) -> TargetLine {
    let candidates: std::collections::HashMap<&str, f64> = laporan["indikator"]
        .as_array()
        .expect("indikator")
        .iter()
        .filter(|i| i["tercapai"] == false)
        .filter_map(|i| Some((i["id"].as_str()?, i["capaian"]["v"].as_f64()?)))
        .filter(|(_, c)| (50.0..95.0).contains(c))
        .collect();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.join("indicators")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for block in text.split("\n  - id: ").skip(1) {
            let id = block.lines().next().unwrap_or_default().trim();
            if !candidates.contains_key(id) || !block.contains("polaritas: maksimal") {
                continue;
            }
            let Some(at) = block.find("target: {pk: ") else {
                continue;
            };
            let rest = &block[at + "target: {pk: ".len()..];
            let Some(pk) = rest.split(',').next().and_then(|n| n.trim().parse().ok()) else {
                continue;
            };
            if pk > 20 {
                return TargetLine {
                    file,
                    id: id.to_string(),
                    pk,
                };
            }
        }
    }
    panic!(
        "no indikator with a target to edit under {}",
        root.display()
    );
}

impl TargetLine {
    /// Rewrites the file with this indikator's target `from` → `to` (in its own block only).
    fn write(&self, from: u32, to: u32) {
        let text = std::fs::read_to_string(&self.file).expect("read");
        let head = format!("\n  - id: {}\n", self.id);
        let at = text.find(&head).expect("the indikator's block");
        let old = format!("target: {{pk: {from}, ");
        let new = format!("target: {{pk: {to}, ");
        let within = text[at..].find(&old).expect("its target") + at;
        let mut out = String::with_capacity(text.len() + 4);
        out.push_str(&text[..within]);
        out.push_str(&new);
        out.push_str(&text[within + old.len()..]);
        std::fs::write(&self.file, out).expect("write");
    }
}

fn median_max(samples: &[f64]) -> (f64, f64) {
    let mut s = samples.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let n = s.len();
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    (median, s[n - 1])
}

/// One save's timings, in milliseconds from just before the write (the page's clock).
struct SaveTiming {
    /// The changed cell shows its new value in the DOM.
    dom: f64,
    /// The animation frame after that.
    frame: f64,
    /// The page starts fetching `/api/laporan` (it was told by the event stream): the
    /// file watcher, the debounce, the run, the page's state as JSON and the event.
    fetch_start: f64,
    /// The last byte of `/api/laporan` has arrived.
    fetch_end: f64,
    /// The server's run (`elapsed_ms` of the state).
    run: f64,
}

/// `saves` saves of `target`'s PK target, alternating between it and 5 less, each timed
/// until its capaian cell changes (the row made visible by filtering on its id).
fn measure_target_saves(
    b: &mut Browser,
    server: &Server,
    target: &TargetLine,
    saves: usize,
) -> Vec<SaveTiming> {
    b.type_text("#saring", &target.id);
    let key = cell(&target.id, "capaian");
    b.wait_for(
        &format!("!!document.querySelector({})", js_string(&key)),
        Duration::from_secs(30),
    )
    .unwrap_or_else(|e| panic!("{}'s row is shown: {e}", target.id));
    let (a, z) = (target.pk, target.pk - 5);
    measure_saves(
        b,
        server,
        &key,
        |n| {
            if n % 2 == 0 {
                target.write(a, z)
            } else {
                target.write(z, a)
            }
        },
        saves,
    )
}

/// Saves `saves` times, alternating a target between two values, and returns the timings
/// of each save.
///
/// The clock: just before each write, a `Runtime.evaluate` stamps `t0 = performance.now()`
/// in the page and installs a MutationObserver on the document; the write follows as soon
/// as that call returns. The observer stamps `t1` in the first mutation callback in which
/// the figure's cell shows a new value (its text differs from before the save and holds an
/// `ins.nilai`). Both stamps are the page's `performance.now()`, so no clocks are compared;
/// the DevTools round trip before the write (well under a millisecond) is counted in.
fn measure_saves(
    b: &mut Browser,
    server: &Server,
    key: &str,
    mut save: impl FnMut(usize),
    saves: usize,
) -> Vec<SaveTiming> {
    let mut out = Vec::new();
    for n in 0..saves {
        let versi = server.state()["versi"].as_u64().unwrap_or(0);
        b.eval(&format!(
            r#"(() => {{
  const sel = {sel};
  const before = (document.querySelector(sel) || {{}}).textContent;
  performance.clearResourceTimings();
  const m = window.__m = {{ t0: performance.now(), t1: null, t2: null }};
  const obs = new MutationObserver(() => {{
    const c = document.querySelector(sel);
    if (c && c.textContent !== before && c.querySelector('ins.nilai')) {{
      m.t1 = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => {{ m.t2 = performance.now(); }});
    }}
  }});
  obs.observe(document.body, {{ childList: true, subtree: true, characterData: true }});
}})()"#,
            sel = js_string(key)
        ));
        save(n);
        b.wait_for("window.__m.t2 !== null", Duration::from_secs(120))
            .unwrap_or_else(|e| panic!("save {n}: the page did not update: {e}"));
        let m = b.eval(
            "({...window.__m, api: performance.getEntriesByName(location.origin + '/api/laporan')\
               .map(e => [e.startTime, e.responseEnd]).pop() || null})",
        );
        let t0 = m["t0"].as_f64().expect("t0");
        let at = |v: &Value| v.as_f64().map_or(f64::NAN, |t| t - t0);
        let state = server.state_at_least(versi + 1);
        out.push(SaveTiming {
            dom: at(&m["t1"]),
            frame: at(&m["t2"]),
            fetch_start: at(&m["api"][0]),
            fetch_end: at(&m["api"][1]),
            run: state["elapsed_ms"].as_f64().unwrap_or(f64::NAN),
        });
        // Well past the debounce, so that each save is a run of its own.
        std::thread::sleep(Duration::from_millis(150));
    }
    out
}

fn report_saves(label: &str, samples: &[SaveTiming]) -> String {
    let stat = |f: fn(&SaveTiming) -> f64| -> (f64, f64) {
        median_max(&samples.iter().map(f).collect::<Vec<_>>())
    };
    let (dm, dx) = stat(|s| s.dom);
    let (fm, fx) = stat(|s| s.frame);
    let (sm, sx) = stat(|s| s.fetch_start);
    let (tm, tx) = stat(|s| s.fetch_end - s.fetch_start);
    let (pm, px) = stat(|s| s.dom - s.fetch_end);
    let (rm, rx) = stat(|s| s.run);
    let each: Vec<String> = samples.iter().map(|s| format!("{:.0}", s.dom)).collect();
    format!(
        "{label}: {} saves\n  save → DOM changed: median {dm:.1} ms, max {dx:.1} ms (each: {})\n  \
         save → the next animation frame: median {fm:.1} ms, max {fx:.1} ms\n  of which: \
         save → the page starts fetching /api/laporan (watcher, debounce, run, state JSON, \
         event) median {sm:.1} ms, max {sx:.1} ms; the fetch median {tm:.1} ms, max {tx:.1} ms; \
         JSON.parse and drawing median {pm:.1} ms, max {px:.1} ms\n  the server's run \
         (elapsed_ms): median {rm:.1} ms, max {rx:.1} ms",
        samples.len(),
        each.join(", ")
    )
}

/// Waits (up to `limit`) for the server's first run, for large workspaces.
fn ready(server: &Server, limit: Duration) -> Value {
    let started = Instant::now();
    loop {
        let r = server.get("/api/laporan");
        if r.status == 200 {
            let s = r.json();
            if s["versi"].as_u64().unwrap_or(0) >= 1 {
                return s;
            }
        }
        assert!(started.elapsed() < limit, "no first run within {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "a measurement: run with --release -- --ignored measure_save_to_dom --nocapture"]
fn measure_save_to_dom() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut lines = vec![format!(
        "kinerja serve ({profile} binary), default debounce (25 ms), headless Chromium"
    )];

    // The example: IKP4.2's target 82 ↔ 75.
    {
        let dir = copy_example();
        let server = serve(dir.path(), &["--port", "0"]);
        ready(&server, Duration::from_secs(30));
        open_example(&mut b, &server);
        let sp4 = dir.path().join("indicators/sp4.yaml");
        let samples = measure_saves(
            &mut b,
            &server,
            &cell("IKP4.2", "capaian"),
            |n| {
                let (from, to) = if n % 2 == 0 {
                    ("pk: 82 ", "pk: 75 ")
                } else {
                    ("pk: 75 ", "pk: 82 ")
                };
                edit(&sp4, from, to);
            },
            10,
        );
        lines.push(report_saves("example (14 indikator)", &samples));
    }

    // 10k indikator: one indikator's target, its row shown by typing its id in the filter.
    {
        let generated = generate(&[
            "--indicators",
            "10000",
            "--files",
            "100",
            "--institutions",
            "10",
        ]);
        let root = generated.path().join("ws");
        let server = serve(&root, &["--port", "0"]);
        let state = ready(&server, Duration::from_secs(300));
        let target = editable_indikator(&root, &state["laporan"]);
        b.goto(&server.url);
        wait(
            &mut b,
            "!!document.getElementById('saring')",
            "the 10k page",
        );
        let samples = measure_target_saves(&mut b, &server, &target, 10);
        let json = server.get("/api/laporan").bytes.len();
        lines.push(report_saves(
            &format!(
                "10k indikator ({}, {} in {}; /api/laporan {:.1} MB)",
                target.id,
                target.pk,
                target
                    .file
                    .strip_prefix(&root)
                    .unwrap_or(&target.file)
                    .display(),
                json as f64 / 1e6
            ),
            &samples,
        ));
    }

    // 100k indikator (`kinerja gen` defaults): first paint, and the page's heap.
    {
        let generated = generate(&[]);
        let root = generated.path().join("ws");
        let server = serve(&root, &["--port", "0"]);
        let state = ready(&server, Duration::from_secs(600));
        let count = state["laporan"]["indikator"].as_array().map_or(0, Vec::len);
        // The clock starts at navigation (performance.now() is 0 there); an observer,
        // installed before any of the page's scripts, stamps the first indikator row in
        // the DOM, and the animation frame after it.
        b.command(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": r#"
window.__fp = null; window.__fpFrame = null;
new MutationObserver(function (m, o) {
  if (document.querySelector('#tabel-indikator tbody tr')) {
    window.__fp = performance.now(); o.disconnect();
    requestAnimationFrame(function () { window.__fpFrame = performance.now(); });
  }
}).observe(document, { childList: true, subtree: true });
"#}),
        );
        b.goto(&server.url);
        b.wait_for("window.__fpFrame !== null", Duration::from_secs(120))
            .expect("the first indikator row");
        let fp = b.eval(
            "({row: window.__fp, frame: window.__fpFrame, \
               nav: performance.getEntriesByType('navigation')[0].toJSON(), \
               api: (performance.getEntriesByName(location.origin + '/api/laporan')[0] || {toJSON(){return null}}).toJSON()})",
        );
        let heap = b.command("Runtime.getHeapUsage", json!({}));
        b.command("HeapProfiler.collectGarbage", json!({}));
        let heap_gc = b.command("Runtime.getHeapUsage", json!({}));
        let mb = |v: &Value| v.as_f64().unwrap_or(f64::NAN) / 1048576.0;
        let api = &fp["api"];
        lines.push(format!(
            "100k indikator ({count} in the report): first indikator row in the DOM {:.0} ms \
             after navigation start, next frame {:.0} ms (page DOMContentLoaded {:.0} ms; \
             /api/laporan: fetched {:.0}–{:.0} ms, {:.1} MB decoded); JS heap {:.1} MB used \
             of {:.1} MB ({:.1} MB after a GC)",
            fp["row"].as_f64().unwrap_or(f64::NAN),
            fp["frame"].as_f64().unwrap_or(f64::NAN),
            fp["nav"]["domContentLoadedEventEnd"]
                .as_f64()
                .unwrap_or(f64::NAN),
            api["startTime"].as_f64().unwrap_or(f64::NAN),
            api["responseEnd"].as_f64().unwrap_or(f64::NAN),
            api["decodedBodySize"].as_f64().unwrap_or(f64::NAN) / 1e6,
            mb(&heap["usedSize"]),
            mb(&heap["totalSize"]),
            mb(&heap_gc["usedSize"]),
        ));

        // For information: saves at 100k, as at 10k.
        let target = editable_indikator(&root, &state["laporan"]);
        let samples = measure_target_saves(&mut b, &server, &target, 5);
        lines.push(report_saves("100k indikator", &samples));
    }
    for l in &lines {
        println!("{l}");
    }
}
