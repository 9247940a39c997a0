//! `kinerja serve`: a real server process on a copy of the example, through its HTTP API:
//! the report, the event stream, explanations, what-if runs, downloads, and faults.

mod common;
#[path = "support/serve.rs"]
mod support;

use common::*;
use std::time::Duration;
use support::{Server, WAIT};

fn change<'a>(state: &'a serde_json::Value, id: &str, ukuran: &str) -> &'a serde_json::Value {
    state["perubahan"]
        .as_array()
        .and_then(|list| list.iter().find(|c| c["id"] == id && c["ukuran"] == ukuran))
        .unwrap_or_else(|| panic!("no change of {id} {ukuran} in {}", state["perubahan"]))
}

#[test]
fn the_page_and_its_report() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    let state = server.state_at_least(1);
    assert_eq!(state["status"], "initial");
    let laporan = &state["laporan"];
    assert_eq!(laporan["judul"], "Laporan Kinerja 2022");
    assert_eq!(laporan["nilai_kinerja"]["t"], "103,58");
    assert_eq!(laporan["nilai_kinerja"]["v"], serde_json::json!(103.58));
    assert_eq!(laporan["indikator"].as_array().map(Vec::len), Some(14));
    let total = &laporan["anggaran"]["total"];
    assert_eq!(total["pagu"]["t"], "Rp28.585.438.802.000");
    assert_eq!(total["persen"]["t"], "99,20");
    assert_eq!(state["tes"]["failed"], 0);
    // The workspace's audit findings (all recorded as known) are listed.
    assert!(
        state["peringatan_total"].as_u64().unwrap_or(0) > 0,
        "{state}"
    );

    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.body.contains("<html lang=\"id\" data-mode=\"live\">"));
    assert!(
        page.body.contains("uPlot"),
        "the chart library is inside the page"
    );
    assert!(!page.body.contains("src=\"http"), "nothing from elsewhere");
}

#[test]
fn english_on_request() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &["--locale", "en"]);
    let state = server.state_at_least(1);
    assert_eq!(state["laporan"]["nilai_kinerja"]["t"], "103.58");
    assert!(server.get("/").body.contains("<html lang=\"en\""));
}

#[test]
fn a_save_is_an_event_and_the_state_says_what_moved() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    let mut events = server.events();
    let first = events.until(1);
    let sesi = first["sesi"].as_str().expect("sesi").to_string();
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "pk: 82 ",
        "pk: 75 ",
    );
    let event = events.until(2);
    assert_eq!(event["sesi"], sesi.as_str());
    let state = server.state_at_least(2);
    assert_eq!(state["status"], "changed");
    assert_eq!(state["trigger"], serde_json::json!(["indicators/sp4.yaml"]));
    let c = change(&state, "IKP4.2", "capaian");
    assert_eq!(
        (c["lama"].as_str(), c["baru"].as_str()),
        (Some("70,90"), Some("77,52"))
    );
    assert_eq!(c["arah"], "naik");
    let s = change(&state, "SP4", "capaian");
    assert_eq!(
        (s["lama"].as_str(), s["baru"].as_str()),
        (Some("86,80"), Some("89,01"))
    );
    assert_eq!(state["laporan"]["nilai_kinerja"]["t"], "103,90");
}

#[test]
fn a_broken_save_keeps_the_last_good_report_with_its_errors() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let sp4 = dir.path().join("indicators/sp4.yaml");
    edit(&sp4, "pk: 82 ", "pk: [82 ");
    let state = server.state_at_least(2);
    assert_eq!(state["status"], "error");
    let problem = &state["masalah"][0];
    assert_eq!(problem["severity"], "error");
    let place = problem["tempat"].as_str().expect("a place");
    assert!(place.starts_with("indicators/sp4.yaml:"), "{place}");
    assert!(
        problem["teks"].as_str().is_some_and(|t| t.contains("-->")),
        "with its source snippet: {problem}"
    );
    // The figures stay.
    assert_eq!(state["laporan"]["nilai_kinerja"]["t"], "103,58");
    // Explanations still come from the last good report.
    assert_eq!(server.get("/api/explain?id=SP4").status, 200);

    edit(&sp4, "pk: [82 ", "pk: 82 ");
    let state = server.state_at_least(3);
    assert_ne!(state["status"], "error", "{state}");
    assert_eq!(state["masalah"], serde_json::json!([]));
}

