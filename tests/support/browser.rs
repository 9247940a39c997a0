//! A headless Chromium driven over the Chrome DevTools Protocol (CDP), for tests of pages
//! in a real browser. Included by a test file with
//!
//! ```ignore
//! #[path = "support/browser.rs"]
//! mod browser;
//! ```
//!
//! and used as
//!
//! ```ignore
//! let Some(mut b) = browser::Browser::launch() else { return }; // skipped, said loudly
//! b.goto("http://127.0.0.1:PORT/");
//! b.click("#refresh");
//! b.wait_for("document.querySelector('#total').textContent === '42'", Duration::from_secs(5))
//!     .expect("the total after a refresh");
//! assert_eq!(b.console_errors(), Vec::<String>::new());
//! ```
//!
//! The browser is found from `KINERJA_CHROMIUM` (a path or a command name), else
//! `chromium`, `chromium-browser` or `google-chrome` on `PATH`. Where none is found or it
//! does not start, [`Browser::launch`] writes a `SKIPPED browser test …` line straight to
//! the process's stderr (the test harness captures `eprintln!`, not that) and returns
//! `None`; with `KINERJA_REQUIRE_BROWSER` set (CI sets it) it panics instead.
//!
//! One browser process per [`Browser`]: started with `--remote-debugging-port=0` and a new
//! empty profile in a temporary directory, it prints its DevTools address on stderr; one
//! WebSocket to it, one page (`Target.createTarget`) attached with `flatten: true`, so that
//! every page command carries the session id. Responses are matched by id; events in
//! between are buffered (console messages and uncaught exceptions are also recorded). Every
//! read has a deadline, so no test hangs; dropping the [`Browser`] (a panicking test
//! included) closes the browser, kills whatever is left of its process group and waits.
//!
//! A file's tests run in parallel threads, each with its own [`Browser`] (here about 0.6 s
//! to start and 0.4 s to close): a browser shared through a `static` would never be
//! dropped, and would outlive the test process.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Environment variable: the browser to run, a path or a command name on `PATH`.
pub const CHROMIUM_VAR: &str = "KINERJA_CHROMIUM";
/// Environment variable: when set, a missing or broken browser fails the test (CI sets it).
pub const REQUIRE_VAR: &str = "KINERJA_REQUIRE_BROWSER";

/// How long the browser may take to print its DevTools address.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one CDP command may take to be answered (a navigation: to load).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a dropped browser may take to close before it is killed.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// One socket read's timeout: each wait loops over these up to its own deadline.
const READ_SLICE: Duration = Duration::from_millis(100);
/// How often [`Browser::wait_for`] evaluates its condition.
const POLL: Duration = Duration::from_millis(20);
/// Events kept for [`Browser::wait_event`]; older ones are dropped.
const MAX_EVENTS: usize = 1000;
/// The window (and first viewport) size: the same screenshots on every machine.
pub const DEFAULT_VIEWPORT: (u32, u32) = (1280, 800);

/// The flags every launch uses. Without the background-networking ones the browser keeps
/// trying to reach Google's hosts, which a closed network refuses.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
];

/// A console message or an uncaught exception that the page produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// `console.*`'s type (`log`, `warning`, `error`, …), or `exception` for an uncaught one.
    pub level: String,
    pub text: String,
}

/// A running headless browser with one page. See the module docs.
pub struct Browser {
    // Field order is drop order: the socket closes before the profile directory goes.
    ws: WebSocket<TcpStream>,
    child: Child,
    session: String,
    target: String,
    next_id: u64,
    events: VecDeque<Value>,
    console: Vec<ConsoleEntry>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    test: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts a browser with one blank page, or `None` (said loudly on stderr) where there
    /// is no browser or it does not start; panics instead when `KINERJA_REQUIRE_BROWSER`
    /// is set. The skip line names the test: the harness names each test's thread.
    pub fn launch() -> Option<Browser> {
        let test = std::thread::current()
            .name()
            .unwrap_or("(unnamed)")
            .to_string();
        let outcome = match find_browser() {
            Ok(exe) => Browser::start(&exe, &test),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(b) => Some(b),
            Err(reason) => {
                skip_or_panic(&test, &reason);
                None
            }
        }
    }

