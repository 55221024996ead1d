//! `schede serve`: the binary on an ephemeral port over a copy of a small
//! plan (`tests/publish/sheets`, 4 sheets), driven by a plain HTTP/1.1
//! client on std's `TcpStream`, and by headless Chromium where installed.

use crate::common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/publish/sheets");
const SHEET: &str = "sheets/2019/2019_A01.md";
const TITLE: &str = "Promozione del territorio e dei suoi mercati storici";
/// Long enough for a debug build of the 4 sheets and their volumes.
const PATIENCE: Duration = Duration::from_secs(120);

/// `schede serve --port 0` running in a project folder.
struct Served {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    /// Everything printed so far, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Served {
    /// Starts the server in `dir` and waits for its first build.
    fn start(dir: &Path) -> Served {
        Served::start_on(dir, 0)
    }

    /// Starts the server in `dir` on `port` (0: any free port) and waits
    /// for its first build.
    fn start_on(dir: &Path, port: u16) -> Served {
        let mut child = crate::common::schede_command()
            .args(["serve", "--port", &port.to_string()])
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (sender, lines) = channel();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = BufReader::new(child.stderr.take().unwrap());
        for (stream, sender) in [
            (Box::new(stdout) as Box<dyn BufRead + Send>, Some(sender)),
            (Box::new(stderr), None),
        ] {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in stream.lines().map_while(Result::ok) {
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                    if let Some(sender) = &sender {
                        let _ = sender.send(line);
                    }
                }
            });
        }
        let first = lines.recv_timeout(PATIENCE).expect("a first line");
        let port = first
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first}"));
        let served = Served {
            child,
            port,
            lines,
            log,
        };
        served.wait_for("watching ");
        served
    }

    /// Waits for a line of standard output starting with `prefix`.
    fn wait_for(&self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line `{prefix}...`; output:\n{}", self.log()),
            }
        }
    }

    /// Waits until the server is idle: every change it saw rebuilt, and
    /// nothing printed for a second.
    fn settle(&self) {
        let mut pending = false;
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.lines.recv_timeout(Duration::from_secs(1)) {
                Ok(line) if line.starts_with("changed ") => pending = true,
                Ok(line)
                    if line.starts_with("year files:") || line.starts_with("sheets: failed") =>
                {
                    pending = false;
                }
                Ok(_) => {}
                Err(_) if !pending => return,
                Err(_) => {}
            }
            assert!(Instant::now() < deadline, "never idle:\n{}", self.log());
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, target: &str) -> Reply {
        request(
            self.port,
            target,
            &format!("127.0.0.1:{}", self.port),
            "GET",
        )
    }

    /// Stops the server as Ctrl-C does, and waits until it has.
    #[cfg(unix)]
    fn stop(&mut self) -> std::process::ExitStatus {
        self.interrupt();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                return exit;
            }
            assert!(Instant::now() < deadline, "still running after Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ctrl-C.
    #[cfg(unix)]
    fn interrupt(&self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The event stream, as the page read at state `since` opens it; its
    /// `hello` is read.
    fn events(&self, since: &str) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET /__schede/events?since={since} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            head.push(line);
        }
        assert!(
            head.iter()
                .any(|h| h.eq_ignore_ascii_case("content-type: text/event-stream\r\n")),
            "{head:?}"
        );
        let mut events = Events {
            reader,
            hello: serde_json::Value::Null,
        };
        let (name, data) = events.next();
        assert_eq!(name, "hello");
        events.hello = serde_json::from_str(&data).unwrap();
        events
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server-sent event stream.
struct Events {
    reader: BufReader<TcpStream>,
    /// Its first event: the server and the state.
    hello: serde_json::Value,
}

impl Events {
    /// The next event: its name and data.
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the event stream ended");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, data);
                }
            } else if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data = value.to_string();
            }
        }
    }

    /// Skips events until one named `name`.
    fn until(&mut self, name: &str) -> String {
        loop {
            let (event, data) = self.next();
            if event == name {
                return data;
            }
        }
    }
}