#[test]
fn a_workspace_with_errors_at_start_is_served_with_them() {
    let dir = copy_example();
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "sasaran: SP4",
        "sasaran: SP44",
    );
    let server = Server::start(dir.path(), &[]);
    let state = server.state_at_least(1);
    assert_eq!(state["status"], "error");
    assert_eq!(state["laporan"], serde_json::Value::Null);
    assert!(state["masalah_total"].as_u64().unwrap_or(0) > 0, "{state}");
    let explain = server.get("/api/explain?id=SP4");
    assert_eq!(explain.status, 503);
    assert!(
        explain.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("no report yet"))
    );
}

#[test]
fn explain_a_figure() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let r = server.get("/api/explain?id=SP4");
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    let text = body["teks"].as_str().expect("text");
    assert!(text.starts_with("SP4 capaian"), "{text}");
    assert!(text.contains("rules/rollup.rhai"), "{text}");
    assert_eq!(
        body["pohon"]["label"],
        "SP4 capaian — Meningkatnya profesionalisme penyelenggara kesejahteraan sosial"
    );

    let budget = server.get("/api/explain?id=57");
    assert_eq!(budget.status, 200, "{}", budget.body);

    let unknown = server.get("/api/explain?id=SP44");
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.json()["error"],
        "no figure has the id `SP44`; did you mean `SP4`?"
    );
    assert_eq!(server.get("/api/explain").status, 400);
    assert_eq!(server.get("/api/explain?id=%20").status, 400);
}

#[test]
fn whatif_computes_without_writing_a_file() {
    let dir = copy_example();
    let sp4 = dir.path().join("indicators/sp4.yaml");
    let before = std::fs::read(&sp4).expect("read");
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let r = server.post(
        "/api/whatif",
        r#"{"set": ["IKP4.2.target=75", "IKP4.1.masukan.n=340"]}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["status"], "whatif");
    let c = change(&body, "IKP4.2", "capaian");
    assert_eq!(
        (c["lama"].as_str(), c["baru"].as_str()),
        (Some("70,90"), Some("77,52"))
    );
    assert_eq!(
        body["perintah"],
        format!(
            "kinerja eval {} --set IKP4.2.target=75 --set IKP4.1.masukan.n=340",
            dir.path().display()
        )
        .as_str()
    );
    let yaml = body["yaml"].as_str().expect("yaml");
    assert!(
        yaml.contains("# indicators/sp4.yaml:38:11\n      pk: 75 "),
        "{yaml}"
    );
    assert!(yaml.contains("# indicators/sp4.yaml:"), "{yaml}");
    assert!(yaml.contains("n: 340"), "{yaml}");
    assert_eq!(
        std::fs::read(&sp4).expect("read"),
        before,
        "no file is written"
    );
    // The live report is unchanged.
    let state = server.state();
    assert_eq!(state["versi"], 1);
    assert_eq!(state["laporan"]["nilai_kinerja"]["t"], "103,58");
}

#[test]
fn whatif_mistakes_are_clear() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let cases = [
        (
            r#"{"set": ["IKP4.2.target=75,5"]}"#,
            400,
            "not a plain number; write 75.5",
        ),
        (
            r#"{"set": ["IKP4.2.targt=75"]}"#,
            422,
            "did you mean `IKP4.2.target`?",
        ),
        (
            r#"{"set": ["IKP4.2"]}"#,
            400,
            "is not of the form ID.field=value",
        ),
        (r#"{"set": []}"#, 400, "no change given"),
        (r#"{"sett": []}"#, 400, "expected {\"set\""),
        ("not json", 400, "expected {\"set\""),
        // A target of 0: the workspace then has an error, which is shown.
        (r#"{"set": ["IKP4.2.target=0"]}"#, 422, "error"),
    ];
    for (body, status, message) in cases {
        let r = server.post("/api/whatif", body);
        assert_eq!(r.status, status, "{body}: {}", r.body);
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(message), "{body}: {error}");
    }
    let r = server.post("/api/whatif", r#"{"set": ["IKP4.2.target=0"]}"#);
    let problems = r.json()["masalah"].clone();
    assert!(
        problems[0]["teks"]
            .as_str()
            .is_some_and(|t| t.contains("--set IKP4.2.target=0")),
        "the error points at the change: {problems}"
    );
}

#[test]
fn downloads_are_the_eval_formats() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let csv = server.get("/download/laporan.csv");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"laporan.csv\"")
    );
    let eval = kinerja(
        dir.path(),
        &["eval", "--format", "csv", "--locale", "id", "."],
    );
    assert_eq!(csv.body, stdout(&eval));

    let xlsx = server.get("/download/laporan.xlsx");
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.header("content-disposition"),
        Some("attachment; filename=\"laporan.xlsx\"")
    );
    let out = tempfile::tempdir().expect("temp dir");
    let file = out.path().join("laporan.xlsx");
    let eval = kinerja(
        dir.path(),
        &[
            "eval",
            "--format",
            "xlsx",
            "--locale",
            "id",
            "--output",
            file.to_str().expect("utf-8"),
            ".",
        ],
    );
    assert!(eval.status.success(), "{}", stderr(&eval));
    // The same workbook, sheet for sheet and cell for cell.
    use calamine::Reader;
    let served = out.path().join("served.xlsx");
    std::fs::write(&served, &xlsx.bytes).expect("write");
    let mut a: calamine::Xlsx<_> =
        calamine::open_workbook(&served).expect("the download is a workbook");
    let mut b: calamine::Xlsx<_> = calamine::open_workbook(&file).expect("eval's workbook");
    assert_eq!(a.sheet_names(), b.sheet_names());
    for name in a.sheet_names() {
        let (x, y) = (
            a.worksheet_range(&name).expect("sheet"),
            b.worksheet_range(&name).expect("sheet"),
        );
        assert_eq!(x, y, "sheet {name}");
    }
}

