// The board's drag and drop, on top of forms that work without it.
// Drop a screening on a venue's lane: it moves there, to the time under the pointer (5-minute
// steps). Drop it on another screening: the two swap places (one list of changes, so two
// confirmed screenings can swap). Either way a plain form is posted, so the server's answer
// (the board again, or a refusal shown in place) is the same as without the script.
(function () {
  "use strict";
  const board = document.querySelector(".board[data-first]");
  if (!board) return;
  const first = new Date(board.dataset.first).getTime();
  const step = Number(board.dataset.step);
  const columns = Number(board.dataset.columns);
  const slug = board.dataset.slug;

  function post(action, fields) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    const all = Object.assign({ csrf: board.dataset.csrf, day: board.dataset.day }, fields);
    for (const [name, value] of Object.entries(all)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }

  let dragged = null;
  board.addEventListener("dragstart", (event) => {
    const block = event.target.closest && event.target.closest(".block");
    if (!block) return;
    dragged = block;
    block.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.dataset.id);
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    board.querySelectorAll(".drop-target, .swap-target").forEach((el) => el.classList.remove("drop-target", "swap-target"));
  });
  board.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const lane = event.target.closest(".lane");
    if (!lane) return;
    event.preventDefault();
    board.querySelectorAll(".drop-target, .swap-target").forEach((el) => el.classList.remove("drop-target", "swap-target"));
    const other = event.target.closest(".block");
    if (other && other !== dragged) other.classList.add("swap-target");
    else lane.classList.add("drop-target");
  });
  board.addEventListener("drop", (event) => {
    if (!dragged) return;
    const lane = event.target.closest(".lane");
    if (!lane) return;
    event.preventDefault();
    const id = dragged.dataset.id;
    const other = event.target.closest(".block");
    if (other && other !== dragged) {
      post(`/festivals/${slug}/board/swap`, { a: id, b: other.dataset.id });
      return;
    }
    const box = lane.getBoundingClientRect();
    const fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    const minutes = Math.round((fraction * columns * step) / step) * step;
    const startsAt = new Date(first + minutes * 60000).toISOString().replace(/\.\d{3}Z$/, "Z");
    post(`/festivals/${slug}/board/screenings/${id}`, { venue_id: lane.dataset.venue, starts_at: startsAt });
  });
})();
