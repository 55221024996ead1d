//! The HTTP side of `schede serve`: files of the output folder and nothing
//! else, the reload script added to the HTML pages on their way out, the
//! event stream, and the preview page.
//!
//! A request's path is percent-decoded once, then refused if any segment is
//! empty of meaning (`.`, `..`), hidden (`.schede-cache.json`, temporary
//! files) or holds a backslash; what is left is joined to the output folder,
//! resolved with its symbolic links and served only if it is still a file
//! inside that folder. Folders serve their `index.html`, never a listing.
//! A request must name one host (`Host` once), and when the server listens
//! on loopback, one of its own names.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response};

use super::live::Live;
use super::pages;
use crate::tr;

/// How often an idle event stream sends a comment, so that a closed page is
/// noticed and its thread ends.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the server needs to answer.
pub struct Site {
    /// The output folder, canonical.
    pub root: PathBuf,
    pub live: Live,
    /// The `Host` headers accepted, when bound to loopback: a web page
    /// elsewhere cannot then read the drafts through DNS rebinding.
    pub hosts: Option<Vec<String>>,
}

/// Where a request's path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked without its final slash: its relative links need it.
    Redirect(String),
    NotFound,
}

/// Resolves a request's URL (path and query) to a file under `root`
/// (canonical), refusing anything that would leave it.
pub fn resolve(root: &Path, url: &str) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Target::NotFound;
    };
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return Target::NotFound;
    }
    let mut relative = PathBuf::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') {
            return Target::NotFound;
        }
        relative.push(segment);
    }
    let mut candidate = root.join(&relative);
    if path.ends_with('/') {
        candidate.push("index.html");
    } else if candidate.is_dir() {
        return Target::Redirect(format!("{raw}/"));
    }
    match candidate.canonicalize() {
        Ok(real) if real.starts_with(root) && real.is_file() => Target::File(real),
        _ => Target::NotFound,
    }
}

/// Answers one request; runs on its own thread (an event stream lasts as
/// long as its page).
pub fn handle(request: Request, site: &Arc<Site>) {
    let url = request.url().to_string();
    if !matches!(request.method(), Method::Get | Method::Head) {
        send(request, text(405, &tr!("http-405")));
        return;
    }
    if let Some(refusal) = host_refusal(&request, site) {
        send(request, refusal);
        return;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let response = if path == "/__schede/events" {
        let from = last_event_id(&request).or_else(|| since(&url));
        stream_events(request, &site.live, from.as_deref());
        return;
    } else if path == "/__schede/changes" {
        let changed = site.live.since(&since(&url).unwrap_or_default());
        let body = serde_json::to_vec(&changed).unwrap_or_default();
        with_type(Response::from_data(body), "application/json")
    } else if path == "/__schede/live.js" {
        with_type(Response::from_data(pages::LIVE_JS), "text/javascript")
    } else if let Some(rest) = path.strip_prefix("/__schede/preview/") {
        match pages::preview(&site.root, rest, &site.live.current()) {
            Some(page) => html(200, page),
            None => not_found(&site.live),
        }
    } else if path == "/__schede/" || path == "/__schede" {
        html(200, pages::preview_index(&site.root, &site.live.current()))
    } else {
        // The state is read before the file: a build in between replays a
        // change the page already has, never misses one.
        let state = site.live.current();
        match resolve(&site.root, &url) {
            Target::File(file) => match fs::read(&file) {
                Ok(bytes) => serve_file(&file, bytes, &state),
                Err(_) => not_found(&site.live),
            },
            Target::Redirect(location) => {
                with_header(Response::from_data(Vec::new()), "Location", &location)
                    .with_status_code(301)
            }
            Target::NotFound => not_found(&site.live),
        }
    };
    send(request, with_header(response, "Cache-Control", "no-store"));
}

/// Sends `response`, then closes the connection. tiny_http 0.12 gives each
/// open connection a thread of its pool until the browser closes it, and its
/// pool can leave a new connection queued behind kept-alive ones: on a loaded
/// machine a page's request was seen unread for two minutes. A connection
/// closed after each answer frees its thread at once.
fn send(request: Request, response: Response<std::io::Cursor<Vec<u8>>>) {
    let head_only = *request.method() == Method::Head;
    let status = response.status_code();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.0,
        status.default_reason_phrase()
    );
    for header in response.headers() {
        head.push_str(&format!("{}: {}\r\n", header.field, header.value));
    }
    let body = response.into_reader().into_inner();
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut writer = request.into_writer();
    let body: &[u8] = if head_only { &[] } else { &body };
    let _ = (writer.write_all(head.as_bytes()))
        .and_then(|()| writer.write_all(body))
        .and_then(|()| writer.flush());
}