/// An HTTP response.
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

/// One request on its own connection; `target` is sent as it is, so that
/// `..` and percent escapes reach the server untouched.
fn request(port: u16, target: &str, host: &str, method: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let status = head[9..12].parse().unwrap();
    let reply = Reply {
        status,
        body: raw[split + 4..].to_vec(),
        head,
    };
    assert_eq!(reply.header("transfer-encoding"), None);
    reply
}

/// A free port for a server that is stopped and started again on it:
/// below the range that `--port 0` draws from (32768 and up on Linux), so
/// that the server of another test cannot take it while it is free, and
/// another one for each call.
fn port_to_restart_on() -> u16 {
    static NEXT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 5_000) as u16;
    loop {
        let port = base + NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A project folder with the real templates and the 4-sheet plan.
fn project() -> tempfile::TempDir {
    common::project(Path::new(FIXTURE))
}

/// Rewrites the sheet's title line.
fn set_title(dir: &Path, title: &str) {
    let path = dir.join(SHEET);
    let text = fs::read_to_string(&path).unwrap();
    let line = text.lines().find(|l| l.starts_with("titolo:")).unwrap();
    fs::write(&path, text.replacen(line, &format!("titolo: {title}"), 1)).unwrap();
}

/// The state of the output folder a served page was read at.
fn since(page: &str) -> String {
    let at = page.find("data-since=\"").expect("the reload script") + 12;
    page[at..].split('"').next().unwrap().to_string()
}

/// Every file under `dir` by relative path.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                all.push((relative, fs::read(&path).unwrap()));
            }
        }
    }
    all.sort();
    all
}

