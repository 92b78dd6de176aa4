// Small helpers for the server-rendered pages: the CSRF header for htmx and the upload progress bar.
(function () {
  "use strict";
  const token = document.querySelector('meta[name="csrf-token"]');
  const header = document.querySelector('meta[name="csrf-header"]');

  // htmx requests carry the session's CSRF token like the forms do.
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (token && header) e.detail.headers[header.content] = token.content;
  });

  // Upload by XHR so that the browser reports progress; the server streams the body into storage.
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("upload-file");
  const bar = document.getElementById("upload-progress");
  const status = document.getElementById("upload-status");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    const file = input.files[0];
    if (!file) { status.textContent = "Choose a file first."; input.focus(); return; }
    const data = new FormData();
    data.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.url + "/" + encodeURIComponent(file.name));
    if (token && header) xhr.setRequestHeader(header.content, token.content);
    bar.hidden = false;
    bar.value = 0;
    xhr.upload.addEventListener("progress", function (p) {
      if (p.lengthComputable) {
        bar.value = Math.round(100 * p.loaded / p.total);
        status.textContent = "Uploading " + file.name + ": " + bar.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      let message = "";
      try { message = JSON.parse(xhr.responseText).message; } catch (ignored) { message = "The upload failed (" + xhr.status + ")."; }
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        status.textContent = message + " Reloading…";
        window.location.reload();
      } else {
        status.textContent = message;
      }
    });
    xhr.addEventListener("error", function () { status.textContent = "The upload was interrupted; try again."; });
    status.textContent = "Uploading " + file.name + "…";
    xhr.send(data);
  });
})();