    /// Starts the browser at `exe` and opens its page.
    fn start(exe: &Path, test: &str) -> Result<Browser, String> {
        let profile = tempfile::Builder::new()
            .prefix("kinerja-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot make a profile directory: {e}"))?;
        let mut cmd = Command::new(exe);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!(
                "--window-size={},{}",
                DEFAULT_VIEWPORT.0, DEFAULT_VIEWPORT.1
            ))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // Its own process group, so that Drop kills the renderers and helpers with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;

        // A thread reads stderr to its end (a full pipe would stall the browser), hands
        // over the DevTools address, and keeps the last lines for error messages.
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().expect("the browser's stderr is piped");
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("DevTools listening on ")
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(
                        line[at + "DevTools listening on ".len()..]
                            .trim()
                            .to_string(),
                    );
                }
                let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
                if kept.len() == 40 {
                    kept.pop_front();
                }
                kept.push_back(line);
            }
        });

        // Kills the browser, then says why it did not start, how it ended and what it said.
        let fail = |child: &mut Child, why: &str| -> String {
            let ended = match kill_group(child) {
                Some(s) if s.code().is_some() => format!(" (it ended with {s})"),
                _ => String::new(),
            };
            let tail = tail_of(&stderr);
            format!("{} did not start: {why}{ended}{tail}", exe.display())
        };
        let url = match rx.recv_timeout(START_TIMEOUT) {
            Ok(url) => url,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let why = format!("no DevTools address on its stderr within {START_TIMEOUT:?}");
                return Err(fail(&mut child, &why));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let why = "it closed its stderr without a DevTools address";
                return Err(fail(&mut child, why));
            }
        };
        let ws = match connect(&url) {
            Ok(ws) => ws,
            Err(e) => return Err(fail(&mut child, &e)),
        };
        let mut b = Browser {
            ws,
            child,
            session: String::new(),
            target: String::new(),
            next_id: 0,
            events: VecDeque::new(),
            console: Vec::new(),
            stderr,
            test: test.to_string(),
            _profile: profile,
        };
        b.open_page().map_err(|e| {
            // `b` drops here, which kills the browser.
            format!(
                "{} started, but no page could be opened: {e}",
                exe.display()
            )
        })?;
        Ok(b)
    }

    /// Creates the page, attaches to it, and enables the domains whose events we read.
    fn open_page(&mut self) -> Result<(), String> {
        let created = self.browser_command("Target.createTarget", json!({"url": "about:blank"}))?;
        self.target = str_at(&created, "targetId")?;
        let attached = self.browser_command(
            "Target.attachToTarget",
            json!({"targetId": self.target, "flatten": true}),
        )?;
        self.session = str_at(&attached, "sessionId")?;
        self.try_command("Page.enable", json!({}))?;
        self.try_command("Page.setLifecycleEventsEnabled", json!({"enabled": true}))?;
        self.try_command("Runtime.enable", json!({}))?;
        let (w, h) = DEFAULT_VIEWPORT;
        self.try_set_viewport(w, h)?;
        Ok(())
    }

    /// The browser process's id (its process group's too).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    // ----- pages -----

    /// Loads `url` and waits for its load event. Panics when the page cannot be loaded (a
    /// refused connection, say) or does not load in time.
    pub fn goto(&mut self, url: &str) {
        if let Err(e) = self.try_goto(url) {
            panic!("goto {url}: {e}{}", self.stderr_tail());
        }
    }

    /// [`Browser::goto`], with the failure as an `Err`.
    pub fn try_goto(&mut self, url: &str) -> Result<(), String> {
        let nav = self.try_command("Page.navigate", json!({"url": url}))?;
        if let Some(err) = nav.get("errorText").and_then(Value::as_str)
            && !err.is_empty()
        {
            return Err(format!("navigation failed: {err}"));
        }
        // No loader: a same-document navigation (only the fragment changed), with no load.
        let Some(loader) = nav.get("loaderId").cloned() else {
            return Ok(());
        };
        // The load of this navigation's document, not of one before it.
        self.wait_event_where(
            "Page.lifecycleEvent",
            |p| p["name"] == "load" && p["loaderId"] == loader,
            COMMAND_TIMEOUT,
        )
        .map(|_| ())
    }

    /// Reloads the page and waits for its load event.
    pub fn reload(&mut self) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.command("Page.reload", json!({}));
        if let Err(e) = self.wait_event("Page.loadEventFired", COMMAND_TIMEOUT) {
            panic!("reload: {e}");
        }
    }

    /// Sets the viewport to `width` × `height` CSS pixels (scale 1, not mobile).
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        if let Err(e) = self.try_set_viewport(width, height) {
            panic!("set_viewport({width}, {height}): {e}");
        }
    }

    fn try_set_viewport(&mut self, width: u32, height: u32) -> Result<(), String> {
        self.try_command(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .map(|_| ())
    }

    // ----- JavaScript -----

    /// Evaluates `js` in the page and returns its value (awaited when it is a promise;
    /// `undefined` as `null`). Panics with the exception's text when it throws.
    pub fn eval(&mut self, js: &str) -> Value {
        match self.try_eval(js) {
            Ok(v) => v,
            Err(e) => panic!("eval of `{js}` failed: {e}"),
        }
    }

    /// [`Browser::eval`], with a thrown exception (or a failed command) as an `Err` that
    /// holds its text.
    pub fn try_eval(&mut self, js: &str) -> Result<Value, String> {
        let r = self.try_command(
            "Runtime.evaluate",
            json!({
                "expression": js,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
            }),
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            return Err(exception_text(ex));
        }
        let result = &r["result"];
        if let Some(v) = result.get("value") {
            return Ok(v.clone());
        }
        // NaN, Infinity, -0 and bigints come as text; undefined has no value at all.
        Ok(match result.get("unserializableValue") {
            Some(v) => v.clone(),
            None => Value::Null,
        })
    }

    /// Evaluates the condition `js` every few milliseconds until it is truthy, and returns
    /// how long that took. A condition that throws (an element not there yet) counts as
    /// false. On timeout the error names the condition, its last outcome and the page's
    /// text (truncated), and a screenshot is saved (its path is in the error).
    pub fn wait_for(&mut self, js: &str, timeout: Duration) -> Result<Duration, String> {
        let started = Instant::now();
        let probe = format!("!!(\n{js}\n)");
        let mut last;
        loop {
            match self.try_eval(&probe) {
                Ok(Value::Bool(true)) => return Ok(started.elapsed()),
                Ok(v) => last = format!("it was {v}"),
                Err(e) => last = format!("it threw: {e}"),
            }
            if started.elapsed() >= timeout {
                break;
            }
            std::thread::sleep(POLL);
        }
        let text = match self.try_eval("document.body ? document.body.innerText : '(no body)'") {
            Ok(Value::String(s)) => truncate(&s, 2000),
            Ok(other) => other.to_string(),
            Err(e) => format!("(unreadable: {e})"),
        };
        let shot = artifact(&format!("{}-wait_for-timeout.png", file_safe(&self.test)));
        let shot = match self.try_screenshot_png(&shot, false) {
            Ok(_) => format!("\nscreenshot: {}", shot.display()),
            Err(_) => String::new(),
        };
        let url = self
            .try_eval("location.href")
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        Err(format!(
            "timed out after {timeout:?} waiting for `{js}` ({last})\npage: {url}\n\
             page text:\n{text}{shot}"
        ))
    }

    /// `document.body.innerText`.
    pub fn body_text(&mut self) -> String {
        self.text("body")
    }

    /// The `innerText` of the first element that matches `selector`; panics when none does.
    pub fn text(&mut self, selector: &str) -> String {
        let sel = js_string(selector);
        let v = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); \
             if (!e) throw new Error('no element matches ' + {sel}); return e.innerText; }})()"
        ));
        v.as_str().unwrap_or_default().to_string()
    }

    // ----- input -----

    /// Clicks the middle of the first element that matches `selector` with real mouse
    /// events (scrolled into view first), so that what covers it gets the click instead, as
    /// for a person. Panics when no element matches or it has no size.
    pub fn click(&mut self, selector: &str) {
        let sel = js_string(selector);
        let rect = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); \
             if (!e) throw new Error('no element matches ' + {sel}); \
             e.scrollIntoView({{block: 'center', inline: 'center'}}); \
             const r = e.getBoundingClientRect(); \
             return {{x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}}; }})()"
        ));
        let num = |k: &str| rect[k].as_f64().unwrap_or(0.0);
        assert!(
            num("w") > 0.0 && num("h") > 0.0,
            "click {selector}: the element has no size ({rect})"
        );
        let (x, y) = (num("x"), num("y"));
        for (kind, buttons) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 0)] {
            self.command(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left",
                       "buttons": buttons, "clickCount": 1}),
            );
        }
    }

    /// Focuses the first element that matches `selector` and types `text` into it, as one
    /// input (an `input` event fires).
    pub fn type_text(&mut self, selector: &str, text: &str) {
        let sel = js_string(selector);
        self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); \
             if (!e) throw new Error('no element matches ' + {sel}); e.focus(); }})()"
        ));
        self.command("Input.insertText", json!({"text": text}));
    }

    // ----- console -----

    /// Every console message and uncaught exception of the page so far, in order.
    pub fn console(&mut self) -> Vec<ConsoleEntry> {
        self.settle();
        self.console.clone()
    }

    /// The `console.error` messages and uncaught exceptions (as `exception: …`) so far:
    /// `assert_eq!(b.console_errors(), Vec::<String>::new())` checks a page logged none.
    pub fn console_errors(&mut self) -> Vec<String> {
        self.console()
            .into_iter()
            .filter(|e| e.level == "error" || e.level == "exception")
            .map(|e| format!("{}: {}", e.level, e.text))
            .collect()
    }

    /// Forgets the console messages so far.
    pub fn clear_console(&mut self) {
        self.settle();
        self.console.clear();
    }

    /// One round trip through the page, so that the events it sent before are read.
    fn settle(&mut self) {
        let _ = self.try_command("Runtime.evaluate", json!({"expression": "0"}));
    }

    // ----- screenshots -----

    /// Takes a PNG screenshot of the viewport (or, with `full_page`, of the whole page),
    /// writes it to `path` (making its folder), and returns its bytes.
    pub fn screenshot_png(&mut self, path: impl AsRef<Path>, full_page: bool) -> Vec<u8> {
        let path = path.as_ref();
        match self.try_screenshot_png(path, full_page) {
            Ok(png) => png,
            Err(e) => panic!("screenshot to {}: {e}", path.display()),
        }
    }

    fn try_screenshot_png(&mut self, path: &Path, full_page: bool) -> Result<Vec<u8>, String> {
        let mut params = json!({"format": "png"});
        if full_page {
            let m = self.try_command("Page.getLayoutMetrics", json!({}))?;
            let size = &m["cssContentSize"];
            params["captureBeyondViewport"] = json!(true);
            params["clip"] = json!({
                "x": 0, "y": 0, "scale": 1,
                "width": size["width"].as_f64().unwrap_or(DEFAULT_VIEWPORT.0.into()),
                "height": size["height"].as_f64().unwrap_or(DEFAULT_VIEWPORT.1.into()),
            });
        }
        let shot = self.try_command("Page.captureScreenshot", params)?;
        let data = str_at(&shot, "data")?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("the screenshot is not base64: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        }
        std::fs::write(path, &png).map_err(|e| format!("cannot write: {e}"))?;
        Ok(png)
    }

    // ----- CDP -----

    /// Sends `method` to the page and returns its result; panics on an error answer.
    pub fn command(&mut self, method: &str, params: Value) -> Value {
        match self.try_command(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{e}{}", self.stderr_tail()),
        }
    }

    /// Sends `method` to the page (this browser's one session) and returns its result.
    pub fn try_command(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let session = self.session.clone();
        self.send(method, params, Some(&session))
    }

    /// Sends `method` to the browser itself (no session).
    fn browser_command(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.send(method, params, None)
    }

    fn send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| format!("{method}: cannot send: {e}"))?;
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        loop {
            let m = self
                .read(deadline)
                .map_err(|e| format!("{method}: no answer: {e}"))?;
            if m.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = m.get("error") {
                    return Err(format!("{method} failed: {err}"));
                }
                return Ok(m.get("result").cloned().unwrap_or(Value::Null));
            }
            self.keep_event(m);
        }
    }

    /// Waits for the page's event `method` (one already buffered included), removes it
    /// from the buffer and returns its params.
    pub fn wait_event(&mut self, method: &str, timeout: Duration) -> Result<Value, String> {
        self.wait_event_where(method, |_| true, timeout)
    }

    /// [`Browser::wait_event`] for an event whose params pass `pred`.
    pub fn wait_event_where(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Result<Value, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self
                .events
                .iter()
                .position(|e| e["method"] == method && pred(&e["params"]));
            if let Some(at) = found {
                let e = self
                    .events
                    .remove(at)
                    .expect("the position found is in the buffer");
                return Ok(e.get("params").cloned().unwrap_or(Value::Null));
            }
            let m = self
                .read(deadline)
                .map_err(|e| format!("waiting for {method}: {e}"))?;
            self.keep_event(m);
        }
    }

    /// Records a console event, and buffers every event of the page.
    fn keep_event(&mut self, m: Value) {
        if m.get("method").is_none() {
            return; // The answer to a command given up on.
        }
        if m.get("sessionId").and_then(Value::as_str) != Some(self.session.as_str()) {
            return; // The browser's own events, or another target's.
        }
        let params = &m["params"];
        match m["method"].as_str() {
            Some("Runtime.consoleAPICalled") => {
                let text = params["args"]
                    .as_array()
                    .map(|args| args.iter().map(remote_text).collect::<Vec<_>>().join(" "))
                    .unwrap_or_default();
                let level = params["type"].as_str().unwrap_or("log").to_string();
                self.console.push(ConsoleEntry { level, text });
            }
            Some("Runtime.exceptionThrown") => {
                let text = exception_text(&params["exceptionDetails"]);
                self.console.push(ConsoleEntry {
                    level: "exception".into(),
                    text,
                });
            }
            _ => {}
        }
        if self.events.len() == MAX_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(m);
    }

    /// The next JSON message from the browser, waiting until `deadline` at most.
    fn read(&mut self, deadline: Instant) -> Result<Value, String> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str())
                        .map_err(|e| format!("a message that is not JSON ({e}): {t}"));
                }
                Ok(Message::Close(frame)) => {
                    return Err(format!("the browser closed the connection ({frame:?})"));
                }
                Ok(_) => {} // Pings are answered by tungstenite; binary is not used.
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return Err("timed out".into());
                    }
                    if has_exited(&mut self.child) {
                        return Err("the browser exited".into());
                    }
                }
                Err(e) => return Err(format!("the connection failed: {e}")),
            }
        }
    }

    /// The browser's last stderr lines, for a failure message.
    fn stderr_tail(&self) -> String {
        tail_of(&self.stderr)
    }
}