#[test]
fn an_edit_reloads_the_page_and_errors_show_until_fixed() {
    let dir = project();
    let served = Served::start(dir.path());
    let page = served.get("/2019/2019_A01.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let text = page.text();
    assert!(text.contains(TITLE));
    assert!(text.contains("<script src=\"/__schede/live.js\" data-since=\""));
    let on_disk = fs::read_to_string(dir.path().join("output/2019/2019_A01.html")).unwrap();
    assert!(!on_disk.contains("__schede"), "the script is only served");
    let mut events = served.events(&since(&text));
    assert_eq!(events.next(), ("ok".to_string(), "{}".to_string()));

    set_title(dir.path(), "Titolo cambiato in anteprima");
    let changed = events.until("reload");
    assert!(changed.contains("\"/2019/2019_A01.html\""), "{changed}");
    assert!(changed.contains("\"/2019/2019_A01.pdf\""), "{changed}");
    let page = served.get("/2019/2019_A01.html").text();
    assert!(page.contains("Titolo cambiato in anteprima"));
    served.wait_for("year files: built");

    set_title(dir.path(), "\"\"");
    let errors = events.until("errors");
    assert!(
        errors.contains("sheets/2019/2019_A01.md:3:1: error: field `titolo`: must not be empty"),
        "{errors}"
    );
    assert!(
        errors.contains("\"summary\":\"1 error, 0 warnings\""),
        "{errors}"
    );
    served.wait_for("sheets: failed");
    // The report goes to standard error, read by another thread than
    // standard output: it may come a moment later.
    let deadline = Instant::now() + PATIENCE;
    while !served
        .log()
        .contains("sheets/2019/2019_A01.md:3:1: error: field `titolo`: must not be empty\n")
    {
        assert!(Instant::now() < deadline, "{}", served.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let page = served.get("/2019/2019_A01.html").text();
    assert!(
        page.contains("Titolo cambiato in anteprima"),
        "last good page"
    );
    let mut late = served.events(&since(&page));
    assert_eq!(
        late.next().0,
        "errors",
        "a page opened later shows them too"
    );

    set_title(dir.path(), TITLE);
    assert_eq!(events.next(), ("ok".to_string(), "{}".to_string()));
    assert!(events.until("reload").contains("\"/2019/2019_A01.html\""));
    assert_eq!(late.until("ok"), "{}");
    assert!(served.get("/2019/2019_A01.html").text().contains(TITLE));
    served.wait_for("year files: built");

    // What serve wrote is what `schede build` writes.
    let status = crate::common::schede_command()
        .args(["build", "--output", "built"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert_eq!(
        files(&dir.path().join("output")),
        files(&dir.path().join("built"))
    );
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let dir = project();
    fs::create_dir_all(dir.path().join("output")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join(SHEET), dir.path().join("output/link.html"))
            .unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("output/etc")).unwrap();
    }
    let served = Served::start(dir.path());
    for target in [
        "/../../etc/passwd",
        "/2019/../../sheets/2019/piano.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/sheets/2019/piano.yaml",
        "/..%2f..%2fetc%2fpasswd",
        "/2019%2f..%2f..%2fsheets%2f2019%2fpiano.yaml",
        "/%2e%2e%5csheets%5c2019%5cpiano.yaml",
        "/%252e%252e/sheets/2019/piano.yaml",
        "/.schede-cache.json",
        "/link.html",
        "/etc/passwd",
        "/2019/missing.pdf",
    ] {
        let reply = served.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("root:"), "{target}");
        assert!(!reply.text().contains("anni:"), "{target}");
    }
    assert_eq!(served.get("/2019/").status, 200);
    let folder = served.get("/2019");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location").as_deref(), Some("/2019/"));
    let stranger = request(
        served.port,
        "/2019/",
        &format!("rebound.example:{}", served.port),
        "GET",
    );
    assert_eq!(
        stranger.status, 403,
        "another site's page cannot read the drafts"
    );
    let post = request(
        served.port,
        "/2019/",
        &format!("127.0.0.1:{}", served.port),
        "POST",
    );
    assert_eq!(post.status, 405);
    let two = request(
        served.port,
        "/2019/",
        &format!("127.0.0.1:{}\r\nHost: rebound.example", served.port),
        "GET",
    );
    assert_eq!(two.status, 400, "two Host headers, the good one first");
    assert_eq!(two.text(), "one Host header expected\n");
}

#[test]
fn the_preview_shows_the_page_and_the_pdf_side_by_side() {
    let dir = project();
    let served = Served::start(dir.path());
    let preview = served.get("/__schede/preview/2019/2019_A01");
    assert_eq!(preview.status, 200);
    let text = preview.text();
    assert!(text.contains("<iframe id=\"schede-page\" title=\"The HTML page of 2019_A01\" src=\"/2019/2019_A01.html\"></iframe>"));
    assert!(text.contains("<iframe id=\"schede-pdf\" title=\"The PDF of 2019_A01\" src=\"/2019/2019_A01.pdf\"></iframe>"));
    assert!(text.contains("<script src=\"/__schede/live.js\""));
    let pdf = served.get("/2019/2019_A01.pdf");
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(
        pdf.body,
        fs::read(dir.path().join("output/2019/2019_A01.pdf")).unwrap()
    );
    assert_eq!(served.get("/__schede/preview/2019/2019_X99").status, 404);
    let index = served.get("/__schede/").text();
    assert!(index.contains("<a href=\"/__schede/preview/2019/2019_Z101\">2019_Z101</a>"));
    let script = served.get("/__schede/live.js");
    assert_eq!(
        script.header("content-type").as_deref(),
        Some("text/javascript")
    );
    // Each answer closes its connection: tiny_http holds a thread of its
    // pool per open connection, and left a new one waiting behind them.
    assert_eq!(script.header("connection").as_deref(), Some("close"));
    assert!(
        script
            .text()
            .contains("new SharedWorker(\"/__schede/live.js\"")
    );
    let list = served.get("/__schede/").text();
    assert!(list.contains("<body data-schede-list=\"\">"), "a live list");
}

#[test]
fn bursts_of_writes_give_one_rebuild() {
    let dir = project();
    let served = Served::start(dir.path());
    // An editor's save: a probe file, a backup, the file written twice.
    let path = dir.path().join(SHEET);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(dir.path().join("sheets/2019/4913"), "").unwrap();
    fs::remove_file(dir.path().join("sheets/2019/4913")).unwrap();
    fs::write(dir.path().join("sheets/2019/2019_A01.md~"), &text).unwrap();
    fs::write(&path, "").unwrap();
    fs::write(&path, text.replace(TITLE, "Salvato in più scritture")).unwrap();
    fs::remove_file(dir.path().join("sheets/2019/2019_A01.md~")).unwrap();
    assert_eq!(served.wait_for("changed "), format!("changed {SHEET}"));
    served.wait_for("year files: built");
    std::thread::sleep(Duration::from_millis(500));
    let log = served.log();
    assert_eq!(log.matches("changed ").count(), 1, "{log}");
    assert_eq!(log.matches("sheets: built").count(), 2, "{log}");
}

/// The temporary files in the output folder of `dir`.
fn staged(dir: &Path) -> Vec<PathBuf> {
    files(&dir.join("output"))
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.to_string_lossy().contains(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let dir = project();
    let mut served = Served::start(dir.path());
    let exit = served.stop();
    served.wait_for("stopped");
    assert!(exit.success(), "{exit:?}");
    assert!(staged(dir.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_second_ctrl_c_in_a_build_leaves_no_staged_file() {
    let dir = project();
    // Enough sheets for the build to be caught with files staged.
    let text = fs::read_to_string(dir.path().join(SHEET)).unwrap();
    for n in 0..48 {
        let codice = format!("2019_S{n:02}");
        fs::write(
            dir.path().join(format!("sheets/2019/{codice}.md")),
            text.replace("2019_A01", &codice),
        )
        .unwrap();
    }
    let mut served = Served::start(dir.path());
    let template = dir.path().join("templates/sheet.typ");
    let typst = fs::read_to_string(&template).unwrap();
    fs::write(&template, format!("{typst}\n")).unwrap();
    served.wait_for("changed ");
    let staging = dir.path().join("output/.schede-staging");
    let deadline = Instant::now() + PATIENCE;
    while fs::read_dir(&staging).map_or(0, Iterator::count) < 2 {
        assert!(Instant::now() < deadline, "nothing staged");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The second press once the first is heard, so that they cannot merge
    // into one signal.
    served.interrupt();
    while !served.log().contains("stopping after this build") {
        assert!(Instant::now() < deadline, "{}", served.log());
        std::thread::sleep(Duration::from_millis(5));
    }
    let exit = served.stop();
    assert_eq!(exit.code(), Some(130), "{}", served.log());
    assert_eq!(staged(dir.path()), Vec::<PathBuf>::new());
    assert!(!staging.exists());
}

#[cfg(unix)]
#[test]
fn a_restarted_server_replays_what_a_page_missed() {
    let dir = project();
    let mut served = Served::start_on(dir.path(), port_to_restart_on());
    let port = served.port;
    let page = since(&served.get("/2019/2019_A01.html").text());
    let first = served.events(&page).hello["server"].clone();
    assert!(served.stop().success());

    // Edited while no server runs, then a new server on the same port.
    set_title(dir.path(), "Titolo scritto a server fermo");
    let served = Served::start_on(dir.path(), port);
    let mut events = served.events(&page);
    assert_ne!(events.hello["server"], first, "another server");
    let changed = events.until("reload");
    assert!(changed.contains("\"/2019/2019_A01.html\""), "{changed}");
    let missed = served.get(&format!("/__schede/changes?since={page}"));
    assert_eq!(
        missed.header("content-type").as_deref(),
        Some("application/json")
    );
    let missed: Vec<String> = serde_json::from_slice(&missed.body).unwrap();
    assert!(
        missed.contains(&"/2019/2019_A01.html".to_string()),
        "{missed:?}"
    );
    assert!(
        missed.contains(&"/2019/2019_A01.pdf".to_string()),
        "{missed:?}"
    );
    assert!(
        !missed.contains(&"/2019/2019_Z101.pdf".to_string()),
        "{missed:?}"
    );
    let now = since(&served.get("/2019/2019_A01.html").text());
    let nothing: Vec<String> =
        serde_json::from_slice(&served.get(&format!("/__schede/changes?since={now}")).body)
            .unwrap();
    assert!(nothing.is_empty(), "{nothing:?}");
}

#[test]
fn a_busy_port_is_an_error_with_a_hint() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = project();
    let output = crate::common::schede_command()
        .args(["serve", "--port", &port])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: cannot listen on `127.0.0.1:{port}` (address already in use)\n  hint: choose another port with `--port`, or `--port 0` for any free one\n"
        )
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_missing_sheets_folder_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let output = crate::common::schede_command()
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: cannot watch `sheets` (no such file or directory)\n  hint: run from the project folder, or point to it with `--sheets`\n"
    );
    assert!(output.stdout.is_empty());
    assert!(!dir.path().join("output").exists(), "nothing is written");
}

/// Where playwright-core is installed, as `../shared/tools/setup` does it
/// (`$SCHEDE_TOOLS/node/node_modules`, by default under `~/.cache`), and
/// whether node and Chromium are there; `None` skips the browser test.
fn browser_tools() -> Option<PathBuf> {
    let tools = std::env::var_os("SCHEDE_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/schede-tools"))
        })?;
    let modules = tools.join("node/node_modules");
    let node = Command::new("node").arg("--version").output().ok()?;
    (node.status.success()
        && modules.join("playwright-core").is_dir()
        && Path::new("/usr/bin/chromium").exists())
    .then_some(modules)
}

#[cfg(unix)]
#[test]
fn in_a_browser_every_tab_follows_the_edits_and_the_server() {
    let Some(modules) = browser_tools() else {
        // CI sets this after installing the tools, so that it cannot skip silently.
        assert!(
            std::env::var_os("SCHEDE_BROWSER_TESTS").is_none(),
            "SCHEDE_BROWSER_TESTS is set but node, /usr/bin/chromium or playwright-core is missing"
        );
        eprintln!(
            "skipped: needs node, /usr/bin/chromium and playwright-core (run ../shared/tools/setup)"
        );
        return;
    };
    let dir = project();
    let mut served = Served::start_on(dir.path(), port_to_restart_on());
    let port = served.port;
    let script = common::root().join("tests/browser/live-reload.js");
    let mut node = Command::new("node")
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/"))
        .arg(dir.path().join(SHEET))
        .env("NODE_PATH", modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut answer = node.stdin.take().unwrap();
    let mut said = String::new();
    // The script asks for the server to be stopped and started again.
    for line in BufReader::new(node.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        match line.as_str() {
            "stop-server" => {
                // Not while a build's reloads are under way: a page whose
                // reload the stop cuts shows the browser's error page.
                served.settle();
                assert!(served.stop().success());
            }
            "start-server" => served = Served::start_on(dir.path(), port),
            _ => {
                said.push_str(&line);
                said.push('\n');
                continue;
            }
        }
        writeln!(answer, "done").unwrap();
    }
    let output = node.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{said}\n{}\nserver:\n{}",
        String::from_utf8_lossy(&output.stderr),
        served.log()
    );
    assert_eq!(
        said,
        "8 tabs show the new title\noverlay shows sheets/2019/2019_A01.md:3:1\noverlay gone, title restored\npreview reloaded its page\nthe list shows the new sheet\nthe pages say the server stopped\nthe pages caught up after the restart\n"
    );
}
