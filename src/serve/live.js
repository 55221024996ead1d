// schede serve: reloads this page when a build changes it, and shows the
// errors of a failed build over it until the next good build. Added by the
// server to the pages it serves; the files in the output folder never have it.
(() => {
  "use strict";
  // A page framed by the preview page: the preview listens for it.
  if (window.top !== window.self) return;
  const script = document.currentScript;
  const since = (script && script.dataset.since) || "0";
  const preview = document.body && document.body.dataset.schedePreview;
  const asFile = (path) => (path.endsWith("/") ? path + "index.html" : path);
  const folder = (path) => path.slice(0, path.lastIndexOf("/") + 1);

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
  } else {
    watched.push({ file: asFile(location.pathname), reload: () => location.reload() });
  }
  const touches = (changed, file) =>
    changed.some((p) => p === "*" || p === file || (p.endsWith(".css") && folder(p) === folder(file)));

  const events = new EventSource("/__schede/events?since=" + encodeURIComponent(since));
  events.addEventListener("open", () => {
    document.documentElement.dataset.schedeLive = "connected";
  });
  events.addEventListener("reload", (event) => {
    const changed = JSON.parse(event.data);
    for (const item of watched) if (touches(changed, item.file)) item.reload();
  });
  events.addEventListener("errors", (event) => show(JSON.parse(event.data)));
  events.addEventListener("ok", () => hide());

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