impl Drop for Browser {
    /// Asks the browser to close (it then ends its own renderers and helpers and reaps
    /// them), waits a little for that, and kills whatever is left of its process group.
    fn drop(&mut self) {
        self.next_id += 1;
        let close = json!({"id": self.next_id, "method": "Browser.close"}).to_string();
        if self.ws.send(Message::text(close)).is_ok() {
            let deadline = Instant::now() + CLOSE_TIMEOUT;
            while !has_exited(&mut self.child) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = kill_group(&mut self.child);
    }
}

/// Kills the browser's process group (the browser, its renderers and helpers) and waits for
/// the browser, so that no process outlives the test; returns how the browser ended. The
/// browser is reaped only here, so its pid (the group's id) cannot name another process.
fn kill_group(child: &mut Child) -> Option<std::process::ExitStatus> {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    child.wait().ok()
}

/// Whether the browser has exited, without reaping it (see [`kill_group`]).
fn has_exited(child: &mut Child) -> bool {
    #[cfg(unix)]
    {
        let pid: libc::id_t = child.id();
        // SAFETY: waitid(2) writes only the siginfo_t it is given, which lives on this stack.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let r = libc::waitid(
                libc::P_PID,
                pid,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            );
            // With WNOHANG, a child still running leaves si_pid 0.
            r == 0 && info.si_pid() != 0
        }
    }
    #[cfg(not(unix))]
    {
        matches!(child.try_wait(), Ok(Some(_)))
    }
}

