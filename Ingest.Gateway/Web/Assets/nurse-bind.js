// Bind (/nurse/bind/{candidate}): scan the participant pseudonym from the study's QR code with the camera where the
// browser allows it (BarcodeDetector and getUserMedia, on a secure page); otherwise the field is typed, and the note
// says why. A scanned WI1 label (docs/web.md) gives its participant; any other code is taken as the pseudonym itself.
"use strict";
(function () {
  var button = document.getElementById("scan-button");
  var note = document.getElementById("scan-note");
  var video = document.getElementById("scan-video");
  var field = document.getElementById("participant");
  if (!button || !note || !video || !field) { return; }

  function typed(why) {
    note.textContent = "Type the pseudonym from the study's card. (" + why + ")";
  }

  var canScan = window.isSecureContext && ("BarcodeDetector" in window) && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan) {
    typed(!window.isSecureContext ? "The camera scan needs a secure https page; this one is not."
      : "This browser cannot read QR codes with the camera.");
    return;
  }

  // Some browsers have the API but no detector behind it (Chromium on Linux): ask which formats it reads.
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) { typed("This browser cannot read QR codes with the camera."); return; }
    button.hidden = false;
    note.textContent = "Scan the study's QR code with the camera, or type the pseudonym.";
  }, function () { typed("This browser cannot read QR codes with the camera."); });

  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    button.textContent = "Scan the study's QR code";
  }

  function pseudonymFrom(text) {
    text = String(text).trim();
    if (text.indexOf("WI1;") === 0) {
      var parts = text.split(";");
      for (var i = 1; i < parts.length; i++) {
        if (parts[i].indexOf("participant=") === 0) { return decodeURIComponent(parts[i].substring(12)); }
      }
    }
    return text;
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); }
    catch (e) { note.textContent = "This browser cannot read QR codes; type the pseudonym."; button.hidden = true; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        button.textContent = "Stop the camera";
        note.textContent = "Hold the study's QR code in front of the camera.";
        return video.play().then(function () {
          function look() {
            if (!stream) { return; }
            detector.detect(video).then(function (codes) {
              if (codes.length > 0) {
                field.value = pseudonymFrom(codes[0].rawValue);
                note.textContent = "Scanned: check the pseudonym, then give a reason and bind.";
                stop();
                field.focus();
              } else {
                window.setTimeout(look, 200);
              }
            }).catch(function () { window.setTimeout(look, 500); });
          }
          look();
        });
      })
      .catch(function () {
        stop();
        note.textContent = "The camera is not available (permission refused, or none); type the pseudonym.";
      });
  });
})();
