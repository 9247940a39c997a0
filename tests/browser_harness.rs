//! Self-tests of the browser harness (tests/support/browser.rs) on pages served by a tiny
//! HTTP server inside the test. Without a browser they are skipped (said loudly), unless
//! `KINERJA_REQUIRE_BROWSER` is set.

#[path = "support/browser.rs"]
mod browser;

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use browser::Browser;
use serde_json::json;

const PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Harness page</title>
<style>body { font: 16px sans-serif; margin: 2em } #count { font-size: 3em }</style>
</head><body>
<h1 id="title">Laporan Kinerja</h1>
<p id="count">0</p>
<button id="add">Tambah</button>
<input id="name" value="">
<p id="echo"></p>
<script>
  document.getElementById('add').addEventListener('click', () => {
    // The change comes later, as after a fetch: the test has to wait for it.
    setTimeout(() => {
      const c = document.getElementById('count');
      c.textContent = String(Number(c.textContent) + 1);
    }, 100);
  });
  document.getElementById('name').addEventListener('input', (e) => {
    document.getElementById('echo').textContent = 'Halo, ' + e.target.value;
  });
  console.log('page ready', {bab: 3, ok: true}, [1, 'dua']);
</script>
</body></html>
"#;

const BROKEN: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Broken</title></head><body>
<p>broken page</p>
<script>
  console.error('laporan gagal dimuat', 42);
  setTimeout(() => { throw new Error('uncaught kaboom'); }, 0);
</script>
</body></html>
"#;

/// A one-thread HTTP/1.1 server on 127.0.0.1 that serves `/` and `/broken`, and 404 for
/// everything else; it stops when dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("the listener's address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(conn) = conn {
                    let _ = serve(conn);
                }
            }
        });
        Server { addr, stop }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut conn: TcpStream) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match path {
        "/" => ("200 OK", PAGE),
        "/broken" => ("200 OK", BROKEN),
        _ => ("404 Not Found", "not found"),
    };
    let kind = if status.starts_with("200") {
        "text/html; charset=utf-8"
    } else {
        "text/plain"
    };
    write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    conn.flush()
}

#[test]
fn loads_clicks_waits_types_and_takes_a_screenshot() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    b.goto(&server.url("/"));

    assert_eq!(b.eval("document.title"), json!("Harness page"));
    assert_eq!(b.text("#title"), "Laporan Kinerja");
    assert!(b.body_text().contains("Tambah"), "{}", b.body_text());
    assert_eq!(
        b.eval("Promise.resolve(6 * 7)"),
        json!(42),
        "promises are awaited"
    );
    assert_eq!(b.eval("undefined"), json!(null));

    // A real click; the page changes the DOM 100 ms later.
    b.click("#add");
    let took = b
        .wait_for(
            "document.getElementById('count').textContent === '1'",
            Duration::from_secs(5),
        )
        .expect("the count goes to 1 after a click");
    assert!(took >= Duration::from_millis(50), "waited {took:?}");
    assert_eq!(b.text("#count"), "1");

    b.type_text("#name", "Budi");
    b.wait_for(
        "document.getElementById('echo').textContent === 'Halo, Budi'",
        Duration::from_secs(5),
    )
    .expect("the input event updates the echo");

    let console = b.console();
    assert!(
        console
            .iter()
            .any(|e| e.level == "log" && e.text == r#"page ready {bab: 3, ok: true} [1, "dua"]"#),
        "{console:?}"
    );
    assert_eq!(b.console_errors(), Vec::<String>::new());

    b.set_viewport(640, 480);
    assert_eq!(b.eval("[innerWidth, innerHeight]"), json!([640, 480]));
    let path = browser::artifact("harness-page.png");
    let png = b.screenshot_png(&path, false);
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {:?}",
        &png[..8.min(png.len())]
    );
    assert_eq!(
        std::fs::read(&path).expect("the screenshot is written"),
        png
    );
    // The PNG's IHDR holds the width and height: the viewport's.
    assert_eq!(&png[16..24], [0, 0, 2, 128, 0, 0, 1, 224], "640 × 480");
    // The whole page, beyond the viewport.
    b.eval("document.body.style.height = '1500px'");
    let full = b.screenshot_png(browser::artifact("harness-page-full.png"), true);
    assert!(full.starts_with(b"\x89PNG\r\n\x1a\n"));
    let height = u32::from_be_bytes(full[20..24].try_into().expect("4 bytes"));
    assert!(height > 1500, "the full page is {height} pixels high");

    // A same-document navigation has no load to wait for; a reload starts the page anew.
    b.goto(&server.url("/#bab-2"));
    assert_eq!(b.eval("location.hash"), json!("#bab-2"));
    assert_eq!(b.text("#count"), "1");
    b.reload();
    assert_eq!(b.text("#count"), "0");
}

#[test]
fn errors_are_caught_and_said_clearly() {
    let Some(mut b) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    b.goto(&server.url("/broken"));

    // console.error and the uncaught exception, both recorded.
    b.wait_for("true", Duration::from_secs(1)).expect("trivial");
    let mut errors = b.console_errors();
    for _ in 0..50 {
        if errors.len() >= 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        errors = b.console_errors();
    }
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0], "error: laporan gagal dimuat 42");
    assert!(
        errors[1].starts_with("exception: ") && errors[1].contains("uncaught kaboom"),
        "{errors:?}"
    );
    b.clear_console();
    assert_eq!(b.console_errors(), Vec::<String>::new());

    // A thrown exception is an Err with its text.
    let err = b
        .try_eval("(() => { throw new TypeError('no such indicator') })()")
        .expect_err("a throw is an Err");
    assert!(err.contains("TypeError: no such indicator"), "{err}");

    // A timed-out wait names the condition and shows the page's text.
    let err = b
        .wait_for(
            "document.querySelector('#never')",
            Duration::from_millis(200),
        )
        .expect_err("the element never comes");
    assert!(err.contains("timed out after 200ms"), "{err}");
    assert!(err.contains("document.querySelector('#never')"), "{err}");
    assert!(err.contains("broken page"), "{err}");

    // A page that cannot be reached is an Err, not a hang.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let err = b
        .try_goto(&format!("http://127.0.0.1:{port}/"))
        .expect_err("nothing listens there");
    assert!(err.contains("ERR_CONNECTION_REFUSED"), "{err}");
}