/// The browser to run: `KINERJA_CHROMIUM`, else the first of the usual names on `PATH`.
fn find_browser() -> Result<PathBuf, String> {
    if let Some(v) = std::env::var_os(CHROMIUM_VAR).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        let found = if p.components().count() > 1 {
            p.is_file().then_some(p.clone())
        } else {
            on_path(&p.to_string_lossy())
        };
        return found.ok_or_else(|| format!("{CHROMIUM_VAR}={} is not there", p.display()));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| on_path(name))
        .ok_or_else(|| "no chromium found".to_string())
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Says loudly that the test is skipped, or panics when a browser is required.
fn skip_or_panic(test: &str, reason: &str) {
    if std::env::var_os(REQUIRE_VAR).is_some() {
        panic!(
            "browser test {test}: a browser is required ({REQUIRE_VAR} is set), but {reason}. \
             Install Debian's chromium (apt-get install chromium) or set {CHROMIUM_VAR} to one."
        );
    }
    // Straight to the process's stderr: `eprintln!` would be captured, and shown only for
    // a failing test.
    let (first, rest) = reason.split_once('\n').unwrap_or((reason, ""));
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!("{rest}\n")
    };
    let line = format!(
        "SKIPPED browser test {test}: {first} (install Debian's chromium or set \
         {CHROMIUM_VAR}; CI sets {REQUIRE_VAR}=1)\n{rest}"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Connects the WebSocket at `url` (`ws://127.0.0.1:PORT/devtools/browser/ID`), with
/// read and write timeouts on its socket.
fn connect(url: &str) -> Result<WebSocket<TcpStream>, String> {
    let rest = url
        .strip_prefix("ws://")
        .ok_or_else(|| format!("not a ws:// address: {url}"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let stream = TcpStream::connect(host).map_err(|e| format!("cannot connect to {host}: {e}"))?;
    let io = |e: std::io::Error| format!("socket options: {e}");
    // The handshake is read with a generous timeout; then short slices, looped to deadlines.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(io)?;
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .map_err(io)?;
    stream.set_nodelay(true).map_err(io)?;
    let (ws, _) = tungstenite::client(url, stream)
        .map_err(|e| format!("WebSocket handshake with {url} failed: {e}"))?;
    ws.get_ref()
        .set_read_timeout(Some(READ_SLICE))
        .map_err(io)?;
    Ok(ws)
}

/// A path for a test's output file (a screenshot) under Cargo's temporary folder for
/// integration tests (`target/tmp/browser/`), which survives the test for a look.
pub fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(name)
}

/// `s` as a JavaScript string literal.
pub fn js_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn str_at(v: &Value, key: &str) -> Result<String, String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("no {key} in {v}"))
}

