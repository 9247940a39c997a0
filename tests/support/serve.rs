//! A real `kinerja serve` process for the tests, and a small HTTP/1.1 client over
//! `std::net` (requests with `Connection: close`, and a reader of server-sent events).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub url: String,
    /// What the server printed on stdout, line by line.
    pub lines: Receiver<String>,
}

impl Server {
    /// `kinerja serve DIR --port 0 --debounce 10 ARGS…`, once it says where it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut all = vec!["--port", "0", "--debounce", "10"];
        all.extend_from_slice(args);
        Server::start_exactly(dir, &all)
    }

    /// `kinerja serve DIR ARGS…` with exactly those arguments (a fixed port, the default
    /// debounce), once it says where it listens.
    pub fn start_exactly(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
            .arg("serve")
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .spawn()
            .expect("kinerja serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        let url = loop {
            let line = lines
                .recv_timeout(WAIT.saturating_sub(started.elapsed()))
                .expect("kinerja serve prints where it listens");
            if let Some(rest) = line.strip_prefix("serving the report at ") {
                break rest.split_whitespace().next().expect("url").to_string();
            }
        };
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("an address");
        Server {
            child,
            addr,
            url,
            lines,
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.addr, "GET", path, None)
    }

    pub fn post(&self, path: &str, body: &str) -> Response {
        request(self.addr, "POST", path, Some(body))
    }

    /// The page's state (`/api/laporan`).
    pub fn state(&self) -> serde_json::Value {
        let r = self.get("/api/laporan");
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// Waits until the state's run number is at least `versi`, and returns that state.
    pub fn state_at_least(&self, versi: u64) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let state = self.state();
            if state["versi"].as_u64().unwrap_or(0) >= versi {
                return state;
            }
            assert!(
                started.elapsed() < WAIT,
                "no run {versi} within {WAIT:?}; last state: {state}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn events(&self) -> Events {
        Events::open(self.addr)
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut bytes = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        bytes = dechunk(&bytes);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16)
            .expect("a chunk size");
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

/// A stream of server-sent events (`/api/events`).
pub struct Events {
    pub stream: TcpStream,
    buffer: String,
}

impl Events {
    pub fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        write!(
            stream,
            "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        Events {
            stream,
            buffer: String::new(),
        }
    }

    /// The data of the next `laporan` event, within `timeout`; `None` when the stream ended
    /// or nothing came.
    pub fn next(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(at) = self.buffer.find("event: laporan\ndata: ") {
                let rest = &self.buffer[at + "event: laporan\ndata: ".len()..];
                if let Some(end) = rest.find('\n') {
                    let data = rest[..end].to_string();
                    self.buffer = rest[end..].to_string();
                    return serde_json::from_str(&data).ok();
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.stream.set_read_timeout(Some(left)).ok()?;
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
            }
        }
    }

    /// Waits for an event whose run number is at least `versi`.
    pub fn until(&mut self, versi: u64) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let left = WAIT.saturating_sub(started.elapsed());
            let event = self
                .next(left)
                .unwrap_or_else(|| panic!("no event for run {versi} within {WAIT:?}"));
            if event["versi"].as_u64().unwrap_or(0) >= versi {
                return event;
            }
        }
    }
}