#[test]
fn unknown_paths_are_json_404s() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    let r = server.get("/api/nothing");
    assert_eq!(r.status, 404);
    assert!(
        r.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("/api/laporan"))
    );
}

#[test]
fn fifty_clients_and_clients_that_leave() {
    let dir = copy_example();
    let mut server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    // Clients that connect and leave mid-stream.
    for _ in 0..10 {
        let mut gone = server.events();
        gone.next(WAIT).expect("a first event");
        drop(gone);
    }
    let mut clients: Vec<_> = (0..50).map(|_| server.events()).collect();
    for c in &mut clients {
        assert_eq!(c.until(1)["versi"], 1);
    }
    edit(
        &dir.path().join("indicators/sp4.yaml"),
        "pk: 82 ",
        "pk: 75 ",
    );
    for c in &mut clients {
        assert_eq!(c.until(2)["versi"], 2);
    }
    // Fifty at once asking for the report.
    let addr = server.addr;
    let threads: Vec<_> = (0..50)
        .map(|_| std::thread::spawn(move || support::request(addr, "GET", "/api/laporan", None)))
        .collect();
    for t in threads {
        let r = t.join().expect("a client thread");
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["versi"], 2);
    }
    assert!(server.is_running());
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = kinerja(&example(), &["serve", ".", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "port {port} on 127.0.0.1 is in use by another program"
        )),
        "{err}"
    );
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn not_a_workspace_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = kinerja(dir.path(), &["serve", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kinerja.yaml"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let dir = copy_example();
    let mut server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    // A client in the middle of a stream does not hold the server up.
    let mut events = server.events();
    events.next(WAIT).expect("a first event");
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = std::time::Instant::now();
    let exit = loop {
        if let Ok(Some(exit)) = server.child.try_wait() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(exit.code(), Some(0));
    let said: Vec<String> = server.lines.try_iter().collect();
    assert!(said.iter().any(|l| l == "stopped serving"), "{said:?}");
    // The stream ended.
    assert!(events.next(Duration::from_secs(2)).is_none());
}

#[test]
fn whatif_on_a_session_with_its_own_overrides() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &["--set", "IKP4.1.masukan.n=340"]);
    let state = server.state_at_least(1);
    // The session's override is in the live report already.
    let ikp41 = state["laporan"]["indikator"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["id"] == "IKP4.1"))
        .expect("IKP4.1")
        .clone();
    assert_eq!(ikp41["realisasi"]["t"], "91,89");
    let r = server.post("/api/whatif", r#"{"set": ["IKP4.2.target=75"]}"#);
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    // The same run on the command line needs both; the file lines, only the page's.
    assert_eq!(
        body["perintah"],
        format!(
            "kinerja eval {} --set IKP4.1.masukan.n=340 --set IKP4.2.target=75",
            dir.path().display()
        )
        .as_str()
    );
    let yaml = body["yaml"].as_str().expect("yaml");
    assert!(yaml.contains("pk: 75"), "{yaml}");
    assert!(!yaml.contains("340"), "{yaml}");
    // Only the page's change moved, against the session's report.
    let moved: Vec<&str> = body["perubahan"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(!moved.contains(&"IKP4.1"), "{moved:?}");
}

#[test]
fn only_this_computer_and_the_page_itself() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &[]);
    server.state_at_least(1);
    let addr = server.addr;
    // A name that resolves here but is not this computer's (DNS rebinding).
    let r = support::request_with(addr, "GET", "/api/laporan", &["Host: evil.example"], None);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("--addr"))
    );
    for host in ["Host: localhost", "Host: [::1]:9"] {
        let r = support::request_with(addr, "GET", "/api/laporan", &[host], None);
        assert_eq!(r.status, 200, "{host}");
    }
    // A what-if from a form (not JSON) or from another origin.
    let own = format!("Host: {addr}");
    let body = Some(r#"{"set": ["IKP4.2.target=75"]}"#);
    let form = support::request_with(
        addr,
        "POST",
        "/api/whatif",
        &[&own, "Content-Type: text/plain"],
        body,
    );
    assert_eq!(form.status, 415, "{}", form.body);
    let foreign = support::request_with(
        addr,
        "POST",
        "/api/whatif",
        &[
            &own,
            "Content-Type: application/json",
            "Origin: http://evil.example",
        ],
        body,
    );
    assert_eq!(foreign.status, 403, "{}", foreign.body);
    let origin = format!("Origin: http://{addr}");
    let page = support::request_with(
        addr,
        "POST",
        "/api/whatif",
        &[&own, "Content-Type: application/json", &origin],
        body,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    // A body over the limit is a JSON error too.
    let big = format!(r#"{{"set": ["{}"]}}"#, "x".repeat(3 << 20));
    let r = server.post("/api/whatif", &big);
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].is_string());
}