/// A console argument as text: its value, else its preview (`{a: 1}`, `[1, 2]`), else its
/// description (an error's message and stack, a function).
fn remote_text(o: &Value) -> String {
    match o.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None if o["subtype"] != "error" && o["preview"]["properties"].is_array() => {
            let p = &o["preview"];
            let array = p["subtype"] == "array";
            let items: Vec<String> = p["properties"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|prop| {
                    let value = prop["value"].as_str().unwrap_or_default();
                    let value = if prop["type"] == "string" {
                        js_string(value)
                    } else {
                        value.to_string()
                    };
                    let name = prop["name"].as_str().unwrap_or_default();
                    if array {
                        value
                    } else {
                        format!("{name}: {value}")
                    }
                })
                .collect();
            let more = if p["overflow"] == true { ", …" } else { "" };
            if array {
                format!("[{}{more}]", items.join(", "))
            } else {
                format!("{{{}{more}}}", items.join(", "))
            }
        }
        None => o
            .get("description")
            .or_else(|| o.get("unserializableValue"))
            .or_else(|| o.get("type"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    }
}

/// An `ExceptionDetails` as text: the exception's description (message and stack), else
/// its value, else the details' own text.
fn exception_text(d: &Value) -> String {
    let ex = &d["exception"];
    ex.get("description")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| ex.get("value").map(|v| v.to_string()))
        .or_else(|| d.get("text").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| d.to_string())
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!(
            "{}… ({} more characters)",
            &s[..at],
            s[at..].chars().count()
        ),
        None => s.to_string(),
    }
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn tail_of(lines: &Mutex<VecDeque<String>>) -> String {
    let lines = lines.lock().unwrap_or_else(|p| p.into_inner());
    if lines.is_empty() {
        return String::new();
    }
    let joined: Vec<&str> = lines.iter().map(String::as_str).collect();
    format!("\nthe browser's last stderr lines:\n{}", joined.join("\n"))
}
