// Progressive enhancements of the pages; every page is complete without them.
// Served from this host (CSP script-src 'self'); no inline script anywhere.
"use strict";

(function () {
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  // The theme the reader chose, applied before the page is drawn.
  var chosen = store.get("theme");
  if (chosen === "light" || chosen === "dark") root.dataset.theme = chosen;

  function effectiveTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function lines() { return document.querySelectorAll("#paste-content > .l"); }

  // #L12 or #L12-L20: mark those lines and bring the first into view.
  function markFromHash() {
    var m = /^#L(\d+)(?:-L?(\d+))?$/.exec(location.hash);
    var all = lines();
    for (var i = 0; i < all.length; i++) all[i].classList.remove("marked");
    if (!m) return;
    var from = parseInt(m[1], 10), to = m[2] ? parseInt(m[2], 10) : from;
    if (to < from) { var t = from; from = to; to = t; }
    for (var n = from; n <= to && n <= all.length; n++) all[n - 1].classList.add("marked");
    var first = document.getElementById("L" + from);
    if (first) first.scrollIntoView({ block: "center" });
  }

  function copyByCommand(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyByCommand(text); });
    }
    return copyByCommand(text);
  }

  function relative(date) {
    if (!window.Intl || !Intl.RelativeTimeFormat) return "";
    var seconds = (date.getTime() - Date.now()) / 1000;
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
                 ["hour", 3600], ["minute", 60], ["second", 1]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === "second") {
        return new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
          .format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
    return "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var hidden = document.querySelectorAll("[data-js]");
    for (var i = 0; i < hidden.length; i++) hidden[i].hidden = false;

    var theme = document.getElementById("theme-toggle");
    if (theme) {
      theme.addEventListener("click", function () {
        var next = effectiveTheme() === "dark" ? "light" : "dark";
        root.dataset.theme = next;
        store.set("theme", next);
        theme.setAttribute("aria-label", "Switch to " + (next === "dark" ? "light" : "dark") + " theme");
      });
    }

    var code = document.querySelector(".code");
    var wrap = document.getElementById("wrap");
    if (code && wrap) {
      var setWrap = function (on) {
        code.classList.toggle("wrap", on);
        wrap.setAttribute("aria-pressed", on ? "true" : "false");
      };
      setWrap(store.get("wrap") === "on");
      wrap.addEventListener("click", function () {
        var on = !code.classList.contains("wrap");
        setWrap(on);
        store.set("wrap", on ? "on" : "off");
      });
    }

    var copy = document.getElementById("copy");
    if (copy) {
      copy.addEventListener("click", function () {
        var parts = document.querySelectorAll("#paste-content > .l > span");
        var text = Array.prototype.map.call(parts, function (p) { return p.textContent; }).join("\n");
        copyText(text).then(function () {
          copy.textContent = "Copied!";
        }, function () {
          copy.textContent = "Copy failed";
        }).then(function () {
          setTimeout(function () { copy.textContent = "Copy"; }, 2000);
        });
      });
    }

    // Shift-click a line number to mark a range from the last one clicked.
    var anchor = null;
    var content = document.getElementById("paste-content");
    if (content) {
      content.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest(".l > a");
        if (!link) return;
        var n = parseInt(link.parentNode.id.slice(1), 10);
        if (event.shiftKey && anchor !== null && anchor !== n) {
          event.preventDefault();
          var from = Math.min(anchor, n), to = Math.max(anchor, n);
          history.replaceState(null, "", "#L" + from + "-L" + to);
          markFromHash();
        } else {
          anchor = n;
        }
      });
    }
    window.addEventListener("hashchange", markFromHash);
    markFromHash();

    var times = document.querySelectorAll("time[datetime]");
    for (var j = 0; j < times.length; j++) {
      var at = new Date(times[j].getAttribute("datetime"));
      if (isNaN(at.getTime())) continue;
      times[j].title = times[j].textContent;
      times[j].textContent = at.toLocaleString() + " (" + relative(at) + ")";
    }

    // [data-copy=ID]: copies that field's value (or element's text): the
    // new paste's link and delete token, a new API token.
    var copiers = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(copiers, function (button) {
      var label = button.textContent;
      button.addEventListener("click", function () {
        var from = document.getElementById(button.getAttribute("data-copy"));
        if (!from) return;
        var text = "value" in from ? from.value : from.textContent;
        copyText(text).then(function () {
          button.textContent = "Copied!";
        }, function () {
          if (from.select) from.select();
          button.textContent = "Press Ctrl+C";
        }).then(function () {
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
    var shareUrl = document.getElementById("share-url");
    if (shareUrl) shareUrl.addEventListener("focus", function () { shareUrl.select(); });

    var form = document.querySelector("form.new");
    if (form) {
      // A paste over the limit is refused here, before sending, so the text
      // stays in the form (the server's 413 would replace the page).
      var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
      var sizeError = document.getElementById("size-error");
      form.addEventListener("submit", function (event) {
        if (!limit || !sizeError) return;
        var text = form.querySelector("textarea[name=content]");
        var file = form.querySelector("input[type=file]");
        var bytes = text && window.Blob ? new Blob([text.value]).size : 0;
        // Every file counts: the limit is the whole paste's.
        if (file && file.files) for (var i = 0; i < file.files.length; i++) bytes += file.files[i].size;
        if (bytes > limit) {
          event.preventDefault();
          sizeError.textContent = "Not sent: this paste is " + (bytes / 1048576).toFixed(1) +
            " MiB, over the limit of " + form.getAttribute("data-max-size") +
            ". Your text is still here: shorten it, or split it into several pastes.";
          sizeError.hidden = false;
          if (text) text.setAttribute("aria-invalid", "true");
          sizeError.scrollIntoView({ block: "center" });
        } else {
          sizeError.hidden = true;
        }
      });
      // Ctrl/Cmd+Enter sends the new-paste form.
      form.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }
      });
    }
  });
})();
