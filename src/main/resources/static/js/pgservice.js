// The pg_service editors: the simple form and the pg_service.conf text show the same entry, and switching
// either way keeps what was typed. The server accepts either form, so this only converts.
(function () {
  "use strict";
  const toggle = document.getElementById("toggle-editor");
  if (!toggle) return;
  const simple = document.getElementById("simple-editor");
  const advanced = document.getElementById("advanced-editor");
  const editor = document.getElementById("editor");
  const text = document.getElementById("text");
  const extras = document.getElementById("extra-fields");
  const KNOWN = ["host", "port", "dbname", "user", "password", "sslmode"];
  const field = function (id) { return document.getElementById(id); };

  function addExtra(key, value) {
    const n = extras.children.length;
    const row = document.createElement("div");
    row.className = "row extra";
    row.innerHTML = '<label class="sr-only" for="extra-key-' + n + '">Setting</label>' +
      '<input name="extraKeys" id="extra-key-' + n + '" placeholder="setting" autocomplete="off" spellcheck="false">' +
      '<label class="sr-only" for="extra-value-' + n + '">Value</label>' +
      '<input name="extraValues" id="extra-value-' + n + '" placeholder="value" autocomplete="off" spellcheck="false">';
    extras.appendChild(row);
    row.querySelector('[name="extraKeys"]').value = key || "";
    row.querySelector('[name="extraValues"]').value = value || "";
    return row;
  }

  function toText() {
    const lines = ["[" + field("service").value.trim() + "]"];
    KNOWN.forEach(function (k) {
      const v = field(k).value.trim();
      if (v) lines.push(k + "=" + v);
    });
    extras.querySelectorAll(".extra").forEach(function (row) {
      const k = row.querySelector('[name="extraKeys"]').value.trim();
      const v = row.querySelector('[name="extraValues"]').value.trim();
      if (k && v) lines.push(k + "=" + v);
    });
    return lines.join("\n") + "\n";
  }

  function fromText(value) {
    KNOWN.concat(["service"]).forEach(function (k) { field(k).value = ""; });
    extras.innerHTML = "";
    value.split(/\r?\n/).forEach(function (raw) {
      const line = raw.trim();
      if (!line || line.startsWith("#") || line.startsWith(";")) return;
      const section = line.match(/^\[(.+)\]$/);
      if (section) { field("service").value = section[1].trim(); return; }
      const eq = line.indexOf("=");
      if (eq <= 0) return;
      const key = line.slice(0, eq).trim();
      const v = line.slice(eq + 1).trim();
      if (KNOWN.indexOf(key) >= 0) field(key).value = v; else addExtra(key, v);
    });
  }

  toggle.addEventListener("click", function () {
    if (editor.value === "advanced") {
      fromText(text.value);
      editor.value = "simple";
      advanced.hidden = true;
      simple.hidden = false;
      toggle.textContent = "Advanced editor";
      field("service").focus();
    } else {
      text.value = toText();
      editor.value = "advanced";
      simple.hidden = true;
      advanced.hidden = false;
      toggle.textContent = "Simple editor";
      text.focus();
    }
  });

  document.getElementById("add-extra").addEventListener("click", function () {
    addExtra("", "").querySelector('[name="extraKeys"]').focus();
  });
})();
