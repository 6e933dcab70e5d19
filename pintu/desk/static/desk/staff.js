/* Pintu staff workspace: live countdowns and step timers, the queue's new-request
   alerts (sound and browser notification, only after the user opts in), the bulk
   selection, kept while htmx refreshes the rows, and the question before a bulk close.
   No build step. */
(function () {
  "use strict";

  var ALERTS_KEY = "pintu.desk.alerts";
  var words = {};
  var audio = null;
  var seen = null; // the count of new requests at the last check

  function fill(template, name, value) {
    return String(template || "").replace("%(" + name + ")s", value);
  }

  // 12 mnt, 3 jam 12 mnt, 2 hari 3 jam: the two largest parts are enough.
  function span(minutes) {
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    if (days) return days + " " + words.day + (hours ? " " + hours + " " + words.hour : "");
    if (hours) return hours + " " + words.hour + (rest ? " " + rest + " " + words.minute : "");
    return rest + " " + words.minute;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-due]").forEach(function (el) {
      var left = Date.parse(el.dataset.due) - now;
      var minutes = Math.max(1, Math.ceil(Math.abs(left) / 60000));
      el.textContent = left >= 0 ? fill(words.left, "time", span(minutes)) : fill(words.late, "time", span(minutes));
      el.classList.toggle("late", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 15 * 60000);
    });
    document.querySelectorAll("time[data-since]").forEach(function (el) {
      var minutes = Math.max(0, Math.floor((now - Date.parse(el.dataset.since)) / 60000));
      el.textContent = fill(words.running, "time", span(minutes));
    });
  }

  function alertsOn() {
    try { return window.localStorage.getItem(ALERTS_KEY) === "1"; } catch (e) { return false; }
  }

  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume();
  }

  function beep() {
    unlockAudio();
    if (!audio) return;
    var start = audio.currentTime;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.setValueAtTime(880, start);
    oscillator.frequency.setValueAtTime(1320, start + 0.12);
    gain.gain.setValueAtTime(0.2, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.35);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.35);
  }

  function notify(count) {
    if (!alertsOn()) return;
    beep();
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(words.notifyTitle, { body: fill(words.notifyBody, "count", count), tag: "pintu-desk" });
    }
  }

  function renderToggle(button) {
    var on = alertsOn();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? words.alertsOn : words.alertsOff;
  }

  function setUpToggle() {
    var button = document.getElementById("desk-alerts");
    if (!button) return;
    renderToggle(button);
    button.addEventListener("click", function () {
      try {
        if (alertsOn()) {
          window.localStorage.removeItem(ALERTS_KEY);
        } else {
          window.localStorage.setItem(ALERTS_KEY, "1");
          unlockAudio(); // browsers allow sound only after a click
          if ("Notification" in window && Notification.permission === "default") {
            Notification.requestPermission();
          }
        }
      } catch (e) { /* storage refused: alerts stay off */ }
      renderToggle(button);
    });
    // After a reload the sound needs one more click anywhere before it may play.
    document.addEventListener("click", function () { if (alertsOn()) unlockAudio(); }, { once: true });
  }

  function checkNew() {
    var rows = document.getElementById("queue-rows");
    var live = document.getElementById("queue-live");
    if (!rows) return;
    var count = parseInt(rows.dataset["new"] || "0", 10);
    if (seen !== null && count > seen) notify(count - seen);
    seen = count;
    if (live) {
      var checked = new Date(Date.parse(rows.dataset.checked));
      var time = checked.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      live.textContent = fill(words.newCount, "count", count) + " · " + fill(words.updated, "time", time);
    }
    document.title = document.title.replace(/^\(\d+\) /, "");
    if (count > 0) document.title = "(" + count + ") " + document.title;
  }

  // The bulk checkboxes survive the rows being replaced by the poll.
  var checked = [];
  function rememberChecked() {
    checked = Array.prototype.map.call(document.querySelectorAll("#queue-rows input[name=tickets]:checked"), function (box) { return box.value; });
  }
  function restoreChecked() {
    document.querySelectorAll("#queue-rows input[name=tickets]").forEach(function (box) {
      box.checked = checked.indexOf(box.value) >= 0;
    });
  }

  function setUpSelectAll() {
    var all = document.getElementById("select-all");
    if (!all) return;
    all.addEventListener("change", function () {
      document.querySelectorAll("#queue-rows input[name=tickets]").forEach(function (box) { box.checked = all.checked; });
    });
  }

  // Closing several requests asks once, naming how many; the answer travels with the
  // form, so the server does not ask again (without script it asks on a page).
  function setUpBulkClose() {
    var form = document.getElementById("bulk");
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (!event.submitter || event.submitter.value !== "close") return;
      var count = Array.prototype.filter.call(form.elements, function (field) {
        return field.name === "tickets" && field.checked;
      }).length;
      if (!count) return; // nothing chosen: the server says so
      if (!window.confirm(fill(count === 1 ? words.closeOne : words.closeMany, "count", count))) {
        event.preventDefault();
        return;
      }
      var confirmed = form.querySelector("input[name=confirmed]");
      if (!confirmed) {
        confirmed = document.createElement("input");
        confirmed.type = "hidden";
        confirmed.name = "confirmed";
        form.appendChild(confirmed);
      }
      confirmed.value = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("desk-words");
    words = source ? JSON.parse(source.textContent) : {};
    setUpToggle();
    setUpSelectAll();
    setUpBulkClose();
    checkNew();
    tick();
    window.setInterval(tick, 1000);
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "queue-rows") rememberChecked();
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      if (!document.getElementById("queue-rows")) return;
      restoreChecked();
      checkNew();
      tick();
    });
  });
})();
