// Evidence photos: scaled down on the phone to at most 4096 px on the long
// side before sending, to spare the hall's Wi-Fi; the item's card comes back.
(function () {
  const MAX_SIDE = 4096;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  async function downscale(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (e) {
      return file; // HEIC and other formats the browser cannot draw go as they are.
    }
    const long = Math.max(bitmap.width, bitmap.height);
    if (long <= MAX_SIDE) {
      bitmap.close();
      return file;
    }
    const scale = MAX_SIDE / long;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    return blob || file;
  }

  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-upload-url]")) return;
    const file = input.files && input.files[0];
    if (!file) return;
    const card = input.closest("[data-item]");
    card.classList.add("opacity-50");
    const body = new FormData();
    const scaled = await downscale(file);
    body.append("photo", scaled, scaled === file ? file.name : "photo.jpg");
    try {
      const response = await fetch(input.dataset.uploadUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
        credentials: "same-origin",
      });
      const html = await response.text();
      htmx.swap(card, html, { swapStyle: "outerHTML" });
    } catch (e) {
      card.classList.remove("opacity-50");
      alert(card.dataset.uploadFailed || "Upload failed");
    }
  });
})();
