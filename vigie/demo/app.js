/* The demo-js site: age gate, listing with "load more", ad page with "show number".
   Plain ES5-style JavaScript; everything is rendered with textContent (no HTML injection). */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function ageGate() {
    var gate = document.getElementById("age-gate");
    if (!gate) { return; }
    if (/(?:^|;\s*)age_ok=1(?:;|$)/.test(document.cookie)) { gate.remove(); return; }
    document.getElementById("age-ok").addEventListener("click", function () {
      document.cookie = "age_ok=1; path=/; SameSite=Lax";
      gate.remove();
    });
  }

  function listing() {
    var list = document.getElementById("ads");
    var more = document.getElementById("load-more");
    var next = 1;
    function load() {
      if (next === null || more.disabled) { return; }
      more.disabled = true;
      getJSON("/js/api/ads?page=" + next).then(function (data) {
        data.ads.forEach(function (ad) {
          var card = el("div", { "class": "card", "data-id": ad.id });
          card.appendChild(el("a", { "class": "card-link",
            "href": "/js/ad.html?id=" + encodeURIComponent(ad.id) }, ad.title));
          list.appendChild(card);
        });
        next = data.next;
        if (next === null) { more.remove(); } else { more.disabled = false; }
      }).catch(function () { more.disabled = false; });
    }
    more.addEventListener("click", load);
    load();
  }

  function renderAd(root, ad) {
    var box = el("div", { "id": "ad", "data-ad-id": ad.id, "lang": ad.lang });
    box.appendChild(el("h1", { "class": "title" }, ad.title));
    box.appendChild(el("div", { "class": "where" }, ad.where));
    box.appendChild(el("time", { "class": "posted", "datetime": ad.posted_at }, ad.posted_label));
    var description = el("div", { "class": "description" });
    ad.description.forEach(function (text) { description.appendChild(el("p", {}, text)); });
    box.appendChild(description);
    var contact = el("div", { "class": "contact" });
    var button = el("button", { "class": "show-number", "type": "button" }, "Show number");
    var phone = el("span", { "class": "phone" });
    button.addEventListener("click", function () {
      button.disabled = true;
      getJSON("/js/api/ad/" + encodeURIComponent(ad.id) + "/phone").then(function (data) {
        phone.textContent = data.phone;
      }).catch(function () { button.disabled = false; });
    });
    contact.appendChild(button);
    contact.appendChild(phone);
    box.appendChild(contact);
    var gallery = el("div", { "class": "gallery" });
    ad.images.forEach(function (src) {
      gallery.appendChild(el("img", { "class": "photo", "src": src, "alt": "" }));
    });
    box.appendChild(gallery);
    root.appendChild(box);
  }

  function adPage() {
    var root = document.getElementById("main");
    var id = new URLSearchParams(window.location.search).get("id") || "";
    getJSON("/js/api/ad/" + encodeURIComponent(id)).then(function (ad) {
      renderAd(root, ad);
    }).catch(function () {
      root.appendChild(el("p", { "id": "not-found" }, "Annonce introuvable."));
    });
  }

  ageGate();
  if (document.body.getAttribute("data-page") === "list") { listing(); } else { adPage(); }
}());
