// The service worker (issue 15), served at /sw.js by backspasm.pwa, which puts
// self.SPASM_SW (version, shell page, files to keep) in front of this file.
//
// What it keeps, in one cache per version: the app shell's static files, the offline page
// (no health data) and the published guidance JSON. Nothing else: every other page and
// every API answer goes to the network and is never stored. A page that cannot load
// while offline shows the offline page instead of the browser's error.
/* global SpasmQueue */
"use strict";
var CONFIG = self.SPASM_SW;
var PREFIX = "spasm-";
var CACHE = PREFIX + CONFIG.version;
importScripts(CONFIG.queueScript);

// A page the server answered for this account: not a login redirect, not an error.
function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function store(url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!keepable(response)) return false;
    return caches.open(CACHE).then(function (cache) { return cache.put(url, response); }).then(function () { return true; });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(CONFIG.precache); })
      .then(function () { return store(CONFIG.shell).catch(function () { return false; }); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf(PREFIX) === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    // The copy was fetched by the worker, with other headers than this request: ignore Vary.
    return caches.match(request, { cacheName: CACHE, ignoreVary: true }).then(function (cached) { return cached || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(CONFIG.shell, { cacheName: CACHE }).then(function (shell) { return shell || Response.error(); });
    }));
  } else if (url.pathname === CONFIG.guidance || url.pathname === CONFIG.shell) {
    event.respondWith(networkFirst(request));
  } else if (CONFIG.precache.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});

var WARM_EVERY_MS = 5 * 60 * 1000;
var warmed = { key: "", at: 0 };

function tellPages(message) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage(message); });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = event.ports && event.ports[0];
  if (data.type === "warm") {
    // A page online: refresh the shell and its language's guidance for the next time
    // offline, at most every few minutes for the same account and language.
    var urls = data.urls || [];
    var key = JSON.stringify(urls) + data.user;
    var fresh = warmed.key === key && Date.now() - warmed.at < WARM_EVERY_MS;
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) { return cache.match(url, { ignoreVary: true }); }));
    }).then(function (kept) {
      if (fresh && kept.every(Boolean)) return kept.map(Boolean);
      return Promise.all(urls.map(function (url) { return store(url).catch(function () { return false; }); }));
    }).then(function (stored) {
      var ok = stored.every(Boolean);
      if (ok) warmed = { key: key, at: Date.now() };
      if (reply) reply.postMessage({ stored: ok });
    }));
  }
});

// Background Sync (Chromium): the browser wakes the worker when the connection is back,
// even with no page open. Other browsers send from the page (online, page load).
self.addEventListener("sync", function (event) {
  if (event.tag !== "spasm-sync") return;
  event.waitUntil(SpasmQueue.getMeta("user").then(function (user) {
    if (!user) return null;
    return SpasmQueue.sync(user).then(function (result) {
      return tellPages({ type: "synced", sent: result.sent, refused: result.refused.length }).then(function () {
        // Thrown: the browser tries again later.
        if (result.stopped === "offline" || result.stopped === "server") throw new Error("not sent yet");
      });
    });
  }));
});