/// Why a request's `Host` is refused, if it is: two of them whatever they
/// say (RFC 9112, 3.2: a proxy and the server could each read another one),
/// or a name not the server's own when it listens on loopback.
fn host_refusal(request: &Request, site: &Site) -> Option<Response<std::io::Cursor<Vec<u8>>>> {
    let hosts: Vec<String> = (request.headers().iter())
        .filter(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase())
        .collect();
    if hosts.len() != 1 {
        return Some(text(400, &tr!("http-400")));
    }
    let allowed = site.hosts.as_ref()?;
    (!allowed.contains(&hosts[0])).then(|| text(403, &tr!("http-403")))
}

/// The state of the page that opens a stream or asks what changed:
/// `?since=<state>`.
fn since(url: &str) -> Option<String> {
    url.split_once('?')
        .into_iter()
        .flat_map(|(_, query)| query.split('&'))
        .find_map(|pair| pair.strip_prefix("since="))
        .map(|state| percent_decode_str(state).decode_utf8_lossy().into_owned())
}

/// The state a reconnecting stream last heard of (`Last-Event-ID`).
fn last_event_id(request: &Request) -> Option<String> {
    (request.headers().iter())
        .find(|h| h.field.equiv("Last-Event-ID"))
        .map(|h| h.value.as_str().to_string())
        .filter(|id| !id.is_empty())
}

fn serve_file(file: &Path, bytes: Vec<u8>, state: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if extension == "html" {
        return html(200, pages::inject(&bytes, state));
    }
    let content_type = match extension.as_str() {
        "css" => "text/css; charset=utf-8",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "typ" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    with_type(Response::from_data(bytes), content_type)
}

/// The event stream of one page (or of the worker the pages of a browser
/// share): the events it missed, then every event until it closes or the
/// server stops.
fn stream_events(request: Request, live: &Live, since: Option<&str>) {
    let Some((events, first)) = live.listen(since) else {
        send(request, text(503, &tr!("http-503")));
        return;
    };
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\nretry: 1000\n\n";
    let mut send = |message: &str| {
        writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_ok()
    };
    if !send(head) || !first.iter().all(|message| send(message)) {
        return;
    }
    loop {
        let sent = match events.recv_timeout(KEEP_ALIVE) {
            Ok(message) => send(&message),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": keep-alive\n\n"),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if !sent {
            return;
        }
    }
}

fn not_found(live: &Live) -> Response<std::io::Cursor<Vec<u8>>> {
    html(404, pages::not_found(&live.current()))
}

fn html(status: u16, page: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(Response::from_data(page), "text/html; charset=utf-8").with_status_code(status)
}

/// A plain text response: `body` and a line end.
fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let body = format!("{body}\n");
    with_type(Response::from_data(body), "text/plain; charset=utf-8").with_status_code(status)
}

fn with_type<R: std::io::Read>(response: Response<R>, content_type: &str) -> Response<R> {
    let response = with_header(response, "Content-Type", content_type);
    with_header(response, "X-Content-Type-Options", "nosniff")
}

/// Adds a header; ours are all ASCII, so none is ever refused.
fn with_header<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("output");
        fs::create_dir_all(root.join("2019")).unwrap();
        fs::write(root.join("index.html"), "<p>plans</p>").unwrap();
        fs::write(root.join("2019/index.html"), "<p>2019</p>").unwrap();
        fs::write(root.join("2019/a.pdf"), "%PDF").unwrap();
        fs::write(root.join(".schede-cache.json"), "{}").unwrap();
        fs::write(dir.path().join("secret"), "no").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn files_and_folders_inside_the_output_are_served() {
        let (_dir, root) = site();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/2019/a.pdf?x=1"),
            Target::File(root.join("2019/a.pdf"))
        );
        assert_eq!(
            resolve(&root, "/2019/"),
            Target::File(root.join("2019/index.html"))
        );
        assert_eq!(resolve(&root, "/2019"), Target::Redirect("/2019/".into()));
        assert_eq!(
            resolve(&root, "/2019/%61.pdf"),
            Target::File(root.join("2019/a.pdf"))
        );
    }

    #[test]
    fn nothing_outside_the_output_nor_hidden_is_served() {
        let (_dir, root) = site();
        for url in [
            "/../secret",
            "/2019/../../secret",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/2019%2f..%2f..%2fsecret",
            "/..%5csecret",
            "/.schede-cache.json",
            "/2019/missing.pdf",
            "/%ff",
            "/a%00.pdf",
            "secret",
        ] {
            assert_eq!(resolve(&root, url), Target::NotFound, "{url}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_output_is_not_followed() {
        let (dir, root) = site();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link.html")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        assert_eq!(resolve(&root, "/link.html"), Target::NotFound);
        assert_eq!(resolve(&root, "/up/secret"), Target::NotFound);
    }

    #[test]
    fn the_stream_starts_from_the_pages_state() {
        assert_eq!(
            since("/__schede/events?since=0a1b").as_deref(),
            Some("0a1b")
        );
        assert_eq!(since("/__schede/events?x=1&since=3").as_deref(), Some("3"));
        assert_eq!(since("/__schede/events"), None);
    }
}
