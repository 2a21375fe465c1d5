// The participant page's only script: asks the hub for the state every few seconds, reloads the page when the state
// changed, says when it last asked, and says so in the page's language when the hub stops answering (a page that just
// reloaded would show the browser's error instead, and stop refreshing).
"use strict";
(() => {
  const root = document.querySelector(".participant");
  if (!root) {
    return;
  }

  const key = root.dataset.stateKey;
  const api = root.dataset.api;
  const every = Math.max(5, Number(root.dataset.refreshSeconds) || 15) * 1000;
  const noAnswer = document.getElementById("no-answer");
  const checked = document.getElementById("checked");
  const language = document.documentElement.lang || "en";

  async function ask() {
    try {
      const response = await fetch(api, { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }

      const state = await response.json();
      if (state.key !== key) {
        window.location.reload();
        return;
      }

      noAnswer.hidden = true;
      checked.textContent = new Date().toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit", hour12: false });
    } catch {
      noAnswer.hidden = false;
    }

    window.setTimeout(ask, every);
  }

  window.setTimeout(ask, every);
})();
