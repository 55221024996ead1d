// schede serve: reloads this page when a build changes it, shows the errors
// of a failed build over it until the next good build, and says when the
// server stops or restarts. Added by the server to the pages it serves; the
// files in the output folder never have it.
//
// The tabs of a browser share one event stream, held by this same file run
// as a SharedWorker: a browser opens few connections to one server (six in
// Chromium), and a stream per tab would leave the seventh tab waiting.
// Where there is no SharedWorker, the page holds a stream of its own and
// closes it before reloading.
(() => {
  "use strict";

  // The stream and what it said last, told to `tell` (every tab, or one page).
  function hub(tell, since) {
    let last = since;
    let server = null;
    let texts = {};
    let status = { type: "status", status: "connecting", texts };
    let condition = { type: "ok" };
    let source = null;
    const open = () => {
      const query = last ? "?since=" + encodeURIComponent(last) : "";
      source = new EventSource("/__schede/events" + query);
      source.addEventListener("hello", (event) => {
        const hello = JSON.parse(event.data);
        const restarted = server !== null && hello.server !== server;
        server = hello.server;
        texts = { stopped: hello.stopped, restarted: hello.restarted };
        if (!last) last = hello.state;
        status = { type: "status", status: restarted ? "restarted" : "connected", texts };
        tell(status);
      });
      source.addEventListener("reload", (event) => {
        last = event.lastEventId || last;
        tell({ type: "reload", changed: JSON.parse(event.data) });
      });
      source.addEventListener("errors", (event) => {
        condition = { type: "errors", failure: JSON.parse(event.data) };
        tell(condition);
      });
      source.addEventListener("ok", () => {
        condition = { type: "ok" };
        tell(condition);
      });
      // A stopped server: say so, and try again every second, from the
      // last state heard of, so that the new server replays what changed.
      source.addEventListener("error", () => {
        source.close();
        if (status.status !== "stopped") {
          status = { type: "status", status: "stopped", texts };
          tell(status);
        }
        setTimeout(open, 1000);
      });
    };
    open();
    return {
      current: () => [status, condition],
      close: () => source.close(),
    };
  }

  // Run as the SharedWorker: one stream, every tab's port told.
  if (typeof document === "undefined") {
    const ports = new Set();
    const shared = hub((message) => {
      for (const port of ports) port.postMessage(message);
    }, null);
    self.addEventListener("connect", (event) => {
      const port = event.ports[0];
      ports.add(port);
      port.addEventListener("message", (message) => {
        if (message.data === "bye") ports.delete(port);
      });
      port.start();
      for (const message of shared.current()) port.postMessage(message);
    });
    return;
  }

  // A page framed by the preview page: the preview listens for it.
  if (window.top !== window.self) return;
  const script = document.currentScript;
  const since = (script && script.dataset.since) || "";
  const preview = document.body && document.body.dataset.schedePreview;
  const list = document.body && "schedeList" in document.body.dataset;
  const asFile = (path) => (path.endsWith("/") ? path + "index.html" : path);
  const folder = (path) => path.slice(0, path.lastIndexOf("/") + 1);

  let leave = () => {};
  const reloadPage = () => {
    leave();
    location.reload();
  };

  // The files this page shows, and what to do when one changes.
  const watched = [];
  if (preview) {
    for (const [id, file] of [["schede-page", preview + ".html"], ["schede-pdf", preview + ".pdf"]]) {
      watched.push({
        file,
        reload: () => {
          const frame = document.getElementById(id);
          if (frame) frame.src = file + "?t=" + Date.now();
        },
      });
    }
  } else if (list) {
    // The list of sheets: a sheet's PDF made or removed.
    watched.push({ file: ".pdf", reload: reloadPage });
  } else {
    watched.push({ file: asFile(location.pathname), reload: reloadPage });
  }
  const touches = (changed, file) =>
    changed.some(
      (p) =>
        p === "*" ||
        p === file ||
        (file === ".pdf" && p.endsWith(".pdf")) ||
        (p.endsWith(".css") && folder(p) === folder(file)),
    );

  function receive(message) {
    if (message.type === "reload") {
      for (const item of watched) if (touches(message.changed, item.file)) item.reload();
    } else if (message.type === "errors") {
      show(message.failure);
    } else if (message.type === "ok") {
      hide();
    } else if (message.type === "status") {
      state(message.status, message.texts);
    }
  }

  // The page's own stream, where there is no shared one: no SharedWorker,
  // or one that failed to start. (Not after a silence: on a loaded machine a
  // slow worker made every tab open its own stream, and the seventh tab
  // waited for a connection again.)
  let own = null;
  const alone = () => {
    if (own) return;
    own = hub(receive, since);
    leave = () => own.close();
  };
  if (typeof SharedWorker === "function") {
    const worker = new SharedWorker("/__schede/live.js", { name: "schede-live" });
    worker.port.addEventListener("message", (event) => own || receive(event.data));
    worker.port.start();
    leave = () => worker.port.postMessage("bye");
    worker.addEventListener("error", alone);
    // What changed between this page's reading and its joining the stream.
    fetch("/__schede/changes?since=" + encodeURIComponent(since))
      .then((response) => response.json())
      .then((changed) => receive({ type: "reload", changed }))
      .catch(() => {});
  } else {
    alone();
  }
  window.addEventListener("pagehide", () => leave());

  // The server's state, on the root element and, when not connected, in a
  // bar at the top of the page.
  function state(status, texts) {
    document.documentElement.dataset.schedeLive = status;
    const old = document.getElementById("schede-status");
    if (old) old.remove();
    const text = status === "stopped" ? texts.stopped : status === "restarted" ? texts.restarted : null;
    if (!text) return;
    const bar = document.createElement("div");
    bar.id = "schede-status";
    bar.setAttribute("role", "status");
    bar.setAttribute("style", [
      "position:fixed", "inset:0 0 auto 0", "z-index:2147483647", "margin:0", "padding:0.5rem 1.25rem",
      "background:" + (status === "stopped" ? "#5c4400" : "#1a1a1a"), "color:#fff",
      "font:1rem/1.4 system-ui,sans-serif",
    ].join(";"));
    bar.textContent = text;
    document.body.append(bar);
    if (status === "restarted") setTimeout(() => bar.remove(), 5000);
  }

  function hide() {
    const overlay = document.getElementById("schede-overlay");
    if (overlay) overlay.remove();
  }

  function show(failure) {
    hide();
    const overlay = document.createElement("div");
    overlay.id = "schede-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("style", [
      "position:fixed", "inset:auto 0 0 0", "max-height:70vh", "overflow:auto", "z-index:2147483647",
      "margin:0", "padding:1rem 1.25rem", "background:#fff", "color:#1a1a1a",
      "border-top:0.4rem solid #b00020", "box-shadow:0 -0.2rem 1rem rgba(0,0,0,0.3)",
      "font:1rem/1.4 system-ui,sans-serif",
    ].join(";"));
    const title = document.createElement("p");
    title.setAttribute("style", "margin:0 0 0.5rem;font-weight:bold;color:#b00020");
    title.textContent = failure.title;
    overlay.append(title);
    for (const text of failure.diagnostics) {
      const item = document.createElement("pre");
      item.className = "schede-diagnostic";
      item.setAttribute("style", "margin:0 0 0.5rem;white-space:pre-wrap;font:0.9rem/1.4 ui-monospace,monospace");
      item.textContent = text;
      overlay.append(item);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = failure.close;
    close.addEventListener("click", hide);
    overlay.append(close);
    document.body.append(overlay);
  }
})();
