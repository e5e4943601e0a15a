// htmx leaves the page as it was when a request fails, so an answer ticked on
// the page would look saved when it was not: a failed write is said out loud.
(() => {
  const box = document.getElementById("request-failed");
  if (!box) return;
  const text = box.querySelector("[data-text]");
  const isWrite = (event) => (event.detail.requestConfig?.verb || "get") !== "get";
  const show = (message) => {
    text.textContent = message;
    box.hidden = false;
  };
  document.body.addEventListener("htmx:responseError", (event) => {
    if (isWrite(event)) {
      show(event.detail.xhr.status === 503 ? box.dataset.busy : box.dataset.failed);
    }
  });
  document.body.addEventListener("htmx:sendError", (event) => {
    if (isWrite(event)) show(box.dataset.offline);
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (isWrite(event) && event.detail.successful) box.hidden = true;
  });
  box.querySelector("button").addEventListener("click", () => { box.hidden = true; });
})();
