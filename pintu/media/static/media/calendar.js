/* The content calendar (pintu/media): drag an item to another day with the mouse, or
   with the keyboard: Space or Enter on its "Move" button picks it up, the arrow keys
   choose the day (left and right a day, up and down a week), Enter puts it there and
   Escape cancels. The new day is posted to the item's reschedule address; the page then
   reloads with the focus back on the item. Without script, the item's page moves it. */
(function () {
  "use strict";
  var grid = document.querySelector("table.media-grid");
  if (!grid) { return; }
  var live = document.getElementById("media-live");
  var days = Array.prototype.slice.call(grid.querySelectorAll("td[data-day]"));
  var held = null;
  var target = null;

  function say(text) { if (live) { live.textContent = text; } }

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function mark(cell) {
    days.forEach(function (day) { day.classList.remove("drop-target"); });
    target = cell;
    if (cell) { cell.classList.add("drop-target"); }
  }

  function release() {
    if (held) {
      held.classList.remove("dragging");
      var handle = held.querySelector(".media-move");
      if (handle) { handle.setAttribute("aria-pressed", "false"); }
    }
    held = null;
    mark(null);
  }

  function move(card, day) {
    var body = new URLSearchParams();
    body.append("day", day);
    fetch(card.getAttribute("data-reschedule"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { throw new Error(answer.error || grid.getAttribute("data-failed")); }
        window.sessionStorage.setItem("media-focus", card.getAttribute("data-item"));
        window.location.reload();
      });
    }).catch(function (error) { say(error.message || grid.getAttribute("data-failed")); });
  }

  // The mouse: HTML drag and drop onto a day.
  grid.addEventListener("dragstart", function (event) {
    var card = event.target.closest(".media-card");
    if (!card) { return; }
    event.dataTransfer.setData("text/plain", card.getAttribute("data-item"));
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  grid.addEventListener("dragend", function (event) {
    var card = event.target.closest(".media-card");
    if (card) { card.classList.remove("dragging"); }
    mark(null);
  });
  grid.addEventListener("dragover", function (event) {
    var cell = event.target.closest("td[data-day]");
    if (!cell) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (cell !== target) { mark(cell); }
  });
  grid.addEventListener("drop", function (event) {
    var cell = event.target.closest("td[data-day]");
    if (!cell) { return; }
    event.preventDefault();
    mark(null);
    var id = event.dataTransfer.getData("text/plain");
    var card = grid.querySelector('.media-card[data-item="' + id + '"]');
    if (card && card.closest("td") !== cell) { move(card, cell.getAttribute("data-day")); }
  });

  // The keyboard: the item's "Move" button picks it up and puts it down.
  var STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
  grid.addEventListener("keydown", function (event) {
    var handle = event.target.closest(".media-move");
    if (!handle) { return; }
    var card = handle.closest(".media-card");
    if (!held) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        held = card;
        card.classList.add("dragging");
        handle.setAttribute("aria-pressed", "true");
        mark(card.closest("td"));
        say(grid.getAttribute("data-picked").replace("{title}", card.getAttribute("data-title")));
      }
      return;
    }
    if (Object.prototype.hasOwnProperty.call(STEPS, event.key)) {
      event.preventDefault();
      var at = days.indexOf(target) + STEPS[event.key];
      mark(days[Math.max(0, Math.min(days.length - 1, at))]);
      say(target.getAttribute("data-label"));
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      var cell = target;
      var moving = held;
      release();
      if (cell && cell !== moving.closest("td")) {
        move(moving, cell.getAttribute("data-day"));
      } else {
        say(grid.getAttribute("data-cancelled"));
      }
    } else if (event.key === "Escape" || event.key === "Tab") {
      release();
      say(grid.getAttribute("data-cancelled"));
    }
  });

  var focus = window.sessionStorage.getItem("media-focus");
  if (focus) {
    window.sessionStorage.removeItem("media-focus");
    var moved = grid.querySelector('.media-card[data-item="' + focus + '"] .media-move');
    if (moved) { moved.focus(); }
  }
}());
