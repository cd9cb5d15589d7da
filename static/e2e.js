// End-to-end encrypted pastes in the browser, with WebCrypto: the new-paste
// form encrypts before anything is sent, the paste page decrypts with the key
// in the link's fragment (#key), which browsers never send to a server.
// The format (e2e-v1) is specified in docs/encryption.md; the command-line
// client (src/client/e2e.rs) makes and opens the same envelopes.
// Served from this host (CSP script-src 'self'); no inline script anywhere.
"use strict";

(function () {
  var PREFIX = "e2e-v1";
  var KDF = "PBKDF2-SHA-256";
  var ITERATIONS = 600000;
  var MIN_ITERATIONS = 100000, MAX_ITERATIONS = 10000000;
  var KEY = /^#([A-Za-z0-9_-]{43})(?:\/L(\d+)(?:-L?(\d+))?)?$/;
  var UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  var utf8 = new TextEncoder();

  function b64u(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unb64u(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function random(n) { return crypto.getRandomValues(new Uint8Array(n)); }

  // The AES-256-GCM key: the link's 32 bytes, or with a password
  // PBKDF2-HMAC-SHA-256(key || UTF-8 password, salt, iterations) -> 32 bytes.
  function aesKey(raw, password, kdf, usage) {
    if (!kdf) return crypto.subtle.importKey("raw", raw, "AES-GCM", false, [usage]);
    var pw = utf8.encode(password), material = new Uint8Array(raw.length + pw.length);
    material.set(raw, 0);
    material.set(pw, raw.length);
    return crypto.subtle.importKey("raw", material, "PBKDF2", false, ["deriveBits"])
      .then(function (base) {
        return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256",
          salt: unb64u(kdf.salt), iterations: kdf.iterations }, base, 256);
      })
      .then(function (bits) { return crypto.subtle.importKey("raw", bits, "AES-GCM", false, [usage]); });
  }

  function encrypt(text, expires, burn, password) {
    var raw = random(32);
    var kdf = password ? { name: KDF, iterations: ITERATIONS, salt: b64u(random(16)) } : null;
    var header = b64u(utf8.encode(JSON.stringify({ expires: expires, burn_after_read: burn, kdf: kdf })));
    var nonce = random(12);
    return aesKey(raw, password, kdf, "encrypt").then(function (key) {
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, tagLength: 128,
        additionalData: utf8.encode(PREFIX + "." + header) }, key, utf8.encode(text));
    }).then(function (sealed) {
      return { envelope: [PREFIX, header, b64u(nonce), b64u(new Uint8Array(sealed))].join("."), key: b64u(raw) };
    });
  }

  // The envelope's parts and header, or an Error saying what is wrong.
  function open(envelope) {
    var parts = envelope.trim().split(".");
    if (parts.length !== 4 || parts[0] !== PREFIX) throw new Error("this is not an e2e-v1 envelope");
    var header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(unb64u(parts[1])));
    var kdf = header.kdf;
    if (kdf && (kdf.name !== KDF || !(kdf.iterations >= MIN_ITERATIONS && kdf.iterations <= MAX_ITERATIONS))) {
      throw new Error("its key derivation is not one this page knows");
    }
    return { parts: parts, header: header };
  }

  function decrypt(opened, keyText, password) {
    var raw = unb64u(keyText);
    var p = opened.parts;
    return aesKey(raw, password, opened.header.kdf, "decrypt").then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64u(p[2]), tagLength: 128,
        additionalData: utf8.encode(p[0] + "." + p[1]) }, key, unb64u(p[3]));
    }).then(function (plain) { return new TextDecoder("utf-8", { fatal: true }).decode(plain); });
  }

  // What the server shows must be what the author sealed in the header.
  function metadataAgrees(header, article) {
    if (header.burn_after_read !== (article.dataset.burn === "true")) return false;
    var expires = article.dataset.expires;
    if (header.expires === "never") return expires === "";
    var m = /^(\d+)([smhdwy])$/.exec(header.expires);
    if (!m || expires === "") return false;
    var life = Date.parse(expires) - Date.parse(article.dataset.created);
    return life === parseInt(m[1], 10) * UNITS[m[2]] * 1000;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  // The text as numbered lines, the server's own markup; line links keep
  // the key: #key/L12, #key/L12-L20.
  function show(text, keyText) {
    var box = document.getElementById("e2e-content");
    var lines = text.split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    var frag = document.createDocumentFragment();
    lines.forEach(function (line, i) {
      var row = document.createElement("span");
      row.className = "l";
      row.id = "L" + (i + 1);
      var link = document.createElement("a");
      link.href = "#" + keyText + "/L" + (i + 1);
      var cell = document.createElement("span");
      cell.textContent = line.replace(/\r$/, "");
      row.appendChild(link);
      row.appendChild(cell);
      frag.appendChild(row);
    });
    box.appendChild(frag);
    document.getElementById("e2e-lines").textContent = lines.length + (lines.length === 1 ? " line" : " lines");
    document.getElementById("e2e-code").hidden = false;
    document.getElementById("e2e-actions").hidden = false;
    var download = document.getElementById("e2e-download");
    download.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    var copy = document.getElementById("e2e-copy");
    copy.addEventListener("click", function () {
      copyText(text).then(function () { copy.textContent = "Copied!"; },
        function () { copy.textContent = "Copy failed"; })
        .then(function () { setTimeout(function () { copy.textContent = "Copy"; }, 2000); });
    });
    function mark() {
      var m = KEY.exec(location.hash), rows = box.children;
      for (var i = 0; i < rows.length; i++) rows[i].classList.remove("marked");
      if (!m || !m[2]) return;
      var from = parseInt(m[2], 10), to = m[3] ? parseInt(m[3], 10) : from;
      if (to < from) { var t = from; from = to; to = t; }
      for (var n = from; n <= to && n <= rows.length; n++) rows[n - 1].classList.add("marked");
      if (rows[from - 1]) rows[from - 1].scrollIntoView({ block: "center" });
    }
    window.addEventListener("hashchange", mark);
    mark();
  }

  function pastePage(article) {
    var status = document.getElementById("e2e-status");
    var fail = function (why) {
      status.textContent = why;
      status.classList.add("failed");
      status.id = "e2e-status";
      status.dataset.outcome = "failed";
    };
    var m = KEY.exec(location.hash);
    if (!m) {
      fail("This link has no key (the part after #), so this paste cannot be decrypted. Ask for the whole link.");
      return;
    }
    var opened;
    try {
      opened = open(document.getElementById("e2e-envelope").textContent);
    } catch (e) {
      fail("Failed to decrypt: the envelope is damaged (" + e.message + ").");
      return;
    }
    if (!metadataAgrees(opened.header, article)) {
      fail("Failed to decrypt: the expiry or burn-after-read this page shows is not what the paste's author sealed; the server altered it.");
      return;
    }
    var attempt = function (password) {
      status.textContent = "Decrypting in your browser…";
      return decrypt(opened, m[1], password).then(function (text) {
        status.textContent = "Decrypted in your browser; the server never had the key.";
        status.dataset.outcome = "decrypted";
        document.getElementById("e2e-unlock").hidden = true;
        show(text, m[1]);
      });
    };
    if (!opened.header.kdf) {
      attempt("").catch(function () {
        fail("Failed to decrypt: the key is wrong, or the envelope or its metadata was altered.");
      });
      return;
    }
    var unlock = document.getElementById("e2e-unlock");
    var input = document.getElementById("e2e-unlock-password");
    status.textContent = "This paste also needs its password.";
    unlock.hidden = false;
    unlock.addEventListener("submit", function (event) {
      event.preventDefault();
      attempt(input.value).catch(function () {
        fail("Failed to decrypt: wrong password, or the key, envelope or metadata is not the author's.");
      });
    });
  }

  // The new-paste form: with "Encrypt in the browser" ticked, the text never
  // leaves this page in clear; a form of its own carries the envelope, and
  // "/#key" as its action makes the browser land on /{id}#key (a redirect
  // keeps the fragment of the URL it came from).
  function newPasteForm(form) {
    var box = document.getElementById("e2e-encrypt");
    var error = document.getElementById("e2e-error");
    if (!box) return;
    if (!window.crypto || !crypto.subtle) {
      box.disabled = true;
      box.parentNode.title = "This browser has no WebCrypto here (it needs https or localhost).";
    }
    form.addEventListener("submit", function (event) {
      if (!box.checked) return;
      event.preventDefault();
      error.hidden = true;
      var field = function (name) { return form.elements[name]; };
      var file = field("file") && field("file").files && field("file").files[0];
      var text = field("content").value;
      var read = text.trim() === "" && file ? file.text() : Promise.resolve(text);
      read.then(function (text) {
        if (text.trim() === "") throw new Error("there is no text to encrypt");
        var expires = field("expires").value || "never";
        var burn = field("burn_after_read").checked;
        var password = document.getElementById("e2e-password").value;
        return encrypt(text, expires, burn, password).then(function (sealed) {
          var out = document.createElement("form");
          out.method = "post";
          out.action = "/#" + sealed.key;
          out.enctype = "multipart/form-data";
          out.hidden = true;
          var put = function (name, value) {
            var input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.value = value;
            out.appendChild(input);
          };
          put("content", sealed.envelope);
          put("end_to_end", "on");
          put("expires", expires);
          if (burn) put("burn_after_read", "on");
          put("visibility", field("visibility").value === "private" ? "private" : "unlisted");
          if (field("csrf_token")) put("csrf_token", field("csrf_token").value);
          document.body.appendChild(out);
          out.submit();
        });
      }).catch(function (e) {
        error.textContent = "Not encrypted, nothing sent: " + e.message + ".";
        error.hidden = false;
      });
    });
  }

  var article = document.getElementById("e2e");
  if (article) pastePage(article);
  var form = document.querySelector("form.new");
  if (form) newPasteForm(form);
  // The click page of a burn-after-read paste: the reveal keeps the key.
  var reveal = document.querySelector("section.burn form");
  if (reveal && KEY.test(location.hash)) reveal.action = reveal.getAttribute("action") + location.hash;
})();
