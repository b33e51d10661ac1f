// Vigie review app: zoom and pan of a network drawing (served by the app; no CDN, strict CSP).
// The drawing's view box is fitted on the server (data-fit); the wheel zooms around the pointer,
// dragging the background moves, the buttons zoom in, out and back to the whole network.
"use strict";
(() => {
  const MIN_SCALE = 1 / 40; // at most 40x closer than the whole network

  function setup(svg, tools) {
    const fit = svg.dataset.fit.split(/\s+/).map(Number);
    let view = fit.slice();
    const apply = () => svg.setAttribute("viewBox", view.join(" "));
    const pointIn = (clientX, clientY) => {
      const ctm = svg.getScreenCTM();
      if (!ctm) return { x: view[0] + view[2] / 2, y: view[1] + view[3] / 2 };
      const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
      return { x: p.x, y: p.y };
    };
    const zoom = (factor, at) => {
      const w = Math.min(fit[2], Math.max(fit[2] * MIN_SCALE, view[2] * factor));
      const f = w / view[2];
      const c = at || { x: view[0] + view[2] / 2, y: view[1] + view[3] / 2 };
      view = [c.x - (c.x - view[0]) * f, c.y - (c.y - view[1]) * f, view[2] * f, view[3] * f];
      apply();
    };
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      zoom(event.deltaY > 0 ? 1.2 : 1 / 1.2, pointIn(event.clientX, event.clientY));
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || event.target.closest("a")) return; // an ad's link still opens
      drag = { x: event.clientX, y: event.clientY, view: view.slice() };
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("dragging");
    });
    svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const ctm = svg.getScreenCTM();
      const scale = ctm ? ctm.a : 1; // screen pixels per drawing unit
      view[0] = drag.view[0] - (event.clientX - drag.x) / scale;
      view[1] = drag.view[1] - (event.clientY - drag.y) / scale;
      apply();
    });
    const stop = () => { drag = null; svg.classList.remove("dragging"); };
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-zoom]");
        if (!button) return;
        const action = button.dataset.zoom;
        if (action === "in") zoom(1 / 1.5);
        else if (action === "out") zoom(1.5);
        else { view = fit.slice(); apply(); }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const svg = document.getElementById("network-graph");
    if (svg && svg.dataset.fit) setup(svg, document.querySelector(".graph-tools"));
  });
})();