#[test]
fn explain_under_a_whatif_and_the_same_field_twice() {
    let dir = copy_example();
    let server = Server::start(dir.path(), &["--set", "IKP4.2.target=80"]);
    server.state_at_least(1);
    let r = server.get("/api/explain?id=IKP4.2&set=IKP4.2.target%3D75");
    assert_eq!(r.status, 200, "{}", r.body);
    let text = r.json()["teks"].as_str().unwrap_or_default().to_string();
    assert!(
        text.starts_with("IKP4.2 capaian") && text.contains("= 77.52"),
        "{text}"
    );
    // Set by the session and twice by the page: the line to edit is the file's, with the
    // last value.
    let r = server.post(
        "/api/whatif",
        r#"{"set": ["IKP4.2.target=75", "IKP4.2.target=70"]}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    let yaml = body["yaml"].as_str().expect("yaml");
    assert_eq!(
        yaml.matches("# indicators/sp4.yaml:38:11\n").count(),
        2,
        "{yaml}"
    );
    assert!(yaml.contains("pk: 70 "), "{yaml}");
    assert!(!yaml.contains("command line"), "{yaml}");
    assert!(
        body["perintah"]
            .as_str()
            .is_some_and(|p| p
                .ends_with("--set IKP4.2.target=80 --set IKP4.2.target=75 --set IKP4.2.target=70")),
        "{}",
        body["perintah"]
    );
    // A computed realisasi given as a figure: where to write it.
    let r = server.post("/api/whatif", r#"{"set": ["IKP4.2.realisasi=60"]}"#);
    let yaml = r.json()["yaml"].as_str().unwrap_or_default().to_string();
    assert!(
        yaml.contains("write `realisasi: 60` under IKP4.2"),
        "{yaml}"
    );
}
